"""Where each video stands: ``stage_status`` rows and the ``video_status`` view over them.

Every per-video stage writes one ``stage_status`` row per video when it ends: ``passed``,
``stopped`` (a blocking check stopped the video, with the reason), ``failed`` or
``interrupted``. ``video_status`` has one row per known video: the first stage (in chain
order) that is not passed, else the last passed stage, and ``passing``. Cross-video stages
read only videos with ``passing`` true, so a stopped or failed video drops out of every
corpus-level result on the next refresh, whatever rows it left behind.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pandas as pd

from pixel_assets.status.schemas import STATES
from pixel_assets.status.sql import VIDEO_STATUS_SQL
from pixel_assets.warehouse.storage import Storage

TABLE = "stage_status"

def status_key(video_id: str, asset: str) -> str:
    """The ``video_asset`` partition key of one stage of one video."""
    return f"{video_id}__{asset}"


def record_stage(
    storage: Storage,
    video_id: str,
    asset: str,
    stage_order: int,
    state: str,
    *,
    error_type: str | None = None,
    reason: str | None = None,
    run_id: str | None = None,
) -> None:
    """Write (replace) the state of ``asset`` for ``video_id``."""
    if state not in STATES:
        raise ValueError(f"stage state {state!r}: use one of {', '.join(STATES)}")
    frame = pd.DataFrame(
        [
            {
                "video_id": video_id,
                "asset": asset,
                "stage_order": stage_order,
                "state": state,
                "error_type": error_type,
                "reason": reason,
                "run_id": run_id,
                "updated_at": datetime.now(UTC),
            }
        ]
    )
    storage.write_partition(TABLE, status_key(video_id, asset), frame)


def clear_stage(storage: Storage, video_id: str, asset: str) -> bool:
    """Forget the state of ``asset`` for ``video_id`` (it is pending again)."""
    return storage.delete_partition(TABLE, status_key(video_id, asset))


def video_status(storage: Storage) -> pd.DataFrame:
    """One row per known video: state, stage, error_type, reason, last_passed_stage, passing."""
    con = duckdb.connect(":memory:")
    con.register("stage_status", storage.read_table(TABLE))
    con.register("video_sources", storage.read_table("video_sources")[["video_id"]])
    return con.execute(VIDEO_STATUS_SQL).df()


def passing_videos(storage: Storage) -> set[str]:
    """Videos whose per-video chain currently passes (no stage stopped, failed, interrupted)."""
    status = video_status(storage)
    return set(status.loc[status["passing"].astype(bool), "video_id"])
