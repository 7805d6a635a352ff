"""``pixel-voice report``: build every report and say where the page is.

Runs what the ``reports`` asset runs (:func:`pixel_assets.reports.build.build_reports`):
``dbt build`` of ``dbt_reports/`` (marts published as warehouse tables), the evidently quality
reports, the dbt docs site and ``reports/index.html`` under the storage root; then prints the
funnel as text and the page's path. dbt writes where the asset's dbt writes
(:func:`pixel_assets.reports.assets.report_dbt_options`), for ``PIXEL_ENV``'s target.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from pixel_assets.cli.common import EXIT_OK, EXIT_USAGE, plural

if TYPE_CHECKING:
    from pixel_assets.warehouse.storage import Storage

EXIT_DBT_TESTS_FAILED = 1


def add_report_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``report`` to the main CLI's sub-parsers."""
    report = subparsers.add_parser(
        "report",
        help="build the dbt marts, evidently reports and reports/index.html; print the funnel",
        description="Build every report of the storage root (PIXEL_DATA_DIR): dbt build of "
        "dbt_reports (marts queryable by name), evidently quality reports, dbt docs, the "
        "funnel and reports/index.html. Prints the funnel and the page's path.",
    )
    report.add_argument("--max-rows", type=int, default=50_000,
                        help="rows summarised per table by evidently (sampled above it)")
    report.add_argument("--no-docs", action="store_true",
                        help="skip `dbt docs generate` (faster; the page has no docs link)")
    report.add_argument("--strict", action="store_true",
                        help="exit 1 when a dbt test fails (the page, listing them, is written)")
    return report


def run_report(args: argparse.Namespace, storage: Storage, console: Console) -> int:
    """Carry out ``pixel-voice report``; returns the exit code."""
    # Imported here: the asset module's dbt folders (one DuckDB file per storage root).
    from pixel_assets.reports.assets import report_dbt_options
    from pixel_assets.reports.build import ReportOptions, build_reports
    from pixel_assets.reports.dbt import DbtRunError
    from pixel_assets.reports.quality import QualityOptions
    from pixel_assets.resources import StorageResource
    from pixel_assets.settings import load_settings

    settings = load_settings()
    options = ReportOptions(
        dbt=report_dbt_options(StorageResource.from_settings(settings), settings.environment),
        quality=QualityOptions(max_rows=args.max_rows),
        dbt_docs=not args.no_docs,
        # No dbt_reports asset ran before a CLI call: build the marts here.
        run_dbt=True,
    )
    console.print(f"Building the reports of {escape(storage.root)} (dbt build, evidently"
                  f"{'' if args.no_docs else ', dbt docs'}) ...")
    try:
        result = build_reports(storage, options)
    except DbtRunError as exc:
        console.print(f"[red]pixel-voice report: {escape(str(exc))}[/red]")
        return EXIT_USAGE
    console.print(escape(result.funnel_text))
    marts = ", ".join(f"{name} ({plural(n, 'row')})" for name, n in result.mart_rows.items())
    console.print(f"Marts (pixel-voice query): {escape(marts)}")
    if result.dbt_failures:
        console.print(
            f"[yellow]{plural(len(result.dbt_failures), 'dbt test')} failed:[/yellow] "
            + escape("; ".join(result.dbt_failures[:5])),
        )
    console.print(f"Report page: {escape(result.index_uri)}", soft_wrap=True)
    if result.dbt_failures and args.strict:
        return EXIT_DBT_TESTS_FAILED
    return EXIT_OK

