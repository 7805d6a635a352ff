"""Tables that say where each video stands: open failures and the state of every stage."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pixel_assets.warehouse.contract import TableSpec

# The state a per-video stage is in for one video (``pending`` = not run yet; never stored).
STATES = ("passed", "stopped", "failed", "interrupted")


class PipelineFailureRow(pa.DataFrameModel):
    """``pipeline_failures``: the open failure of each (video, asset), removed on success."""

    video_id: Series[str]
    asset: Series[str]
    error_type: Series[str]
    message: Series[str]
    source_url: Series[str] = pa.Field(nullable=True)
    run_id: Series[str] = pa.Field(nullable=True)
    failed_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs={"unit": "ns", "tz": "UTC"})

    class Config:
        coerce = True


class StageStatusRow(pa.DataFrameModel):
    """``stage_status``: the latest outcome of one per-video stage for one video."""

    video_id: Series[str]
    asset: Series[str]
    stage_order: Series[int] = pa.Field(ge=0, description="position in the per-video chain")
    state: Series[str] = pa.Field(isin=list(STATES))
    error_type: Series[str] = pa.Field(nullable=True)
    reason: Series[str] = pa.Field(nullable=True)
    run_id: Series[str] = pa.Field(nullable=True)
    updated_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs={"unit": "ns", "tz": "UTC"})

    class Config:
        coerce = True


# Both are keyed by "<video_id>__<asset>" so each stage of each video is one small file.
VIDEO_ASSET_PARTITION = "video_asset"

TABLES = (
    TableSpec(
        "pipeline_failures", PipelineFailureRow, VIDEO_ASSET_PARTITION,
        description="open failures per video and asset",
    ),
    TableSpec(
        "stage_status", StageStatusRow, VIDEO_ASSET_PARTITION,
        description="latest state of every per-video stage for every video",
    ),
)
