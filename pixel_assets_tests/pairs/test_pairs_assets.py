"""The pairs assets as the definitions compose them, on the transcribed fixture chain.

One scenario per test process (:func:`scenario`, shared with the export assets' tests), played
on a private copy of the session's ``transcribed_chain`` and a persistent Dagster instance, with
automation evaluated tick by tick as the sensor would:

1. the counselling ``session.flac`` and ``two_voices.flac`` go through the features, dialogue
   and validation assets (offline scorer), then ``therapeutic_pairs``. The crisis detector flags
   the session's "better off without me" exchange (as ASR heard it) and the next exchange, whose
   context repeats it: both wait in review. The session's list metadata names the client
   "Sam Noon";
2. pairs landed: ``training_dataset`` is requested at the next tick of the debounce cron, not
   before; it runs, then ``dataset_export`` twice (same data);
3. a reviewer approves both; ``therapeutic_pairs`` runs again; the dataset is requested at the
   next tick again; it runs and is exported; then the disclosure is rejected and exported at
   once (its pair and the pair quoting it are left out before the pairs run again);
4. ``audio_qc`` stops the session (a strict resource): ``training_dataset`` is requested at the
   next tick and drops its pairs; rows an earlier run left behind are still not read;
5. ``therapeutic_pairs`` of a video without exchanges fails and is recorded.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from pixel_assets.definitions import ASSETS, PER_VIDEO_ASSETS, defs
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources.audio import AudioQualityResource
from pixel_assets.resources.pairs import PairsResource
from pixel_assets.status.video_status import passing_videos
from pixel_assets.validation.review import decide
from pixel_assets.warehouse.query import connect
from pixel_assets.wiring import PER_VIDEO_TAG
from pixel_assets_tests.conftest import all_resources_for

pytestmark = pytest.mark.slow

UPSTREAM = ("utterance_embeddings", "utterance_features", "speaker_profiles", "dialogue_turns",
            "exchanges", "exchange_scores")
PAIRED = ("session.flac", "two_voices.flac")
T0 = datetime(2030, 1, 7, 10, 1, tzinfo=UTC)  # ticks of */10 at 10:10, 10:20, ...
CRISIS_WORDS = "without me"
CLIENT_NAME = "Sam Noon"  # "until noon" is in the crisis turn: redacted once it is released


def assets_named(*names: str) -> list[dg.AssetsDefinition]:
    chosen = [a for a in ASSETS if a.key.to_user_string() in names]
    assert len(chosen) == len(names), f"not in the definitions: {names}"
    return chosen


def metadata_of(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    return {k: getattr(v, "value", v)
            for k, v in result.asset_materializations_for_node(asset)[-1].metadata.items()}


def requested(result, asset: str) -> set:
    key = dg.AssetKey(asset)
    return result.get_requested_partitions(key) if result.get_num_requested(key) else set()


def export_snapshot(result: dg.ExecuteInProcessResult) -> dict:
    meta = metadata_of(result, "dataset_export")
    folder = Path(meta["path"])
    return {"meta": meta, "folder": folder, "latest": Path(meta["latest"]).resolve(),
            "bytes": {p.name: p.read_bytes() for p in sorted(folder.iterdir())}}


def scenario_for(request: pytest.FixtureRequest, transcribed_chain: dict,
                 tmp_path_factory) -> dict:
    """Play the scenario once per test session (the export tests read the same one)."""
    cached = getattr(request.config, "_pixel_pairs_scenario", None)
    if cached is not None:
        return cached
    root = tmp_path_factory.mktemp("pairs_assets")
    shutil.copytree(transcribed_chain["root"] / "data", root / "data")
    shutil.copytree(transcribed_chain["root"] / "lists", root / "lists")
    videos = dict(transcribed_chain["videos"])
    session = videos["session.flac"]
    out: dict = {"videos": videos, "evals": {}, "runs": {}}
    evals, runs = out["evals"], out["runs"]
    with dg.instance_for_test() as instance:
        resources = {
            **all_resources_for(root / "data", root / "lists", root),
            # Two videos make two speaker groups: a split each (test stays empty).
            "pairs": PairsResource(train=0.5, validation=0.5, test=0.0),
        }
        storage = resources["storage"].get_storage()
        out.update(storage=storage, resources=resources)
        row = storage.read_partition("videos", session)
        row["list_speaker"] = f"counsellor: Grace Okafor; client: {CLIENT_NAME}"
        storage.write_partition("videos", session, row)
        instance.add_dynamic_partitions(videos_partitions.name, list(videos.values()))

        def evaluate(label: str, minutes: float):
            previous = evals[list(evals)[-1]] if evals else None
            evals[label] = dg.evaluate_automation_conditions(
                defs=defs, instance=instance, evaluation_time=T0 + timedelta(minutes=minutes),
                cursor=previous.cursor if previous else None)
            return evals[label]

        def run(label: str, names: tuple[str, ...], partition: str | None = None, **kw):
            runs[label] = dg.materialize(
                assets_named(*names), partition_key=partition, instance=instance,
                resources={**resources, **kw}, raise_on_error=False)
            return runs[label]

        evaluate("start", 0)
        for name in PAIRED:
            assert run(f"chain {name}", (*UPSTREAM, "therapeutic_pairs"), videos[name]).success
        out["pairs_held"] = storage.read_table("therapeutic_pairs")
        out["scores"] = storage.read_table("exchange_scores")
        out["queue"] = storage.read_table("review_queue")
        evaluate("pairs landed, before the tick", 2)
        evaluate("after the tick", 10)
        assert run("dataset", ("training_dataset",)).success
        evaluate("after the dataset", 11)
        out["dataset_held"] = storage.read_table("dataset_pairs")
        out["export_held"] = export_snapshot(run("export held", ("dataset_export",)))
        out["export_again"] = export_snapshot(run("export again", ("dataset_export",)))
        assert run("pairs again", ("therapeutic_pairs",), session).success
        out["pairs_with_splits"] = storage.read_table("therapeutic_pairs")

        # A reviewer approves the queued exchanges; their video's pairs run again.
        exchanges = storage.read_partition("exchanges", session)
        crisis_id = exchanges.loc[exchanges["prompt_text"].str.contains(CRISIS_WORDS),
                                  "exchange_id"].iloc[0]
        out["crisis_id"] = crisis_id
        for exchange_id in out["queue"]["exchange_id"]:
            decide(storage, exchange_id, "approve", decided_by="tester")
        assert run("pairs approved", ("therapeutic_pairs",), session).success
        out["pairs_approved"] = storage.read_table("therapeutic_pairs")
        evaluate("approved, before the tick", 12)
        evaluate("approved, after the tick", 20)
        assert run("dataset approved", ("training_dataset",)).success
        out["dataset_approved"] = storage.read_table("dataset_pairs")
        evaluate("after the approved dataset", 21)
        out["export_approved"] = export_snapshot(run("export approved", ("dataset_export",)))
        with connect(storage) as con:
            out["query"] = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                            for t in ("therapeutic_pairs", "dataset_pairs", "dropped_pairs")}
        # Rejected afterwards: the export leaves it out at once (pairs not re-run yet).
        decide(storage, crisis_id, "reject", decided_by="tester",
               now=datetime.now(UTC) + timedelta(seconds=1))
        out["export_rejected"] = export_snapshot(run("export rejected", ("dataset_export",)))

        # audio_qc now stops the session.
        out["passing_before_stop"] = passing_videos(storage)
        session_pairs = storage.read_partition("therapeutic_pairs", session)
        strict = AudioQualityResource(min_duration_s=3000.0, detect_language=False, dnsmos=False)
        run("stop", ("audio_qc",), session, audio_quality=strict)
        out["passing_after_stop"] = passing_videos(storage)
        evaluate("stopped, before the tick", 22)
        evaluate("stopped, after the tick", 30)
        assert run("dataset stopped", ("training_dataset",)).success
        out["dataset_stopped"] = storage.read_table("dataset_pairs")
        # Rows an earlier run left behind are still not read (video_status decides).
        storage.write_partition("therapeutic_pairs", session, session_pairs)
        assert run("dataset left behind", ("training_dataset",)).success
        out["dataset_left_behind"] = storage.read_table("dataset_pairs")

        # A video that never reached exchanges: the step fails, recorded for that video.
        run("missing input", ("therapeutic_pairs",), videos["one_voice.flac"])
        out["failures"] = storage.read_table("pipeline_failures")
    request.config._pixel_pairs_scenario = out
    return out


@pytest.fixture(scope="module")
def scenario(request, transcribed_chain, tmp_path_factory) -> dict:
    return scenario_for(request, transcribed_chain, tmp_path_factory)


# --------------------------------------------------------------------------- therapeutic_pairs
def test_pairs_follow_exchange_scores_in_the_chain_group_pairs():
    order = [a.key.to_user_string() for a in PER_VIDEO_ASSETS]
    assert order.index("therapeutic_pairs") > order.index("exchange_scores")
    graph = defs.resolve_asset_graph()
    for name in ("therapeutic_pairs", "training_dataset"):
        assert graph.get(dg.AssetKey(name)).group_name == "pairs"
    assert graph.get(dg.AssetKey("training_dataset")).partitions_def is None
    spec = graph.get(dg.AssetKey("therapeutic_pairs"))
    assert spec.tags.get(PER_VIDEO_TAG[0]) == PER_VIDEO_TAG[1]  # per_video_job runs it
    assert "training_dataset" not in order


def test_crisis_exchange_and_the_pair_quoting_it_wait_for_review(scenario):
    session = scenario["videos"]["session.flac"]
    crisis = set(scenario["scores"].loc[scenario["scores"]["crisis"], "exchange_id"])
    queued = set(scenario["queue"]["exchange_id"])
    assert scenario["crisis_id"] in crisis and crisis == queued and len(queued) == 2
    held = scenario["pairs_held"]
    assert not queued & set(held["exchange_id"])
    assert not held["prompt"].str.contains(CRISIS_WORDS).any()
    assert not any(CRISIS_WORDS in t["text"] for c in held["context"] for t in c)
    meta = metadata_of(scenario["runs"]["chain session.flac"], "therapeutic_pairs")
    assert meta["withheld_by_reason"]["review_pending"] == 2
    assert meta["withheld"] == 2 and meta["held_for_review"] >= 2
    assert meta["pairs"] == int((held["video_id"] == session).sum()) >= 1
    assert set(held["video_id"]) == {session, scenario["videos"]["two_voices.flac"]}


def test_approval_releases_the_crisis_pair_scrubbed(scenario):
    approved = scenario["pairs_approved"]
    pair = approved[approved["exchange_id"] == scenario["crisis_id"]]
    assert len(pair) == 1
    row = pair.iloc[0]
    assert CRISIS_WORDS in row["prompt"]
    assert row["crisis"] and row["review_status"] == "approved"
    # "until noon": the client's surname from the list metadata, redacted in text and context.
    assert "[NAME]" in row["prompt"] and not re.search(r"\bnoon\b", row["prompt"], re.I)
    assert row["pii_redactions"] >= 1 and "PERSON" in list(row["pii_entities"])
    texts = [*approved["prompt"], *approved["response"],
             *(t["text"] for c in approved["context"] for t in c)]
    assert not any(re.search(r"\bnoon\b", t, re.I) for t in texts)
    meta = metadata_of(scenario["runs"]["pairs approved"], "therapeutic_pairs")
    assert meta["pii_counts"].get("PERSON", 0) >= 2  # the prompt and the next pair's context
    assert meta["withheld_by_reason"] == {} and meta["approved_crisis_pairs"] == 2
    session = scenario["videos"]["session.flac"]
    before = int((scenario["pairs_held"]["video_id"] == session).sum())
    assert meta["pairs"] == int((approved["video_id"] == session).sum()) == before + 2


def test_pairs_carry_provenance_embeddings_and_the_datasets_split(scenario):
    pairs = scenario["pairs_with_splits"]
    session = pairs[pairs["video_id"] == scenario["videos"]["session.flac"]]
    assert session["asr_model"].notna().all() and session["diarizer"].eq("resemblyzer").all()
    assert session["scorer"].eq("offline").all()
    assert session["pipeline_version"].str.len().gt(0).all()
    assert session["deep_link"].notna().all()
    assert all(len(e) == 384 for e in session["embedding"])
    kept = scenario["dataset_held"].set_index("pair_id")["split"]
    assert session["split"].notna().all()
    assert (session.set_index("pair_id")["split"] == kept.reindex(session["pair_id"])).all()
    assert scenario["pairs_held"]["split"].isna().all()  # before the first dataset


def test_tables_are_queryable_by_name(scenario):
    counts = scenario["query"]
    assert counts["therapeutic_pairs"] == len(scenario["pairs_approved"])
    assert counts["dataset_pairs"] == len(scenario["dataset_approved"])
    assert counts["dropped_pairs"] == int((~scenario["dataset_approved"]["kept"]).sum())


def test_missing_exchanges_fail_and_are_recorded(scenario):
    assert not scenario["runs"]["missing input"].success
    one_voice = scenario["videos"]["one_voice.flac"]
    rows = scenario["failures"]
    rows = rows[(rows.video_id == one_voice) & (rows.asset == "therapeutic_pairs")]
    assert len(rows) == 1 and rows["error_type"].iloc[0] == "missing_input"
    message = rows["message"].iloc[0]
    assert one_voice in message and "exchanges" in message and "materialise" in message


# --------------------------------------------------------------------------- training_dataset
def test_dataset_waits_for_a_tick_then_is_requested_once(scenario):
    evals = scenario["evals"]
    assert requested(evals["pairs landed, before the tick"], "training_dataset") == set()
    assert requested(evals["after the tick"], "training_dataset") == {None}
    assert requested(evals["after the dataset"], "training_dataset") == set()
    assert requested(evals["start"], "dataset_export") == set()


def test_changed_pairs_request_the_dataset_at_the_next_tick(scenario):
    evals = scenario["evals"]
    assert requested(evals["approved, before the tick"], "training_dataset") == set()
    assert requested(evals["approved, after the tick"], "training_dataset") == {None}


def test_dataset_lists_every_candidate_and_keeps_splits(scenario):
    held, approved = scenario["dataset_held"], scenario["dataset_approved"]
    assert set(held["pair_id"]) == set(scenario["pairs_held"]["pair_id"])
    assert set(approved["pair_id"]) == set(scenario["pairs_approved"]["pair_id"])
    assert held["kept"].all() and set(held["split"]) <= {"train", "validation", "test"}
    # Earlier pairs keep their split when the approved ones arrive.
    before = held.set_index("pair_id")["split"]
    after = approved.set_index("pair_id")["split"].reindex(before.index)
    assert (before == after).all()
    meta = metadata_of(scenario["runs"]["dataset approved"], "training_dataset")
    assert meta["splits_changed"] == 0 and meta["leaking_speakers"] == []
    assert meta["candidates"] == len(approved) and meta["videos"] == 2
    assert sum(meta["split_counts"].values()) == meta["kept"]
    assert {"dedup", "distribution_before", "distribution_after"} <= set(meta)
    # The last build's figures are stored for the export's dataset card.
    last = metadata_of(scenario["runs"]["dataset left behind"], "training_dataset")
    stored = json.loads(scenario["storage"].path("datasets", "training_dataset.json").read_text())
    assert stored["split_counts"] == last["split_counts"] and stored["kept"] == last["kept"]
    # Two speaker groups (one per video) and splits train 0.5 / validation 0.5: one each.
    assert set(approved["split"]) == {"train", "validation"}
    # No speaker group in two splits.
    groups = approved.groupby("split_group")["split"].nunique()
    assert (groups == 1).all()


def test_a_stopped_video_leaves_the_dataset_at_the_next_tick(scenario):
    session = scenario["videos"]["session.flac"]
    assert scenario["runs"]["stop"].get_asset_check_evaluations()[0].passed is False
    assert session in scenario["passing_before_stop"]
    assert session not in scenario["passing_after_stop"]
    evals = scenario["evals"]
    assert requested(evals["stopped, before the tick"], "training_dataset") == set()
    assert requested(evals["stopped, after the tick"], "training_dataset") == {None}
    stopped = scenario["dataset_stopped"]
    assert session in set(scenario["dataset_approved"]["video_id"])
    assert session not in set(stopped["video_id"]) and len(stopped) > 0
    # Rows left behind by an earlier run are not read either: video_status decides.
    left = scenario["dataset_left_behind"]
    assert session not in set(left["video_id"])
    meta = metadata_of(scenario["runs"]["dataset left behind"], "training_dataset")
    assert meta["videos_left_out"] == session


def test_dataset_metadata_shows_dedup_and_distributions(scenario):
    meta = metadata_of(scenario["runs"]["dataset"], "training_dataset")
    assert meta["dedup"]["candidates"] == meta["candidates"] == len(scenario["pairs_held"])
    assert meta["distribution_before"]["video"]["groups"] == 2
    assert isinstance(meta["dropped_preview"], str)
    assert pd.Series(meta["split_shares"]).sum() == pytest.approx(1.0)
