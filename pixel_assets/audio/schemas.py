"""Table schemas of the audio stage and the segment quality filter (pandera, no Dagster).

``AudioQCRow`` is the one-row-per-video ``audio_qc`` table, ``SegmentRow`` the ``segments``
table; ``TABLES`` declares them for the warehouse. ``split_segments`` applies the segment
rules (``qc.segment_rules``) row by row: failing rows are kept aside with reasons listing
every threshold they failed, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors
from pandera.typing import Series

from pixel_assets.audio.qc import (
    SNR_MAX_DB,
    SNR_MIN_DB,
    QCThresholds,
    SegmentThresholds,
    segment_rules,
)
from pixel_assets.audio.vad import Segment
from pixel_assets.warehouse.contract import REASONS_TYPE, TableSpec


class AudioQCRow(pa.DataFrameModel):
    """``audio_qc``: one row per video with ``AudioQCMetrics.to_row()`` plus ``video_id``."""

    video_id: Series[str] = pa.Field(unique=True)
    duration_s: Series[float] = pa.Field(ge=0)
    loudness_lufs: Series[float] = pa.Field(nullable=True)
    peak_dbfs: Series[float] = pa.Field(nullable=True)
    source_peak_dbfs: Series[float] = pa.Field(nullable=True)
    clipping_ratio: Series[float] = pa.Field(ge=0, le=1)
    silence_ratio: Series[float] = pa.Field(ge=0, le=1)
    speech_ratio: Series[float] = pa.Field(ge=0, le=1)
    snr_db: Series[float] = pa.Field(nullable=True, ge=SNR_MIN_DB, le=SNR_MAX_DB)
    snr_method: Series[str] = pa.Field(isin=["vad", "percentile", "none"])
    language: Series[str] = pa.Field(nullable=True)
    language_probability: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    dnsmos_ovrl: Series[float] = pa.Field(nullable=True)
    dnsmos_sig: Series[float] = pa.Field(nullable=True)
    dnsmos_bak: Series[float] = pa.Field(nullable=True)
    dnsmos_windows: Series[int] = pa.Field(ge=0)
    passed: Series[bool]
    reasons: Series[object] = pa.Field(description="failed thresholds (pixel_assets.rules)")
    reason_text: Series[str] = pa.Field(description="the same, as one readable line")

    class Config:
        coerce = True


class SpeechRegionRow(pa.DataFrameModel):
    """``speech_regions``: VAD speech regions of the whole video."""

    video_id: Series[str]
    region_index: Series[int] = pa.Field(ge=0)
    start_s: Series[float] = pa.Field(ge=0)
    end_s: Series[float] = pa.Field(ge=0)

    class Config:
        coerce = True


class SegmentRow(pa.DataFrameModel):
    """``segments``: one row per segment; ``segment_id`` is ``f"{video_id}_{index:04d}"``."""

    video_id: Series[str]
    segment_id: Series[str] = pa.Field(unique=True)
    segment_index: Series[int] = pa.Field(ge=0)
    start_s: Series[float] = pa.Field(ge=0)
    end_s: Series[float] = pa.Field(ge=0)
    duration_s: Series[float] = pa.Field(gt=0)
    snr_db: Series[float] = pa.Field(nullable=True, ge=SNR_MIN_DB, le=SNR_MAX_DB)
    loudness_lufs: Series[float] = pa.Field(nullable=True)
    clipping_ratio: Series[float] = pa.Field(ge=0, le=1)
    dnsmos_ovrl: Series[float] = pa.Field(nullable=True)
    passed: Series[bool]
    reasons: Series[object] = pa.Field(description="failed thresholds (pixel_assets.rules)")
    reason_text: Series[str] = pa.Field(nullable=True)

    class Config:
        coerce = True

    @pa.dataframe_check
    def end_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        return df["end_s"] > df["start_s"]

    @pa.dataframe_check
    def stable_segment_id(cls, df: pd.DataFrame) -> Series[bool]:
        expected = df["video_id"] + "_" + df["segment_index"].map("{:04d}".format)
        return df["segment_id"] == expected


SEGMENT_COLUMNS = list(SegmentRow.to_schema().columns)


def segment_id(video_id: str, index: int) -> str:
    """Stable segment id, e.g. ``abc123_0007``."""
    return f"{video_id}_{index:04d}"


def segments_frame(
    video_id: str,
    segments: Sequence[Segment],
    metrics: Sequence[dict[str, float | None]],
) -> pd.DataFrame:
    """Build the ``segments`` table (all rows ``passed``) from segments and their metrics.

    Args:
        video_id: The video's partition key.
        segments: From ``vad.make_segments``.
        metrics: From ``qc.measure_segments``, same order and length as ``segments``.

    Returns:
        A frame with ``SEGMENT_COLUMNS``, to be passed to ``split_segments``.
    """
    if len(segments) != len(metrics):
        raise ValueError(
            f"segments_frame({video_id!r}): {len(segments)} segments but {len(metrics)} "
            "metric dicts; pass measure_segments(...) of the same segments"
        )
    rows = [
        {
            "video_id": video_id,
            "segment_id": segment_id(video_id, seg.index),
            "segment_index": seg.index,
            "start_s": seg.start_s,
            "end_s": seg.end_s,
            "duration_s": seg.duration_s,
            "snr_db": m.get("snr_db"),
            "loudness_lufs": m.get("loudness_lufs"),
            "clipping_ratio": m.get("clipping_ratio"),
            "dnsmos_ovrl": m.get("dnsmos_ovrl"),
            "passed": True,
            "reasons": [],
            "reason_text": None,
        }
        for seg, m in zip(segments, metrics, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=SEGMENT_COLUMNS)
    return frame.astype(
        {c: "float64" for c in ("snr_db", "loudness_lufs", "clipping_ratio", "dnsmos_ovrl")}
    )


def split_segments(
    df: pd.DataFrame, thresholds: SegmentThresholds | QCThresholds
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a ``segments`` table into kept and rejected rows.

    Validates ``SegmentRow`` (a structural problem raises ``ValueError``), then applies
    ``qc.segment_rules``: every row gets ``passed``, ``reasons`` (one record per failed
    threshold) and ``reason_text``, e.g.
    ``"duration_s 1.20 < min_duration_s 2.00; snr_db 4.2 < min_snr_db 10.0"``.
    No row is dropped: ``len(kept) + len(rejected) == len(df)``.

    Returns:
        ``(kept, rejected)``, both with the ``SegmentRow`` columns and ``df``'s index.
    """
    try:
        df = SegmentRow.validate(df, lazy=True)
    except (SchemaError, SchemaErrors) as exc:
        raise ValueError(
            f"split_segments: the table does not match SegmentRow ({exc}); build it with "
            "schemas.segments_frame(video_id, segments, measure_segments(...))"
        ) from exc
    rules = segment_rules(thresholds)
    judged = rules.apply(df)
    judged["reason_text"] = [rules.render(r) or None for r in judged["reasons"]]
    judged = judged[SEGMENT_COLUMNS]
    return judged[judged["passed"]], judged[~judged["passed"]]


AUDIO_QC = TableSpec(
    "audio_qc", AudioQCRow, arrow_types={"reasons": REASONS_TYPE},
    description="video-level audio quality, one row per video",
)
SPEECH_REGIONS = TableSpec("speech_regions", SpeechRegionRow, description="VAD speech regions")
SEGMENTS = TableSpec(
    "segments", SegmentRow, arrow_types={"reasons": REASONS_TYPE},
    description="every segment with its metrics and passed flag",
)
REJECTED_SEGMENTS = TableSpec(
    "rejected_segments", SegmentRow, arrow_types={"reasons": REASONS_TYPE},
    description="segments failing a threshold, with reasons",
)

TABLES = (AUDIO_QC, SPEECH_REGIONS, SEGMENTS, REJECTED_SEGMENTS)
