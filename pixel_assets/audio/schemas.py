"""Table schemas of the audio stage and the segment quality filter (pandera, no Dagster).

``AudioQCRow`` is the one-row-per-video ``audio_qc`` table, ``SegmentRow`` the ``segments``
table. ``segment_quality_schema`` turns thresholds into pandera checks, and
``split_segments`` applies them row by row: failing rows are kept aside with a reason
listing every threshold they failed, never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors
from pandera.typing import Series

from pixel_assets.audio.qc import SNR_MAX_DB, SNR_MIN_DB, QCThresholds, SegmentThresholds
from pixel_assets.audio.vad import Segment


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
    reasons: Series[str] = pa.Field(description="failed thresholds joined with '; '")

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
    reject_reason: Series[str] = pa.Field(nullable=True)

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
            "reject_reason": None,
        }
        for seg, m in zip(segments, metrics, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=SEGMENT_COLUMNS)
    return frame.astype(
        {c: "float64" for c in ("snr_db", "loudness_lufs", "clipping_ratio", "dnsmos_ovrl")}
    )


@dataclass(frozen=True)
class _Rule:
    column: str
    op: str  # "<" reported when the value is below a minimum, ">" above a maximum
    threshold: float
    fmt: str


def _rules(t: SegmentThresholds) -> dict[str, _Rule]:
    # Keyed by the pandera check name; the order is the order reasons are listed in.
    return {
        "min_duration_s": _Rule("duration_s", "<", t.min_duration_s, ".2f"),
        "max_duration_s": _Rule("duration_s", ">", t.max_duration_s, ".2f"),
        "min_snr_db": _Rule("snr_db", "<", t.min_snr_db, ".1f"),
        "max_clipping_ratio": _Rule("clipping_ratio", ">", t.max_clipping_ratio, ".4f"),
        "min_dnsmos_ovrl": _Rule("dnsmos_ovrl", "<", t.min_dnsmos_ovrl, ".2f"),
    }


def _as_segment_thresholds(thresholds: SegmentThresholds | QCThresholds) -> SegmentThresholds:
    if isinstance(thresholds, QCThresholds):
        return SegmentThresholds.from_qc(thresholds)
    return thresholds


def segment_quality_schema(thresholds: SegmentThresholds | QCThresholds) -> pa.DataFrameSchema:
    """Pandera checks for the segment quality thresholds (one named check per threshold).

    A ``QCThresholds`` is converted with ``SegmentThresholds.from_qc`` (default durations).
    Null SNR / DNSMOS values (not computed) pass their checks.
    """
    t = _as_segment_thresholds(thresholds)
    checks: dict[str, list[pa.Check]] = {}
    for name, rule in _rules(t).items():
        check = pa.Check.ge if rule.op == "<" else pa.Check.le
        checks.setdefault(rule.column, []).append(
            check(rule.threshold, name=name, error=f"{rule.column} {rule.op} {name}")
        )
    return pa.DataFrameSchema(
        {
            "duration_s": pa.Column(float, checks["duration_s"]),
            "snr_db": pa.Column(float, checks["snr_db"], nullable=True),
            "clipping_ratio": pa.Column(float, checks["clipping_ratio"]),
            "dnsmos_ovrl": pa.Column(float, checks["dnsmos_ovrl"], nullable=True),
        },
        name="segment_quality",
    )


def split_segments(
    df: pd.DataFrame, thresholds: SegmentThresholds | QCThresholds
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a ``segments`` table into kept and rejected rows.

    Validates ``SegmentRow`` (a structural problem raises ``ValueError``), then the quality
    schema lazily, maps every failure case back to its row and writes ``passed`` and a
    ``reject_reason`` naming each failed threshold, e.g.
    ``"duration_s 1.20 < min_duration_s 2.00; snr_db 4.2 < min_snr_db 10.0"``.
    No row is dropped: ``len(kept) + len(rejected) == len(df)``.

    Returns:
        ``(kept, rejected)``, both with the ``SegmentRow`` columns and ``df``'s index.
    """
    t = _as_segment_thresholds(thresholds)
    try:
        df = SegmentRow.validate(df, lazy=True)
    except (SchemaError, SchemaErrors) as exc:
        raise ValueError(
            f"split_segments: the table does not match SegmentRow ({exc}); build it with "
            "schemas.segments_frame(video_id, segments, measure_segments(...))"
        ) from exc
    work = df.reset_index(drop=True)
    rules = _rules(t)
    # pandera reports a check by its position within the column, so map that back to the
    # threshold name (the schema appends checks in _rules order).
    by_position: dict[tuple[str, int], str] = {}
    for name, rule in rules.items():
        n = sum(1 for column, _ in by_position if column == rule.column)
        by_position[(rule.column, n)] = name
    failed: dict[int, set[str]] = {}
    try:
        segment_quality_schema(t).validate(work, lazy=True)
    except SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            position = case.index
            if position is None or (isinstance(position, float) and math.isnan(position)):
                raise ValueError(
                    f"split_segments: unexpected table-level failure {case.check!r} on "
                    f"column {case.column!r}; check the segments table"
                ) from exc
            number = case.check_number
            known = None if pd.isna(number) else by_position.get((case.column, int(number)))
            label = known or f"{case.column} {case.check}"
            failed.setdefault(int(position), set()).add(label)
    reasons = [None] * len(work)
    for position, names in failed.items():
        parts = []
        for name, rule in rules.items():
            if name in names:
                value = work.at[position, rule.column]
                parts.append(
                    f"{rule.column} {value:{rule.fmt}} {rule.op} {name} {rule.threshold:{rule.fmt}}"
                )
        # Failures outside our named checks (e.g. a NaN clipping_ratio) still get a reason.
        parts.extend(f"{name} failed" for name in sorted(names - rules.keys()))
        reasons[position] = "; ".join(parts)
    out = df.copy()
    out["reject_reason"] = pd.Series(reasons, index=df.index, dtype=object)
    out["passed"] = out["reject_reason"].isna()
    return out[out["passed"]], out[~out["passed"]]
