"""The feature assets as the definitions compose them, on the transcribed fixture chain.

Once per module, on a private copy of the session's ``transcribed_chain``: ``two_voices`` and
the counselling ``session`` go through ``utterance_features`` → ``speaker_profiles`` and
``utterance_embeddings`` with the default resources; ``one_voice`` with prosody switched off
through the CLI's ``--set`` (every row null: the non-blocking check must flag it and let
``speaker_profiles`` run); ``monologue`` with its audio file removed (prosody null, reason
``no_audio``). Tests that break an input work on their own copy.
"""

from __future__ import annotations

import argparse
import base64
import re
import shutil
from pathlib import Path

import dagster as dg
import numpy as np
import pytest

from pixel_assets.cli.run import run_config_from
from pixel_assets.definitions import ASSETS, PER_VIDEO_ASSETS, defs
from pixel_assets.features.assets import NULL_PROSODY_CHECK
from pixel_assets.features.embeddings import DEFAULT_EMBEDDING_MODEL
from pixel_assets.features.prosody import DISABLED, NO_AUDIO
from pixel_assets.ingest.raw_audio import audio_parts
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import StorageResource, resources_for
from pixel_assets.status.video_status import passing_videos, video_status
from pixel_assets.warehouse.query import connect

pytestmark = pytest.mark.slow

FEATURES = ("utterance_features", "utterance_embeddings", "speaker_profiles")
DEFAULT_VIDEOS = ("two_voices.flac", "session.flac")


def feature_assets() -> list[dg.AssetsDefinition]:
    chosen = [a for a in ASSETS if a.key.to_user_string() in FEATURES]
    assert len(chosen) == len(FEATURES), "a feature asset is missing from the definitions"
    return chosen


def warehouse_resources(data: Path) -> dict:
    """The code location's resources with their defaults, storage under ``data``."""
    return {**resources_for(), "storage": StorageResource(data_dir=str(data))}


def materialise(key: str, instance, resources: dict, run_config=None, selection=None):
    return dg.materialize(
        feature_assets(), selection=selection, partition_key=key, instance=instance,
        resources=resources, run_config=run_config, raise_on_error=False,
    )


def metadata_of(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    return {k: getattr(v, "value", v)
            for k, v in result.asset_materializations_for_node(asset)[-1].metadata.items()}


def null_prosody_check(result: dg.ExecuteInProcessResult):
    found = [e for e in result.get_asset_check_evaluations() if e.check_name == NULL_PROSODY_CHECK]
    assert len(found) == 1, "the null-prosody check was not evaluated"
    return found[0]


@pytest.fixture(scope="module")
def base(transcribed_chain, tmp_path_factory):
    root = tmp_path_factory.mktemp("features_assets")
    shutil.copytree(transcribed_chain["root"] / "data", root / "data")
    resources = warehouse_resources(root / "data")
    storage = resources["storage"].get_storage()
    videos = transcribed_chain["videos"]
    results = {}
    # `pixel-voice run --set features.prosody=false`, as the CLI builds it.
    cli_args = argparse.Namespace(log_level="warning", config=None, set=["features.prosody=false"])
    storage.delete_tree(*audio_parts(videos["monologue.flac"])[:2])
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(videos_partitions.name, list(videos.values()))
        for name in (*DEFAULT_VIDEOS, "monologue.flac"):
            results[name] = materialise(videos[name], instance, resources)
        results["one_voice.flac"] = materialise(
            videos["one_voice.flac"], instance, resources, run_config_from(cli_args, resources)
        )
        logs = {name: [e.user_message for e in instance.all_logs(result.run_id)]
                for name, result in results.items()}
    return {"data": root / "data", "videos": videos, "results": results, "logs": logs,
            "storage": storage}


def test_per_video_order_and_job_reach_the_feature_assets():
    """`pixel-voice run` (and per_video_job) run PER_VIDEO_ASSETS: the three are in it, in
    dependency order, after filtered_transcripts."""
    order = [a.key.to_user_string() for a in PER_VIDEO_ASSETS]
    assert set(FEATURES) <= set(order)
    at = order.index
    assert at("filtered_transcripts") < at("utterance_features") < at("speaker_profiles")
    assert at("filtered_transcripts") < at("utterance_embeddings")
    assert at("transcripts") < at("speaker_profiles")
    job_keys = {k.to_user_string() for k in
                defs.resolve_job_def("per_video_job").asset_layer.executable_asset_keys}
    assert set(FEATURES) <= job_keys
    groups = {a.key.to_user_string(): a.group_names_by_key[a.key] for a in feature_assets()}
    assert set(groups.values()) == {"features"}


def test_tables_have_one_row_per_kept_segment(base):
    storage = base["storage"]
    for name in DEFAULT_VIDEOS:
        video = base["videos"][name]
        assert base["results"][name].success, name
        kept = storage.read_partition("filtered_transcripts", video)
        features = storage.read_partition("utterance_features", video)
        embeddings = storage.read_partition("utterance_embeddings", video)
        assert len(kept) > 0
        assert sorted(features["segment_id"]) == sorted(kept["segment_id"])
        assert sorted(embeddings["segment_id"]) == sorted(kept["segment_id"])
        assert features["sentiment"].between(-1, 1).all()
        # Clean synthetic speech: prosody measured for most utterances.
        assert features["f0_mean_hz"].notna().mean() > 0.5, name
        vectors = np.stack(embeddings["embedding"].to_numpy())
        assert vectors.shape == (len(kept), 384)
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
        assert set(embeddings["model"]) == {DEFAULT_EMBEDDING_MODEL}


def test_speaker_profiles_one_row_per_diarized_speaker(base):
    storage = base["storage"]
    for name in DEFAULT_VIDEOS:
        video = base["videos"][name]
        speakers = storage.read_partition("speakers", video)
        profiles = storage.read_partition("speaker_profiles", video)
        assert sorted(profiles["speaker"]) == sorted(speakers["speaker"])
        assert profiles["talk_share"].sum() == pytest.approx(1.0)
        with_print = speakers.loc[speakers["embedding"].map(lambda v: v is not None and len(v) > 0),
                                  "speaker"]
        refs = profiles.set_index("speaker")["voice_print_ref"]
        for speaker in with_print:
            assert refs[speaker] == f"speakers/{video}/{speaker}"
    two = storage.read_partition("speaker_profiles", base["videos"]["two_voices.flac"])
    assert len(two) == 2


def test_metadata_shows_plot_profiles_timings(base):
    for name in DEFAULT_VIDEOS:
        result = base["results"][name]
        features = metadata_of(result, "utterance_features")
        match = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)\)", features["plot"])
        assert match, "no inline PNG in the utterance_features metadata"
        assert base64.b64decode(match.group(1)).startswith(b"\x89PNG")
        assert {"text", "speech", "prosody"} <= set(features["timings_s"])
        assert 0.0 <= features["null_prosody_share"] <= 0.5
        assert features["utterances"] == len(
            base["storage"].read_partition("utterance_features", base["videos"][name])
        )
        profiles = metadata_of(result, "speaker_profiles")
        table = profiles["profiles"]
        assert table.startswith("| speaker | talk share |")
        stored = base["storage"].read_partition("speaker_profiles", base["videos"][name])
        assert all(f"| {s} |" in table for s in stored["speaker"])
        assert metadata_of(result, "utterance_embeddings")["dimension"] == 384


