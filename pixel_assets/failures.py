"""The ``pipeline_failures`` table: the open failure of each (video, asset), if any.

A failure is written when a stage fails for a video and removed when that stage next
succeeds for it, so the table always lists what still needs attention; Dagster's run
history keeps the full record.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pandas as pd

from pixel_assets.errors import environment_problem
from pixel_assets.ingest.urls import redact_text, redact_url
from pixel_assets.warehouse.storage import Storage

_log = logging.getLogger(__name__)

TABLE = "pipeline_failures"
_PARTITION = "video_asset"


def _key(video_id: str, asset: str) -> str:
    return f"{video_id}__{asset}"


def record_failure(
    storage: Storage,
    *,
    video_id: str,
    asset: str,
    error_type: str,
    message: str,
    source_url: str | None = None,
    run_id: str | None = None,
) -> None:
    """Write (replace) the open failure of ``asset`` for ``video_id``.

    ``source_url`` defaults to the URL the video was registered with; URLs (there and in the
    message) are stored without credentials. If the storage itself cannot be written
    (read-only, full) the failure is logged instead: the step still fails with the message.
    """
    if source_url is None:
        source_url = registered_url(storage, video_id)
    frame = pd.DataFrame(
        [
            {
                "video_id": video_id,
                "asset": asset,
                "error_type": error_type,
                "message": redact_text(message),
                "source_url": redact_url(source_url) if source_url else None,
                "run_id": run_id,
                "failed_at": datetime.now(UTC),
            }
        ]
    )
    try:
        storage.write_partition(TABLE, _key(video_id, asset), frame, column=_PARTITION)
    except OSError as exc:
        problem = environment_problem(exc)
        if problem is None:
            raise
        _log.warning("Video %s: cannot record its %s failure (%s).", video_id, asset, problem)


def registered_url(storage: Storage, video_id: str) -> str | None:
    """The (redacted) URL a list registered ``video_id`` with, None if no list names it."""
    try:
        sources = storage.read_table("video_sources")
    except OSError:
        return None
    if sources.empty:
        return None
    rows = sources[sources["video_id"] == video_id]
    return None if rows.empty else str(rows.iloc[0]["source_url"])


def clear_failure(storage: Storage, *, video_id: str, asset: str) -> None:
    """Remove the open failure of ``asset`` for ``video_id`` after a success."""
    storage.delete_partition(TABLE, _key(video_id, asset), column=_PARTITION)
