"""The ``exchange_scores`` asset as the definitions compose it, on the transcribed fixtures.

The counselling ``session.flac`` (the client says everyone would be "better off without me")
and ``monologue.flac`` go through the feature, dialogue and validation assets once per module
(on a private copy of the session's ``transcribed_chain``); tests that change the warehouse
or the resources work on their own copy of that result. The LLM judge is the scripted
OpenAI-compatible server of ``judge_server.py`` on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
from judge_server import Reply, ScriptedJudgeServer, scores_json, sequence

from pixel_assets.definitions import ASSETS
from pixel_assets.jobs import per_video_job
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import StorageResource, resources_for
from pixel_assets.resources.features import EmbedderResource, FeaturesResource
from pixel_assets.resources.validation import JudgeResource, ValidationResource
from pixel_assets.validation.assets import JUDGE_FAILURE_CHECK
from pixel_assets.validation.offline import OFFLINE_RUBRIC_VERSION
from pixel_assets.validation.review import decide, list_reviews, release_mask
from pixel_assets.warehouse.query import connect
from pixel_assets.wiring import DOWNSTREAM_TABLES_KEY, tables_written

pytestmark = pytest.mark.slow

UPSTREAM = ("utterance_features", "utterance_embeddings", "speaker_profiles",
            "dialogue_turns", "exchanges")
SCORES = "exchange_scores"


def assets_named(*names: str) -> list[dg.AssetsDefinition]:
    chosen = [a for a in ASSETS if a.key.to_user_string() in names]
    assert len(chosen) == len(names), f"not in the definitions: {names}"
    return chosen


@dg.asset(partitions_def=videos_partitions, deps=[SCORES])
def after_scores() -> None:
    """Stands in for the stage after validation (pairs): must not run after a stop."""


def warehouse_resources(data: Path) -> dict:
    """Every resource with its defaults (the feature ones too), storage under ``data``."""
    return {
        "features": FeaturesResource(),
        "embedder": EmbedderResource(),
        **resources_for(),
        "storage": StorageResource(data_dir=str(data)),
    }


def metadata_of(result: dg.ExecuteInProcessResult, asset: str = SCORES) -> dict:
    return {k: getattr(v, "value", v)
            for k, v in result.asset_materializations_for_node(asset)[-1].metadata.items()}


def check_of(result: dg.ExecuteInProcessResult, name: str = JUDGE_FAILURE_CHECK):
    found = [e.event_specific_data for e in result.all_events
             if e.event_type_value == "ASSET_CHECK_EVALUATION"
             and e.event_specific_data.check_name == name]
    assert found, f"no {name} evaluation"
    return found[-1]


def materialise(data: Path, videos: dict[str, str], names: tuple[str, ...]) -> dict:
    """Materialise ``UPSTREAM`` and the scores for the ``names`` videos of ``data``."""
    resources = warehouse_resources(data)
    results = {}
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(videos_partitions.name, list(videos.values()))
        for name in names:
            results[name] = dg.materialize(
                assets_named(*UPSTREAM, SCORES), partition_key=videos[name],
                instance=instance, resources=resources,
            )
    return {"data": data, "videos": videos, "results": results,
            "storage": resources["storage"].get_storage()}


@pytest.fixture(scope="module")
def base(transcribed_chain, tmp_path_factory):
    """Features, dialogue and offline scores materialised for the session and the monologue."""
    root = tmp_path_factory.mktemp("validation_assets")
    shutil.copytree(transcribed_chain["root"] / "data", root / "data")
    return materialise(root / "data", transcribed_chain["videos"],
                       ("session.flac", "monologue.flac"))


@pytest.fixture(scope="module")
def heard_right(base, tmp_path_factory):
    """``base`` where ASR heard the disclosure as scripted ("better off without me").

    tiny.en hears "everyone would be bigger off without me" in session.flac (queued too, see
    ``test_the_disclosure_as_asr_heard_it_is_queued``); the queue and review wiring is also
    tested on the transcript as scripted.
    """
    root = tmp_path_factory.mktemp("validation_heard_right")
    shutil.copytree(base["data"], root / "data")
    storage = warehouse_resources(root / "data")["storage"].get_storage()
    video_id = base["videos"]["session.flac"]
    segments = storage.read_partition("filtered_transcripts", video_id)
    heard = segments["text"].str.contains("off without me", case=False)
    assert heard.sum() == 1, list(segments["text"])
    segments["text"] = segments["text"].str.replace(
        r"\b\w+ off without me", "better off without me", regex=True, case=False
    )
    storage.write_partition("filtered_transcripts", video_id, segments)
    return materialise(root / "data", base["videos"], ("session.flac",))


def forked(source: dict, tmp_path: Path, instance: dg.DagsterInstance) -> dict:
    """A private copy of ``source``'s warehouse, its videos registered in ``instance``."""
    shutil.copytree(source["data"], tmp_path / "data")
    resources = warehouse_resources(tmp_path / "data")
    instance.add_dynamic_partitions(videos_partitions.name, list(source["videos"].values()))
    return {"resources": resources, "instance": instance, "videos": source["videos"],
            "storage": resources["storage"].get_storage()}


