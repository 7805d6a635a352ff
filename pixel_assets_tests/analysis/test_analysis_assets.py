"""The cross-video analysis as the definitions compose it, driven by its automation conditions.

Once per module, on a private copy of the session's ``transcribed_chain`` (session, monologue,
two_voices, one_voice) and a persistent Dagster instance, the scenario the automation sensor
would play out, tick by tick (``evaluate_automation_conditions`` at chosen times, then the
requested runs materialised exactly as requested):

1. the chain's materialisations are recorded in the instance; the features of the four videos
   land (8 materialisations) before a tick of the debounce cron: nothing is requested;
2. after the tick, each corpus model is requested once (one refit for all four videos); it
   runs; the next evaluation requests the per-video assignments of every video, and nothing
   after they ran;
3. ``audio_qc`` is re-run for the monologue with impossible thresholds (stamped asset): the
   video stops; the next tick refits the corpus models without it, the refit requests every
   earlier video's assignments again, and the monologue is gone from every analysis table;
4. ``refresh_analysis`` (what ``pixel-voice run`` calls after the per-video assets) refits and
   re-applies in one call; a per-video assignment whose input is missing fails, recorded.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import dagster as dg
import pandas as pd
import pytest

from pixel_assets.analysis.automation import (
    assignment_selection,
    chain_passing_videos,
    corpus_is_stale,
    corpus_refresh_selection,
    refresh_analysis,
)
from pixel_assets.analysis.schemas import TABLES as ANALYSIS_TABLES
from pixel_assets.definitions import ASSETS, defs
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources.audio import AudioQualityResource
from pixel_assets.status.video_status import passing_videos
from pixel_assets.warehouse.query import connect
from pixel_assets_tests.conftest import CHAIN_FIXTURES, all_resources_for

pytestmark = pytest.mark.slow

CHAIN = ("raw_audio", "audio_qc", "segments", "transcripts", "filtered_transcripts")
FEATURES = ("utterance_features", "speaker_profiles")
CORPUS = {"global_speakers", "cluster_model", "outlier_model", "speaker_consistency",
          "drift_report"}
ASSIGNMENTS = {"speaker_links", "speaker_clusters", "outliers"}
PER_VIDEO_TABLES = ("speaker_links", "speaker_clusters", "outliers")
T0 = datetime(2030, 1, 7, 10, 1, tzinfo=UTC)  # ticks of */10 at 10:10, 10:20, ...


def requested(result) -> dict[str, set]:
    """Analysis asset → requested partitions (None for an unpartitioned asset)."""
    return {key: result.get_requested_partitions(dg.AssetKey(key))
            for key in CORPUS | ASSIGNMENTS if result.get_num_requested(dg.AssetKey(key))}


def run_requested(result, instance, resources) -> list[dg.ExecuteInProcessResult]:
    """Launch what the sensor would: one run per partition key with the keys requested."""
    by_partition: dict[str | None, list[dg.AssetKey]] = defaultdict(list)
    for name, partitions in requested(result).items():
        for partition in partitions:
            by_partition[partition].append(dg.AssetKey(name))
    runs = []
    for partition, keys in sorted(by_partition.items(), key=lambda kv: kv[0] or ""):
        runs.append(dg.materialize(ASSETS, selection=keys, partition_key=partition,
                                   instance=instance, resources=resources,
                                   raise_on_error=False))
        assert runs[-1].success, f"run of {keys} for {partition} failed"
    return runs


def metadata_of(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    return {k: getattr(v, "value", v)
            for k, v in result.asset_materializations_for_node(asset)[-1].metadata.items()}


def snapshot(storage) -> dict[str, pd.DataFrame]:
    return {spec.name: storage.read_table(spec.name) for spec in ANALYSIS_TABLES}


@pytest.fixture(scope="module")
def scenario(transcribed_chain, tmp_path_factory):
    root = tmp_path_factory.mktemp("analysis_assets")
    shutil.copytree(transcribed_chain["root"] / "data", root / "data")
    shutil.copytree(transcribed_chain["root"] / "lists", root / "lists")
    resources = all_resources_for(root / "data", root / "lists", root)
    storage = resources["storage"].get_storage()
    videos = dict(transcribed_chain["videos"])
    ids = [videos[name] for name in CHAIN_FIXTURES]
    out: dict = {"videos": videos, "storage": storage, "resources": resources, "evals": {},
                 "timings": {}}
    started = time.perf_counter()
    evals = out["evals"]
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(videos_partitions.name, ids)

        def evaluate(label: str, minutes: float):
            previous = evals[list(evals)[-1]] if evals else None
            result = dg.evaluate_automation_conditions(
                defs=defs, instance=instance, evaluation_time=T0 + timedelta(minutes=minutes),
                cursor=previous.cursor if previous else None)
            evals[label] = result
            return result

        evaluate("start", 0)
        # The chain ran in another instance (the session fixture): record it in this one.
        for video_id in ids:
            for key in CHAIN:
                instance.report_runless_asset_event(
                    dg.AssetMaterialization(asset_key=key, partition=video_id))
        features = [a for a in ASSETS if a.key.to_user_string() in FEATURES]
        for video_id in ids:
            result = dg.materialize(features, partition_key=video_id, instance=instance,
                                    resources=resources, raise_on_error=False)
            assert result.success, f"features failed for {video_id}"
        out["timings"]["features"] = time.perf_counter() - started
        evaluate("features landed, before the tick", 2)
        ticked = evaluate("after the tick", 10)
        out["first_refit"] = run_requested(ticked, instance, resources)
        assigned = evaluate("after the refit", 11)
        out["first_assignments"] = run_requested(assigned, instance, resources)
        evaluate("after the assignments", 12)
        out["first"] = snapshot(storage)
        out["timings"]["first round"] = time.perf_counter() - started
        out["passing_before"] = passing_videos(storage)

        # The monologue now fails audio_qc (the stamped asset, as the definitions compose it).
        monologue = videos["monologue.flac"]
        audio_qc = [a for a in ASSETS if a.key.to_user_string() == "audio_qc"]
        strict = {**resources, "audio_quality": AudioQualityResource(
            min_duration_s=3000.0, detect_language=False, dnsmos=False)}
        out["stop"] = dg.materialize(audio_qc, partition_key=monologue, instance=instance,
                                     resources=strict, raise_on_error=False)
        out["passing_after_stop"] = passing_videos(storage)
        evaluate("stopped, before the tick", 13)
        ticked = evaluate("stopped, after the tick", 20)
        out["second_refit"] = run_requested(ticked, instance, resources)
        reassign = evaluate("after the second refit", 21)
        out["second_assignments"] = run_requested(reassign, instance, resources)
        out["second"] = snapshot(storage)
        out["profiles_after_stop"] = len(storage.read_table("speaker_profiles"))
        out["timings"]["second round"] = time.perf_counter() - started
        out["query"] = {spec.name: connect(storage).execute(
            f"SELECT count(*) FROM {spec.name}").fetchone()[0] for spec in ANALYSIS_TABLES}

        # What `pixel-voice run` calls after the per-video assets.
        out["cli_refresh"] = refresh_analysis(ASSETS, instance, resources,
                                              tags={"pixel/launched_by": "cli"})
        out["cli_runs"] = instance.get_run_records(
            dg.RunsFilter(tags={"pixel/launched_by": "cli"}))
        out["cli_again"] = refresh_analysis(ASSETS, instance, resources, only_if_stale=True)
        instance.report_runless_asset_event(dg.AssetMaterialization(
            asset_key="speaker_profiles", partition=videos["session.flac"]))
        out["stale_after_new_profiles"] = corpus_is_stale(ASSETS, instance)

        out["timings"]["cli refresh"] = time.perf_counter() - started
        # An assignment whose input vanished fails, recorded for that video only.
        one_voice = videos["one_voice.flac"]
        storage.delete_partition("speaker_profiles", one_voice)
        out["broken"] = dg.materialize(ASSETS, selection=["speaker_clusters"],
                                       partition_key=one_voice, instance=instance,
                                       resources=resources, raise_on_error=False)
        out["failures"] = storage.read_table("pipeline_failures")
        out["chain_passing_after_failure"] = chain_passing_videos(storage)
        out["passing_after_failure"] = passing_videos(storage)
        out["timings"]["all"] = time.perf_counter() - started
        print("scenario timings (s):", {k: round(v, 1) for k, v in out["timings"].items()})
        yield out


# --------------------------------------------------------------------------- automation
def test_features_landing_before_a_tick_request_nothing(scenario):
    assert requested(scenario["evals"]["start"]) == {}
    assert requested(scenario["evals"]["features landed, before the tick"]) == {}


def test_one_refit_for_many_partitions_after_the_tick(scenario):
    """Debounce: eight per-video materialisations (four videos) give one request per model."""
    wanted = requested(scenario["evals"]["after the tick"])
    assert wanted == {name: {None} for name in CORPUS}
    # The assignments wait for the models (they are not run alongside them).
    assert not set(wanted) & ASSIGNMENTS
    assert len(scenario["first_refit"]) == 1


def test_the_refit_requests_every_videos_assignments_then_nothing(scenario):
    ids = set(scenario["videos"].values())
    wanted = requested(scenario["evals"]["after the refit"])
    assert wanted == {name: ids for name in ASSIGNMENTS}
    assert requested(scenario["evals"]["after the assignments"]) == {}


def test_a_stop_refits_at_the_next_tick_and_marks_earlier_assignments_stale(scenario):
    monologue = scenario["videos"]["monologue.flac"]
    stop = [e for e in scenario["stop"].get_asset_check_evaluations()
            if e.check_name == "audio_qc_passes_thresholds"]
    assert len(stop) == 1 and not stop[0].passed
    assert monologue in scenario["passing_before"]
    assert monologue not in scenario["passing_after_stop"]
    assert requested(scenario["evals"]["stopped, before the tick"]) == {}
    assert requested(scenario["evals"]["stopped, after the tick"]) == {
        name: {None} for name in CORPUS}
    # Every earlier video's assignment is requested again after the refit (stale).
    ids = set(scenario["videos"].values())
    assert requested(scenario["evals"]["after the second refit"]) == {
        name: ids for name in ASSIGNMENTS}
    first, second = scenario["first"], scenario["second"]
    old = set(first["speaker_clusters"]["model_version"])
    new = set(second["speaker_clusters"]["model_version"])
    assert len(old) == len(new) == 1 and old != new
    registry = second["analysis_models"].set_index("model_kind")
    assert registry.loc["style_clusters", "model_version"] in new


# --------------------------------------------------------------------------- tables
def _two_voices_speaker_of_voice_a(storage, video_id: str) -> str:
    """The diarized label of two_voices' voice A (the one_voice voice), by overlap with truth."""
    from pixel_assets_tests.conftest import FIXTURES

    truth = json.loads((FIXTURES / "speech" / "two_voices.json").read_text())["turns"]
    turns = storage.read_partition("speaker_turns", video_id)
    overlap: dict[str, float] = defaultdict(float)
    for turn in truth:
        if turn["speaker"] != "A":
            continue
        for row in turns.itertuples():
            overlap[row.speaker] += max(0.0, min(row.end_s, turn["end_s"])
                                        - max(row.start_s, turn["start_s"]))
    return max(overlap, key=overlap.get)


