"""The report marts as warehouse tables: ``video_funnel``, ``stage_yield``, ``speaker_summary``,
``pair_quality``, ``failures_summary`` and ``rejection_reasons``.

dbt builds them (``dbt_reports/models/marts``; the columns there and here are kept equal by a
test) and :func:`pixel_assets.reports.dbt.publish_marts` writes each one as a single partition,
``warehouse/<mart>/corpus=all/part.parquet``, checked against these declarations.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
from pandera.typing import Series

from pixel_assets.warehouse.contract import TableSpec

# The funnel, in order (also dbt_project.yml's `funnel_stages`; a test keeps them equal).
FUNNEL_STAGES: tuple[str, ...] = (
    "downloaded",
    "qc_passed",
    "segments_kept",
    "transcribed",
    "kept_after_filtering",
    "turns",
    "exchanges",
    "passed_validation",
    "cleared_review",
    "exported_pairs",
)
CORPUS = "all"
_UTC = {"unit": "ns", "tz": "UTC"}


class _Mart(pa.DataFrameModel):
    corpus: Series[str] = pa.Field(isin=[CORPUS], description="the one partition: 'all'")

    class Config:
        coerce = True


class VideoFunnel(_Mart):
    """``video_funnel``: per video, rows and speech minutes at each stage, where it stopped."""

    video_id: Series[str] = pa.Field(unique=True)
    list_file: Series[str]
    title: Series[str] = pa.Field(nullable=True)
    channel: Series[str] = pa.Field(nullable=True)
    n_downloaded: Series[int] = pa.Field(isin=[0, 1])
    minutes_downloaded: Series[float] = pa.Field(ge=0)
    n_qc_passed: Series[int] = pa.Field(ge=0)
    minutes_qc_passed: Series[float] = pa.Field(ge=0)
    n_segments_kept: Series[int] = pa.Field(ge=0)
    minutes_segments_kept: Series[float] = pa.Field(ge=0)
    n_transcribed: Series[int] = pa.Field(ge=0)
    minutes_transcribed: Series[float] = pa.Field(ge=0)
    n_kept_after_filtering: Series[int] = pa.Field(ge=0)
    minutes_kept_after_filtering: Series[float] = pa.Field(ge=0)
    n_turns: Series[int] = pa.Field(ge=0)
    minutes_turns: Series[float] = pa.Field(ge=0)
    n_exchanges: Series[int] = pa.Field(ge=0)
    minutes_exchanges: Series[float] = pa.Field(ge=0)
    n_passed_validation: Series[int] = pa.Field(ge=0)
    minutes_passed_validation: Series[float] = pa.Field(ge=0)
    n_in_review: Series[int] = pa.Field(ge=0)
    n_cleared_review: Series[int] = pa.Field(ge=0)
    minutes_cleared_review: Series[float] = pa.Field(ge=0)
    n_exported_pairs: Series[int] = pa.Field(ge=0)
    minutes_exported_pairs: Series[float] = pa.Field(ge=0)
    stopped_at: Series[str] = pa.Field(nullable=True, isin=list(FUNNEL_STAGES))
    stop_reason: Series[str] = pa.Field(nullable=True)


class StageYield(_Mart):
    """``stage_yield``: the funnel over the corpus and per video list."""

    yield_id: Series[str] = pa.Field(unique=True)
    scope: Series[str] = pa.Field(isin=["corpus", "list"])
    list_file: Series[str]
    stage: Series[str] = pa.Field(isin=list(FUNNEL_STAGES))
    stage_order: Series[int] = pa.Field(ge=1)
    videos: Series[int] = pa.Field(ge=0)
    n_rows: Series[int] = pa.Field(ge=0)
    minutes: Series[float] = pa.Field(ge=0)
    yield_from_previous: Series[float] = pa.Field(nullable=True, ge=0)
    yield_from_start: Series[float] = pa.Field(nullable=True, ge=0)


class SpeakerSummary(_Mart):
    """``speaker_summary``: per global speaker."""

    global_speaker_id: Series[str] = pa.Field(unique=True)
    name: Series[str] = pa.Field(nullable=True)
    n_videos: Series[int] = pa.Field(ge=0)
    talk_minutes: Series[float] = pa.Field(ge=0)
    main_role: Series[str] = pa.Field(nullable=True)
    cluster: Series[object] = pa.Field(nullable=True)
    cluster_description: Series[str] = pa.Field(nullable=True)
    consistency_flag: Series[bool]
    n_videos_flagged: Series[int] = pa.Field(ge=0)
    max_profile_distance: Series[float] = pa.Field(nullable=True)


class PairQuality(_Mart):
    """``pair_quality``: score distributions per split, prompt emotion and counsellor."""

    pair_quality_id: Series[str] = pa.Field(unique=True)
    dimension: Series[str] = pa.Field(isin=["all", "split", "prompt_emotion", "counsellor"])
    group_value: Series[str]
    metric: Series[str]
    n_pairs: Series[int] = pa.Field(ge=0)
    mean: Series[float] = pa.Field(nullable=True)
    std: Series[float] = pa.Field(nullable=True)
    min: Series[float] = pa.Field(nullable=True)
    p10: Series[float] = pa.Field(nullable=True)
    p50: Series[float] = pa.Field(nullable=True)
    p90: Series[float] = pa.Field(nullable=True)
    max: Series[float] = pa.Field(nullable=True)


class FailuresSummary(_Mart):
    """``failures_summary``: open failures by asset and error type."""

    failure_group: Series[str] = pa.Field(unique=True)
    asset: Series[str]
    error_type: Series[str]
    n_failures: Series[int] = pa.Field(ge=1)
    n_videos: Series[int] = pa.Field(ge=1)
    first_failed_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs=_UTC, nullable=True)
    last_failed_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs=_UTC, nullable=True)
    latest_video_id: Series[str] = pa.Field(nullable=True)
    latest_message: Series[str] = pa.Field(nullable=True)


class RejectionReasons(_Mart):
    """``rejection_reasons``: rows rejected per stage and rule."""

    reason_id: Series[str] = pa.Field(unique=True)
    stage: Series[str]
    rule: Series[str]
    n_rows: Series[int] = pa.Field(ge=1)
    n_videos: Series[int] = pa.Field(ge=0)
    rank_in_stage: Series[int] = pa.Field(ge=1)


def _mart(name: str, model: type[pa.DataFrameModel], description: str, **kw) -> TableSpec:
    return TableSpec(name, model, partition_column="corpus", description=description, **kw)


MARTS: tuple[TableSpec, ...] = (
    _mart("video_funnel", VideoFunnel, "per video: rows and minutes at each funnel stage"),
    _mart("stage_yield", StageYield, "the funnel over the corpus and per video list"),
    _mart(
        "speaker_summary", SpeakerSummary, "per global speaker: videos, talk, cluster, drift",
        arrow_types={"cluster": pa_arrow.int64()},
    ),
    _mart("pair_quality", PairQuality, "pair score distributions per split/emotion/counsellor"),
    _mart("failures_summary", FailuresSummary, "open failures by asset and error type"),
    _mart("rejection_reasons", RejectionReasons, "rows rejected per stage and rule"),
)
TABLES: tuple[TableSpec, ...] = MARTS