@pytest.fixture
def fork(base, tmp_path, dagster_instance):
    return forked(base, tmp_path, dagster_instance)


@pytest.fixture
def fork_heard_right(heard_right, tmp_path, dagster_instance):
    return forked(heard_right, tmp_path, dagster_instance)


def query(storage, sql: str, *params) -> pd.DataFrame:
    with connect(storage) as con:
        return con.execute(sql, list(params)).df()


def crisis_ids(storage, video_id: str) -> list[str]:
    """The exchanges whose prompt or context holds the disclosure (scripted turn 3)."""
    return list(query(
        storage,
        "SELECT exchange_id FROM exchanges WHERE video_id = ? AND prompt_turn_index >= 3 "
        "ORDER BY prompt_turn_index", video_id,
    )["exchange_id"])


def test_scores_are_written_with_scorer_and_rubric_version(base):
    storage, video_id = base["storage"], base["videos"]["session.flac"]
    scores = query(storage, "SELECT s.*, e.prompt_turn_index FROM exchange_scores s JOIN "
                   "exchanges e USING (exchange_id) WHERE s.video_id = ? "
                   "ORDER BY e.prompt_turn_index", video_id)
    assert len(scores) == 3
    assert set(scores["scorer"]) == {"offline"}
    assert set(scores["rubric_version"]) == {OFFLINE_RUBRIC_VERSION}
    assert scores[["empathy", "appropriateness", "authenticity", "naturalness",
                   "overall"]].notna().all().all()
    # The scripted counsellor reflects and explores: every reply is acceptable.
    assert scores["passed"].all(), scores[["overall", "reasons"]]
    assert scores["judge_ok"].isna().all()  # no judge ran

    result = base["results"]["session.flac"]
    meta = metadata_of(result)
    assert meta["scorer"] == "offline" and meta["rubric_version"] == OFFLINE_RUBRIC_VERSION
    assert (meta["exchanges"], meta["passed"], meta["pass_rate"]) == (3, 3, 1.0)
    assert meta["reasons"] == {} and meta["judge_failure_rate"] == "n/a"
    assert check_of(result).passed  # no judge, nothing to fail

    monologue = base["videos"]["monologue.flac"]
    assert storage.read_partition(SCORES, monologue) is not None
    assert query(storage, "SELECT * FROM exchange_scores WHERE video_id = ?", monologue).empty
    assert metadata_of(base["results"]["monologue.flac"])["pass_rate"] == "n/a"


