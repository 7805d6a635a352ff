"""The dbt project on warehouses written by the tests: it builds, its marts are right, its
custom funnel test catches a funnel that grows, and its sources follow the table catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from pixel_assets import catalog
from pixel_assets.reports import dbt as dbt_runner
from pixel_assets.reports.schemas import FUNNEL_STAGES, MARTS
from pixel_assets.reports.synthetic import SyntheticOptions, build_tables, write_warehouse
from pixel_assets.warehouse.query import connect, run_query
from pixel_assets.warehouse.storage import Storage

from .conftest import BuiltReports

pytestmark = pytest.mark.slow


def test_dbt_build_passes_on_a_fixture_warehouse(built: BuiltReports) -> None:
    results = {r.unique_id: r.status for r in built.result.dbt_results}
    assert built.result.dbt_failures == []
    for spec in MARTS:
        assert results[f"model.pixel_reports.{spec.name}"] == "success"
    funnel_tests = [k for k in results if k.startswith("test.pixel_reports.funnel_never_grows")]
    assert len(funnel_tests) == 2 and all(results[k] == "pass" for k in funnel_tests)
    # The generic tests ran too (unique, not_null, relationships, accepted_values).
    kinds = {k.split(".")[2].split("_")[0] for k in results if k.startswith("test.")}
    assert {"unique", "not", "relationships", "accepted"} <= kinds


def test_video_funnel_counts_what_the_tables_hold(built: BuiltReports) -> None:
    funnel = built.result.marts["video_funnel"].set_index("video_id")
    t = built.tables
    assert set(funnel.index) == set(t["video_sources"]["video_id"])

    kept = t["filtered_transcripts"].assign(m=lambda f: (f.end_s - f.start_s) / 60)
    expected_minutes = kept.groupby("video_id")["m"].sum()
    pd.testing.assert_series_equal(
        funnel.loc[expected_minutes.index, "minutes_kept_after_filtering"],
        expected_minutes, check_names=False,
    )
    pairs = t["therapeutic_pairs"].groupby("video_id").size()
    assert (funnel.loc[pairs.index, "n_exported_pairs"] == pairs).all()
    downloaded = t["videos"].set_index("video_id")["duration_s"] / 60
    assert funnel.loc[downloaded.index, "minutes_downloaded"].round(6).equals(downloaded.round(6))

    failed = t["pipeline_failures"]["video_id"]
    assert (funnel.loc[failed, "stopped_at"] == "downloaded").all()
    assert funnel.loc[failed, "stop_reason"].str.contains("DownloadError").all()
    qc_failed = t["audio_qc"].loc[~t["audio_qc"]["passed"], "video_id"]
    assert (funnel.loc[qc_failed, "stopped_at"] == "qc_passed").all()
    assert funnel.loc[qc_failed, "stop_reason"].str.contains("snr_db").all()
    monologue = t["dialogue_turns"].loc[t["dialogue_turns"]["role"] == "other", "video_id"]
    assert (funnel.loc[monologue.unique(), "stopped_at"] == "exchanges").all()
    in_review = t["review_queue"]["video_id"]
    assert (funnel.loc[in_review, "n_in_review"] == 1).all()
    complete = funnel[funnel["n_exported_pairs"] > 0]
    assert complete["stopped_at"].isna().all()

    corpus = built.result.marts["stage_yield"].query("scope == 'corpus'").set_index("stage")
    assert list(corpus.sort_values("stage_order").index) == list(FUNNEL_STAGES)
    assert corpus.loc["downloaded", "minutes"] == pytest.approx(downloaded.sum())
    assert corpus.loc["exported_pairs", "n_rows"] == len(t["therapeutic_pairs"])
    per_list = built.result.marts["stage_yield"].query("scope == 'list' and stage == 'downloaded'")
    assert per_list["minutes"].sum() == pytest.approx(downloaded.sum())


def test_speaker_pair_failure_and_reason_marts(built: BuiltReports) -> None:
    marts, t = built.result.marts, built.tables
    speakers = marts["speaker_summary"].set_index("global_speaker_id")
    links = t["speaker_links"]
    per_speaker = links.groupby("global_speaker_id")["video_id"].nunique()
    assert speakers.loc[per_speaker.index, "n_videos"].tolist() == per_speaker.tolist()
    counsellors = speakers[speakers["main_role"] == "counsellor"]
    assert len(counsellors) and (counsellors["n_videos"] > 1).any()
    flagged = t["speaker_consistency"].groupby("global_speaker_id")["flagged"].any()
    assert speakers.loc[flagged.index, "consistency_flag"].tolist() == flagged.tolist()

    quality = marts["pair_quality"]
    kept = t["dataset_pairs"][t["dataset_pairs"]["kept"]]
    overall = quality.query("dimension == 'all' and metric == 'overall'").iloc[0]
    assert overall["n_pairs"] == len(kept)
    by_split = quality.query("dimension == 'split' and metric == 'overall'")
    assert dict(zip(by_split.group_value, by_split.n_pairs, strict=True)) == (
        kept.groupby("split").size().to_dict()
    )

    failures = marts["failures_summary"].set_index("failure_group")
    assert failures.loc["raw_audio:DownloadError", "n_videos"] == len(t["pipeline_failures"])

    reasons = marts["rejection_reasons"].set_index("reason_id")
    assert reasons.loc["segments:min_dnsmos_ovrl", "n_rows"] == len(t["rejected_segments"])
    assert reasons.loc["filtered_transcripts:min_confidence", "n_rows"] == len(
        t["rejected_transcripts"]
    )
    assert reasons.loc["training_dataset:max_similarity", "n_rows"] == len(t["dropped_pairs"])


def test_marts_are_queryable_by_name(built: BuiltReports) -> None:
    con = connect(built.storage)
    result = run_query(con, "SELECT count(*), count(DISTINCT video_id) FROM video_funnel")
    assert result.rows[0] == (len(built.result.marts["video_funnel"]),) * 2
    for spec in MARTS:
        assert run_query(con, f"SELECT count(*) FROM {spec.name}").rows[0][0] == len(
            built.result.marts[spec.name]
        )


def _corpus(tmp_path: Path, n_videos: int = 5) -> tuple[Storage, dict[str, pd.DataFrame]]:
    storage = Storage(str(tmp_path / "root"))
    tables = build_tables(SyntheticOptions(n_videos=n_videos, segments_per_video=8, seed=1))
    return storage, tables


def test_a_funnel_that_grows_fails_the_custom_test(tmp_path: Path) -> None:
    storage, tables = _corpus(tmp_path)
    # A transcriber that invents speech: one video's transcript runs past its kept segments.
    video = tables["therapeutic_pairs"]["video_id"].iloc[0]
    grown = tables["transcript_segments"].copy()
    mine = grown["video_id"] == video
    grown.loc[mine, "end_s"] = grown.loc[mine, "end_s"] + 120.0
    tables["transcript_segments"] = grown
    write_warehouse(storage, tables)

    options = dbt_runner.DbtOptions(data_dir=storage.root, target_path=str(tmp_path / "t"))
    run = dbt_runner.build(options, check=False)

    assert not run.ok
    failed = run.failed()
    assert [r.unique_id.split(".")[2] for r in failed] == [
        next(r.unique_id for r in failed).split(".")[2]
    ]
    assert failed[0].unique_id.startswith("test.pixel_reports.funnel_never_grows_video_funnel_")
    assert "minutes" in failed[0].unique_id and failed[0].failures == 1
    # dbt build skipped the mart below the failing test; the report builds it alone.
    assert dbt_runner.skipped_models(run.results) == ["stage_yield"]
    completed = dbt_runner.run_skipped_models(options, run.results)
    assert completed is not None and completed.ok
    assert [r.unique_id for r in completed.results] == ["model.pixel_reports.stage_yield"]
    assert not dbt_runner.read_marts(options)["stage_yield"].empty
    # What `check=True` raises (not built a second time to see it raised).
    message = dbt_runner.describe_failure(run, options)
    assert failed[0].unique_id in message and str(options.resolved_target_path) in message


def test_recorded_build_results_keep_the_nodes_a_partial_build_left_alone(
    tmp_path: Path,
) -> None:
    options = dbt_runner.DbtOptions(data_dir=str(tmp_path / "root"),
                                    target_path=str(tmp_path / "t"))
    node = dbt_runner.DbtNodeResult
    assert dbt_runner.load_build_results(options) is None  # never built
    options.resolved_duckdb_path.parent.mkdir(parents=True)
    options.resolved_duckdb_path.touch()
    dbt_runner.record_build_results(options, [
        node("model.p.video_funnel", "success", "OK", None),
        node("test.p.funnel_never_grows", "fail", "Got 1 result", 1),
        node("test.p.removed_test", "fail", "Got 2 results", 2),
    ], built_by="full build")

    # Automation rebuilds the models below the pairs only; the funnel test did not run.
    dbt_runner.record_build_results(
        options, [node("model.p.pair_quality", "success", "OK", None)], built_by="subset",
        keep_earlier={"model.p.video_funnel", "model.p.pair_quality",
                      "test.p.funnel_never_grows"},
    )
    run = dbt_runner.load_build_results(options)

    assert run is not None and not run.ok
    assert {r.unique_id: r.status for r in run.results} == {
        "model.p.pair_quality": "success", "model.p.video_funnel": "success",
        "test.p.funnel_never_grows": "fail",  # still the DuckDB file's last result
    }  # the test no longer in the project is gone
    assert [r.unique_id for r in run.failed()] == ["test.p.funnel_never_grows"]
    assert run.model_errors() == []


def test_an_empty_warehouse_builds(tmp_path: Path) -> None:
    options = dbt_runner.DbtOptions(
        data_dir=str(tmp_path / "empty"), target_path=str(tmp_path / "t")
    )
    run = dbt_runner.build(options)
    assert run.ok and run.results
    marts = dbt_runner.read_marts(options)
    assert all(frame.empty for frame in marts.values())
    # Staging keeps the declared columns and types even with no files.
    assert list(marts["video_funnel"].columns)[:2] == ["video_id", "list_file"]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """``dbt parse``'s manifest (what dagster-dbt loads), made without a warehouse."""
    root = tmp_path_factory.mktemp("parse")
    options = dbt_runner.DbtOptions(data_dir=str(root), target_path=str(root / "t"))
    return json.loads(dbt_runner.parse(options).read_text())


