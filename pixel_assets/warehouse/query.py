"""DuckDB over the warehouse: every table visible by name."""

from __future__ import annotations

import duckdb

from pixel_assets.warehouse.storage import Storage
from pixel_assets.warehouse.tables import TABLE_SCHEMAS


def connect(storage: Storage) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per warehouse table.

    Local roots are read in place with ``read_parquet``; remote roots are read through
    fsspec (DuckDB's httpfs extension would need a download at run time) and registered as
    Arrow tables. Declared tables with no data yet are empty views with their columns.
    """
    con = duckdb.connect(database=":memory:")
    for table in storage.table_names():
        files = storage.partition_files(table)
        if files and storage.is_local:
            # CREATE VIEW cannot take bound parameters, so the path is quoted as a literal.
            pattern = (str(storage.path("warehouse", table)) + "/*/part.parquet").replace(
                "'", "''"
            )
            con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM "
                f"read_parquet('{pattern}', union_by_name=true)"
            )
        elif files:
            con.register(f"_{table}_arrow", storage.read_table(table))
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_arrow")
        elif table in TABLE_SCHEMAS:
            con.register(f"_{table}_empty", TABLE_SCHEMAS[table].empty_table())
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_empty")
    return con
