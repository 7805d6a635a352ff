"""Warehouse layout: Parquet per partition under one storage root, DuckDB to query."""
