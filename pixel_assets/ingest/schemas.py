"""Tables of the ingest stage: registered list lines, rejected lines, downloaded videos."""

from __future__ import annotations

from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pixel_assets.warehouse.contract import TableSpec

# Optional per-line metadata a video list may carry (CSV columns / JSONL keys).
LIST_METADATA_COLUMNS = ("title", "speaker", "role", "tags", "language")

LIST_PARTITION = "list_id"


class VideoSourceRow(pa.DataFrameModel):
    """``video_sources``: every accepted list line (one file per list)."""

    video_id: Series[str]
    source_url: Series[str]
    source_kind: Series[str] = pa.Field(nullable=True)
    list_file: Series[str]
    list_id: Series[str]
    line_number: Series[int] = pa.Field(ge=0)
    list_title: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    list_speaker: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    list_role: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    list_tags: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    list_language: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    registered_at: Series[pd.DatetimeTZDtype] = pa.Field(
        dtype_kwargs={"unit": "ns", "tz": "UTC"}
    )

    class Config:
        coerce = True


class IngestRejectionRow(pa.DataFrameModel):
    """``ingest_rejections``: list lines that were not accepted, with the reason."""

    list_file: Series[str]
    list_id: Series[str]
    line_number: Series[int] = pa.Field(ge=0)
    raw_text: Series[str] = pa.Field(nullable=True)
    reason: Series[str]
    detected_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs={"unit": "ns", "tz": "UTC"})

    class Config:
        coerce = True


class VideoRow(pa.DataFrameModel):
    """``videos``: one row per downloaded and standardised video."""

    video_id: Series[str] = pa.Field(unique=True)
    source_url: Series[str]
    source_kind: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    title: Series[str] = pa.Field(nullable=True)
    channel: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    uploader: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    duration_s: Series[float] = pa.Field(ge=0)
    upload_date: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    webpage_url: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    extractor: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    license: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    source_format: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    sample_rate: Series[int] = pa.Field(gt=0)
    channels: Series[int] = pa.Field(gt=0)
    audio_path: Series[str]
    source_audio_path: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    loudness_lufs: Series[float] = pa.Field(nullable=True)
    source_loudness_lufs: Series[float] = pa.Field(nullable=True)
    gain_db: Series[float] = pa.Field(nullable=True)
    list_file: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    line_number: Optional[Series[pd.Int64Dtype]] = pa.Field(nullable=True)  # noqa: UP045
    list_title: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    list_speaker: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    list_role: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    list_tags: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    list_language: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    ingested_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs={"unit": "ns", "tz": "UTC"})

    class Config:
        coerce = True


VIDEO_SOURCES = TableSpec(
    "video_sources", VideoSourceRow, LIST_PARTITION, description="accepted list lines"
)
INGEST_REJECTIONS = TableSpec(
    "ingest_rejections", IngestRejectionRow, LIST_PARTITION,
    description="list lines rejected, with the reason",
)
VIDEOS = TableSpec("videos", VideoRow, description="downloaded, standardised videos")

TABLES = (VIDEO_SOURCES, INGEST_REJECTIONS, VIDEOS)
