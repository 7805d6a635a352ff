"""DuckDB over the warehouse, read-only: every table visible by name, nothing writable.

``pixel-voice query`` hands user SQL to DuckDB, so the connection is locked down after the
views are made: only single SELECT statements run (COPY, CREATE, ATTACH, INSTALL, SET, ...
are refused before execution), DuckDB's file access is limited to the warehouse folder
(``enable_external_access=false`` with ``allowed_directories``), extensions are never
installed or auto-loaded, and the configuration is locked so a query cannot undo any of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:  # importing storage pulls in pandas and pandera: seconds of CLI start-up
    from pixel_assets.warehouse.storage import Storage

_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

# DESCRIBE, SHOW, SUMMARIZE, FROM-first and VALUES all parse as SELECT.
_ALLOWED = {duckdb.StatementType.SELECT}


class ReadOnlyQueryError(ValueError):
    """A statement that would write, attach, install or reach outside the warehouse."""


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows of one query (plain Python values, no pandas needed)."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def _new_connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(
        database=":memory:",
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )


def _parquet_view(con: duckdb.DuckDBPyConnection, table: str, folder: Path | str) -> None:
    # CREATE VIEW cannot take bound parameters, so the path is quoted as a literal.
    pattern = (str(folder) + "/*/part.parquet").replace("'", "''")
    con.execute(
        f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{pattern}', union_by_name=true)"
    )


def connect_local(
    data_dir: Path, *, empty_tables: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """A locked-down connection over a local root's ``warehouse/``, without pandas.

    This is the fast path of ``pixel-voice query`` (no storage or schema modules loaded).
    ``empty_tables`` maps declared tables that have no files yet to an empty Arrow table of
    their columns.
    """
    warehouse = Path(data_dir).expanduser().resolve() / "warehouse"
    con = _new_connection()
    present = set()
    if warehouse.is_dir():
        for folder in sorted(warehouse.iterdir()):
            if _TABLE_NAME.match(folder.name) and any(folder.glob("*/part.parquet")):
                _parquet_view(con, folder.name, folder)
                present.add(folder.name)
    for table, empty in (empty_tables or {}).items():
        if table not in present:
            con.register(f"_{table}_empty", empty)
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_empty")
    _lock_down(con, str(warehouse), local=True)
    return con


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The views a :func:`connect` / :func:`connect_local` connection offers."""
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def _read_only(what: str) -> ReadOnlyQueryError:
    return ReadOnlyQueryError(
        f"The query interface is read-only: {what}. Use one SELECT over the warehouse tables; "
        "to export, add --format csv or --format json and redirect the output to a file."
    )


def connect(storage: Storage, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per warehouse table.

    Local roots are read in place with ``read_parquet``; remote roots are read through
    fsspec (DuckDB's httpfs extension would need a download at run time) and registered as
    Arrow tables. Declared tables with no data yet are empty views with their columns.
    With ``read_only`` (the default) the connection is locked down as the module says;
    run user SQL through :func:`run_query`, which also refuses non-SELECT statements.
    """
    con = _new_connection()
    for table in storage.table_names():
        files = storage.partition_files(table)
        if files and storage.is_local:
            _parquet_view(con, table, storage.path("warehouse", table))
        elif files:
            con.register(f"_{table}_arrow", storage.read_table(table))
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_arrow")
        elif table in storage.tables:
            con.register(f"_{table}_empty", storage.tables[table].arrow_schema().empty_table())
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_empty")
    if read_only:
        _lock_down(con, str(storage.path("warehouse")), local=storage.is_local)
    return con


def _lock_down(con: duckdb.DuckDBPyConnection, warehouse: str, *, local: bool) -> None:
    if local:
        # The views read these files at query time, so this one folder stays readable.
        con.execute("SET allowed_directories = $dirs", {"dirs": [warehouse.rstrip("/") + "/"]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> QueryResult:
    """Run one user SELECT on a :func:`connect` connection and return its rows.

    Raises:
        ReadOnlyQueryError: the SQL is not a single SELECT, or it reached for a file, an
            extension or a setting outside what the connection allows.
        duckdb.Error: any other query error (unknown table, syntax).
    """
    statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise _read_only(f"give exactly one statement (got {len(statements)})")
    kind = statements[0].type
    if kind not in _ALLOWED:
        name = "INSTALL/LOAD" if kind == duckdb.StatementType.LOAD else kind.name
        raise _read_only(f"{name} statements are not allowed")
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return QueryResult(columns, cursor.fetchall())
    except duckdb.PermissionException as exc:
        raise _read_only(f"DuckDB refused it ({str(exc).splitlines()[0]})") from exc


def cell_text(value: Any, max_chars: int = 120) -> str:
    """A value as table text: floats to 4 significant digits, long text cut, null empty."""
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return f"{float(value):.4g}"
    text = str(value)
    return text if len(text) <= max_chars else text[:max_chars] + "…"


def to_csv(result: QueryResult) -> str:
    """The rows as CSV with a header (values unrounded)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return buffer.getvalue()


def to_json_lines(result: QueryResult) -> str:
    """One JSON object per row (dates as ISO 8601, values unrounded)."""
    import json

    def default(value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    return "".join(
        json.dumps(dict(zip(result.columns, row, strict=True)), default=default) + "\n"
        for row in result.rows
    )
