"""The optional diarization backends, run for real where their extra is installed.

They need an environment of their own (each extra holds an older torch than the default path):
``make test-backend BACKEND=pyannote`` and ``make test-backend BACKEND=whisperx`` build it and
run this file there. In the default environment these tests skip with that instruction; the
missing-extra error itself is tested in test_diarize.py.

The real pipelines' weights are gated on the hub, so a local pipeline directory with untrained
models stands in (untrained_pyannote.py): these tests check that our adapters load a local
pipeline, call the library, and turn its output into turns and tables, not diarization
quality.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
from transcription_helpers import load_fixture, vad_regions

from pixel_assets.definitions import chain_until
from pixel_assets.ingest.registry import record_list
from pixel_assets.ingest.video_lists import LocalFilePolicy, read_video_list
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import DiarizerResource, TranscriptFilterResource
from pixel_assets.transcription.diarization import make_diarizer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CLIP_S = 14.0  # the first turns of the two-voice fixture: enough for both voices, quick on CPU


def require(module: str, backend: str) -> None:
    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        pytest.skip(
            f"the {backend!r} backend's extra is not installed here; run "
            f"`make test-backend BACKEND={backend}` (its own .venv-{backend})"
        )


@pytest.fixture(scope="module")
def local_pipeline(tmp_path_factory) -> Path:
    require("pyannote.audio", "pyannote")
    from untrained_pyannote import build_untrained_pipeline

    return build_untrained_pipeline(tmp_path_factory.mktemp("pyannote_pipeline"))


@pytest.fixture(scope="module")
def clip():
    fixture = load_fixture("two_voices")
    audio = fixture.audio[: int(CLIP_S * fixture.sample_rate)]
    return audio, fixture.sample_rate, vad_regions(audio)


def assert_turns_valid(result, regions) -> None:
    assert result.speakers == [f"SPEAKER_{i:02d}" for i in range(len(result.speakers))]
    assert result.turns, "no turns"
    for turn in result.turns:
        assert turn.end_s > turn.start_s
        assert any(a - 1e-3 <= turn.start_s and turn.end_s <= b + 1e-3 for a, b in regions), turn
    starts = [t.start_s for t in result.turns]
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    ("backend", "module", "pipeline_arg"),
    [("pyannote", "pyannote.audio", "pipeline"), ("whisperx", "whisperx", "model_name")],
)
def test_backend_runs_a_local_pipeline(backend, module, pipeline_arg, local_pipeline, clip):
    require(module, backend)
    audio, sample_rate, regions = clip
    diarizer = make_diarizer(backend, **{pipeline_arg: str(local_pipeline)}, num_speakers=2)
    # num_speakers reaches the library: untrained weights find one voice, and pyannote warns
    # that this is outside the bounds it was given.
    with pytest.warns(UserWarning, match=r"outside\s+the given bounds \[2, 2\]"):
        result = diarizer.diarize(audio, sample_rate, regions)
    assert_turns_valid(result, regions)
    if backend == "pyannote":
        # The overlap-free output is used, so each instant has one speaker.
        for before, after in zip(result.turns, result.turns[1:], strict=False):
            assert after.start_s >= before.end_s - 1e-3


def test_pyannote_telemetry_is_off_unless_asked_for(local_pipeline):
    code = (
        "from pixel_assets.transcription.diarization import make_diarizer\n"
        f"make_diarizer('pyannote', pipeline={str(local_pipeline)!r})\n"
        "from pyannote.audio.telemetry.metrics import is_metrics_enabled\n"
        "print(is_metrics_enabled())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYANNOTE_METRICS_ENABLED"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
    opted_in = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**env, "PYANNOTE_METRICS_ENABLED": "true"}, cwd=ROOT,
                              check=True)
    assert opted_in.stdout.strip().splitlines()[-1] == "True"


def test_transcripts_asset_with_pyannote_backend(tmp_path, local_pipeline, all_resources,
                                                 dagster_instance):
    """The resource's `pipeline` setting reaches the backend; tables come out as usual."""
    import soundfile as sf

    fixture = load_fixture("two_voices")
    folder = tmp_path / "lists"
    folder.mkdir()
    sf.write(folder / "clip.flac", fixture.audio[: int(CLIP_S * fixture.sample_rate)],
             fixture.sample_rate)
    (folder / "videos.txt").write_text("clip.flac\n")
    parsed = read_video_list(folder / "videos.txt", local_files=LocalFilePolicy(allowed=True))
    storage = all_resources["storage"].get_storage()
    record_list(storage, parsed)
    dagster_instance.add_dynamic_partitions(videos_partitions.name, parsed.video_ids)
    key = parsed.video_ids[0]

    resources = {
        **all_resources,
        "diarizer": DiarizerResource(backend="pyannote", pipeline=str(local_pipeline),
                                     num_speakers=2),
        "transcript_filter": TranscriptFilterResource(min_pass_rate=0.0),
    }
    result = dg.materialize(chain_until("filtered_transcripts"), partition_key=key,
                            instance=dagster_instance, resources=resources)
    assert result.success
    turns = storage.read_partition("speaker_turns", key)
    assert len(turns) >= 1 and turns["speaker"].str.fullmatch(r"SPEAKER_\d\d").all()
    words = storage.read_partition("words", key)
    assert len(words) >= 5 and words["speaker"].isin(set(turns["speaker"])).all()
    speakers = storage.read_partition("speakers", key)
    assert set(speakers["speaker"]) == set(turns["speaker"])
    # Voice prints from the shared resemblyzer encoder, comparable with other backends'.
    assert all(len(embedding) == 256 for embedding in speakers["embedding"])
    assert len(storage.read_partition("transcript_segments", key)) >= 1
