"""Report wiring: the dbt models and ``reports`` as composed by the definitions.

One synthetic warehouse (``pixel_assets.reports.synthetic``) is built through Dagster once per
module: ``dbt_reports`` runs ``dbt build`` (dbt tests as asset checks) and publishes the marts,
``reports`` writes ``reports/index.html`` from that build (no dbt build of its own). The tests
then read what that produced, query the marts through ``pixel-voice query``, rebuild through
``pixel-voice report``, break the funnel rule on a second warehouse, and evaluate the
automation conditions on a persistent instance at chosen times.
"""

# No `from __future__ import annotations`: kept like the other asset tests (Dagster types).

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest
from dagster_dbt import DbtCliResource

from pixel_assets.cli import main
from pixel_assets.definitions import ASSETS, MULTI_ASSETS, build_definitions
from pixel_assets.reports import dbt as dbt_runner
from pixel_assets.reports.assets import REPORTS_POOL, UNOWNED_SOURCES
from pixel_assets.reports.funnel import STAGE_LABELS
from pixel_assets.reports.schemas import FUNNEL_STAGES, MARTS
from pixel_assets.reports.synthetic import SyntheticOptions, build_tables, write_warehouse
from pixel_assets.resources import resources_for
from pixel_assets.warehouse.query import connect
from pixel_assets.warehouse.storage import Storage

pytestmark = pytest.mark.slow

# Six videos from two lists: one fails to download, one fails audio QC, one is a monologue,
# one waits for crisis review, two go all the way (pixel_assets.reports.synthetic._fate).
CORPUS = SyntheticOptions(n_videos=6, n_lists=2, segments_per_video=8, seed=5)
MART_KEYS = {dg.AssetKey(spec.name) for spec in MARTS}
KEY = dg.AssetKey
NO_DOCS = {"ops": {"reports": {"config": {"dbt_docs": False}}}}
T0 = datetime(2030, 1, 7, 10, 1, tzinfo=UTC)  # ticks of */10 at 10:10, 10:20, ...


def dbt_definition() -> dg.AssetsDefinition:
    (found,) = [a for a in MULTI_ASSETS if KEY("video_funnel") in a.keys]
    return found


def asset_named(name: str) -> dg.AssetsDefinition:
    (found,) = [a for a in ASSETS if a.key == KEY(name)]
    return found


@dataclass
class Built:
    root: Path
    tables: dict[str, pd.DataFrame]
    storage: Storage
    result: dg.ExecuteInProcessResult
    our_dbt_commands: list[list[str]] = field(default_factory=list)


def record_dbt_commands(patch: pytest.MonkeyPatch) -> list[list[str]]:
    """The command of every dbt child process our code starts (dagster-dbt's are not ours)."""
    commands: list[list[str]] = []
    run_dbt = dbt_runner.run_dbt

    def counted(command: list[str], *args, **kwargs) -> dbt_runner.DbtRun:
        commands.append(list(command))
        return run_dbt(command, *args, **kwargs)

    patch.setattr(dbt_runner, "run_dbt", counted)
    return commands


