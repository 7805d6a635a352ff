"""``pixel-voice``: run the pipeline on a list, see its state, query its tables.

The CLI drives Dagster in-process on the instance in ``$DAGSTER_HOME`` (default
``./.dagster_home``), so what it runs shows up in the Dagster UI too. ``status`` and
``query`` never import Dagster or the pipeline: they read the warehouse files directly, so
they answer in about a second. Every piece of user-supplied text (list lines, URLs, error
messages) is escaped before rich prints it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

EXIT_OK = 0
EXIT_USAGE = 2  # bad input, or an environment the pipeline cannot run in
EXIT_INTERRUPTED = 130  # as shells report SIGINT

# How each stage_status / pipeline_failures state reads in `status`.
_STATE_LABELS = {
    "passed": "done",
    "stopped": "stopped by check",
    "failed": "failed",
    "interrupted": "interrupted",
}


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
    state: str  # done | skipped | failed | interrupted
    reason: str | None = None


def _resources(allow_local_files: bool | None) -> dict[str, Any]:
    from dataclasses import replace

    from pixel_assets.resources import resources_for
    from pixel_assets.settings import load_settings

    settings = load_settings()
    if allow_local_files is not None:
        settings = replace(settings, allow_local_files=allow_local_files)
    return resources_for(settings)


def _storage():
    """The warehouse :class:`Storage` from the environment, without building any resource."""
    from pixel_assets.catalog import open_storage
    from pixel_assets.settings import load_settings

    settings = load_settings()
    options: dict[str, Any] = {}
    if "://" in settings.data_dir and not settings.data_dir.startswith("file://"):
        # s3fs reads AWS credentials from the environment itself.
        if settings.s3_endpoint_url:
            options["endpoint_url"] = settings.s3_endpoint_url
        if settings.aws_region:
            options["client_kwargs"] = {"region_name": settings.aws_region}
    return open_storage(settings.data_dir, storage_options=options)


# ---------------------------------------------------------------------------------- run
class _Interrupted(Exception):
    """Ctrl-C or SIGTERM while the CLI (not a Dagster step) was running."""


def _raise_interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def cmd_run(args: argparse.Namespace, console: Console) -> int:
    import dagster as dg

    from pixel_assets.definitions import PER_VIDEO_ASSETS
    from pixel_assets.ingest.registry import record_list, record_list_error
    from pixel_assets.ingest.video_lists import VideoListError, read_video_list
    from pixel_assets.partitions import videos_partitions

    _ensure_dagster_home()
    resources = _resources(True if args.allow_local_files else None)
    ingest = resources["ingest"]
    storage = resources["storage"].get_storage()
    list_path = Path(args.list_file)
    if not list_path.is_file():
        console.print(f"[red]Video list {escape(str(list_path))} does not exist.[/red]")
        return EXIT_USAGE
    try:
        parsed = read_video_list(list_path, local_files=ingest.local_file_policy())
    except VideoListError as exc:
        # Recorded as the sensor records it, so `ingest_rejections` lists it either way.
        record_list_error(storage, str(list_path.resolve()), str(exc))
        console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_USAGE
    record_list(storage, parsed)

    asset_keys = {a.key.to_user_string(): a.key for a in PER_VIDEO_ASSETS}
    if args.until and args.until not in asset_keys:
        console.print(
            f"[red]--until {escape(repr(args.until))} is not a per-video asset; "
            f"choose one of {', '.join(asset_keys)}.[/red]"
        )
        return EXIT_USAGE
    selected = (
        dg.AssetSelection.assets(asset_keys[args.until]).upstream()
        if args.until
        else dg.AssetSelection.assets(*asset_keys.values())
    )
    try:
        run_config = _run_config(args, resources)
    except ValueError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_USAGE

    instance = dg.DagsterInstance.get()
    existing = set(instance.get_dynamic_partitions(videos_partitions.name))
    new_keys = [v for v in parsed.video_ids if v not in existing]
    if new_keys:
        instance.add_dynamic_partitions(videos_partitions.name, new_keys)

    planner = _RerunPlanner(instance, PER_VIDEO_ASSETS, selected, resources, run_config)
    outcomes: list[VideoOutcome] = []
    previous = {s: signal.signal(s, _raise_interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    current: str | None = None
    try:
        for number, video_id in enumerate(parsed.video_ids, start=1):
            current = video_id
            if not args.quiet:
                console.print(f"[{number}/{len(parsed.video_ids)}] video {escape(video_id)}")
            with _video_lock(video_id):  # a concurrent run of this video finishes first
                stale = selected if args.force else planner.stale_selection(
                    video_id, _open_failures(storage, video_id)
                )
                if stale is None:
                    outcomes.append(VideoOutcome(video_id, "skipped", "up to date"))
                    continue
                result = dg.materialize(
                    PER_VIDEO_ASSETS,
                    selection=stale,
                    partition_key=video_id,
                    instance=instance,
                    resources=resources,
                    raise_on_error=False,
                    run_config=run_config,
                    tags={"pixel/launched_by": "cli", **planner.tags()},
                )
            if _was_interrupted(result):
                raise _Interrupted(video_id)
            outcomes.append(VideoOutcome(video_id, "done" if result.success else "failed"))
            current = None
    except (KeyboardInterrupt, _Interrupted, dg.DagsterExecutionInterruptedError):
        if current is not None:
            _record_interrupted(storage, current)
            outcomes.append(VideoOutcome(current, "interrupted", "stopped by Ctrl-C / SIGTERM"))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    _explain_failures(storage, outcomes)
    _print_summary(console, parsed, outcomes, storage.root)
    if any(o.state == "interrupted" for o in outcomes):
        return EXIT_INTERRUPTED
    from pixel_assets.errors import StorageUnavailableError

    if any(o.reason and o.reason.startswith(StorageUnavailableError.error_type)
           for o in outcomes):
        return EXIT_USAGE
    return EXIT_OK


class _RerunPlanner:
    """Which selected assets of a video need materialising: those never materialised, with an
    open failure or stop, materialised by another code version or run config, or older than
    an upstream materialisation (its input changed). Everything else is up to date."""

    def __init__(self, instance, assets, selection, resources: dict, run_config: dict) -> None:
        import hashlib
        import json

        import dagster as dg

        self.instance, self.selection = instance, selection
        graph = dg.Definitions(assets=assets, resources=resources).resolve_asset_graph()
        chosen = selection.resolve(graph)
        self.order = [a.key for a in assets if a.key in chosen]
        self.parents = {k: [p for p in graph.get(k).parent_keys if p in chosen]
                        for k in self.order}
        self.code_versions = {k: graph.get(k).code_version for k in self.order}
        settings = {name: r.model_dump(mode="json") for name, r in sorted(resources.items())
                    if hasattr(r, "model_dump")}
        config = {k: v for k, v in run_config.items() if k != "loggers"}
        blob = json.dumps({"resources": settings, "run_config": config}, sort_keys=True,
                          default=str)
        self.config_hash = hashlib.sha256(blob.encode()).hexdigest()[:16]

    def tags(self) -> dict[str, str]:
        return {"pixel/config_hash": self.config_hash}

    def stale_selection(self, video_id: str, open_failures: set[str]):
        """The selection to run for ``video_id`` (stale assets and their descendants), or
        None when every selected asset is up to date."""
        import dagster as dg

        records = {}
        for key in self.order:
            found = self.instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=key, asset_partitions=[video_id]), limit=1
            ).records
            records[key] = found[0] if found else None
        stale = []
        for key in self.order:
            record = records[key]
            if record is None or key.to_user_string() in open_failures:
                stale.append(key)
                continue
            tags = record.asset_materialization.tags or {}
            run = self.instance.get_run_by_id(record.run_id)
            if (tags.get("dagster/code_version") != (self.code_versions[key] or record.run_id)
                    and self.code_versions[key] is not None) or (
                    run is None or run.tags.get("pixel/config_hash") != self.config_hash):
                stale.append(key)
            elif any(records[p] is None or records[p].storage_id > record.storage_id
                     for p in self.parents[key]):
                stale.append(key)
        if not stale:
            return None
        return dg.AssetSelection.assets(*stale).downstream() & self.selection


@contextmanager
def _video_lock(video_id: str) -> Iterator[None]:
    """Hold this video's lock under $DAGSTER_HOME: a second CLI on the same video waits,
    then finds it up to date instead of running it twice."""
    import fcntl

    folder = Path(os.environ["DAGSTER_HOME"]) / "locks"
    folder.mkdir(exist_ok=True)
    with open(folder / f"{video_id}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _open_failures(storage: Any, video_id: str) -> set[str]:
    from pixel_assets.failures import TABLE

    failures = storage.read_table(TABLE)
    return set(failures.loc[failures["video_id"] == video_id, "asset"])


def _was_interrupted(result: Any) -> bool:
    from pixel_assets.errors import INTERRUPTED

    for event in result.all_events:
        if event.event_type_value != "STEP_FAILURE":
            continue
        data = event.step_failure_data
        user = data.user_failure_data
        if user is not None and str(getattr(user.metadata.get("error_type"), "value", "")) == (
            INTERRUPTED
        ):
            return True
        error = data.error
        while error is not None:
            if error.cls_name in ("DagsterExecutionInterruptedError", "KeyboardInterrupt"):
                return True
            error = error.cause
    return False


def _record_interrupted(storage: Any, video_id: str) -> None:
    from pixel_assets.errors import INTERRUPTED
    from pixel_assets.failures import TABLE, record_failure

    open_failures = storage.read_table(TABLE)
    if ((open_failures["video_id"] == video_id)
            & (open_failures["error_type"] == INTERRUPTED)).any():
        return  # the step recorded it itself
    record_failure(
        storage, video_id=video_id, asset="run", error_type=INTERRUPTED,
        message=f"Video {video_id}: the run was interrupted (Ctrl-C or SIGTERM); re-run it.",
    )


def _explain_failures(storage: Any, outcomes: list[VideoOutcome]) -> None:
    from pixel_assets.failures import TABLE

    failures = storage.read_table(TABLE)
    for outcome in outcomes:
        if outcome.state != "failed":
            continue
        rows = failures[failures["video_id"] == outcome.video_id]
        outcome.reason = (
            "; ".join(f"{r.error_type}: {r.asset}: {r.message}" for r in rows.itertuples())
            if not rows.empty
            else "a stage failed; see `pixel-voice status` or the Dagster UI"
        )


def _run_config(args: argparse.Namespace, resources: dict) -> dict:
    """Run config from ``--config FILE`` (launchpad YAML) and ``--set resource.field=value``."""
    import yaml

    # The progress lines and summary are the CLI's output; Dagster's step logs stay in the UI.
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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _print_summary(console: Console, parsed, outcomes: list[VideoOutcome], root: str) -> None:
    counts = {s: sum(o.state == s for o in outcomes) for s in
              ("done", "skipped", "failed", "interrupted")}
    line = (
        f"\n[bold]{counts['done']} done[/bold], [bold]{counts['failed']} failed[/bold], "
        f"[bold]{_plural(len(parsed.rejections), 'rejected line')}[/bold]"
    )
    if counts["skipped"]:
        line += f", {counts['skipped']} skipped (already up to date; --force recomputes)"
    if counts["interrupted"]:
        left = len(parsed.video_ids) - len(outcomes)
        line += f", [bold red]interrupted[/bold red] ({left} not started)"
    console.print(line + f" in {escape(parsed.list_file)}")
    shown = [o for o in outcomes if o.state in ("failed", "interrupted")]
    if shown:
        table = Table("video", "reason", title="Failed videos", title_justify="left")
        for outcome in shown:
            table.add_row(escape(outcome.video_id), escape(outcome.reason or ""))
        console.print(table)
    if parsed.rejections:
        table = Table("line", "text", "reason", title="Rejected lines", title_justify="left")
        for rejection in parsed.rejections:
            table.add_row(
                str(rejection.line_number), escape(rejection.raw_text.strip()),
                escape(rejection.reason),
            )
        console.print(table)
    console.print(
        f"Results under {escape(root)}; query them with "
        "`pixel-voice query \"SELECT * FROM videos\"` or open the UI with `make dev`."
    )


# ------------------------------------------------------------------------------- status
def _local_warehouse() -> Path | None:
    from pixel_assets.settings import load_settings

    data_dir = load_settings().data_dir
    if "://" in data_dir and not data_dir.startswith("file://"):
        return None
    return Path(data_dir.removeprefix("file://")) / "warehouse"


def _read_rows(table: str, columns: str) -> list[tuple]:
    """``columns`` of every row of one warehouse table, [] if it has no files yet."""
    from pixel_assets.warehouse.query import connect_local, run_query

    warehouse = _local_warehouse()
    if warehouse is None:
        from pixel_assets.warehouse.query import connect

        con = connect(_storage())
    else:
        if not any((warehouse / table).glob("*/part.parquet")):
            return []
        con = connect_local(warehouse.parent)
    if table not in _views(con):
        return []
    return run_query(con, f"SELECT {columns} FROM {table}").rows


def _views(con) -> set[str]:
    from pixel_assets.warehouse.query import table_names

    return set(table_names(con))


def cmd_status(args: argparse.Namespace, console: Console) -> int:
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
        cells[(video_id, asset)] = _STATE_LABELS.get(state, state)
    for video_id, asset, error_type, _ in failures:
        # A failure the stage table does not know yet (older runs, the CLI's own records).
        cells.setdefault((video_id, asset), "interrupted" if error_type == "interrupted"
                         else "failed")
    table = Table("video", *assets)
    for video_id in videos:
        table.add_row(escape(video_id), *[cells.get((video_id, a), "not run") for a in assets])
    console.print(table)
    shown = [f for f in failures if f[0] in videos]
    if shown:
        failed = Table("video", "asset", "error", "message", title="Open failures")
        for video_id, asset, error_type, message in shown:
            failed.add_row(escape(video_id), escape(asset), escape(error_type), escape(message))
        console.print(failed)
    if args.video:
        _print_video_metadata(console, args.video)
    return EXIT_OK


def _readable(value: Any) -> str:
    """One metadata value as short text: numbers rounded, images and blobs summarised."""
    import json

    raw = getattr(value, "value", value)
    if isinstance(raw, float):
        return f"{raw:.4g}"
    if isinstance(raw, dict | list):
        text = json.dumps(raw, default=str)
    else:
        text = str(raw)
    if "data:image" in text or "base64," in text:
        return "(image: open this asset in the Dagster UI)"
    return text if len(text) <= 160 else text[:160] + "…"


def _print_video_metadata(console: Console, video_id: str) -> None:
    import dagster as dg

    _ensure_dagster_home()
    instance = dg.DagsterInstance.get()
    for key in instance.get_asset_keys():
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=[video_id]), limit=1
        ).records
        if not records or records[0].asset_materialization is None:
            continue
        metadata = records[0].asset_materialization.metadata
        table = Table("metadata", "value", title=key.to_user_string(), title_justify="left")
        for name, value in metadata.items():
            table.add_row(escape(name), escape(_readable(value)))
        console.print(table)


# -------------------------------------------------------------------------------- query
def cmd_query(args: argparse.Namespace, console: Console) -> int:
    import duckdb

    from pixel_assets.warehouse.query import (
        ReadOnlyQueryError,
        connect,
        connect_local,
        run_query,
        table_names,
    )

    warehouse = _local_warehouse()
    con = connect(_storage()) if warehouse is None else connect_local(warehouse.parent)
    try:
        try:
            result = run_query(con, args.sql)
        except duckdb.CatalogException:
            if warehouse is None:
                raise
            # A declared table without files yet: load the declarations (slower) and retry.
            from pixel_assets.catalog import TABLES

            empty = {name: spec.arrow_schema().empty_table() for name, spec in TABLES.items()}
            con = connect_local(warehouse.parent, empty_tables=empty)
            result = run_query(con, args.sql)
    except ReadOnlyQueryError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_USAGE
    except duckdb.Error as exc:
        tables = ", ".join(table_names(con))
        console.print(f"[red]Query failed: {escape(str(exc))}[/red]\nTables: {tables}")
        return EXIT_USAGE
    _print_result(console, result, args.format)
    return EXIT_OK


def _print_result(console: Console, result: Any, fmt: str) -> None:
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
    console.print(_plural(len(rows), "row"))


# --------------------------------------------------------------------------------- clip
def cmd_clip(args: argparse.Namespace, console: Console) -> int:
    from pixel_assets.audio.clips import export_clip
    from pixel_assets.ingest.raw_audio import audio_parts

    storage = _storage()
    table = storage.read_table("segments")
    rows = table[table["segment_id"] == args.segment_id]
    if rows.empty:
        console.print(
            f"[red]Segment {escape(repr(args.segment_id))} is not in the segments table; list "
            "them with `pixel-voice query \"SELECT segment_id FROM segments\"`.[/red]"
        )
        return EXIT_USAGE
    row = rows.iloc[0]
    out = Path(args.output or f"{args.segment_id}.wav")
    audio_file = storage.local_copy(*audio_parts(row["video_id"]))
    export_clip(audio_file, row["start_s"], row["end_s"], out)
    console.print(
        f"Wrote {escape(str(out))} ({row['end_s'] - row['start_s']:.2f}s of "
        f"{escape(row['video_id'])})."
    )
    return EXIT_OK


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
    run.add_argument(
        "--force", action="store_true",
        help="recompute every video, even those already up to date",
    )
    run.add_argument("--quiet", action="store_true", help="no progress lines")
    run.add_argument(
        "--log-level",
        default="critical",
        choices=["debug", "info", "warning", "error", "critical"],
        help="Dagster step logs shown while running (the summary lists every failure)",
    )
    run.set_defaults(handler=cmd_run)

    status = sub.add_parser("status", help="each video's state per asset")
    status.add_argument("--video", help="one video, with its assets' metadata")
    status.set_defaults(handler=cmd_status)

    query = sub.add_parser("query", help="run one read-only DuckDB SELECT over the tables")
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
    try:
        return int(args.handler(args, console))
    except OSError as exc:
        from pixel_assets.errors import environment_problem

        problem = environment_problem(exc)
        if problem is None:
            raise
        # The machine, not the input: one clear line instead of a traceback.
        console.print(
            f"[red]pixel-voice {escape(args.command)}: {escape(problem)}.[/red] Fix: free disk "
            "space or make PIXEL_DATA_DIR and DAGSTER_HOME writable, then run it again."
        )
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
