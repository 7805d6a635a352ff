"""Audio assets in Dagster: blocking QC check end to end, per-run thresholds, clips, CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest
import soundfile as sf

from pixel_assets import cli
from pixel_assets.audio import qc
from pixel_assets.audio.assets import (
    QC_ANALYSIS_FILE,
    QC_CHECK,
    SEGMENTS_CHECK,
    audio_qc,
    segments,
)
from pixel_assets.definitions import PER_VIDEO_ASSETS
from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.registry import record_list
from pixel_assets.ingest.video_lists import LocalFilePolicy, read_video_list
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import AudioQualityResource, DnsmosResource, LanguageIdResource

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
# As composed by the definitions: stamped with the chain's layout (downstream tables).
ASSETS = [a for a in PER_VIDEO_ASSETS if a.key in {raw_audio.key, audio_qc.key, segments.key}]


@pytest.fixture
def audio_resources(pixel_resources):
    return {
        **pixel_resources,
        "audio_quality": AudioQualityResource(),
        "language_id": LanguageIdResource(),
        "dnsmos": DnsmosResource(),
    }


def register_fixtures(tmp_path, storage, instance, names: list[str]) -> dict[str, str]:
    """Copy fixtures next to a list, register it; returns fixture name -> video ID."""
    folder = tmp_path / "lists"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / f"{name}.flac", folder / f"{name}.flac")
    video_list = folder / "videos.txt"
    video_list.write_text("\n".join(f"{name}.flac" for name in names) + "\n")
    parsed = read_video_list(video_list, local_files=LocalFilePolicy(allowed=True))
    record_list(storage, parsed)
    instance.add_dynamic_partitions(videos_partitions.name, parsed.video_ids)
    return dict(zip(names, parsed.video_ids, strict=True))


def run(key, instance, resources, run_config=None) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        ASSETS,
        partition_key=key,
        instance=instance,
        resources=resources,
        raise_on_error=False,
        run_config=run_config,
    )


def materialized(instance, asset, key) -> bool:
    status = instance.get_status_by_partition(asset.key, [key], videos_partitions) or {}
    return status.get(key) == dg.AssetPartitionStatus.MATERIALIZED


def check_passed(result: dg.ExecuteInProcessResult, name: str) -> bool | None:
    evaluations = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.event_specific_data.check_name == name
    ]
    return evaluations[-1].passed if evaluations else None


def test_blocking_check_stops_bad_videos_but_not_good_ones(
    tmp_path, audio_resources, dagster_instance
):
    storage = audio_resources["storage"].get_storage()
    keys = register_fixtures(
        tmp_path, storage, dagster_instance, ["clean_en", "silence", "french", "clipped_en"]
    )
    results = {name: run(key, dagster_instance, audio_resources) for name, key in keys.items()}

    clean = keys["clean_en"]
    assert results["clean_en"].success
    assert check_passed(results["clean_en"], QC_CHECK) is True
    assert check_passed(results["clean_en"], SEGMENTS_CHECK) is True
    assert materialized(dagster_instance, segments, clean)

    qc = storage.read_table("audio_qc").set_index("video_id")
    failures = storage.read_table("pipeline_failures").set_index("video_id")
    for name, reason in [
        ("silence", "speech_ratio"),
        ("french", "language fr"),
        ("clipped_en", "clipping_ratio"),
    ]:
        key = keys[name]
        assert not results[name].success
        assert check_passed(results[name], QC_CHECK) is False
        # QC itself is stored (the row explains why), but nothing downstream runs.
        assert materialized(dagster_instance, audio_qc, key)
        assert not materialized(dagster_instance, segments, key)
        assert storage.read_partition("segments", key) is None
        assert not qc.loc[key, "passed"] and reason in qc.loc[key, "reason_text"]
        assert failures.loc[key, "error_type"] == "audio_qc_failed"
        assert reason in failures.loc[key, "message"]
    assert clean not in failures.index

    segs = storage.read_partition("segments", clean)
    assert len(segs) >= 1 and segs["passed"].all()
    assert segs["segment_id"].iloc[0] == f"{clean}_0000"
    assert storage.exists("audio", clean, "qc_waveform.png")


def test_segments_reuse_the_analysis_audio_qc_stored(
    tmp_path, audio_resources, dagster_instance, monkeypatch
):
    storage = audio_resources["storage"].get_storage()
    key = register_fixtures(tmp_path, storage, dagster_instance, ["clean_en"])["clean_en"]
    assert run(key, dagster_instance, audio_resources).success
    assert storage.exists("audio", key, QC_ANALYSIS_FILE)
    first = storage.read_partition("segments", key)

    def segments_again() -> dg.AssetMaterialization:
        """Materialise segments alone; its one materialisation event."""
        result = dg.materialize(
            [a for a in ASSETS if a.key == segments.key], partition_key=key,
            instance=dagster_instance, resources=audio_resources, raise_on_error=False,
        )
        assert result.success
        (event,) = result.asset_materializations_for_node("segments")
        return event

    # With the analysis stored, segments must not analyse the audio a second time.
    def no_second_pass(*args, **kwargs):
        raise AssertionError("segments analysed the audio again")

    monkeypatch.setattr(qc, "analyse_audio", no_second_pass)
    event = segments_again()
    assert event.metadata["audio_analysis"].value.startswith("reused from audio_qc")
    again = storage.read_partition("segments", key)
    columns = ["segment_id", "snr_db", "loudness_lufs", "clipping_ratio", "dnsmos_ovrl"]
    assert again[columns].equals(first[columns])

    # Without it (a data dir from before it was stored), segments analyses the audio itself.
    monkeypatch.undo()
    (Path(storage.uri("audio", key, QC_ANALYSIS_FILE))).unlink()
    event = segments_again()
    assert event.metadata["audio_analysis"].value.startswith("no qc_analysis.npz")
    assert storage.read_partition("segments", key)[columns].equals(first[columns])

    # A damaged file is not trusted either: analysed again, and the metadata says why.
    storage.write_bytes(b"not an npz", "audio", key, QC_ANALYSIS_FILE)
    event = segments_again()
    assert "could not be read" in event.metadata["audio_analysis"].value


def test_run_config_thresholds_change_the_outcome(tmp_path, audio_resources, dagster_instance):
    storage = audio_resources["storage"].get_storage()
    key = register_fixtures(tmp_path, storage, dagster_instance, ["french"])["french"]
    assert not run(key, dagster_instance, audio_resources).success

    allow_french = {"resources": {"audio_quality": {"config": {"allowed_languages": ["en", "fr"]}}}}
    result = run(key, dagster_instance, audio_resources, allow_french)
    assert result.success, storage.read_table("pipeline_failures")
    assert materialized(dagster_instance, segments, key)
    assert storage.read_table("pipeline_failures").empty  # fixed failures are closed
    assert storage.read_partition("segments", key) is not None

    # Back to the default (English only): the video stops at QC again, and the segments that
    # the permissive run wrote are withdrawn so nothing downstream can still use them.
    result = run(key, dagster_instance, audio_resources)
    assert check_passed(result, QC_CHECK) is False
    assert storage.read_partition("segments", key) is None
    qc_events = result.asset_materializations_for_node("audio_qc")
    assert "segments" in qc_events[-1].metadata["withdrawn_from_tables"].value
    assert storage.read_table("pipeline_failures")["asset"].tolist() == ["audio_qc"]

    strict_segments = {
        "resources": {
            "audio_quality": {
                "config": {
                    "allowed_languages": ["fr"],
                    "min_segment_s": 29.0,
                    "max_segment_s": 30.0,
                }
            }
        }
    }
    result = run(key, dagster_instance, audio_resources, strict_segments)
    assert check_passed(result, QC_CHECK) is True
    assert check_passed(result, SEGMENTS_CHECK) is False
    rejected = storage.read_partition("rejected_segments", key)
    assert len(rejected) >= 1 and rejected["reason_text"].str.contains("duration_s").all()
    failure = storage.read_table("pipeline_failures").iloc[0]
    assert failure["error_type"] == "no_usable_segments"


def test_cli_runs_audio_stage_with_overrides_and_exports_clip(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PIXEL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copy(FIXTURES / "pauses_en.flac", folder / "pauses_en.flac")
    (folder / "l.txt").write_text("pauses_en.flac\n")

    code = cli.main(
        [
            "run",
            str(folder / "l.txt"),
            "--allow-local-files",
            "--quiet",
            "--set",
            "audio_quality.max_segment_s=8",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "1 done, 0 failed" in out

    code = cli.main(
        ["query", "SELECT segment_id, duration_s FROM segments ORDER BY 1", "--format", "csv"]
    )
    rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) >= 2
    assert all(float(r.split(",")[1]) <= 8.0 for r in rows)

    segment_id, duration = rows[1].split(",")
    out_file = tmp_path / "clip.wav"
    assert cli.main(["clip", segment_id, "-o", str(out_file)]) == 0
    info = sf.info(str(out_file))
    assert info.samplerate == 16_000 and abs(info.duration - float(duration)) < 0.01

    assert cli.main(["status", "--video", segment_id.rsplit("_", 1)[0]]) == 0
    out = capsys.readouterr().out
    assert "speech_ratio" in out and "kept" in out

    assert cli.main(["run", str(folder / "l.txt"), "--set", "audio_quality.nope=1"]) == 2
    assert "has no field 'nope'" in capsys.readouterr().out
    assert cli.main(["clip", "missing_0000"]) == 2