def materialisations_of(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> int:
    return sum(e.asset_key == key for e in result.get_asset_materialization_events())


def page_mart_sections(index: Path) -> dict[str, int]:
    """Rows of each mart-backed part of the page (the funnel rows come from stage_yield)."""
    html = index.read_text()
    return {
        "stage_yield": len(re.findall(r"<tr data-stage=", html)),
        **{part: html.count(f'<table id="{part}">')
           for part in ("stopped", "rejection-reasons", "pair-splits", "failures")},
    }


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A storage root holding the synthetic warehouse, named by PIXEL_DATA_DIR."""
    root = tmp_path_factory.mktemp("reports_root")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIXEL_DATA_DIR", str(root))
        patch.setenv("PIXEL_ENV", "local")
        patch.setenv("DAGSTER_HOME", str(tmp_path_factory.mktemp("dagster_home")))
        yield root


@pytest.fixture(scope="module")
def built(env: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    resources = resources_for()
    storage = resources["storage"].get_storage()
    tables = build_tables(CORPUS)
    write_warehouse(storage, tables)
    with (dg.instance_for_test(temp_dir=str(tmp_path_factory.mktemp("instance"))) as instance,
          pytest.MonkeyPatch.context() as patch):
        commands = record_dbt_commands(patch)
        # No dbt docs site here: the reports conftest builds one (test_index_page follows it).
        result = dg.materialize([dbt_definition(), asset_named("reports")], instance=instance,
                                resources=resources, raise_on_error=False, run_config=NO_DOCS)
    return Built(env, tables, storage, result, commands)


def test_dbt_models_are_assets_downstream_of_the_python_assets(env: Path) -> None:
    defs = build_definitions()
    graph = defs.resolve_asset_graph()
    every_key = set(graph.get_all_asset_keys())

    def parents(name: str | list[str]) -> set[dg.AssetKey]:
        return set(graph.get(KEY(name)).parent_keys)

    assert KEY("therapeutic_pairs") in parents("stg_therapeutic_pairs")
    assert KEY("training_dataset") in parents("stg_dataset_pairs")
    assert KEY("raw_audio") in parents("stg_videos")
    assert KEY("filtered_transcripts") in parents("stg_filtered_transcripts")
    assert KEY("stg_therapeutic_pairs") in parents("pair_quality")
    assert MART_KEYS | {KEY("drift_report")} == parents("reports")
    # Sources no asset writes are declared (external, not materialisable): no dangling edge.
    assert KEY(["warehouse", "pipeline_failures"]) in parents("stg_pipeline_failures")
    for table in UNOWNED_SOURCES:
        node = graph.get(KEY(["warehouse", table]))
        assert not node.is_materializable
    dangling = {p for k in every_key for p in graph.get(k).parent_keys} - every_key
    assert not dangling
    dbt_keys = set(dbt_definition().keys)
    assert {graph.get(k).group_name for k in dbt_keys | {KEY("reports")}} == {"reports"}
    assert all(graph.get(k).automation_condition is not None for k in dbt_keys)
    assert dbt_definition().node_def.pool == asset_named("reports").node_def.pool == REPORTS_POOL
    # dbt tests are checks of the composed definitions; the custom funnel test among them.
    checks = {c.name for c in dbt_definition().check_specs}
    assert any(name.startswith("funnel_never_grows") for name in checks)
    # The dbt resource follows PIXEL_ENV.
    assert isinstance(defs.resources["dbt"], DbtCliResource)
    assert defs.resources["dbt"].target == "local"


def test_materialising_runs_dbt_build_and_writes_the_page(built: Built) -> None:
    result = built.result
    assert result.success
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    assert MART_KEYS | {KEY("stg_therapeutic_pairs"), KEY("reports")} <= materialised
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    funnel = [name for name in checks if name.startswith("funnel_never_grows")]
    assert funnel and all(checks[name] for name in funnel)
    assert "unique_video_funnel_video_id" in checks and all(checks.values()), checks
    assert checks["dbt_tests_pass"]
    # One dbt build: dagster-dbt's (each model materialised once); `reports` started none.
    assert all(materialisations_of(result, key) == 1
               for key in MART_KEYS | {KEY("stg_therapeutic_pairs")})
    assert built.our_dbt_commands == []
    # dbt's DuckDB file is the root's own; the page and its parts are under reports/.
    with duckdb.connect(str(built.root / "dbt" / "pixel_reports_local.duckdb"),
                        read_only=True) as con:
        n_funnel = con.execute("SELECT count(*) FROM video_funnel").fetchone()[0]
    assert n_funnel == len(built.tables["video_sources"])
    index = built.root / "reports" / "index.html"
    assert 'id="funnel-chart"' in index.read_text()
    assert page_mart_sections(index) == {"stage_yield": len(FUNNEL_STAGES), "stopped": 1,
                                         "rejection-reasons": 1, "pair-splits": 1,
                                         "failures": 1}
    assert (built.root / "reports" / "quality" / "therapeutic_pairs.html").is_file()


def test_report_metadata_carries_the_funnel_as_table_and_png(built: Built) -> None:
    (event,) = [e for e in built.result.get_asset_materialization_events()
                if e.asset_key == KEY("reports")]
    meta = event.materialization.metadata
    assert Path(meta["index"].value) == built.root / "reports" / "index.html"
    records = meta["funnel"].value.records
    assert [r.data["stage"] for r in records] == [STAGE_LABELS[s] for s in FUNNEL_STAGES]
    # Downloaded: the videos the warehouse has; every later stage at most the one before.
    assert records[0].data["videos"] == built.tables["videos"]["video_id"].nunique()
    minutes = [r.data["minutes"] for r in records]
    assert minutes[0] > 0
    assert all(b <= a + 1e-6 for a, b in zip(minutes[:-1], minutes[1:], strict=True))
    assert "data:image/png;base64," in meta["funnel_chart"].value
    assert "Exported pairs" in meta["funnel_text"].value
    assert meta["mart_rows"].value["video_funnel"] == len(built.tables["video_sources"])


def test_marts_are_queryable_by_name(built: Built, capsys: pytest.CaptureFixture) -> None:
    con = connect(built.storage)
    n_rows, n_videos = con.execute(
        "SELECT count(*), count(DISTINCT video_id) FROM video_funnel"
    ).fetchone()
    expected = sorted(built.tables["video_sources"]["video_id"])
    assert n_rows == n_videos == len(expected)

    capsys.readouterr()
    code = main(["query", "SELECT video_id, stopped_at FROM video_funnel ORDER BY video_id",
                 "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert code == 0
    assert [r["video_id"] for r in rows] == expected
    # Videos that stop early say where (the synthetic corpus has a download failure).
    assert "downloaded" in {r["stopped_at"] for r in rows}


def test_pixel_voice_report_builds_everything(
    built: Built, capsys: pytest.CaptureFixture
) -> None:
    index = built.root / "reports" / "index.html"
    index.unlink()
    for spec in MARTS:
        built.storage.delete_partition(spec.name, "all")
    capsys.readouterr()

    code = main(["report", "--no-docs", "--max-rows", "2000"])

    out = capsys.readouterr().out
    assert code == 0, out
    assert index.is_file()
    lines = out.splitlines()
    downloaded = next(line for line in lines if line.startswith("Downloaded"))
    assert int(downloaded.split()[1]) == built.tables["videos"]["video_id"].nunique()
    assert any(line.startswith("Exported pairs") for line in lines)
    assert f"Report page: {index}" in out
    con = connect(built.storage)
    assert con.execute("SELECT count(*) FROM video_funnel").fetchone()[0] == len(
        built.tables["video_sources"])


def test_reports_without_a_dbt_build_names_the_fix(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIXEL_DATA_DIR", str(tmp_path / "never_built"))
    commands = record_dbt_commands(monkeypatch)

    result = dg.materialize([asset_named("reports")], resources=resources_for(),
                            raise_on_error=False, run_config=NO_DOCS)

    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.step_failure_data.error.message
    assert "No dbt build" in message and "materialise the dbt_reports assets first" in message
    assert commands == []


def test_a_failing_dbt_test_fails_the_step_and_shows_on_the_page(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "grown"
    monkeypatch.setenv("PIXEL_DATA_DIR", str(root))
    tables = build_tables(SyntheticOptions(n_videos=3, n_lists=1, segments_per_video=6, seed=8))
    # Transcribed speech longer than the segments it came from: the funnel grows.
    video = tables["transcript_segments"]["video_id"].iloc[0]
    grown = tables["transcript_segments"].copy()
    grown.loc[grown["video_id"] == video, "end_s"] += 120.0
    tables["transcript_segments"] = grown
    resources = resources_for()
    write_warehouse(resources["storage"].get_storage(), tables)
    commands = record_dbt_commands(monkeypatch)

    result = dg.materialize([dbt_definition(), asset_named("reports")], resources=resources,
                            raise_on_error=False, run_config=NO_DOCS)

    assert not result.success
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    failing = [n for n, ok in checks.items() if not ok and n.startswith("funnel_never_grows")]
    assert failing
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.step_failure_data.error.message
    assert "funnel_never_grows" in message and str(root) in message
    # The marts are not published from a failed build, and the page waits for its parent.
    assert not (root / "warehouse" / "video_funnel").exists()
    assert materialisations_of(result, KEY("reports")) == 0
    # Only the models the failing test skipped were built again (stage_yield reads the
    # funnel), by the dbt_reports step, so that the page has every mart.
    assert commands == [["run", "--select", "stage_yield"]]

    # The page, materialised after the failed build, lists the failure from that build.
    page = dg.materialize([asset_named("reports")], resources=resources,
                          raise_on_error=False, run_config=NO_DOCS)

    assert page.success
    assert commands == [["run", "--select", "stage_yield"]]  # no dbt build or run of its own
    (check,) = page.get_asset_check_evaluations()
    assert check.check_name == "dbt_tests_pass" and not check.passed
    listed = check.metadata["failures"].value
    assert [line.split(":")[0].split(".")[2] for line in listed] == failing
    index = root / "reports" / "index.html"
    html = index.read_text()
    assert 'id="dbt-failures"' in html and failing[0] in html
    assert page_mart_sections(index) == {"stage_yield": len(FUNNEL_STAGES), "stopped": 1,
                                         "rejection-reasons": 1, "pair-splits": 1,
                                         "failures": 1}
    (event,) = page.get_asset_materialization_events()
    assert set(event.materialization.metadata["mart_rows"].value) == {s.name for s in MARTS}


def test_pairs_or_dataset_updates_request_the_dbt_models_once_per_tick(
    env: Path, tmp_path: Path
) -> None:
    defs = build_definitions()
    selection = dg.AssetSelection.groups("reports")
    dbt_keys = set(dbt_definition().keys)
    run_order = defs.resolve_asset_graph().toposorted_asset_keys
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        instance.add_dynamic_partitions("videos", ["vid_a", "vid_b", "vid_c"])
        results: list[dg.EvaluateAutomationConditionsResult] = []

        def requested_at(minutes: float) -> set[dg.AssetKey]:
            result = dg.evaluate_automation_conditions(
                defs=defs, instance=instance, asset_selection=selection,
                evaluation_time=T0 + timedelta(minutes=minutes),
                cursor=results[-1].cursor if results else None)
            results.append(result)
            return {k for k in dbt_keys | {KEY("reports")} if result.get_num_requested(k)}

        def materialise(keys) -> None:
            # In the order a run materialises them: parents first.
            for key in [k for k in run_order if k in set(keys)]:
                instance.report_runless_asset_event(dg.AssetMaterialization(key))

        def pairs_land(video: str) -> None:
            instance.report_runless_asset_event(
                dg.AssetMaterialization("therapeutic_pairs", partition=video))

        requested_at(0)
        materialise([*dbt_keys, KEY("reports")])
        assert requested_at(1) == set()

        # Pairs of two videos land before the tick: nothing yet, then one refresh at the tick
        # of the models that read the pairs and everything below them, the page included.
        pairs_land("vid_a")
        assert requested_at(2) == set()
        pairs_land("vid_b")
        assert requested_at(5) == set()
        wanted = requested_at(10)
        assert {KEY("stg_therapeutic_pairs"), KEY("pair_quality"), KEY("video_funnel"),
                KEY("stage_yield"), KEY("reports")} <= wanted
        assert KEY("stg_words") not in wanted  # only what reads the pairs
        materialise(wanted)
        assert requested_at(11) == set()

        # A third video's pairs right after: they wait for the next tick (10:20).
        pairs_land("vid_c")
        assert requested_at(12) == set()
        assert KEY("stg_therapeutic_pairs") in requested_at(20)
        materialise(wanted)

        # After a quiet spell (a tick passed since their last refresh) a change refreshes the
        # models that read it at once.
        materialise([KEY("training_dataset")])
        after_dataset = requested_at(31)
        assert {KEY("stg_dataset_pairs"), KEY("reports")} <= after_dataset
        assert KEY("stg_therapeutic_pairs") not in after_dataset
