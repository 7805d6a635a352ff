"""``pixel-voice run LIST``: register a list's videos and materialise them in-process.

Runs on the Dagster instance in ``$DAGSTER_HOME``, so what it runs shows in the UI too.
Videos already up to date are skipped (``--force`` recomputes, see :mod:`.rerun`); Ctrl-C
or SIGTERM ends the run within seconds with the video in flight recorded as interrupted.
"""

from __future__ import annotations

import argparse
import signal
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pixel_assets.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    ensure_dagster_home,
    plural,
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``run`` to the main CLI's sub-parsers."""
    run = subparsers.add_parser(
        "run", help="register a list's videos and materialise them in-process"
    )
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
    run.add_argument(
        "--no-analysis", action="store_true",
        help="skip the cross-video analysis refresh after the per-video assets",
    )
    run.add_argument("--quiet", action="store_true", help="no progress lines")
    run.add_argument(
        "--log-level",
        default="critical",
        choices=["debug", "info", "warning", "error", "critical"],
        help="Dagster step logs shown while running (the summary lists every failure)",
    )
    return run


@dataclass
class VideoOutcome:
    """What happened to one video of the list in this run."""

    video_id: str
    state: str  # done | skipped | failed | interrupted
    reason: str | None = None


class _Interrupted(Exception):
    """Ctrl-C or SIGTERM while the CLI (not a Dagster step) was running."""


def _raise_interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _resources(allow_local_files: bool | None) -> dict[str, Any]:
    from pixel_assets.resources import resources_for
    from pixel_assets.settings import load_settings

    settings = load_settings()
    if allow_local_files is not None:
        settings = replace(settings, allow_local_files=allow_local_files)
    return resources_for(settings)