def test_null_prosody_check_is_non_blocking_and_passes_clean_speech(base):
    specs = {s.name: s for a in feature_assets() for s in a.check_specs}
    assert specs[NULL_PROSODY_CHECK].blocking is False
    check = null_prosody_check(base["results"]["two_voices.flac"])
    assert check.passed
    assert check.severity == dg.AssetCheckSeverity.WARN


def test_prosody_off_is_flagged_but_the_video_goes_on(base):
    result = base["results"]["one_voice.flac"]
    video = base["videos"]["one_voice.flac"]
    assert result.success
    check = null_prosody_check(result)
    assert not check.passed
    assert check.severity == dg.AssetCheckSeverity.WARN
    measured = {k: getattr(v, "value", v) for k, v in check.metadata.items()}
    assert measured["null_prosody_share"] == 1.0
    assert measured["null_rows_by_reason"] == {DISABLED: measured["utterances"]}
    # Downstream of the flagged asset still ran, and the video still passes.
    profiles = base["storage"].read_partition("speaker_profiles", video)
    assert profiles is not None and len(profiles) >= 1
    assert profiles["f0_mean_hz"].isna().all()
    assert video in passing_videos(base["storage"])
    features = base["storage"].read_partition("utterance_features", video)
    assert features["sentiment"].notna().all()


def test_missing_audio_leaves_prosody_null_with_a_reason(base):
    result = base["results"]["monologue.flac"]
    video = base["videos"]["monologue.flac"]
    assert result.success
    features = base["storage"].read_partition("utterance_features", video)
    assert len(features) > 0
    assert features["f0_mean_hz"].isna().all()
    assert set(features["prosody_null_reason"]) == {NO_AUDIO}
    check = null_prosody_check(result)
    assert not check.passed
    cause = check.metadata["likely_cause"].value
    assert "re-materialise raw_audio" in cause
    # The same words reach the run's log, naming the video.
    logged = [m for m in base["logs"]["monologue.flac"] if "prosody is null" in m]
    assert any(video in m and cause in m for m in logged), logged


def test_missing_input_fails_the_video_and_is_recorded(base, tmp_path, dagster_instance):
    shutil.copytree(base["data"], tmp_path / "data")
    resources = warehouse_resources(tmp_path / "data")
    storage = resources["storage"].get_storage()
    video = base["videos"]["two_voices.flac"]
    storage.delete_partition("filtered_transcripts", video)
    dagster_instance.add_dynamic_partitions(videos_partitions.name, [video])
    result = materialise(video, dagster_instance, resources,
                         selection=["utterance_embeddings"])
    assert not result.success
    failures = storage.read_table("pipeline_failures")
    row = failures[(failures["video_id"] == video)
                   & (failures["asset"] == "utterance_embeddings")].iloc[0]
    assert row["error_type"] == "missing_input"
    assert video in row["message"] and "materialise filtered_transcripts" in row["message"]
    status = video_status(storage).set_index("video_id").loc[video]
    assert status["state"] == "failed" and status["stage"] == "utterance_embeddings"


def test_query_sees_the_three_tables_by_name(base):
    videos = [base["videos"][n] for n in DEFAULT_VIDEOS]
    with connect(base["storage"]) as con:
        for table in FEATURES:
            counts = dict(con.execute(
                f"SELECT video_id, count(*) FROM {table} GROUP BY video_id"
            ).fetchall())
            for video in videos:
                stored = base["storage"].read_partition(table, video)
                assert counts.get(video) == len(stored) > 0, (table, video)
        embedding_sizes = con.execute(
            "SELECT DISTINCT len(embedding) FROM utterance_embeddings"
        ).fetchall()
    assert embedding_sizes == [(384,)]
