"""Report assets: the dbt models of ``dbt_reports/`` and ``reports``, the page people open.

- ``dbt_reports`` (one multi-asset, one asset per dbt model, group ``reports``): runs
  ``dbt build`` through dagster-dbt, so every model is an asset downstream of the Python assets
  that write its sources and every dbt test is an asset check; then publishes the marts to
  ``warehouse/<mart>/corpus=all/part.parquet`` (``pixel-voice query "SELECT * FROM
  video_funnel"``), and records the build's test results for ``reports``.
- ``reports``: the evidently quality summaries, the dbt docs site, the funnel PNG and
  ``reports/index.html`` under the storage root (``pixel_assets.reports.build``), from the
  marts and test results of that build (no second ``dbt build``); its metadata carries the
  funnel as a table, as text and as a PNG.
- Automation (:func:`reports_refresh_condition`): debounced like the corpus models, so a list
  of videos finishing one by one refreshes the models and the page at most once per tick of
  ``REFRESH_CRON``, not after every per-video update.
- ``WAREHOUSE_SOURCES``: tables no asset writes (the list sensor, the failure records every
  step writes, review decisions, the model registry) as external assets ``warehouse/<table>``,
  so every edge of the dbt sources ends at a declared asset.

Both run in the ``dbt_reports`` pool (one at a time: they share one DuckDB file). dbt runs as a
child process in ``dbt_reports/``; :func:`report_dbt_options` says where it reads (the storage
root, made absolute) and writes (``<root>/dbt/`` for a local root).
"""

# No `from __future__ import annotations`: Dagster reads the context and resource types of the
# asset bodies from their (evaluated) annotations.
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, dbt_assets

from pixel_assets.reports import dbt as dbt_runner
from pixel_assets.reports.build import ReportOptions, ReportResult, build_reports
from pixel_assets.reports.funnel import FunnelStep
from pixel_assets.reports.quality import QualityOptions
from pixel_assets.reports.schemas import MARTS
from pixel_assets.resources import StorageResource
from pixel_assets.resources.reports import (
    REPORTS_GROUP,
    ReportsDbtTranslator,
    reports_dbt_project,
    reports_refresh_condition,
)
from pixel_assets.settings import load_settings
from pixel_assets.wiring import png_markdown, stage_code_version, writes_tables

# dbt_reports and reports share the DuckDB file of a storage root: one at a time.
REPORTS_POOL = "dbt_reports"
# Sources of the dbt project that no asset writes (dagster-dbt names them warehouse/<table>).
UNOWNED_SOURCES: dict[str, str] = {
    "video_sources": "Every accepted video-list line (written by the video list sensor).",
    "ingest_rejections": "Video-list lines that could not be read (the video list sensor).",
    "pipeline_failures": "The open failure of each (video, asset), written by every step.",
    "stage_status": "Latest state of each (video, stage), written by every step.",
    "review_decisions": "Crisis review decisions (`pixel-voice review approve/reject`).",
    "analysis_models": "Registry of the fitted corpus models (cluster_model, outlier_model).",
}

WAREHOUSE_SOURCES: list[dg.AssetsDefinition] = [
    dg.AssetsDefinition(specs=[dg.AssetSpec(
        ["warehouse", table], description=description, group_name="warehouse",
        kinds={"parquet"}, metadata=writes_tables(table),
    )])
    for table, description in UNOWNED_SOURCES.items()
]


def report_dbt_options(storage: StorageResource, target: str) -> dbt_runner.DbtOptions:
    """Where dbt reads and writes for ``storage``'s root and ``target`` (= ``PIXEL_ENV``).

    A local root keeps dbt's DuckDB file and artifacts beside the data, in ``<root>/dbt/``, so
    two roots (two checkouts, the tests) never share one DuckDB file. For an ``s3://`` root they
    stay on this machine, in ``dbt_reports/target/root-<hash of the root>/``.
    """
    data_dir = storage.data_dir
    if "://" in data_dir and not data_dir.startswith("file://"):
        digest = hashlib.sha1(data_dir.rstrip("/").encode()).hexdigest()[:10]
        work = dbt_runner.DBT_PROJECT_DIR / "target" / f"root-{digest}"
    else:
        data_dir = str(Path(data_dir.removeprefix("file://")).expanduser().resolve())
        work = Path(data_dir) / "dbt"
    return dbt_runner.DbtOptions(
        data_dir=data_dir,
        target=target,
        duckdb_path=str(work / f"pixel_reports_{target}.duckdb"),
        target_path=str(work / "target"),
        s3_endpoint_url=storage.s3_endpoint_url,
        aws_region=storage.region_name,
    )


