"""Build every report: dbt marts, evidently summaries, the funnel, the static page.

``build_reports`` is what ``pixel-voice report`` and the ``reports`` asset call. The CLI has it
run ``dbt build`` first; the asset (``run_dbt=False``) reads the marts and the dbt test results
that the ``dbt_reports`` assets' own build left in the DuckDB file and beside it. Files land
under the storage root's ``reports/``::

    reports/index.html                 the page people open (static, no server)
    reports/funnel.png                 the funnel for Dagster metadata and slides
    reports/quality/<table>.html       evidently data-quality summaries
    reports/dbt_docs/index.html        `dbt docs generate --static`, one self-contained page
    reports/drift/*.html               written by the drift_report asset; linked, not built here
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pandas as pd

from pixel_assets.reports import dbt as dbt_runner
from pixel_assets.reports.funnel import FunnelStep, corpus_funnel, funnel_png, text_funnel
from pixel_assets.reports.index_page import IndexPage, Link, render_index
from pixel_assets.reports.quality import QUALITY_TABLES, QualityOptions, quality_report
from pixel_assets.warehouse.storage import Storage

REPORTS_DIR = "reports"


@dataclass(frozen=True)
class ReportOptions:
    """What to build.

    Attributes:
        dbt: Where dbt reads and writes (its ``data_dir`` must be the storage's root).
        quality: evidently sampling options.
        quality_tables: Tables to summarise with evidently (name -> title).
        dbt_docs: Also build and copy the dbt docs site.
        fail_on_dbt_test: Raise when a dbt test fails (after writing the page, which lists
            the failures); False reports them and carries on.
        run_dbt: Run ``dbt build`` and publish the marts first. False reuses the latest build
            of ``dbt``'s DuckDB file (the ``dbt_reports`` assets'): its marts as they are and
            its recorded test results (:func:`pixel_assets.reports.dbt.load_build_results`);
            no dbt build or run starts (``dbt_docs`` still runs ``dbt docs generate``).
    """

    dbt: dbt_runner.DbtOptions
    quality: QualityOptions = field(default_factory=QualityOptions)
    quality_tables: dict[str, str] = field(default_factory=lambda: dict(QUALITY_TABLES))
    dbt_docs: bool = True
    fail_on_dbt_test: bool = False
    run_dbt: bool = True


@dataclass
class ReportResult:
    """What was built."""

    index_uri: str
    funnel: list[FunnelStep]
    funnel_text: str
    funnel_png: bytes
    files: dict[str, str]
    mart_rows: dict[str, int]
    marts: dict[str, pd.DataFrame]
    dbt_failures: list[str]
    dbt_results: list[dbt_runner.DbtNodeResult] = field(default_factory=list)


def _drift_links(storage: Storage) -> list[Link]:
    folder = storage.path(REPORTS_DIR, "drift")
    if not folder.exists():
        return []
    files = sorted(p for p in folder.rglob("*.html"))
    return [
        Link(f"Drift: {p.stem}", "drift/" + str(p.relative_to(folder)).replace("\\", "/"))
        for p in files
    ]


def _build_marts(storage: Storage, options: dbt_runner.DbtOptions) -> tuple[
    dbt_runner.DbtRun, dict[str, int], dict[str, pd.DataFrame]
]:
    """``dbt build``, the models a failing test skipped, the marts published and read."""
    run = dbt_runner.build(options, check=False)
    if not run.ok and (run.model_errors() or not run.results):
        raise dbt_runner.DbtRunError(dbt_runner.describe_failure(run, options))
    # `dbt build` skips the models downstream of a failing test; the page should still
    # show every mart (with the failures listed), so build those models.
    completed = dbt_runner.run_skipped_models(options, run.results)
    dbt_runner.record_build_results(
        options, [*run.results, *(completed.results if completed else [])],
        built_by="build_reports (pixel-voice report)",
    )
    mart_rows = dbt_runner.publish_marts(storage, options)
    return run, mart_rows, dbt_runner.read_marts(options)


def _previous_build(options: dbt_runner.DbtOptions) -> tuple[
    dbt_runner.DbtRun, dict[str, int], dict[str, pd.DataFrame]
]:
    """The latest recorded build of the DuckDB file and its marts (nothing is built)."""
    fix = ("materialise the dbt_reports assets first (the `reports` group in the UI, or "
           "`dagster asset materialize -m pixel_assets.definitions --select 'group:reports'`),"
           " or run `pixel-voice report`, which runs dbt itself")
    run = dbt_runner.load_build_results(options)
    if run is None:
        raise dbt_runner.DbtRunError(
            f"No dbt build of warehouse {options.resolved_data_dir} found (no "
            f"{options.resolved_duckdb_path} with {dbt_runner.build_results_path(options)}): "
            f"{fix}."
        )
    if errors := run.model_errors():
        raise dbt_runner.DbtRunError(
            f"The last dbt build of warehouse {options.resolved_data_dir} could not build "
            + "; ".join(f"{r.unique_id}: {r.message}" for r in errors[:10])
            + f" ({run.output}). Fix the model or its data, then {fix}."
        )
    try:
        marts = dbt_runner.read_marts(options)
    except duckdb.CatalogException as exc:
        # Only some models were ever built (automation builds what is downstream of a change).
        raise dbt_runner.DbtRunError(
            f"A mart is missing from {options.resolved_duckdb_path} ({exc}): {fix}."
        ) from None
    return run, {name: len(frame) for name, frame in marts.items()}, marts


def build_reports(storage: Storage, options: ReportOptions) -> ReportResult:
    """Build the marts (or reuse the last build), write the evidently reports and the page.

    Args:
        storage: The storage root the warehouse lives under (local or S3).
        options: What to build; ``options.dbt.data_dir`` must name the same root.

    Returns:
        Paths of every file written, the funnel (steps, text, PNG) and the marts.

    Raises:
        DbtRunError: dbt could not build a model, or (with ``fail_on_dbt_test``) a dbt test
            failed, the page written first so the failures can be read there; with
            ``run_dbt=False``, also when no earlier build is found (the message says how to
            make one).
    """
    if options.run_dbt:
        run, mart_rows, marts = _build_marts(storage, options.dbt)
    else:
        run, mart_rows, marts = _previous_build(options.dbt)
    dbt_failures = [f"{r.unique_id}: {r.message}" for r in run.failed()]
    files: dict[str, str] = {}

    quality_links = []
    for table, title in options.quality_tables.items():
        report = quality_report(storage.read_table(table), table, title, options.quality)
        files[f"quality/{table}"] = storage.write_bytes(
            report.html, REPORTS_DIR, "quality", f"{table}.html"
        )
        note = f"{report.n_rows} rows" + (
            f", {report.n_rows_summarised} sampled" if report.n_rows_summarised < report.n_rows
            else ""
        )
        quality_links.append(Link(title, f"quality/{table}.html", note))

    docs = None
    if options.dbt_docs:
        static = dbt_runner.docs_generate(options.dbt, compile_first=False)
        files["dbt_docs"] = storage.write_bytes(
            static.read_bytes(), REPORTS_DIR, "dbt_docs", "index.html"
        )
        docs = Link("dbt docs: models, sources, tests and lineage", "dbt_docs/index.html")

    steps = corpus_funnel(marts["stage_yield"])
    png = funnel_png(steps)
    files["funnel_png"] = storage.write_bytes(png, REPORTS_DIR, "funnel.png")
    page = IndexPage(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        storage_root=storage.root,
        funnel=steps,
        video_funnel=marts["video_funnel"],
        stage_yield=marts["stage_yield"],
        rejection_reasons=marts["rejection_reasons"],
        pair_quality=marts["pair_quality"],
        failures_summary=marts["failures_summary"],
        quality_reports=quality_links,
        drift_reports=_drift_links(storage),
        dbt_docs=docs,
        dbt_failures=dbt_failures,
    )
    files["index"] = storage.write_bytes(
        render_index(page).encode(), REPORTS_DIR, "index.html"
    )
    if dbt_failures and options.fail_on_dbt_test:
        raise dbt_runner.DbtRunError(
            f"dbt tests failed on {options.dbt.resolved_data_dir}: " + "; ".join(dbt_failures)
            + f". The report page lists them: {files['index']}"
        )
    return ReportResult(
        index_uri=files["index"],
        funnel=steps,
        funnel_text=text_funnel(steps),
        funnel_png=png,
        files=files,
        mart_rows=mart_rows,
        marts=marts,
        dbt_failures=dbt_failures,
        dbt_results=run.results,
    )
