"""``raw_audio``: download over real HTTP with yt-dlp, standardise, record failures."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import dagster as dg
import numpy as np
import pyloudnorm
import pytest
import soundfile as sf

from pixel_assets.errors import VideoTooLongError
from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.download import check_duration
from pixel_assets.ingest.registry import record_list
from pixel_assets.ingest.video_lists import parse_video_list
from pixel_assets.partitions import videos_partitions
from pixel_assets.warehouse.query import connect
from pixel_assets.warehouse.storage import Storage
from pixel_assets_tests.conftest import MEDIA, serve_directory


def register(storage: Storage, instance: dg.DagsterInstance, urls: list[str], name="l.txt"):
    parsed = parse_video_list(name, "\n".join(urls))
    assert not parsed.rejections, parsed.rejections
    record_list(storage, parsed)
    instance.add_dynamic_partitions(videos_partitions.name, parsed.video_ids)
    return parsed.video_ids


def materialize(key: str, instance, resources) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [raw_audio], partition_key=key, instance=instance, resources=resources,
        raise_on_error=False,
    )


def test_downloads_standardise_and_failures_stay_in_their_partition(
    media_server, pixel_resources, dagster_instance
):
    storage = pixel_resources["storage"].get_storage()
    names = ["speech.mp3", "speech.wav", "speech.ogg", "missing.mp3", "corrupt.mp3"]
    keys = register(storage, dagster_instance, [f"{media_server}/{n}" for n in names])
    results = {k: materialize(k, dagster_instance, pixel_resources) for k in keys}
    good, missing, corrupt = keys[:3], keys[3], keys[4]

    assert [results[k].success for k in keys] == [True, True, True, False, False]

    videos = storage.read_table("videos").set_index("video_id")
    assert sorted(videos.index) == sorted(good)
    meter = pyloudnorm.Meter(16_000)
    for key in good:
        row = videos.loc[key]
        assert row["sample_rate"] == 16_000 and row["channels"] == 1
        assert row["extractor"] == "Generic"
        audio, rate = sf.read(storage.local_copy("audio", key, "audio.flac"), always_2d=True)
        assert rate == 16_000 and audio.shape[1] == 1
        measured = meter.integrated_loudness(audio[:, 0])
        assert abs(measured - (-23.0)) < 1.0
        # The recorded loudness (source + gain, not measured twice) is the written file's.
        assert row["loudness_lufs"] == pytest.approx(measured, abs=0.05)
        assert abs(len(audio) / rate - sf.info(MEDIA / 'speech.wav').duration) < 0.1
        assert storage.exists("audio", key, "source_16k.flac")

    failures = storage.read_table("pipeline_failures").set_index("video_id")
    assert set(failures.index) == {missing, corrupt}
    assert failures.loc[missing, "error_type"] == "video_unavailable"
    assert "404" in failures.loc[missing, "message"]
    assert missing in failures.loc[missing, "message"]
    assert failures.loc[corrupt, "error_type"] == "corrupt_media"
    assert "corrupt.mp3" in failures.loc[corrupt, "message"]
    assert failures.loc[missing, "asset"] == "raw_audio"

    # The failure also reaches Dagster's event log with the same message.
    failure_events = [
        e for e in results[missing].all_events if e.event_type_value == "STEP_FAILURE"
    ]
    assert "404" in failure_events[-1].step_failure_data.error.message + str(
        failure_events[-1].step_failure_data.user_failure_data.description
    )

    # Re-materialising replaces that partition's row and nothing else.
    assert materialize(good[0], dagster_instance, pixel_resources).success
    counts = connect(storage).execute(
        "SELECT video_id, count(*) AS n FROM videos GROUP BY video_id"
    ).fetchall()
    assert sorted(counts) == sorted((k, 1) for k in good)


def test_rerun_after_fixing_the_cause_succeeds_with_one_row(
    tmp_path, pixel_resources, dagster_instance
):
    served = tmp_path / "served"
    served.mkdir()
    storage = pixel_resources["storage"].get_storage()
    with serve_directory(served) as base:
        (key,) = register(storage, dagster_instance, [f"{base}/late.mp3"])
        assert not materialize(key, dagster_instance, pixel_resources).success
        assert len(storage.read_table("pipeline_failures")) == 1

        shutil.copy(MEDIA / "speech.mp3", served / "late.mp3")
        assert materialize(key, dagster_instance, pixel_resources).success
        assert materialize(key, dagster_instance, pixel_resources).success

    assert storage.read_table("pipeline_failures").empty
    assert storage.read_table("videos")["video_id"].tolist() == [key]


def test_over_long_media_fails_its_partition(media_server, pixel_resources, dagster_instance):
    storage = pixel_resources["storage"].get_storage()
    ingest = pixel_resources["ingest"]
    shorter = type(ingest)(**{**ingest.model_dump(), "max_duration_s": 2.0})
    resources = {**pixel_resources, "ingest": shorter}
    (key,) = register(storage, dagster_instance, [f"{media_server}/speech.wav"])
    assert not materialize(key, dagster_instance, resources).success
    failure = storage.read_table("pipeline_failures").iloc[0]
    assert failure["error_type"] == "video_too_long"
    assert "max_duration_s" in failure["message"]
    assert not storage.exists("audio", key, "audio.flac")


def test_known_duration_is_rejected_before_download():
    """YouTube cannot be reached here; the check the worker runs on the extractor's answer
    (before any media byte is fetched) is the same function."""
    with pytest.raises(VideoTooLongError, match="7200s exceeds max_duration_s 3600s"):
        check_duration("dQw4w9WgXcQ", 7200.0, 3600.0)
    check_duration("dQw4w9WgXcQ", 3599.0, 3600.0)
    check_duration("dQw4w9WgXcQ", None, 3600.0)  # unknown: checked after download


def test_crafted_partition_key_cannot_escape_the_root(tmp_path, pixel_resources, dagster_instance):
    before = sorted(p.name for p in tmp_path.iterdir())
    key = "../../escape"
    dagster_instance.add_dynamic_partitions(videos_partitions.name, [key])
    result = materialize(key, dagster_instance, pixel_resources)
    assert not result.success
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not (tmp_path.parent / "escape").exists()


def test_standardised_audio_is_written_atomically(media_server, pixel_resources, dagster_instance):
    storage = pixel_resources["storage"].get_storage()
    (key,) = register(storage, dagster_instance, [f"{media_server}/speech.ogg"])
    assert materialize(key, dagster_instance, pixel_resources).success
    folder = Path(storage.uri("audio", key))
    assert sorted(p.name for p in folder.iterdir()) == ["audio.flac", "source_16k.flac"]
    audio, _ = sf.read(folder / "audio.flac")
    source, _ = sf.read(folder / "source_16k.flac")
    # Same waveform, different level: normalisation is one gain.
    gain = np.max(np.abs(audio)) / np.max(np.abs(source))
    assert np.allclose(audio, source * gain, atol=2e-3)


class _FlakyHandler(http.server.SimpleHTTPRequestHandler):
    """Answers 503 to the first request, then serves files: a transient outage."""

    failures_left = 1

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            self.send_error(503, "Service Unavailable")
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_transient_http_error_is_retried_by_the_retry_policy(
    tmp_path, pixel_resources, dagster_instance
):
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(MEDIA / "speech.mp3", served / "talk.mp3")
    handler = functools.partial(_FlakyHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        storage = pixel_resources["storage"].get_storage()
        url = f"http://127.0.0.1:{server.server_address[1]}/talk.mp3"
        (key,) = register(storage, dagster_instance, [url])
        result = materialize(key, dagster_instance, pixel_resources)
    finally:
        server.shutdown()
        server.server_close()
    assert result.success
    events = [e.event_type_value for e in result.all_events]
    assert "STEP_UP_FOR_RETRY" in events
    assert storage.read_table("pipeline_failures").empty
    assert storage.read_table("videos")["video_id"].tolist() == [key]


def test_asr_and_features_read_only_the_normalised_file(tmp_path):
    """QC reads both files; transcription and features need only audio.flac, so a missing
    pre-normalisation copy does not stop them, and a missing audio.flac names the fix."""
    from pixel_assets.errors import MissingInputError
    from pixel_assets.ingest.raw_audio import (
        AUDIO_FILE,
        SOURCE_AUDIO_FILE,
        audio_parts,
        read_normalised_audio,
        read_standardised_audio,
    )

    storage = Storage(str(tmp_path))
    tone = (0.1 * np.sin(np.linspace(0, 400 * np.pi, 16_000))).astype(np.float32)
    path = tmp_path.joinpath(*audio_parts("vid", AUDIO_FILE))
    path.parent.mkdir(parents=True)
    sf.write(path, tone, 16_000)

    audio = read_normalised_audio(storage, "vid")
    assert audio.dtype == np.float32 and np.allclose(audio, tone, atol=1e-4)
    with pytest.raises(MissingInputError, match=SOURCE_AUDIO_FILE):
        read_standardised_audio(storage, "vid")
    path.unlink()
    with pytest.raises(MissingInputError, match="materialise raw_audio"):
        read_normalised_audio(storage, "vid")