def test_the_same_voice_gets_one_global_id_across_videos(scenario):
    links = scenario["first"]["speaker_links"]
    videos = scenario["videos"]
    one = links[links.video_id == videos["one_voice.flac"]]
    two = links[links.video_id == videos["two_voices.flac"]].set_index("speaker")
    assert len(one) == 1 and len(two) == 2
    voice_a = _two_voices_speaker_of_voice_a(scenario["storage"], videos["two_voices.flac"])
    assert one["global_speaker_id"].iloc[0] == two.loc[voice_a, "global_speaker_id"]
    voice_b = next(s for s in two.index if s != voice_a)
    assert two.loc[voice_b, "global_speaker_id"] != two.loc[voice_a, "global_speaker_id"]
    # Cannot-link: no two speakers of one video share an id.
    assert not links.duplicated(["video_id", "global_speaker_id"]).any()
    shared = scenario["first"]["global_speakers"].set_index("global_speaker_id")
    assert shared.loc[one["global_speaker_id"].iloc[0], "n_videos"] >= 2
    assert one["link_similarity"].iloc[0] >= 0.85


def test_stopped_video_leaves_every_cross_video_table(scenario):
    monologue = scenario["videos"]["monologue.flac"]
    first, second = scenario["first"], scenario["second"]
    for table in PER_VIDEO_TABLES:
        assert monologue in set(first[table]["video_id"]), table
    for table in (*PER_VIDEO_TABLES, "speaker_consistency"):
        assert monologue not in set(second[table]["video_id"]), table
    assert monologue not in set(second["global_speakers"]["first_video_id"])
    assert second["global_speakers"]["n_videos"].sum() == len(second["speaker_links"])
    models = second["analysis_models"].set_index("model_kind")
    # The stop withdrew the monologue's profiles; the refit saw only the others.
    assert models.loc["style_clusters", "n_rows"] == scenario["profiles_after_stop"]
    assert scenario["profiles_after_stop"] < len(first["speaker_clusters"])
    summary = second["drift_summary"].iloc[0]
    assert summary["n_reference_videos"] + summary["n_current_videos"] <= 3


