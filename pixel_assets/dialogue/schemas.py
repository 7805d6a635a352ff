"""Tables of the dialogue stage: ``dialogue_turns`` and ``exchanges`` (both per video)."""

from __future__ import annotations

from typing import Optional

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
from pandera.typing import Series

from pixel_assets.warehouse.contract import STRING_LIST_TYPE, TableSpec

ROLES = ("counsellor", "client", "other")
# Where a role came from, strongest first: the video list, an LLM judge, the text heuristic,
# or the conversation type (a monologue or panel has no counsellor/client pair).
ROLE_SOURCES = ("metadata", "judge", "heuristic", "conversation_type")
CONVERSATION_TYPES = ("two_party", "monologue", "panel", "empty")

# One previous turn of an exchange's context.
CONTEXT_TYPE = pa_arrow.list_(
    pa_arrow.struct(
        [
            ("turn_index", pa_arrow.int64()),
            ("speaker", pa_arrow.string()),
            ("role", pa_arrow.string()),
            ("text", pa_arrow.string()),
        ]
    )
)


class DialogueTurns(pa.DataFrameModel):
    """``dialogue_turns``: consecutive kept segments of one speaker merged into one turn."""

    video_id: Series[str]
    turn_index: Series[int] = pa.Field(ge=0)
    speaker: Series[str] = pa.Field(nullable=True)
    global_speaker_id: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    role: Series[str] = pa.Field(isin=list(ROLES))
    role_confidence: Series[float] = pa.Field(ge=0, le=1)
    role_source: Series[str] = pa.Field(isin=list(ROLE_SOURCES))
    conversation_type: Series[str] = pa.Field(isin=list(CONVERSATION_TYPES))
    start_s: Series[float] = pa.Field(ge=0)
    end_s: Series[float] = pa.Field(ge=0)
    text: Series[str]
    segment_ids: Series[object]
    n_words: Series[int] = pa.Field(ge=0)
    confidence: Series[float] = pa.Field(nullable=True, ge=0, le=1)

    @pa.dataframe_check
    def ends_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        """A turn cannot end before it starts."""
        return df["end_s"] >= df["start_s"]

    class Config:
        coerce = True


class Exchanges(pa.DataFrameModel):
    """``exchanges``: a client turn and the counsellor turn that answers it, with context."""

    exchange_id: Series[str] = pa.Field(unique=True, str_matches=r"^[0-9a-f]{20}$")
    video_id: Series[str]
    prompt_turn_index: Series[int] = pa.Field(ge=0)
    response_turn_index: Series[int] = pa.Field(ge=0)
    prompt_speaker: Series[str] = pa.Field(nullable=True)
    response_speaker: Series[str] = pa.Field(nullable=True)
    prompt_global_speaker_id: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    response_global_speaker_id: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    prompt_text: Series[str]
    response_text: Series[str]
    context: Series[object]
    prompt_start_s: Series[float] = pa.Field(ge=0)
    prompt_end_s: Series[float] = pa.Field(ge=0)
    response_start_s: Series[float] = pa.Field(ge=0)
    response_end_s: Series[float] = pa.Field(ge=0)
    deep_link: Series[str] = pa.Field(nullable=True)
    title: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    channel: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    upload_date: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    # Features of the two turns (word-weighted means over their segments' utterance_features;
    # null when the feature tables were not available).
    prompt_emotion: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    prompt_sentiment: Optional[Series[float]] = pa.Field(nullable=True, ge=-1, le=1)  # noqa: UP045
    response_empathy: Optional[Series[float]] = pa.Field(nullable=True, ge=0, le=1)  # noqa: UP045
    response_toxicity: Optional[Series[float]] = pa.Field(nullable=True, ge=0, le=1)  # noqa: UP045
    response_invalidation: Optional[Series[float]] = pa.Field(  # noqa: UP045
        nullable=True, ge=0, le=1
    )
    response_mi_code: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    response_question_type: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    response_speech_rate_wps: Optional[Series[float]] = pa.Field(  # noqa: UP045
        nullable=True, ge=0
    )
    response_filler_rate: Optional[Series[float]] = pa.Field(nullable=True, ge=0)  # noqa: UP045
    response_confidence: Optional[Series[float]] = pa.Field(  # noqa: UP045
        nullable=True, ge=0, le=1
    )
    similarity: Optional[Series[float]] = pa.Field(nullable=True, ge=-1, le=1)  # noqa: UP045

    class Config:
        coerce = True


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        name="dialogue_turns",
        model=DialogueTurns,
        partition_column="video_id",
        arrow_types={"segment_ids": STRING_LIST_TYPE},
        description="Speaker turns with counselling roles (counsellor/client/other) per video.",
    ),
    TableSpec(
        name="exchanges",
        model=Exchanges,
        partition_column="video_id",
        arrow_types={"context": CONTEXT_TYPE},
        description="Client turn -> counsellor reply candidates with context, link and features.",
    ),
)
