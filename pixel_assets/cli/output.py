"""Printing for ``status`` and ``query``: readable tables, every user value escaped for rich."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pixel_assets.cli.common import plural


def print_result(console: Console, result: Any, fmt: str) -> None:
    """Print a :class:`~pixel_assets.warehouse.query.QueryResult`.

    ``csv`` and ``json`` go to stdout unrounded; ``table`` rounds floats and, when the
    columns are wider than the terminal, prints one block per row instead.
    """
    from pixel_assets.warehouse.query import cell_text, to_csv, to_json_lines

    if fmt in ("csv", "json"):
        sys.stdout.write(to_csv(result) if fmt == "csv" else to_json_lines(result))
        return
    rows = [[cell_text(v) for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) + 3 for i, c in enumerate(result.columns)]
    if result.columns and sum(widths) > (console.width or 120):
        # Too wide to read as columns: one block per row, column names down the side.
        for number, row in enumerate(rows, start=1):
            table = Table("column", "value", title=f"row {number}", title_justify="left",
                          show_header=False)
            for column, cell in zip(result.columns, row, strict=True):
                table.add_row(escape(column), escape(cell))
            console.print(table)
    else:
        table = Table(*[escape(str(c)) for c in result.columns])
        for row in rows:
            table.add_row(*[escape(c) for c in row], end_section=False)
        console.print(table)
    console.print(plural(len(rows), "row"))


def readable(value: Any, max_chars: int = 160) -> str:
    """One metadata value as short text: numbers rounded, images and blobs summarised."""
    raw = getattr(value, "value", value)
    if isinstance(raw, float):
        return f"{raw:.4g}"
    text = json.dumps(raw, default=str) if isinstance(raw, dict | list) else str(raw)
    if "data:image" in text or "base64," in text:
        return "(image: open this asset in the Dagster UI)"
    return text if len(text) <= max_chars else text[:max_chars] + "…"
