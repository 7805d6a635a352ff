"""``pixel-voice status [--video ID]``: each video's state per asset.

Reads ``stage_status``, ``pipeline_failures`` and ``video_sources`` straight from the
warehouse files through DuckDB (no Dagster, no pandas), so it answers in about a second.
Only ``--video`` opens the Dagster instance, for that video's materialisation metadata.
"""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pixel_assets.cli.common import EXIT_OK, EXIT_USAGE, local_data_dir, open_cli_storage
from pixel_assets.cli.output import readable

# How each stage_status / pipeline_failures state reads in `status`.
STATE_LABELS = {
    "passed": "done",
    "stopped": "stopped by check",
    "failed": "failed",
    "interrupted": "interrupted",
}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``status`` to the main CLI's sub-parsers."""
    status = subparsers.add_parser("status", help="each video's state per asset")
    status.add_argument("--video", help="one video, with its assets' metadata")
    return status


def _read_rows(table: str, columns: str) -> list[tuple]:
    """``columns`` of every row of one warehouse table, [] if it has no files yet."""
    from pixel_assets.warehouse.query import connect, connect_local, run_query, table_names

    data_dir = local_data_dir()
    if data_dir is None:
        con = connect(open_cli_storage())
    else:
        if not any((data_dir / "warehouse" / table).glob("*/part.parquet")):
            return []
        con = connect_local(data_dir)
    if table not in table_names(con):
        return []
    return run_query(con, f"SELECT {columns} FROM {table}").rows


def run(args: argparse.Namespace, console: Console) -> int:
    """Carry out ``pixel-voice status``; returns the exit code."""
    stages = _read_rows("stage_status", "video_id, asset, stage_order, state")
    failures = _read_rows("pipeline_failures", "video_id, asset, error_type, message")
    sources = _read_rows("video_sources", "DISTINCT video_id")
    videos = sorted({r[0] for r in sources} | {r[0] for r in stages} | {r[0] for r in failures})
    if args.video:
        if args.video not in videos:
            console.print(f"[red]Video {escape(args.video)} is not registered by any list.[/red]")
            return EXIT_USAGE
        videos = [args.video]
    if not videos:
        console.print("No videos registered yet: run `pixel-voice run LIST` or `make dev`.")
        return EXIT_OK
    order: dict[str, int] = {}
    for _, asset, stage_order, _ in stages:
        order[asset] = min(order.get(asset, stage_order), stage_order)
    for _, asset, _, _ in failures:
        order.setdefault(asset, len(order) + 100)
    assets = sorted(order, key=lambda a: (order[a], a))
    cells: dict[tuple[str, str], str] = {}
    for video_id, asset, _, state in stages:
        cells[(video_id, asset)] = STATE_LABELS.get(state, state)
    for video_id, asset, error_type, _ in failures:
        # A failure the stage table does not know yet (older runs, the CLI's own records).
        cells.setdefault((video_id, asset), "interrupted" if error_type == "interrupted"
                         else "failed")
    _print_states(console, videos, assets, cells, one_video=bool(args.video))
    shown = [f for f in failures if f[0] in videos]
    if shown:
        failed = Table("video", "asset", "error", "message", title="Open failures")
        for video_id, asset, error_type, message in shown:
            failed.add_row(escape(video_id), escape(asset), escape(error_type), escape(message))
        console.print(failed)
    if args.video:
        _print_video_metadata(console, args.video)
    return EXIT_OK


def _print_states(console: Console, videos: list[str], assets: list[str],
                  cells: dict[tuple[str, str], str], *, one_video: bool) -> None:
    """One row per video and a column per asset; one block per video (asset, state) when
    that grid would be wider than the terminal or only one video was asked for, so no
    name or state is ever cut short."""
    states = {v: [cells.get((v, a), "not run") for a in assets] for v in videos}
    widths = [max(len(v) for v in videos)] + [
        max([len(a)] + [len(states[v][i]) for v in videos]) for i, a in enumerate(assets)
    ]
    if not one_video and sum(w + 3 for w in widths) <= (console.width or 120):
        table = Table("video", *[escape(a) for a in assets])
        for video_id in videos:
            table.add_row(escape(video_id), *states[video_id])
        console.print(table)
        return
    for video_id in videos:
        table = Table("asset", "state", title=f"video {escape(video_id)}", title_justify="left")
        for asset, state in zip(assets, states[video_id], strict=True):
            table.add_row(escape(asset), state)
        console.print(table)


def _print_video_metadata(console: Console, video_id: str) -> None:
    import dagster as dg

    from pixel_assets.cli.common import ensure_dagster_home

    ensure_dagster_home()
    instance = dg.DagsterInstance.get()
    for key in instance.get_asset_keys():
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=[video_id]), limit=1
        ).records
        if not records or records[0].asset_materialization is None:
            continue
        metadata = records[0].asset_materialization.metadata
        table = Table("metadata", "value", title=escape(key.to_user_string()),
                      title_justify="left")
        for name, value in metadata.items():
            table.add_row(escape(name), escape(readable(value)))
        console.print(table)
