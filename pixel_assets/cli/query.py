"""``pixel-voice query SQL``: one read-only DuckDB SELECT over the warehouse tables.

A local warehouse is read in place; declared tables without files come from the
declared-table cache (see :mod:`pixel_assets.warehouse.query`), so neither pandas nor the
stages' schema modules are imported. Only the first query after a declaration changes (and
before any ``pixel-voice run``) imports the catalogue, once, to refresh that cache.
"""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.markup import escape

from pixel_assets.cli.common import EXIT_OK, EXIT_USAGE, local_data_dir, open_cli_storage
from pixel_assets.cli.output import print_result


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``query`` to the main CLI's sub-parsers."""
    query = subparsers.add_parser("query", help="run one read-only DuckDB SELECT over the tables")
    query.add_argument("sql", help='e.g. "SELECT video_id, duration_s FROM videos"')
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    return query


def _declared_tables(refresh: bool) -> dict[str, list[tuple[str, str]]] | None:
    """The declared tables' columns from the cache; with ``refresh``, rebuilt when missing."""
    from pixel_assets.warehouse.query import (
        declared_columns,
        declared_tables_file,
        load_declared_tables,
        save_declared_tables,
    )

    path = declared_tables_file()
    cached = load_declared_tables(path)
    if cached is not None or not refresh:
        return cached
    from pixel_assets.catalog import TABLES  # seconds: pandera and every stage's schemas

    columns = declared_columns(TABLES)
    save_declared_tables(path, columns)
    return columns


def run(args: argparse.Namespace, console: Console) -> int:
    """Carry out ``pixel-voice query``; returns the exit code."""
    import duckdb

    from pixel_assets.warehouse.query import (
        ReadOnlyQueryError,
        connect,
        connect_local,
        run_query,
        table_names,
    )

    data_dir = local_data_dir()
    declared = _declared_tables(refresh=False) if data_dir is not None else None
    con = connect(open_cli_storage()) if data_dir is None else connect_local(
        data_dir, empty_tables=declared
    )
    try:
        try:
            result = run_query(con, args.sql)
        except duckdb.CatalogException:
            if data_dir is None or declared is not None:
                raise
            # No cache for this code version yet: build it (slow once) and retry.
            con = connect_local(data_dir, empty_tables=_declared_tables(refresh=True))
            result = run_query(con, args.sql)
    except ReadOnlyQueryError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_USAGE
    except duckdb.Error as exc:
        tables = ", ".join(table_names(con))
        console.print(f"[red]Query failed: {escape(str(exc))}[/red]\nTables: {escape(tables)}")
        return EXIT_USAGE
    print_result(console, result, args.format)
    return EXIT_OK
