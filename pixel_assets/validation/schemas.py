"""Tables of the validation stage: ``exchange_scores``, ``review_queue``, ``review_decisions``."""

from __future__ import annotations

from typing import Annotated, Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pixel_assets.warehouse.contract import REASONS_TYPE, TableSpec

SCORERS = ("offline", "llm", "both")
DECISIONS = ("approve", "reject")
REVIEW_STATUSES = ("pending", "approved", "rejected")
_SCORE = {"nullable": True, "ge": 0, "le": 1}


class ExchangeScores(pa.DataFrameModel):
    """``exchange_scores``: one verdict per exchange (scores 0..1, pass/fail with reasons)."""

    exchange_id: Series[str] = pa.Field(unique=True)
    video_id: Series[str]
    empathy: Series[float] = pa.Field(**_SCORE)
    appropriateness: Series[float] = pa.Field(**_SCORE)
    authenticity: Series[float] = pa.Field(**_SCORE)
    naturalness: Series[float] = pa.Field(**_SCORE)
    overall: Series[float] = pa.Field(**_SCORE)
    passed: Series[bool]
    reasons: Series[object]
    crisis: Series[bool]
    crisis_reason: Series[str] = pa.Field(nullable=True)
    crisis_text: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    scorer: Series[str] = pa.Field(isin=list(SCORERS))
    rubric_version: Series[str]
    # Offline measurements behind the scores (null under the llm scorer).
    toxicity: Optional[Series[float]] = pa.Field(**_SCORE)  # noqa: UP045
    invalidation: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045
    insult: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045
    blaming: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045
    stigma: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045
    change_of_subject: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045
    harmful_advice: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045
    unsolicited_directives: Optional[Series[float]] = pa.Field(  # noqa: UP045
        nullable=True, ge=0
    )
    relevance: Optional[Series[float]] = pa.Field(**_SCORE)  # noqa: UP045
    # The judge's own answer (null under the offline scorer); raw output kept on failure.
    judge_empathy: Optional[Series[float]] = pa.Field(**_SCORE)  # noqa: UP045
    judge_appropriateness: Optional[Series[float]] = pa.Field(**_SCORE)  # noqa: UP045
    judge_authenticity: Optional[Series[float]] = pa.Field(**_SCORE)  # noqa: UP045
    judge_naturalness: Optional[Series[float]] = pa.Field(**_SCORE)  # noqa: UP045
    judge_overall: Optional[Series[float]] = pa.Field(**_SCORE)  # noqa: UP045
    judge_ok: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045
    judge_crisis: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045
    judge_rationale: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    judge_raw: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    judge_error: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    judge_model: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    judge_cached: Optional[Series[bool]] = pa.Field(nullable=True)  # noqa: UP045

    class Config:
        coerce = True


class ReviewQueue(pa.DataFrameModel):
    """``review_queue``: exchanges with crisis content, waiting for a person (per video).

    ``status`` is always ``pending`` as written by the pipeline; the effective status comes
    from ``review_decisions`` (see :mod:`pixel_assets.validation.review`).
    """

    exchange_id: Series[str] = pa.Field(unique=True)
    video_id: Series[str]
    reason: Series[str]
    matched_text: Series[str]
    deep_link: Series[str] = pa.Field(nullable=True)
    response_start_s: Series[float] = pa.Field(ge=0)
    status: Series[str] = pa.Field(isin=list(REVIEW_STATUSES))
    prompt_text: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    response_text: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045

    class Config:
        coerce = True


class ReviewDecisions(pa.DataFrameModel):
    """``review_decisions``: a reviewer's decisions, one partition per exchange, written only
    by ``pixel-voice review`` (never by assets), so they survive re-materialisation."""

    exchange_id: Series[str]
    decision: Series[str] = pa.Field(isin=list(DECISIONS))
    note: Series[str] = pa.Field(nullable=True)
    decided_at: Series[Annotated[pd.DatetimeTZDtype, "ns", "UTC"]]
    decided_by: Series[str] = pa.Field(nullable=True)

    class Config:
        coerce = True


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        name="exchange_scores",
        model=ExchangeScores,
        partition_column="video_id",
        arrow_types={"reasons": REASONS_TYPE},
        description="Per exchange: empathy, appropriateness, authenticity, naturalness, verdict.",
    ),
    TableSpec(
        name="review_queue",
        model=ReviewQueue,
        partition_column="video_id",
        description="Exchanges with crisis content waiting for a human decision.",
    ),
    TableSpec(
        name="review_decisions",
        model=ReviewDecisions,
        partition_column="exchange_id",
        description="Reviewers' approve/reject decisions, kept across re-materialisation.",
    ),
)