def test_rows_carry_the_model_version_they_were_made_with(scenario):
    second = scenario["second"]
    registry = second["analysis_models"].set_index("model_kind")["model_version"]
    assert set(second["speaker_clusters"]["model_version"]) == {registry["style_clusters"]}
    by_level = second["outliers"].groupby("level")["model_version"].agg(set)
    assert by_level["utterance"] == {registry["utterance_outliers"]}
    assert "speaker_outliers" not in registry  # six profiles: too few, skipped with a note
    storage = scenario["storage"]
    for path in second["analysis_models"]["path"]:
        assert storage.exists(path)


def test_drift_with_too_few_videos_materialises_with_the_reason(scenario):
    meta = metadata_of(scenario["first_refit"][0], "drift_report")
    assert meta["status"] == "not_enough_data"
    assert re.match(r"not enough data \(4 videos, need 4\)", meta["message"])
    summary = scenario["first"]["drift_summary"].iloc[0]
    assert summary["status"] == "not_enough_data"
    assert summary["message"] == meta["message"]
    with open(summary["report_path"], encoding="utf-8") as handle:
        assert "not enough data" in handle.read()


def test_cluster_model_metadata_shows_the_plot_and_fit(scenario):
    meta = metadata_of(scenario["first_refit"][0], "cluster_model")
    match = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)\)", meta["scatter"])
    assert match and base64.b64decode(match.group(1)).startswith(b"\x89PNG")
    descriptions = scenario["first"]["cluster_descriptions"]
    assert meta["k"] == len(descriptions) >= 2
    assert -1 <= meta["silhouette"] <= 1
    assert set(descriptions["model_version"]) == {meta["model_version"]}
    links = metadata_of(scenario["first_refit"][0], "global_speakers")
    assert links["speakers"] == len(scenario["first"]["speaker_links"])
    outliers = metadata_of(scenario["first_refit"][0], "outlier_model")
    assert outliers["utterance_status"] == "fitted"
    assert outliers["speaker_status"].startswith("skipped: the speaker outlier model needs")