def run(args: argparse.Namespace, console: Console) -> int:
    """Carry out ``pixel-voice run``; returns the exit code."""
    import dagster as dg

    from pixel_assets.cli.rerun import RerunPlanner, open_failures, video_lock
    from pixel_assets.definitions import PER_VIDEO_ASSETS
    from pixel_assets.ingest.registry import record_list, record_list_error
    from pixel_assets.ingest.video_lists import VideoListError, read_video_list
    from pixel_assets.partitions import videos_partitions

    ensure_dagster_home()
    resources = _resources(True if args.allow_local_files else None)
    ingest = resources["ingest"]
    storage = resources["storage"].get_storage()
    _cache_declared_tables()
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
    if not _list_unchanged(storage, parsed):
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
        run_config = run_config_from(args, resources)
    except ValueError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_USAGE

    instance = dg.DagsterInstance.get()
    existing = set(instance.get_dynamic_partitions(videos_partitions.name))
    new_keys = [v for v in parsed.video_ids if v not in existing]
    if new_keys:
        instance.add_dynamic_partitions(videos_partitions.name, new_keys)

    planner = RerunPlanner(instance, PER_VIDEO_ASSETS, selected, resources, run_config)
    outcomes: list[VideoOutcome] = []
    previous = {s: signal.signal(s, _raise_interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    current: str | None = None
    analysis: Any = None
    analysis_interrupted = False
    try:
        for number, video_id in enumerate(parsed.video_ids, start=1):
            current = video_id
            if not args.quiet:
                console.print(f"[{number}/{len(parsed.video_ids)}] video {escape(video_id)}")
            with video_lock(video_id):  # a concurrent run of this video finishes first
                stale = selected if args.force else planner.stale_selection(
                    video_id, open_failures(storage, video_id)
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
            if _was_interrupted(result) or _recorded_interrupted(storage, video_id,
                                                                  result.run_id):
                raise _Interrupted(video_id)
            outcomes.append(VideoOutcome(video_id, "done" if result.success else "failed"))
            current = None
        if not args.until and not args.no_analysis:
            analysis = _refresh_analysis(console, args, instance, resources, run_config)
    except (KeyboardInterrupt, _Interrupted, dg.DagsterExecutionInterruptedError):
        if current is not None:
            _record_interrupted(storage, current)
            outcomes.append(VideoOutcome(current, "interrupted", "stopped by Ctrl-C / SIGTERM"))
        else:
            analysis_interrupted = True
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    _explain_failures(storage, outcomes)
    print_summary(console, parsed, outcomes, storage.root)
    if analysis is not None and (not args.quiet or not analysis.corpus_success):
        console.print(escape(analysis.message))
    if analysis_interrupted:
        console.print("[bold red]The cross-video analysis was interrupted[/bold red]; "
                      "the next run (or the automation sensor) refreshes it.")
    if any(o.state == "interrupted" for o in outcomes) or analysis_interrupted:
        return EXIT_INTERRUPTED
    from pixel_assets.errors import StorageUnavailableError

    if any(o.reason and o.reason.startswith(StorageUnavailableError.error_type)
           for o in outcomes):
        return EXIT_USAGE
    return EXIT_OK


def _refresh_analysis(
    console: Console, args: argparse.Namespace, instance: Any, resources: dict[str, Any],
    run_config: dict[str, Any],
) -> Any:
    """Refit the cross-video analysis over every passing video when new results landed (the
    automation sensor would do it within minutes; the CLI yields the full result now)."""
    from pixel_assets.analysis.automation import refresh_analysis
    from pixel_assets.definitions import ASSETS

    if not args.quiet:
        console.print("Cross-video analysis (corpus models, then each passing video)")
    return refresh_analysis(ASSETS, instance, resources, run_config=run_config,
                            tags={"pixel/launched_by": "cli"}, only_if_stale=True)


def _cache_declared_tables() -> None:
    # The catalogue is imported here anyway; caching its column types lets `query` show
    # declared tables that have no files yet without importing it (seconds) later.
    from pixel_assets.catalog import TABLES
    from pixel_assets.warehouse.query import (
        declared_columns,
        declared_tables_file,
        save_declared_tables,
    )

    path = declared_tables_file()
    if not path.exists():
        save_declared_tables(path, declared_columns(TABLES))


def _list_unchanged(storage: Any, parsed: Any) -> bool:
    """True when the list's stored rows already say what ``parsed`` says (registration times
    aside), so re-running an unchanged list rewrites neither table."""
    from datetime import UTC, datetime

    from pixel_assets.ingest.registry import LIST_PARTITION, rejections_frame, sources_frame
    from pixel_assets.ingest.video_lists import list_id_for
    from pixel_assets.warehouse.contract import to_arrow

    now = datetime.now(UTC)
    list_id = list_id_for(parsed.list_file)
    for table, fresh, stamp in (
        ("video_sources", sources_frame(parsed, now), "registered_at"),
        ("ingest_rejections", rejections_frame(parsed, now), "detected_at"),
    ):
        stored = storage.read_partition(table, list_id, column=LIST_PARTITION)
        if stored is None or fresh.empty:
            if (stored is None) != fresh.empty:
                return False
            continue
        spec = storage.spec(table)
        if not to_arrow(spec, stored).drop_columns([stamp]).equals(
            to_arrow(spec, fresh).drop_columns([stamp])
        ):
            return False
    return True


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


def _recorded_interrupted(storage: Any, video_id: str, run_id: str) -> bool:
    # A step that was interrupted records itself (stage_recorded) and fails without saying
    # why in the event, so the run's own row in pipeline_failures is what tells.
    from pixel_assets.errors import INTERRUPTED
    from pixel_assets.failures import TABLE

    rows = storage.read_table(TABLE)
    return bool(((rows["video_id"] == video_id) & (rows["error_type"] == INTERRUPTED)
                 & (rows["run_id"] == run_id)).any())


def _record_interrupted(storage: Any, video_id: str) -> None:
    from pixel_assets.errors import INTERRUPTED
    from pixel_assets.failures import TABLE, record_failure

    open_rows = storage.read_table(TABLE)
    if ((open_rows["video_id"] == video_id) & (open_rows["error_type"] == INTERRUPTED)).any():
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


def run_config_from(args: argparse.Namespace, resources: dict[str, Any]) -> dict[str, Any]:
    """Run config from ``--config FILE`` (launchpad YAML) and ``--set resource.field=value``.

    Raises:
        ValueError: naming the file or the ``--set`` item and how to write it.
    """
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


def print_summary(console: Console, parsed: Any, outcomes: list[VideoOutcome], root: str) -> None:
    """Counts, failed videos with reasons, rejected lines, and where the results are."""
    counts = {s: sum(o.state == s for o in outcomes) for s in
              ("done", "skipped", "failed", "interrupted")}
    line = (
        f"\n[bold]{counts['done']} done[/bold], [bold]{counts['failed']} failed[/bold], "
        f"[bold]{plural(len(parsed.rejections), 'rejected line')}[/bold]"
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
