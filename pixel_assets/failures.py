"""The ``pipeline_failures`` table: the open failure of each (video, asset), if any.

A failure is written when a stage fails for a video and removed when that stage next
succeeds for it, so the table always lists what still needs attention; Dagster's run
history keeps the full record.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from pixel_assets.warehouse.storage import Storage

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
    """Write (replace) the open failure of ``asset`` for ``video_id``."""
    frame = pd.DataFrame(
        [
            {
                "video_id": video_id,
                "asset": asset,
                "error_type": error_type,
                "message": message,
                "source_url": source_url,
                "run_id": run_id,
                "failed_at": datetime.now(UTC),
            }
        ]
    )
    storage.write_partition(TABLE, _key(video_id, asset), frame, column=_PARTITION)


def clear_failure(storage: Storage, *, video_id: str, asset: str) -> None:
    """Remove the open failure of ``asset`` for ``video_id`` after a success."""
    storage.delete_partition(TABLE, _key(video_id, asset), column=_PARTITION)