def test_every_analysis_table_is_queryable_by_name(scenario):
    counts = scenario["query"]
    assert set(counts) == {spec.name for spec in ANALYSIS_TABLES}
    second = scenario["second"]
    assert all(counts[name] == len(second[name]) for name in counts)
    assert counts["speaker_links"] > 0 and counts["speaker_clusters"] > 0


def test_assets_are_grouped_and_scoped(scenario):
    graph = defs.resolve_asset_graph()
    assert corpus_refresh_selection().resolve(graph) == {dg.AssetKey(k) for k in CORPUS}
    assert assignment_selection().resolve(graph) == {dg.AssetKey(k) for k in ASSIGNMENTS}
    for key in CORPUS:
        assert graph.get(dg.AssetKey(key)).partitions_def is None
    for key in ASSIGNMENTS:
        node = graph.get(dg.AssetKey(key))
        assert node.partitions_def == videos_partitions
        assert node.group_name == "analysis"
    job = defs.resolve_job_def("per_video_job").asset_layer.executable_asset_keys
    assert not {dg.AssetKey(k) for k in CORPUS | ASSIGNMENTS} & set(job)
    sensor = defs.resolve_sensor_def("automation_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


# --------------------------------------------------------------------------- CLI + failures
def test_refresh_analysis_refits_and_reapplies_in_one_call(scenario):
    refresh = scenario["cli_refresh"]
    assert refresh.corpus_success and not refresh.failed
    assert set(refresh.videos) == scenario["passing_after_stop"] & set(
        scenario["videos"].values())
    # One corpus run, then one assignment run per passing video.
    assert len(scenario["cli_runs"]) == 1 + len(refresh.videos)
    # Called again with nothing new: nothing runs; a new per-video result makes it stale.
    assert scenario["cli_again"].skipped
    assert scenario["stale_after_new_profiles"]


def test_pixel_voice_run_refreshes_the_analysis_after_the_videos(
    tmp_path, monkeypatch, media_server, capsys
):
    from pixel_assets import cli

    monkeypatch.setenv("PIXEL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.delenv("PIXEL_ALLOW_LOCAL_FILES", raising=False)
    listing = tmp_path / "gone.txt"
    listing.write_text(f"{media_server}/gone.mp3\n")
    assert cli.main(["run", str(listing)]) == 0
    out = capsys.readouterr().out
    assert "0 done, 1 failed" in out
    assert "cross-video analysis refreshed over 0 passing videos" in out
    with dg.DagsterInstance.get() as instance:
        for key in CORPUS:
            assert instance.fetch_materializations(dg.AssetKey(key), limit=1).records, key
    assert cli.main(["run", str(listing)]) == 0
    assert "cross-video analysis already up to date" in capsys.readouterr().out
    assert cli.main(["run", str(listing), "--no-analysis"]) == 0
    assert "cross-video analysis" not in capsys.readouterr().out.lower()


def test_an_assignment_with_a_missing_input_fails_and_is_recorded(scenario):
    one_voice = scenario["videos"]["one_voice.flac"]
    assert not scenario["broken"].success
    rows = scenario["failures"]
    rows = rows[(rows.video_id == one_voice) & (rows.asset == "speaker_clusters")]
    assert len(rows) == 1
    assert rows["error_type"].iloc[0] == "missing_input"
    assert one_voice in rows["message"].iloc[0]
    assert "materialise speaker_profiles" in rows["message"].iloc[0]
    # video_status counts the failed assignment; the corpus models still read the video.
    assert one_voice not in scenario["passing_after_failure"]
    assert one_voice in scenario["chain_passing_after_failure"]


def test_an_empty_warehouse_refreshes_without_failing(tmp_path):
    """The first tick of a fresh deployment: every corpus model materialises, with reasons."""
    resources = all_resources_for(tmp_path / "data", tmp_path / "lists", tmp_path)
    with dg.instance_for_test() as instance:
        result = dg.materialize(ASSETS, selection=corpus_refresh_selection(), instance=instance,
                                resources=resources, raise_on_error=False)
    assert result.success
    assert metadata_of(result, "global_speakers")["global_speakers"] == 0
    assert metadata_of(result, "cluster_model")["message"] == (
        "cluster_model skipped: no speaker profiles of passing videos yet; process videos first.")
    assert metadata_of(result, "drift_report")["message"] == "not enough data (0 videos, need 4)"
    tables = snapshot(resources["storage"].get_storage())
    assert tables["global_speakers"].empty and tables["analysis_models"].empty
