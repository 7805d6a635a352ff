"""Build every report: dbt marts, evidently summaries, the funnel, the static page.

``build_reports`` is what ``pixel-voice report`` (and the report asset) calls. Files land
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
    """

    dbt: dbt_runner.DbtOptions
    quality: QualityOptions = field(default_factory=QualityOptions)
    quality_tables: dict[str, str] = field(default_factory=lambda: dict(QUALITY_TABLES))
    dbt_docs: bool = True
    fail_on_dbt_test: bool = False


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


def build_reports(storage: Storage, options: ReportOptions) -> ReportResult:
    """Run ``dbt build``, publish the marts, write the evidently reports and the page.

    Args:
        storage: The storage root the warehouse lives under (local or S3).
        options: What to build; ``options.dbt.data_dir`` must name the same root.

    Returns:
        Paths of every file written, the funnel (steps, text, PNG) and the marts.

    Raises:
        DbtRunError: dbt could not build a model, or (with ``fail_on_dbt_test``) a dbt test
            failed; the page is written first so the failures can be read there.
    """
    run = dbt_runner.build(options.dbt, check=False)
    model_errors = [r for r in run.failed() if not r.unique_id.startswith("test.")]
    if not run.ok and (model_errors or not run.results):
        raise dbt_runner.DbtRunError(dbt_runner.describe_failure(run, options.dbt))
    dbt_failures = [f"{r.unique_id}: {r.message}" for r in run.failed()]
    if dbt_failures:
        # `dbt build` skips the models downstream of a failing test; the page should still
        # show every mart (with the failures listed), so build the models once more.
        dbt_runner.run_dbt(["run"], options.dbt)

    files: dict[str, str] = {}
    mart_rows = dbt_runner.publish_marts(storage, options.dbt)
    marts = dbt_runner.read_marts(options.dbt)

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
