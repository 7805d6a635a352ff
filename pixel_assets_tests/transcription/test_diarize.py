"""Diarization: automatic speaker count, DER on the two-voice fixture, optional backends."""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys

import numpy as np
import pytest
from transcription_helpers import load_fixture, vad_regions

from pixel_assets.transcription.diarization import (
    DiarizationOptions,
    DiarizationResult,
    MissingBackendError,
    ResemblyzerDiarizer,
    SingleSpeakerDiarizer,
    SpeakerTurn,
    WithVoicePrints,
    estimate_speakers,
    make_diarizer,
)
from pixel_assets.transcription.diarization.clustering import split_by_pitch
from pixel_assets.transcription.diarization.types import resolve_torch_device
from pixel_assets.transcription.metrics import diarization_error_rate

# Measured DER (pyannote collar 0.25): 2.0 % with Silero VAD regions, 1.3 % with one region
# over the whole clip. Bar: the 5 % aim (10 % hard limit).
DER_BAR = 0.05
# The similar pair (en-gb -p 60 / en-us+m3 -p 35): DER 0.50 (one speaker) before the pitch
# pass, 0.0 with it, with VAD regions and with one region. The bar.
HARD_PAIR_DER_BAR = 0.10


@pytest.mark.slow
@pytest.mark.parametrize("regions_from", ["vad", "one_region"])
def test_two_voices_found_automatically_with_low_der(diarizer, two_voices, regions_from):
    if regions_from == "vad":
        regions = vad_regions(two_voices.audio)
    else:
        regions = [(0.2, two_voices.duration_s - 0.2)]
    result = diarizer.diarize(two_voices.audio, 16_000, regions)
    assert result.speakers == ["SPEAKER_00", "SPEAKER_01"]
    der = diarization_error_rate(two_voices.truth["turns"], result.turns, collar=0.25)
    assert der < DER_BAR, f"DER {der:.3f}"
    assert set(result.speaker_embeddings) == set(result.speakers)
    for emb in result.speaker_embeddings.values():
        assert emb.shape == (256,) and np.isclose(np.linalg.norm(emb), 1.0, atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("regions_from", ["vad", "one_region"])
def test_similar_voices_are_two_speakers(diarizer, regions_from):
    hard = load_fixture("hard_pair")
    if regions_from == "vad":
        regions = vad_regions(hard.audio)
    else:
        regions = [(0.2, hard.duration_s - 0.2)]
    result = diarizer.diarize(hard.audio, 16_000, regions)
    assert result.speakers == ["SPEAKER_00", "SPEAKER_01"]
    der = diarization_error_rate(hard.truth["turns"], result.turns, collar=0.25)
    assert der <= HARD_PAIR_DER_BAR, f"DER {der:.3f}"
    # Without the second pass the voice prints alone merge them: the pass is what splits.
    merged = ResemblyzerDiarizer(DiarizationOptions(pitch_split_st=None))
    assert merged.diarize(hard.audio, 16_000, regions).speakers == ["SPEAKER_00"]


def test_split_by_pitch_needs_voice_print_and_pitch_to_agree():
    rng = np.random.default_rng(3)
    centers = np.abs(rng.standard_normal((2, 64)))
    close = np.stack([centers[0], centers[0] + 0.35 * centers[1]])
    x = _blobs(close, 20, 0.05)
    one = np.zeros(40, int)
    low, high = rng.normal(0.0, 0.5, 20), rng.normal(4.0, 0.5, 20)
    split = split_by_pitch(x, np.r_[low, high], one)
    assert len(set(split)) == 2 and len(set(split[:20])) == 1 and len(set(split[20:])) == 1
    # The same windows with one pitch (one voice): no split; nor when pitch is unknown.
    assert len(set(split_by_pitch(x, rng.normal(0.0, 0.5, 40), one))) == 1
    assert len(set(split_by_pitch(x, np.full(40, np.nan), one))) == 1
    assert len(set(split_by_pitch(x, np.r_[low, high], one, max_speakers=1))) == 1


def test_diarizer_device_auto(monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_torch_device("auto") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_torch_device("auto") == "cuda"
    assert resolve_torch_device("cuda:1") == "cuda:1"
    with pytest.raises(ValueError, match="Diarizer device 'tpu'"):
        resolve_torch_device("tpu")


@pytest.mark.slow
def test_one_voice_is_one_speaker(diarizer, one_voice):
    for regions in (vad_regions(one_voice.audio), [(0.0, one_voice.duration_s)]):
        result = diarizer.diarize(one_voice.audio, 16_000, regions)
        assert result.speakers == ["SPEAKER_00"]


@pytest.mark.slow
def test_num_speakers_override(two_voices, one_voice):
    forced = ResemblyzerDiarizer(DiarizationOptions(num_speakers=2))
    result = forced.diarize(two_voices.audio, 16_000, vad_regions(two_voices.audio))
    assert len(result.speakers) == 2
    assert diarization_error_rate(two_voices.truth["turns"], result.turns) < DER_BAR
    # On one voice, forcing 2 clusters splits off a few odd windows, which turn smoothing
    # (min_turn_s) then absorbs: the forced count is an upper bound after smoothing.
    one = forced.diarize(one_voice.audio, 16_000, [(0.0, one_voice.duration_s)])
    assert 1 <= len(one.speakers) <= 2


@pytest.mark.slow
def test_no_regions_gives_no_turns(diarizer, one_voice):
    result = diarizer.diarize(one_voice.audio, 16_000, [])
    assert result.turns == [] and result.speaker_embeddings == {}


def _blobs(centers: np.ndarray, per: int, spread: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.concatenate([c + spread * rng.standard_normal((per, c.size)) for c in centers])
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_estimate_speakers_counts_separated_clusters():
    rng = np.random.default_rng(1)
    centers = np.abs(rng.standard_normal((3, 64)))
    labels = estimate_speakers(_blobs(centers, 20, 0.05))
    assert len(set(labels)) == 3
    assert len(set(estimate_speakers(_blobs(centers[:1], 40, 0.05)))) == 1
    # A handful of outlier windows does not make a speaker of its own.
    x = np.concatenate([_blobs(centers[:1], 40, 0.05), _blobs(centers[1:2], 2, 0.05, seed=2)])
    assert len(set(estimate_speakers(x))) == 1
    assert len(set(estimate_speakers(_blobs(centers, 20, 0.05), max_speakers=2))) <= 2


def test_options_are_validated():
    with pytest.raises(ValueError, match="min_speakers <= max_speakers"):
        DiarizationOptions(min_speakers=3, max_speakers=2)
    with pytest.raises(ValueError, match="num_speakers=0"):
        DiarizationOptions(num_speakers=0)


@pytest.mark.parametrize(
    ("backend", "module", "extra"),
    [("pyannote", "pyannote.audio", "pyannote"), ("whisperx", "whisperx", "whisperx")],
)
def test_missing_optional_backend_raises_clear_error(backend, module, extra):
    try:
        installed = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        installed = False
    if installed:
        pytest.skip(f"{module} is installed here")
    with pytest.raises(MissingBackendError) as raised:
        make_diarizer(backend)
    assert f"make env BACKEND={extra}" in str(raised.value)
    assert f"-c constraints-{extra}.txt 'pixel-voice[{extra}]'" in str(raised.value)
    assert issubclass(MissingBackendError, ImportError)
    assert issubclass(MissingBackendError, RuntimeError)


class _BrokenBinaryFinder(importlib.abc.MetaPathFinder):
    """Makes importing ``module`` fail as a torchaudio built for another torch does."""

    def __init__(self, module: str) -> None:
        self.module = module

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.module or fullname.startswith(self.module + "."):
            raise OSError("Could not load this library: .../torchaudio/lib/_torchaudio.abi3.so")
        return None


@pytest.mark.parametrize(("backend", "module"), [("pyannote", "pyannote.audio"),
                                                 ("whisperx", "whisperx")])
def test_backend_that_fails_to_load_says_torch_must_match(backend, module, monkeypatch):
    for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_BrokenBinaryFinder(module), *sys.meta_path])
    with pytest.raises(MissingBackendError) as raised:
        make_diarizer(backend)
    message = str(raised.value)
    assert "_torchaudio.abi3.so" in message and "torchaudio must be built for this torch" in message
    assert f"make env BACKEND={backend}" in message


class TruthTurns:
    """A backend that returns the fixture's ground-truth turns, labelled as backends do."""

    def __init__(self, turns: list[dict]) -> None:
        self.turns = turns

    def diarize(self, audio, sample_rate, speech_regions):
        names = {"A": "SPEAKER_00", "B": "SPEAKER_01"}
        return DiarizationResult(
            turns=[SpeakerTurn(names[t["speaker"]], t["start_s"], t["end_s"]) for t in self.turns]
        )


def test_backends_without_embeddings_get_comparable_voice_prints(one_voice, two_voices,
                                                                  diarizer):
    """Voice A of the two-voice fixture is the one-voice fixture's voice: their prints (made
    by the same encoder whatever backend drew the turns) must be closer than A's and B's."""
    solo = WithVoicePrints(SingleSpeakerDiarizer(), diarizer).diarize(
        one_voice.audio, one_voice.sample_rate, vad_regions(one_voice.audio)
    )
    assert solo.speakers == ["SPEAKER_00"]
    solo_print = solo.speaker_embeddings["SPEAKER_00"]
    assert solo_print.shape == (256,) and abs(np.linalg.norm(solo_print) - 1) < 1e-4

    pair = WithVoicePrints(TruthTurns(two_voices.truth["turns"]), diarizer).diarize(
        two_voices.audio, two_voices.sample_rate, vad_regions(two_voices.audio)
    )
    voice_a, voice_b = pair.speaker_embeddings["SPEAKER_00"], pair.speaker_embeddings["SPEAKER_01"]
    same_voice, other_voice = float(solo_print @ voice_a), float(solo_print @ voice_b)
    # Measured: 0.98 for the same voice, 0.62 for the other.
    assert same_voice > 0.95 and other_voice < 0.8, (same_voice, other_voice)


@pytest.mark.parametrize(("backend", "argument"), [("pyannote", "pipeline"),
                                                   ("whisperx", "model_name")])
def test_missing_local_pipeline_is_named_before_any_import(backend, argument, tmp_path):
    missing = str(tmp_path / "no_such_pipeline")
    with pytest.raises(FileNotFoundError) as raised:
        make_diarizer(backend, **{argument: missing})
    assert missing in str(raised.value) and "diarizer.pipeline" in str(raised.value)


def test_unknown_backend_names_the_valid_ones():
    with pytest.raises(ValueError, match="resemblyzer, pyannote, whisperx"):
        make_diarizer("nemo")