def test_the_disclosure_as_asr_heard_it_is_queued(base):
    storage, video_id = base["storage"], base["videos"]["session.flac"]
    queued = query(storage, "SELECT exchange_id FROM review_queue WHERE video_id = ?", video_id)
    # tiny.en hears "everyone would be bigger off without me": still a disclosure, still queued.
    assert len(queued) >= 1
    assert sorted(queued["exchange_id"]) == sorted(crisis_ids(storage, video_id))


def test_the_crisis_exchanges_wait_in_the_review_queue(heard_right):
    storage, video_id = heard_right["storage"], heard_right["videos"]["session.flac"]
    expected = crisis_ids(storage, video_id)
    queue = query(storage, "SELECT q.* FROM review_queue q JOIN exchanges e "
                  "USING (exchange_id) WHERE q.video_id = ? ORDER BY e.prompt_turn_index",
                  video_id)
    assert list(queue["exchange_id"]) == expected
    assert set(queue["status"]) == {"pending"}
    assert set(queue["reason"]) == {"suicidal_ideation"}
    assert "without me" in queue["matched_text"].iloc[0].lower()
    assert queue["deep_link"].notna().all()
    assert list(list_reviews(storage)["exchange_id"]) == sorted(expected)
    crisis = query(storage, "SELECT exchange_id FROM exchange_scores WHERE crisis")
    assert sorted(crisis["exchange_id"]) == sorted(expected)

    meta = metadata_of(heard_right["results"]["session.flac"])
    assert meta["crisis_count"] == 2 and meta["queued_for_review"] == 2
    dialogue = meta["dialogue"]
    assert dialogue.count("**Counsellor (") == 4 and dialogue.count("**Client (") == 3
    assert dialogue.count("> **PASS**") == 3
    assert dialogue.count("**CRISIS** (suicidal\\_ideation): pending review") == 2
    assert query(storage, "SELECT * FROM review_queue WHERE video_id = ?",
                 heard_right["videos"]["monologue.flac"]).empty


def test_judging_runs_in_the_gpu_pool_of_the_gpu_tagged_job():
    (scores,) = assets_named(SCORES)
    assert scores.op.pool == "gpu"
    assert per_video_job.tags["pixel/gpu"] == "true"
    selected = per_video_job.selection.resolve(ASSETS)
    assert {dg.AssetKey(n) for n in ("dialogue_turns", "exchanges", SCORES)} <= selected
    assert all(a.op.pool is None for a in assets_named("dialogue_turns", "exchanges"))
    # review_decisions is no per-video asset's table: neither a re-run nor a quality stop
    # touches it (the reports stage lists it as an external source, written by the CLI).
    specs = [spec for a in ASSETS for spec in a.specs if spec.partitions_def is not None]
    assert all("review_decisions" not in tables_written(s.metadata) for s in specs)
    (filtered,) = assets_named("filtered_transcripts")
    below = filtered.specs_by_key[filtered.key].metadata[DOWNSTREAM_TABLES_KEY]
    assert "review_queue" in str(below) and "review_decisions" not in str(below)


def test_an_approval_survives_rematerialising_and_a_quality_stop(fork_heard_right):
    fork = fork_heard_right
    storage, video_id = fork["storage"], fork["videos"]["session.flac"]
    first, second = crisis_ids(storage, video_id)
    decide(storage, first, "approve", note="safety plan discussed", decided_by="reviewer")

    result = dg.materialize(
        assets_named("dialogue_turns", "exchanges", SCORES), partition_key=video_id,
        instance=fork["instance"], resources=fork["resources"],
    )
    decisions = storage.read_partition("review_decisions", first)
    assert list(decisions["decision"]) == ["approve"]
    status = list_reviews(storage, status=None).set_index("exchange_id")["status"]
    assert status.to_dict() == {first: "approved", second: "pending"}
    scores = storage.read_partition(SCORES, video_id)
    released = dict(zip(scores["exchange_id"], release_mask(scores, decisions), strict=True))
    assert released[first] and not released[second]
    dialogue = metadata_of(result)["dialogue"]
    assert dialogue.count("): approved") == 1 and dialogue.count("): pending review") == 1

    # A quality stop upstream withdraws the video's queue rows, never the decisions.
    strict = {"resources": {"transcript_filter": {"config": {"min_confidence": 0.999}}}}
    stopped = dg.materialize(
        assets_named("filtered_transcripts"), partition_key=video_id,
        instance=fork["instance"], resources=fork["resources"], run_config=strict,
        raise_on_error=False,
    )
    withdrawn = metadata_of(stopped, "filtered_transcripts")["withdrawn_from_tables"]
    assert {"review_queue", SCORES, "exchanges"} <= set(withdrawn.split(", "))
    assert storage.read_partition("review_queue", video_id) is None
    assert list(storage.read_partition("review_decisions", first)["decision"]) == ["approve"]


