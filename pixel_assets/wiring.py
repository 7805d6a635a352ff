"""Shared Dagster glue for per-video assets: failures become rows and clear messages."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import dagster as dg
from dagster_shared.check import CheckError

from pixel_assets.errors import PipelineError
from pixel_assets.failures import clear_failure, record_failure
from pixel_assets.warehouse.storage import Storage, UnsafeKeyError

# Definition metadata key listing the warehouse tables a per-video asset writes; it is shown
# in the UI and is how a quality stop finds the downstream rows it must withdraw.
TABLES_METADATA_KEY = "pixel/tables"


def writes_tables(*tables: str) -> dict[str, str]:
    """Definition metadata for an asset that writes ``tables`` (one partition per video)."""
    return {TABLES_METADATA_KEY: ", ".join(tables)}


def tables_written(metadata: Mapping[str, object]) -> list[str]:
    """The tables an asset declared with :func:`writes_tables` (none if it declared none)."""
    value = metadata.get(TABLES_METADATA_KEY)
    text = getattr(value, "value", value)  # a MetadataValue once Dagster has normalised it
    return [t.strip() for t in str(text).split(",") if t.strip()] if text else []


@contextmanager
def failures_recorded(
    context: dg.AssetExecutionContext, storage: Storage, asset: str
) -> Iterator[None]:
    """Run a per-video step; on error record it in ``pipeline_failures`` and fail the step.

    Only this partition fails: the message names the video and the fix, and retries happen
    only for errors a retry can fix (``PipelineError.retryable``).
    """
    video_id = context.partition_key
    try:
        yield
    except (PipelineError, UnsafeKeyError) as exc:
        error_type = getattr(exc, "error_type", "unsafe_partition_key")
        message = str(exc) if video_id in str(exc) else f"Video {video_id}: {exc}"
        _record(storage, video_id, asset, error_type, message, context)
        raise dg.Failure(
            description=message,
            metadata={"video_id": video_id, "error_type": error_type},
            allow_retries=getattr(exc, "retryable", False),
        ) from exc
    except Exception as exc:
        message = f"Video {video_id}: unexpected {type(exc).__name__} in {asset}: {exc}"
        _record(storage, video_id, asset, type(exc).__name__, message, context)
        raise
    else:
        clear_failure(storage, video_id=video_id, asset=asset)


def record_quality_stop(
    context: dg.AssetExecutionContext,
    storage: Storage,
    asset: str,
    error_type: str,
    message: str,
) -> list[str]:
    """Record a video stopped by a blocking quality check (its own data was still stored).

    The video's rows in every downstream per-video table are withdrawn too: a video that
    passed on an earlier run and fails now must not keep feeding later stages (or the
    training data) with rows from that earlier run. Returns the tables it was removed from.
    """
    video_id = context.partition_key
    _record(storage, video_id, asset, error_type, message, context, log=context.log.warning)
    withdrawn = []
    for node in _per_video_descendants(context):
        clear_failure(storage, video_id=video_id, asset=node.key.to_user_string())
        withdrawn += [
            table for table in tables_written(node.metadata)
            if storage.delete_partition(table, video_id)
        ]
    if withdrawn:
        context.log.warning(
            f"Video {video_id}: removed its rows from {', '.join(withdrawn)}, written by an "
            f"earlier run, because {asset} now stops it; they come back when it passes again."
        )
    return withdrawn


def _per_video_descendants(context: dg.AssetExecutionContext) -> list:
    """Asset nodes downstream of this one that share its per-video partitioning."""
    try:
        graph = context.repository_def.asset_graph  # the whole code location
    except CheckError:
        # materialize() (the CLI, tests) runs without a repository; its job may hold only the
        # selected assets, so take the graph of the code location itself.
        from pixel_assets.definitions import defs

        graph = defs.resolve_asset_graph()
    start = graph.get(context.asset_key)
    seen: dict[dg.AssetKey, object] = {}
    pending = list(start.child_keys)
    while pending:
        key = pending.pop()
        if key in seen:
            continue
        node = graph.get(key)
        if node.partitions_def != start.partitions_def:
            continue  # cross-video assets recompute from what is left
        seen[key] = node
        pending.extend(node.child_keys)
    return list(seen.values())


def _record(
    storage: Storage,
    video_id: str,
    asset: str,
    error_type: str,
    message: str,
    context: dg.AssetExecutionContext,
    log: Callable[[str], None] | None = None,
) -> None:
    (log or context.log.error)(message)
    try:
        record_failure(
            storage,
            video_id=video_id,
            asset=asset,
            error_type=error_type,
            message=message,
            run_id=context.run.run_id,
        )
    except UnsafeKeyError:
        # A key that is unsafe as a path cannot be stored; the step still fails with it.
        context.log.error(f"Partition key {video_id!r} cannot be recorded in {asset} failures.")
