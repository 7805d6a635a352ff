"""Transcription assets in Dagster: a two-voice video end to end and the blocking pass-rate
floor (the ``gpu`` pool across runs is tested in test_gpu_pool.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pixel_assets.audio.assets import audio_qc, segments
from pixel_assets.definitions import PER_VIDEO_ASSETS, chain_until
from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.registry import record_list
from pixel_assets.ingest.video_lists import LocalFilePolicy, read_video_list
from pixel_assets.jobs import per_video_job
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import AsrResource
from pixel_assets.transcription.assets import PASS_RATE_CHECK, filtered_transcripts, transcripts

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# The chain up to this stage, as the definitions compose it.
CHAIN = chain_until("filtered_transcripts")
SPEECH = ROOT / "pixel_assets_tests" / "fixtures" / "speech"
SAMPLE = ROOT / "samples" / "audio" / "reflection.ogg"


@dg.asset(partitions_def=videos_partitions, deps=[filtered_transcripts])
def downstream_of_transcripts() -> None:
    """Stands in for the next stage: must not run when the pass-rate check fails."""


def register(tmp_path: Path, storage, instance, files: dict[str, Path]) -> dict[str, str]:
    folder = tmp_path / "lists"
    folder.mkdir(exist_ok=True)
    for name, source in files.items():
        shutil.copy(source, folder / name)
    (folder / "videos.txt").write_text("\n".join(files) + "\n")
    parsed = read_video_list(folder / "videos.txt", local_files=LocalFilePolicy(allowed=True))
    record_list(storage, parsed)
    instance.add_dynamic_partitions(videos_partitions.name, parsed.video_ids)
    return dict(zip(files, parsed.video_ids, strict=True))


def test_two_voice_video_end_to_end(tmp_path, all_resources, dagster_instance):
    storage = all_resources["storage"].get_storage()
    key = register(tmp_path, storage, dagster_instance,
                   {"two.flac": SPEECH / "two_voices.flac"})["two.flac"]
    result = dg.materialize(
        [*CHAIN, downstream_of_transcripts], partition_key=key,
        instance=dagster_instance, resources=all_resources,
    )
    assert result.success

    speakers = storage.read_partition("speakers", key)
    assert sorted(speakers["speaker"]) == ["SPEAKER_00", "SPEAKER_01"]
    assert all(len(e) == 256 for e in speakers["embedding"])
    assert abs(speakers["talk_share"].sum() - 1.0) < 1e-6

    rows = storage.read_partition("transcript_segments", key)
    assert set(rows["speaker"]) == {"SPEAKER_00", "SPEAKER_01"}
    # The VAD merges the dialogue into few segments, so speaker changes split them.
    assert rows["parent_segment_id"].ne(rows["segment_id"]).any()
    assert (rows["model"] == "tiny.en-offline/int8").all()
    assert rows["confidence"].between(0, 1).all()
    words = storage.read_partition("words", key)
    assert set(words["segment_id"]) <= set(rows["segment_id"])
    assert words["speaker"].notna().all()
    turns = storage.read_partition("speaker_turns", key)
    assert len(turns) >= 6
    # Every stretch of speech got words: coverage ~1, the non-blocking check passed.
    coverage = storage.read_partition("asr_coverage", key).iloc[0]
    assert coverage["coverage"] > 0.95 and coverage["speech_s"] > 0
    [check] = [e.event_specific_data for e in result.all_events
               if e.event_type_value == "ASSET_CHECK_EVALUATION"
               and e.event_specific_data.check_name == "transcripts_asr_coverage"]
    assert check.passed and check.severity == dg.AssetCheckSeverity.WARN

    materialization = dagster_instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=transcripts.key, asset_partitions=[key]), limit=1
    ).records[0].asset_materialization
    metadata = materialization.metadata
    assert metadata["speakers"].value == 2
    assert set(metadata["talk_share"].value) == {"SPEAKER_00", "SPEAKER_01"}
    assert 0.5 < metadata["mean_confidence"].value <= 1.0
    assert 100 < metadata["median_wpm"].value < 260
    assert "SPEAKER_01" in metadata["preview"].value

    filtered = storage.read_partition("filtered_transcripts", key)
    assert len(filtered) >= 0.5 * len(rows)
    assert dagster_instance.get_latest_materialization_event(
        downstream_of_transcripts.key
    ) is not None

    # Re-materialise only `segments` with thresholds no segment meets (as from the UI): the
    # video now stops there, so every transcript table drops the rows of the earlier run.
    no_segment_passes = {"resources": {"audio_quality": {"config": {"min_segment_s": 29.0}}}}
    # The asset as the definitions compose it (stamped with what lies downstream of it).
    stamped = {a.key: a for a in PER_VIDEO_ASSETS}[segments.key]
    rerun = dg.materialize([stamped], partition_key=key, instance=dagster_instance,
                           resources=all_resources, run_config=no_segment_passes,
                           raise_on_error=False)
    withdrawn = rerun.asset_materializations_for_node("segments")[-1].metadata
    for table in ("transcript_segments", "words", "speaker_turns", "speakers",
                  "filtered_transcripts"):
        assert storage.read_partition(table, key) is None, table
        assert table in withdrawn["withdrawn_from_tables"].value
    assert storage.read_partition("segments", key) is not None  # its own rows say why


def test_pass_rate_floor_blocks_downstream(tmp_path, all_resources, dagster_instance):
    storage = all_resources["storage"].get_storage()
    key = register(tmp_path, storage, dagster_instance, {"r.ogg": SAMPLE})["r.ogg"]
    strict = {"resources": {"transcript_filter": {"config": {"min_confidence": 0.999}}}}
    result = dg.materialize(
        [*CHAIN, downstream_of_transcripts], partition_key=key,
        instance=dagster_instance, resources=all_resources, run_config=strict,
        raise_on_error=False,
    )
    assert not result.success
    checks = [e.event_specific_data for e in result.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION"
              and e.event_specific_data.check_name == PASS_RATE_CHECK]
    assert checks and checks[-1].passed is False
    assert dagster_instance.get_latest_materialization_event(
        downstream_of_transcripts.key
    ) is None
    rejected = storage.read_partition("rejected_transcripts", key)
    assert rejected["reason_text"].str.contains("confidence").all()
    failure = storage.read_table("pipeline_failures").iloc[0]
    assert failure["error_type"] == "transcript_pass_rate_low"
    assert "min_pass_rate" in failure["message"]


def test_transcription_declares_gpu_pool_and_job_tag():
    assert transcripts.op.pool == "gpu"
    assert per_video_job.tags["pixel/gpu"] == "true"
    assert raw_audio.op.pool is None and audio_qc.op.pool is None and segments.op.pool is None


def test_asr_resource_round_trips_options():
    from pixel_assets.transcription.asr import AsrOptions

    options = AsrOptions(model="large-v3", device="cuda", beam_size=2, batch_size=16)
    assert AsrResource.from_options(options).options() == options