def test_a_failing_judge_stops_the_video_at_the_blocking_check(fork):
    storage, video_id = fork["storage"], fork["videos"]["session.flac"]
    with ScriptedJudgeServer(sequence(Reply(status=500))) as server:
        resources = {
            **fork["resources"],
            "validation": ValidationResource(scorer="llm"),
            "judge": JudgeResource(base_url=server.url, model="judge-m", max_retries=1,
                                   backoff_initial_s=0.01, backoff_max_s=0.02, timeout_s=5),
        }
        result = dg.materialize(
            [*assets_named(SCORES), after_scores], partition_key=video_id,
            instance=fork["instance"], resources=resources, raise_on_error=False,
        )
        assert server.calls == 3 * 2  # each exchange tried twice, then given up
    assert not result.success
    check = check_of(result)
    assert check.passed is False
    assert check.metadata["judge_failure_rate"].value == 1.0
    assert check.metadata["max_judge_failure_rate"].value == 0.2
    assert fork["instance"].get_latest_materialization_event(after_scores.key) is None

    # The scores were still stored, each failing with judge_failed: never a silent pass.
    scores = storage.read_partition(SCORES, video_id)
    assert not scores["passed"].any()
    assert all("judge_failed" in {r["rule"] for r in reasons} for reasons in scores["reasons"])
    failure = storage.read_table("pipeline_failures").set_index("asset").loc[SCORES]
    assert failure["error_type"] == "judge_failure_rate_high"
    assert video_id in failure["message"] and "max_judge_failure_rate" in failure["message"]
    state = query(storage, "SELECT state FROM stage_status WHERE video_id = ? AND asset = ?",
                  video_id, SCORES)
    assert list(state["state"]) == ["stopped"]


def test_judge_is_called_only_when_configured_and_answers_are_cached(fork):
    storage, video_id = fork["storage"], fork["videos"]["session.flac"]
    with ScriptedJudgeServer(sequence(Reply(content=scores_json()))) as server:
        judge = JudgeResource(base_url=server.url, model="judge-m", max_retries=0)

        def run(validation: ValidationResource) -> dg.ExecuteInProcessResult:
            return dg.materialize(
                assets_named(SCORES), partition_key=video_id, instance=fork["instance"],
                resources={**fork["resources"], "validation": validation, "judge": judge},
            )

        run(ValidationResource())  # the default scorer is offline
        assert server.calls == 0
        both = run(ValidationResource(scorer="both"))
        assert server.calls == 3
        again = run(ValidationResource(scorer="both"))
        assert server.calls == 3  # every answer came from the cache under the storage root
    assert check_of(both).passed and check_of(again).passed
    scores = storage.read_partition(SCORES, video_id)
    assert set(scores["scorer"]) == {"both"} and scores["judge_cached"].all()
    assert set(scores["rubric_version"]) == {f"{OFFLINE_RUBRIC_VERSION}+exchange-v1"}
    assert metadata_of(again)["judge_failure_rate"] == 0.0