def _target(dbt: DbtCliResource) -> str:
    return dbt.target or load_settings().environment


@contextmanager
def _dbt_child_environment(
    options: dbt_runner.DbtOptions, storage: StorageResource
) -> Iterator[None]:
    """Set what the dbt child process reads (``dbt_environment``) for the ``with`` block.

    DbtCliResource hands dbt a copy of ``os.environ`` and takes no environment of its own;
    steps run one at a time in their process, so the variables are set there and restored.
    """
    wanted: dict[str, str] = dbt_runner.dbt_environment(options, base={})
    # Explicit storage credentials (not from the environment) reach dbt's S3 filesystem too.
    if storage.aws_access_key_id:
        wanted["AWS_ACCESS_KEY_ID"] = storage.aws_access_key_id
    if storage.aws_secret_access_key:
        wanted["AWS_SECRET_ACCESS_KEY"] = storage.aws_secret_access_key
    # dbt-duckdb creates the DuckDB file, not its folder.
    options.resolved_duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _node_results(invocation: Any) -> list[dbt_runner.DbtNodeResult]:
    """Each node's result of a dagster-dbt invocation (empty when dbt stopped before running
    any: profile, DuckDB file, parse)."""
    try:
        return dbt_runner.DbtNodeResult.from_run_results(
            invocation.get_artifact("run_results.json")
        )
    except Exception:  # no run_results.json
        return []


_PROJECT = reports_dbt_project()


@dbt_assets(
    manifest=_PROJECT.manifest_path,
    project=_PROJECT,
    dagster_dbt_translator=ReportsDbtTranslator(),
    pool=REPORTS_POOL,
)
def dbt_reports(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, storage: StorageResource
):
    """`dbt build` of dbt_reports (staging models, marts, every dbt test as an asset check),
    then the marts published as warehouse tables (`video_funnel`, `stage_yield`, ...)."""
    options = report_dbt_options(storage, _target(dbt))
    completed: list[dbt_runner.DbtNodeResult] = []
    with _dbt_child_environment(options, storage):
        invocation = dbt.cli(["build"], context=context, raise_on_error=False)
        yield from invocation.stream()
        results = _node_results(invocation)
        build = dbt_runner.DbtRun(["build"], 0 if invocation.is_successful() else 1, "",
                                  results)
        failed = build.failed()
        if failed and not build.model_errors():
            # Only tests failed: build what `dbt build` skipped below them, so that `reports`
            # still finds every mart (and lists the failures) without building again.
            try:
                run = dbt_runner.run_skipped_models(options, results)
                completed = run.results if run else []
            except dbt_runner.DbtRunError as exc:
                context.log.warning(f"Models skipped by the failing tests not built: {exc}")
    if results:
        # `reports` reads these results from a file beside the DuckDB file, not from this
        # run's asset check evaluations in the Dagster instance: build_reports is plain Python
        # (the CLI shares it), and the file is written with the DuckDB file it describes, so
        # the page never pairs one build's marts with another build's (or instance's) tests.
        dbt_runner.record_build_results(
            options, [*results, *completed],
            built_by=f"dagster-dbt, run {context.run_id}",
            keep_earlier=set(invocation.manifest.get("nodes", {})),
        )
    if not invocation.is_successful():
        failed_nodes = [f"{r.unique_id}: {r.message}" for r in failed]
        # No node results: dbt stopped before running any (profile, DuckDB file, parse).
        why = "; ".join(failed_nodes[:10]) or getattr(invocation.get_error(), "description", "")
        raise dg.Failure(
            description=(
                f"dbt build failed on warehouse {options.resolved_data_dir}: {why}. "
                "The asset checks show each failing dbt test (so does `reports`, when "
                "materialised); fix the data (or the model) and materialise again. The "
                "published marts are still the previous build's."
            ),
            metadata={"failed_nodes": dg.MetadataValue.json(failed_nodes),
                      "dbt_log": dg.MetadataValue.path(str(invocation.target_path / "dbt.log"))},
        )
    try:
        rows = dbt_runner.publish_marts(storage.get_storage(), options)
    except duckdb.CatalogException as exc:
        # A first build of only some models (automation requests the models downstream of
        # what changed) leaves marts never built; the next full build publishes them.
        context.log.warning(f"Marts not published yet ({exc}); materialise every "
                            "dbt_reports model once to publish them.")
        return
    context.log.info(
        "Published marts: " + ", ".join(f"{name} ({n} rows)" for name, n in rows.items())
    )


