"""DuckDB over the warehouse, read-only: every table visible by name, nothing writable.

``pixel-voice query`` hands user SQL to DuckDB, so the connection is locked down after the
views are made: only single SELECT statements run (COPY, CREATE, ATTACH, INSTALL, SET, ...
are refused before execution), DuckDB's file access is limited to the warehouse folder
(``enable_external_access=false`` with ``allowed_directories``), extensions are never
installed or auto-loaded, and the configuration is locked so a query cannot undo any of it.

Declared tables without files yet are still queryable (empty, with their columns). Their
column types come from the stages' pandera declarations, which take seconds to import; so
:func:`declared_tables_file` caches them as DuckDB type names, keyed by a hash of the
declaring source files, and the ``pixel-voice query`` fast path reads only that JSON.
Every connection also offers the ``video_status`` view (one row per video, see
``pixel_assets.status.video_status``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:  # importing storage pulls in pandas and pandera: seconds of CLI start-up
    from pixel_assets.warehouse.contract import TableSpec
    from pixel_assets.warehouse.storage import Storage

# Column name and DuckDB type name of each column of a table, in declared order.
Columns = Sequence[tuple[str, str]]

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
    data_dir: Path, *, empty_tables: Mapping[str, Columns] | None = None
) -> duckdb.DuckDBPyConnection:
    """A locked-down connection over a local root's ``warehouse/``, without pandas.

    This is the fast path of ``pixel-voice query`` (no storage or schema modules loaded).

    Args:
        data_dir: The storage root (the folder holding ``warehouse/``).
        empty_tables: Declared tables (as from :func:`load_declared_tables`); those with no
            files yet become empty views with these columns.
    """
    warehouse = Path(data_dir).expanduser().resolve() / "warehouse"
    con = _new_connection()
    present = set()
    if warehouse.is_dir():
        for folder in sorted(warehouse.iterdir()):
            if _TABLE_NAME.match(folder.name) and any(folder.glob("*/part.parquet")):
                _parquet_view(con, folder.name, folder)
                present.add(folder.name)
    for table, columns in (empty_tables or {}).items():
        if table not in present and _TABLE_NAME.match(table):
            _empty_view(con, table, columns)
            present.add(table)
    _video_status_view(con, present)
    _lock_down(con, str(warehouse), local=True)
    return con


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _empty_view(con: duckdb.DuckDBPyConnection, table: str, columns: Columns) -> None:
    # Typed NULLs with no rows: the view has the declared columns and types, and no data.
    select = ", ".join(f"CAST(NULL AS {kind}) AS {_quote(name)}" for name, kind in columns)
    con.execute(f"CREATE VIEW {table} AS SELECT {select or '1 AS _'} LIMIT 0")


@cache
def video_status_sql() -> str:
    """The ``video_status`` view's statement (``pixel_assets.status.sql``, import-free)."""
    from pixel_assets.status.sql import VIDEO_STATUS_SQL

    return VIDEO_STATUS_SQL


def _video_status_view(con: duckdb.DuckDBPyConnection, present: set[str]) -> None:
    # The statement reads both relations; without either there is nothing to describe yet.
    if {"stage_status", "video_sources"} <= present and "video_status" not in present:
        con.execute(f"CREATE VIEW video_status AS {video_status_sql()}")


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
    present = set(storage.table_names())
    for table in sorted(present):
        files = storage.partition_files(table)
        if files and storage.is_local:
            _parquet_view(con, table, storage.path("warehouse", table))
        elif files:
            con.register(f"_{table}_arrow", storage.read_table(table))
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_arrow")
        elif table in storage.tables:
            con.register(f"_{table}_empty", storage.tables[table].arrow_schema().empty_table())
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_empty")
        else:
            present.discard(table)  # a folder without files and without a declaration
    _video_status_view(con, present)
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


# ------------------------------------------------------------------ declared-table cache
def declaration_fingerprint(package_dir: Path | None = None) -> str:
    """A hash of every source file of ``pixel_assets`` that declares or shapes a table.

    That is each ``schemas.py`` and each file naming ``TableSpec`` (the contract, the
    catalogue, the stages' declarations). Reading them takes milliseconds; importing them
    takes seconds. Any edit to a declaration changes the hash, so a stale cache is never used.
    """
    package = package_dir or Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        data = path.read_bytes()
        if path.name == "schemas.py" or b"TableSpec" in data:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:20]


def declared_tables_file(cache_dir: Path | None = None, fingerprint: str | None = None) -> Path:
    """Where the declared tables of this code version are cached.

    The default folder is the project's cache (``<tmp>/pixel_voice_cache``, as the storage
    layer's); the name carries :func:`declaration_fingerprint`, so code versions never share.
    """
    folder = cache_dir or Path(tempfile.gettempdir()) / "pixel_voice_cache"
    return folder / f"declared_tables-{fingerprint or declaration_fingerprint()}.json"


def declared_columns(tables: Mapping[str, TableSpec]) -> dict[str, list[tuple[str, str]]]:
    """Each declared table's columns as DuckDB type names, derived from its Arrow schema."""
    con = _new_connection()
    result: dict[str, list[tuple[str, str]]] = {}
    for name, spec in tables.items():
        con.register("_declared", spec.arrow_schema().empty_table())
        result[name] = [(row[0], row[1]) for row in con.execute("DESCRIBE _declared").fetchall()]
        con.unregister("_declared")
    con.close()
    return result


def save_declared_tables(path: Path, columns: Mapping[str, Columns]) -> bool:
    """Write the cache atomically; False (and nothing written) if the folder is not writable.

    A missing cache only costs the next query a few seconds, so this never fails a command.
    """
    payload = {name: [list(c) for c in cols] for name, cols in sorted(columns.items())}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out)
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def load_declared_tables(path: Path) -> dict[str, list[tuple[str, str]]] | None:
    """The cached declared tables, or None if there is no readable cache at ``path``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(t): [(str(n), str(k)) for n, k in cols] for t, cols in raw.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return None