def test_sources_map_to_the_assets_that_write_them(manifest: dict) -> None:
    sources = {s["name"]: s for s in manifest["sources"].values()}

    def asset_key(table: str) -> list[str] | None:
        meta = sources[table].get("meta") or sources[table]["config"].get("meta") or {}
        return meta.get("dagster", {}).get("asset_key")

    expected = {
        "videos": ["raw_audio"], "audio_qc": ["audio_qc"], "speech_regions": ["audio_qc"],
        "segments": ["segments"], "rejected_segments": ["segments"],
        "transcript_segments": ["transcripts"], "words": ["transcripts"],
        "speaker_turns": ["transcripts"], "speakers": ["transcripts"],
        "filtered_transcripts": ["filtered_transcripts"],
        "rejected_transcripts": ["filtered_transcripts"],
        "utterance_features": ["utterance_features"], "exchange_scores": ["exchange_scores"],
        "therapeutic_pairs": ["therapeutic_pairs"], "dataset_pairs": ["training_dataset"],
        "pipeline_failures": None, "stage_status": None,
    }
    assert {t: asset_key(t) for t in expected} == expected


def test_sources_cover_the_catalogue_with_its_column_names(manifest: dict) -> None:
    """Every declared warehouse table is a source, and every column a source reads is one its
    stage declares (a renamed column would otherwise read as silent nulls)."""
    sources = {s["name"]: s for s in manifest["sources"].values()}
    declared = dict(catalog.TABLES)
    for module in ("features", "analysis", "dialogue", "validation", "pairs"):
        try:
            stage = __import__(f"pixel_assets.{module}.schemas", fromlist=["TABLES"])
        except ImportError:
            continue  # that stage has not landed yet
        declared.update({spec.name: spec for spec in stage.TABLES})
    marts = {spec.name for spec in MARTS}
    missing = sorted(set(declared) - set(sources) - marts)
    assert missing == [], f"tables with no dbt source: {missing}"
    unknown = {
        name: sorted(set(source["columns"]) - set(declared[name].columns))
        for name, source in sources.items()
        if name in declared and set(source["columns"]) - set(declared[name].columns)
    }
    assert unknown == {}, f"sources reading columns their tables do not declare: {unknown}"


