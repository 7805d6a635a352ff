"""Tables of the pairs stage: ``therapeutic_pairs`` (per video), ``dataset_pairs`` and
``dropped_pairs`` (corpus-level, one partition ``corpus=all``)."""

from __future__ import annotations

from typing import Optional

import pandera.pandas as pa
import pyarrow as pa_arrow
from pandera.typing import Series

from pixel_assets.warehouse.contract import (
    EMBEDDING_TYPE,
    REASONS_TYPE,
    STRING_LIST_TYPE,
    TableSpec,
)

# Presidio entity types and the placeholder each becomes in stored text.
PLACEHOLDERS: dict[str, str] = {
    "PHONE_NUMBER": "[PHONE]",
    "ID_NUMBER": "[NUMBER]",
    "EMAIL_ADDRESS": "[EMAIL]",
    "URL": "[URL]",
    "SOCIAL_HANDLE": "[HANDLE]",
    "STREET_ADDRESS": "[ADDRESS]",
    "LOCATION": "[PLACE]",
    "DATE_OF_BIRTH": "[DOB]",
    "PERSON": "[NAME]",
}

SPLITS = ("train", "validation", "test")
CORPUS = "all"  # the one partition of the corpus-level tables
REVIEW_STATES = ("not_required", "approved")

# A pair's earlier turns, oldest first (the exchanges table's context, scrubbed).
PAIR_CONTEXT_TYPE = pa_arrow.list_(
    pa_arrow.struct(
        [
            ("turn_index", pa_arrow.int64()),
            ("speaker", pa_arrow.string()),
            ("role", pa_arrow.string()),
            ("text", pa_arrow.string()),
        ]
    )
)


class TherapeuticPairs(pa.DataFrameModel):
    """``therapeutic_pairs``: one validated, reviewed, PII-scrubbed client/counsellor pair."""

    video_id: Series[str]
    pair_id: Series[str] = pa.Field(unique=True, str_matches=r"^[0-9a-f]{20}$")
    exchange_id: Series[str]
    prompt: Series[str]
    response: Series[str]
    context: Series[object]
    # Scores from exchange_scores (0..1; null where the scorer gave none).
    empathy: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    appropriateness: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    authenticity: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    naturalness: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    overall: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    crisis: Series[bool]
    review_status: Series[str] = pa.Field(isin=list(REVIEW_STATES))
    prompt_emotion: Series[str] = pa.Field(nullable=True)
    mi_code: Series[str] = pa.Field(nullable=True)
    # Provenance.
    source_url: Series[str] = pa.Field(nullable=True)
    deep_link: Series[str] = pa.Field(nullable=True)
    start_s: Series[float] = pa.Field(ge=0)
    end_s: Series[float] = pa.Field(ge=0)
    response_start_s: Series[float] = pa.Field(ge=0)
    title: Series[str] = pa.Field(nullable=True)
    channel: Series[str] = pa.Field(nullable=True)
    upload_date: Series[str] = pa.Field(nullable=True)
    license: Series[str] = pa.Field(nullable=True)
    asr_model: Series[str] = pa.Field(nullable=True)
    diarizer: Series[str] = pa.Field(nullable=True)
    scorer: Series[str] = pa.Field(nullable=True)
    rubric_version: Series[str] = pa.Field(nullable=True)
    pipeline_version: Series[str]
    prompt_speaker: Series[str] = pa.Field(nullable=True)
    response_speaker: Series[str] = pa.Field(nullable=True)
    client_global_speaker_id: Series[str] = pa.Field(nullable=True)
    counsellor_global_speaker_id: Series[str] = pa.Field(nullable=True)
    # Filled from dataset_pairs once training_dataset has placed the pair (null before).
    split: Series[str] = pa.Field(nullable=True, isin=list(SPLITS))
    pii_redactions: Series[int] = pa.Field(ge=0)
    pii_entities: Series[object]
    # Sentence embedding of the scrubbed prompt + response (near-duplicate search).
    embedding: Optional[Series[object]] = pa.Field(nullable=True)  # noqa: UP045

    class Config:
        coerce = True


class DatasetPairs(pa.DataFrameModel):
    """``dataset_pairs``: every candidate pair of the corpus, kept (with a split) or dropped."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    pair_id: Series[str] = pa.Field(unique=True)
    video_id: Series[str]
    kept: Series[bool]
    split: Series[str] = pa.Field(nullable=True, isin=list(SPLITS))
    drop_stage: Series[str] = pa.Field(nullable=True, isin=["dedup", "balance"])
    split_group: Series[str] = pa.Field(nullable=True)
    counsellor_global_speaker_id: Series[str] = pa.Field(nullable=True)
    client_global_speaker_id: Series[str] = pa.Field(nullable=True)
    prompt_emotion: Series[str] = pa.Field(nullable=True)
    overall: Series[float] = pa.Field(nullable=True)
    quality_rank: Series[int] = pa.Field(ge=0)

    class Config:
        coerce = True


class DroppedPairs(pa.DataFrameModel):
    """``dropped_pairs``: why a pair left the dataset, and which kept pair it duplicates."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    pair_id: Series[str] = pa.Field(unique=True)
    video_id: Series[str]
    stage: Series[str] = pa.Field(isin=["dedup", "balance"])
    reason: Series[str]
    reasons: Series[object]
    kept_pair_id: Series[str] = pa.Field(nullable=True)
    similarity: Series[float] = pa.Field(nullable=True, ge=-1.0001, le=1.0001)

    class Config:
        coerce = True


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        name="therapeutic_pairs",
        model=TherapeuticPairs,
        partition_column="video_id",
        arrow_types={
            "context": PAIR_CONTEXT_TYPE,
            "pii_entities": STRING_LIST_TYPE,
            "embedding": EMBEDDING_TYPE,
        },
        description="Validated, reviewed, PII-scrubbed prompt/response pairs with provenance.",
    ),
    TableSpec(
        name="dataset_pairs",
        model=DatasetPairs,
        partition_column="corpus",
        description="Every candidate pair of the corpus: kept with its split, or dropped.",
    ),
    TableSpec(
        name="dropped_pairs",
        model=DroppedPairs,
        partition_column="corpus",
        arrow_types={"reasons": REASONS_TYPE},
        description="Pairs removed by deduplication or balance caps, with the kept duplicate.",
    ),
)
