"""Shared Dagster glue for per-video assets: failures become rows and clear messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from pixel_assets.errors import PipelineError
from pixel_assets.failures import clear_failure, record_failure
from pixel_assets.warehouse.storage import Storage, UnsafeKeyError


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
) -> None:
    """Record a video stopped by a blocking quality check (its data was still stored)."""
    context.log.warning(message)
    record_failure(
        storage,
        video_id=context.partition_key,
        asset=asset,
        error_type=error_type,
        message=message,
        run_id=context.run.run_id,
    )


def _record(
    storage: Storage,
    video_id: str,
    asset: str,
    error_type: str,
    message: str,
    context: dg.AssetExecutionContext,
) -> None:
    context.log.error(message)
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