def test_funnel_stages_are_the_dbt_projects() -> None:
    project = yaml.safe_load((dbt_runner.DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    assert tuple(project["vars"]["funnel_stages"]) == FUNNEL_STAGES


def test_mart_declarations_match_the_dbt_models() -> None:
    marts = yaml.safe_load(
        (dbt_runner.DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text()
    )
    documented = {m["name"]: [c["name"] for c in m["columns"]] for m in marts["models"]}
    for spec in MARTS:
        assert documented[spec.name] == [c for c in spec.columns if c != "corpus"], spec.name


def test_the_report_counts_releases_by_the_rule_the_export_uses(tmp_path: Path) -> None:
    """``int_exchange_status.cleared_review`` (dbt) agrees with ``release_mask`` (what the pairs
    and the export release) on every case of the release rule's table."""
    from pixel_assets.validation.review import release_mask
    from pixel_assets_tests.validation.test_review import OTHER, RELEASE_CASES

    storage = Storage(str(tmp_path / "root"))
    tables = build_tables(SyntheticOptions(n_videos=12, segments_per_video=16, seed=3))
    exchanges = tables["exchanges"].head(len(RELEASE_CASES)).copy()
    assert len(exchanges) == len(RELEASE_CASES), "the synthetic corpus needs more exchanges"
    ids = [f"case{i:02d}" for i in range(len(RELEASE_CASES))]
    exchanges["exchange_id"] = ids
    scores = tables["exchange_scores"].head(len(RELEASE_CASES)).copy()
    scores["exchange_id"] = ids
    scores["video_id"] = exchanges["video_id"].to_numpy()
    scores["crisis"] = pd.Series([c[2] for c in RELEASE_CASES], dtype="boolean").to_numpy()
    scores["passed"] = pd.Series([c[3] for c in RELEASE_CASES], dtype="boolean").to_numpy()
    # Written as files, as a hand-edited table would be: odd values stay as they are.
    decisions = pd.DataFrame(
        [{"exchange_id": ids[i] if who == "x" else f"{OTHER}{i}", "decision": decision,
          "note": None, "decided_at": at, "decided_by": "dr_a"}
         for i, case in enumerate(RELEASE_CASES) for who, decision, at in case[1]],
        columns=["exchange_id", "decision", "note", "decided_at", "decided_by"],
    )
    decisions["decided_at"] = pd.to_datetime(decisions["decided_at"], utc=True)
    tables.update(exchanges=exchanges, exchange_scores=scores, review_decisions=decisions,
                  review_queue=tables["review_queue"].head(0))
    write_warehouse(storage, tables)
    options = dbt_runner.DbtOptions(data_dir=storage.root, target_path=str(tmp_path / "t"))
    dbt_runner.run_dbt(["run", "--select", "+int_exchange_status"], options)

    with duckdb.connect(str(options.resolved_duckdb_path), read_only=True) as con:
        sql = con.execute("SELECT exchange_id, cleared_review FROM main.int_exchange_status"
                          " ORDER BY exchange_id").df().set_index("exchange_id")
    python = release_mask(scores.reset_index(drop=True), decisions).set_axis(ids)
    expected = dict(zip(ids, [c[4] for c in RELEASE_CASES], strict=True))
    assert python.to_dict() == expected  # the table's own answers
    disagree = {RELEASE_CASES[ids.index(i)][0] for i in ids
                if bool(sql.loc[i, "cleared_review"]) != expected[i]}
    assert not disagree, disagree