class ReportConfig(dg.Config):
    """Run config of ``reports`` (``ops: {reports: {config: {...}}}``)."""

    max_rows: int = 50_000
    """Rows summarised per table by evidently (larger tables are sampled, seeded)."""
    dbt_docs: bool = True
    """Build `dbt docs generate --static` and copy it to reports/dbt_docs/index.html."""
    fail_on_dbt_test: bool = False
    """Fail the step when a dbt test fails (the page, listing the failures, is written first)."""


def funnel_table(steps: list[FunnelStep]) -> dg.MetadataValue:
    """The funnel as a Dagster table (one row per stage)."""
    schema = dg.TableSchema(columns=[
        dg.TableColumn("stage", "string"), dg.TableColumn("videos", "int"),
        dg.TableColumn("rows", "int"), dg.TableColumn("minutes", "float"),
        dg.TableColumn("share_of_start", "float"),
    ])
    records = [
        dg.TableRecord({"stage": s.label, "videos": s.videos, "rows": s.rows,
                        "minutes": round(s.minutes, 2),
                        "share_of_start": round(s.share_of_start, 4)})
        for s in steps
    ]
    return dg.MetadataValue.table(records, schema=schema)


def report_metadata(result: ReportResult) -> dict[str, Any]:
    """What the UI shows for a report build."""
    return {
        "index": dg.MetadataValue.path(result.index_uri),
        "funnel": funnel_table(result.funnel),
        "funnel_chart": png_markdown(result.funnel_png, "funnel"),
        "funnel_text": dg.MetadataValue.md(f"```\n{result.funnel_text}\n```"),
        "mart_rows": dg.MetadataValue.json(result.mart_rows),
        "files": dg.MetadataValue.json(result.files),
        "dbt_test_failures": len(result.dbt_failures),
    }


@dg.asset(
    group_name=REPORTS_GROUP,
    deps=[spec.name for spec in MARTS] + ["drift_report"],
    kinds={"python", "html"},
    pool=REPORTS_POOL,
    # Like the dbt models: in the same run as the marts, or a tick after a new drift report.
    automation_condition=reports_refresh_condition(),
    code_version=stage_code_version(report_metadata),
    check_specs=[dg.AssetCheckSpec(
        "dbt_tests_pass", asset="reports", blocking=False,
        description="Every dbt test passed in the build behind the page (failures are listed "
        "on the page; WARN, the page is still written).",
    )],
)
def reports(
    context: dg.AssetExecutionContext,
    config: ReportConfig,
    storage: StorageResource,
    dbt: DbtCliResource,
) -> dg.MaterializeResult:
    """`reports/index.html` under the storage root (static, no server): the funnel chart,
    yield per stage, top rejection reasons, pair counts per split, open failures, links to the
    evidently quality reports (`reports/quality/`), the drift reports and the dbt docs
    (`reports/dbt_docs/`). Reads the marts and dbt test results of the last dbt_reports
    build (materialise those first)."""
    store = storage.get_storage()
    options = ReportOptions(
        dbt=report_dbt_options(storage, _target(dbt)),
        quality=QualityOptions(max_rows=config.max_rows),
        dbt_docs=config.dbt_docs,
        fail_on_dbt_test=config.fail_on_dbt_test,
        # dbt_reports just built the marts (it is upstream); building again doubled the time.
        run_dbt=False,
    )
    try:
        result = build_reports(store, options)
    except dbt_runner.DbtRunError as exc:
        raise dg.Failure(description=f"reports: {exc}") from None
    if result.dbt_failures:
        context.log.warning(f"{len(result.dbt_failures)} dbt test(s) failed; the page lists them.")
    return dg.MaterializeResult(
        metadata=report_metadata(result),
        check_results=[dg.AssetCheckResult(
            check_name="dbt_tests_pass",
            passed=not result.dbt_failures,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"failures": dg.MetadataValue.json(result.dbt_failures[:50])},
        )],
    )

