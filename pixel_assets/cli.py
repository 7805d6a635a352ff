"""``pixel-voice``: run the pipeline on a list, see its state, query its tables.

The CLI drives Dagster in-process on the instance in ``$DAGSTER_HOME`` (default
``./.dagster_home``), so what it runs shows up in the Dagster UI too.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

EXIT_OK = 0
EXIT_USAGE = 2


def _ensure_dagster_home() -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        # A local SQLite instance; deploy/ has fuller examples (queues, PostgreSQL).
        config.write_text("telemetry:\n  enabled: false\n")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@dataclass
class VideoOutcome:
    video_id: str
    success: bool
    reason: str | None = None


def _resources(allow_local_files: bool | None):
    from dataclasses import replace

    from pixel_assets.resources import resources_for
    from pixel_assets.settings import load_settings

    settings = load_settings()
    if allow_local_files is not None:
        settings = replace(settings, allow_local_files=allow_local_files)
    return resources_for(settings)


def cmd_run(args: argparse.Namespace, console: Console) -> int:
    import dagster as dg

    from pixel_assets.definitions import PER_VIDEO_ASSETS
    from pixel_assets.failures import TABLE as FAILURES
    from pixel_assets.ingest.registry import record_list
    from pixel_assets.ingest.video_lists import VideoListError, read_video_list
    from pixel_assets.partitions import videos_partitions

    _ensure_dagster_home()
    resources = _resources(True if args.allow_local_files else None)
    ingest = resources["ingest"]
    storage = resources["storage"].get_storage()
    list_path = Path(args.list_file)
    if not list_path.is_file():
        console.print(f"[red]Video list {list_path} does not exist.[/red]")
        return EXIT_USAGE
    try:
        parsed = read_video_list(list_path, local_files=ingest.local_file_policy())
    except VideoListError as exc:
        console.print(f"[red]{exc}[/red]")
        return EXIT_USAGE
    record_list(storage, parsed)

    asset_keys = {a.key.to_user_string(): a.key for a in PER_VIDEO_ASSETS}
    if args.until and args.until not in asset_keys:
        console.print(
            f"[red]--until {args.until!r} is not a per-video asset; "
            f"choose one of {', '.join(asset_keys)}.[/red]"
        )
        return EXIT_USAGE
    selection = (
        dg.AssetSelection.assets(asset_keys[args.until]).upstream()
        if args.until
        else dg.AssetSelection.assets(*asset_keys.values())
    )

    try:
        run_config = _run_config(args, resources)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        return EXIT_USAGE

    instance = dg.DagsterInstance.get()
    existing = set(instance.get_dynamic_partitions(videos_partitions.name))
    new_keys = [v for v in parsed.video_ids if v not in existing]
    if new_keys:
        instance.add_dynamic_partitions(videos_partitions.name, new_keys)

    outcomes: list[VideoOutcome] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=args.quiet,
    ) as progress:
        task = progress.add_task("videos", total=len(parsed.video_ids))
        for video_id in parsed.video_ids:
            progress.update(task, description=f"video {video_id}")
            result = dg.materialize(
                PER_VIDEO_ASSETS,
                selection=selection,
                partition_key=video_id,
                instance=instance,
                resources=resources,
                raise_on_error=False,
                run_config=run_config,
                tags={"pixel/launched_by": "cli"},
            )
            outcomes.append(VideoOutcome(video_id, result.success))
            progress.advance(task)

    failures = storage.read_table(FAILURES)
    for outcome in outcomes:
        if not outcome.success:
            rows = failures[failures["video_id"] == outcome.video_id]
            outcome.reason = (
                "; ".join(f"{r.asset}: {r.message}" for r in rows.itertuples())
                if not rows.empty
                else "a stage failed; see `pixel-voice status` or the Dagster UI"
            )
    _print_summary(console, parsed, outcomes, storage.root)
    return EXIT_OK


def _run_config(args: argparse.Namespace, resources: dict) -> dict:
    """Run config from ``--config FILE`` (launchpad YAML) and ``--set resource.field=value``."""
    import yaml

    # The progress bar and summary are the CLI's output; Dagster's step logs stay in the UI.
    config: dict = {"loggers": {"console": {"config": {"log_level": args.log_level.upper()}}}}
    if args.config:
        path = Path(args.config)
        try:
            loaded = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"--config {path}: cannot read it as YAML ({exc}).") from exc
        if not isinstance(loaded, dict):
            raise ValueError(f"--config {path}: expected a mapping like the launchpad's.")
        config.update(loaded)
    for item in args.set or []:
        name, sep, raw = item.partition("=")
        resource, dot, field = name.partition(".")
        if not sep or not dot or resource not in resources:
            raise ValueError(
                f"--set {item!r}: use RESOURCE.FIELD=VALUE with a resource among "
                f"{', '.join(sorted(resources))}, e.g. audio_quality.min_snr_db=5."
            )
        if field not in type(resources[resource]).model_fields:
            fields = ", ".join(sorted(type(resources[resource]).model_fields))
            raise ValueError(f"--set {item!r}: {resource} has no field {field!r} ({fields}).")
        value = yaml.safe_load(raw)
        config.setdefault("resources", {}).setdefault(resource, {}).setdefault("config", {})[
            field
        ] = value
    return config


def _print_summary(console: Console, parsed, outcomes: list[VideoOutcome], root: str) -> None:
    done = [o for o in outcomes if o.success]
    failed = [o for o in outcomes if not o.success]
    console.print(
        f"\n[bold]{len(done)} done[/bold], [bold]{len(failed)} failed[/bold], "
        f"[bold]{len(parsed.rejections)} rejected lines[/bold] in {parsed.list_file}"
    )
    if failed:
        table = Table("video", "reason", title="Failed videos", title_justify="left")
        for outcome in failed:
            table.add_row(outcome.video_id, outcome.reason or "")
        console.print(table)
    if parsed.rejections:
        table = Table("line", "text", "reason", title="Rejected lines", title_justify="left")
        for rejection in parsed.rejections:
            table.add_row(str(rejection.line_number), rejection.raw_text.strip(), rejection.reason)
        console.print(table)
    console.print(
        f"Results under {root}; query them with `pixel-voice query \"SELECT * FROM videos\"` "
        "or open the UI with `make dev` (http://127.0.0.1:3000)."
    )


def cmd_status(args: argparse.Namespace, console: Console) -> int:
    import dagster as dg

    from pixel_assets.definitions import PER_VIDEO_ASSETS
    from pixel_assets.failures import TABLE as FAILURES
    from pixel_assets.partitions import videos_partitions

    _ensure_dagster_home()
    instance = dg.DagsterInstance.get()
    keys = instance.get_dynamic_partitions(videos_partitions.name)
    if args.video:
        if args.video not in keys:
            console.print(f"[red]Video {args.video} is not a registered partition.[/red]")
            return EXIT_USAGE
        keys = [args.video]
    if not keys:
        console.print("No videos registered yet: run `pixel-voice run LIST` or `make dev`.")
        return EXIT_OK
    table = Table("video", *[a.key.to_user_string() for a in PER_VIDEO_ASSETS])
    statuses = {
        a.key: instance.get_status_by_partition(a.key, keys, videos_partitions) or {}
        for a in PER_VIDEO_ASSETS
    }
    for key in keys:
        cells = []
        for asset in PER_VIDEO_ASSETS:
            status = statuses[asset.key].get(key)
            cells.append(status.value.lower().replace("_", " ") if status else "missing")
        table.add_row(key, *cells)
    console.print(table)
    if args.video:
        _print_video_metadata(console, instance, args.video, PER_VIDEO_ASSETS)
    storage = _resources(None)["storage"].get_storage()
    failures = storage.read_table(FAILURES)
    failures = failures[failures["video_id"].isin(keys)]
    if not failures.empty:
        failed = Table("video", "asset", "error", "message", title="Open failures")
        for row in failures.itertuples():
            failed.add_row(row.video_id, row.asset, row.error_type, row.message)
        console.print(failed)
    return EXIT_OK


def _print_video_metadata(console: Console, instance, video_id: str, assets) -> None:
    import dagster as dg

    for asset in assets:
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset.key, asset_partitions=[video_id]), limit=1
        ).records
        if not records:
            continue
        materialization = records[0].asset_materialization
        table = Table("metadata", "value", title=asset.key.to_user_string(), title_justify="left")
        for name, value in (materialization.metadata if materialization else {}).items():
            text = str(getattr(value, "value", value))
            table.add_row(name, text if len(text) < 400 else text[:400] + "…")
        console.print(table)


def cmd_query(args: argparse.Namespace, console: Console) -> int:
    from pixel_assets.warehouse.query import connect

    storage = _resources(None)["storage"].get_storage()
    con = connect(storage)
    try:
        frame = con.execute(args.sql).df()
    except duckdb.Error as exc:
        tables = ", ".join(storage.table_names())
        console.print(f"[red]Query failed: {exc}[/red]\nTables: {tables}")
        return EXIT_USAGE
    _print_frame(console, frame, args.format)
    return EXIT_OK


def cmd_clip(args: argparse.Namespace, console: Console) -> int:
    from pixel_assets.audio.clips import export_clip
    from pixel_assets.ingest.raw_audio import audio_parts

    storage = _resources(None)["storage"].get_storage()
    table = storage.read_table("segments")
    rows = table[table["segment_id"] == args.segment_id]
    if rows.empty:
        console.print(
            f"[red]Segment {args.segment_id!r} is not in the segments table; list them with "
            "`pixel-voice query \"SELECT segment_id FROM segments\"`.[/red]"
        )
        return EXIT_USAGE
    row = rows.iloc[0]
    out = Path(args.output or f"{args.segment_id}.wav")
    audio_file = storage.local_copy(*audio_parts(row["video_id"]))
    export_clip(audio_file, row["start_s"], row["end_s"], out)
    console.print(f"Wrote {out} ({row['end_s'] - row['start_s']:.2f}s of {row['video_id']}).")
    return EXIT_OK


def _print_frame(console: Console, frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", lines=True, date_format="iso"))
    else:
        table = Table(*[str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            table.add_row(*["" if pd.isna(v) else str(v) for v in row])
        console.print(table)
        console.print(f"{len(frame)} rows")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pixel-voice", description="Pixel Voice: video lists to validated training data."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="register a list's videos and materialise them in-process")
    run.add_argument("list_file", help="a .txt, .csv or .jsonl video list")
    run.add_argument("--until", help="stop after this per-video asset (e.g. raw_audio)")
    run.add_argument(
        "--allow-local-files",
        action="store_true",
        help="accept local paths / file:// URLs in the list (inside the list's folder)",
    )
    run.add_argument(
        "--set",
        action="append",
        metavar="RESOURCE.FIELD=VALUE",
        help="override a resource setting for this run, e.g. audio_quality.min_snr_db=5",
    )
    run.add_argument("--config", help="run config YAML, as in the launchpad")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument(
        "--log-level",
        default="critical",
        choices=["debug", "info", "warning", "error", "critical"],
        help="Dagster step logs shown while running (the summary lists every failure)",
    )
    run.set_defaults(handler=cmd_run)

    status = sub.add_parser("status", help="each video's latest state per asset")
    status.add_argument("--video", help="one video, with its assets' metadata")
    status.set_defaults(handler=cmd_status)

    query = sub.add_parser("query", help="run DuckDB SQL over the warehouse tables")
    query.add_argument("sql", help='e.g. "SELECT video_id, duration_s FROM videos"')
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.set_defaults(handler=cmd_query)
    clip = sub.add_parser("clip", help="export one segment's audio to a file")
    clip.add_argument("segment_id", help="e.g. dQw4w9WgXcQ_0003 (see the segments table)")
    clip.add_argument("-o", "--output", help="output file (.wav or .flac); default SEGMENT.wav")
    clip.set_defaults(handler=cmd_clip)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=False, width=200 if not sys.stdout.isatty() else None)
    return int(args.handler(args, console))


if __name__ == "__main__":
    raise SystemExit(main())
