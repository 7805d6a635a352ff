"""Tables of the feature stage: ``utterance_features``, ``utterance_embeddings``,
``speaker_profiles`` (one pandera model + :class:`TableSpec` each, partitioned by video).

Columns an extractor fills are ``Optional``: when it is switched off (``FeatureOptions``) they are
stored as nulls. Classifier columns ``clf_<label>`` are extra columns, kept as written.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
from pandera.typing import Series

from pixel_assets.features.counselling import MI_CODES, QUESTION_TYPES
from pixel_assets.features.text import EMOTIONS, NO_EMOTION
from pixel_assets.warehouse.contract import EMBEDDING_TYPE, REASONS_TYPE, TableSpec

F0_RANGE_HZ = (50.0, 1000.0)
"""Plausible human F0 (children and falsetto included); the extractor searches 75-600 Hz."""

_INT = pa_arrow.int64()
_LEVEL = pa.Field(nullable=True, isin=[0, 1, 2])
_SHARE = {"nullable": True, "ge": 0.0, "le": 1.0}
_DOMINANT = [*EMOTIONS, NO_EMOTION]

# Optional[...] is what pandera reads for "may be absent"; `X | None` is not understood.
# ruff: noqa: UP045


class UtteranceFeatures(pa.DataFrameModel):
    """``utterance_features``: one row per kept transcript segment of a video."""

    video_id: Series[str]
    segment_id: Series[str] = pa.Field(unique=True)
    speaker: Series[str] = pa.Field(nullable=True)
    start_s: Series[float] = pa.Field(ge=0)
    end_s: Series[float] = pa.Field(ge=0)
    n_words: Series[int] = pa.Field(ge=0)
    text: Series[str] = pa.Field(nullable=True)
    # sentiment (VADER)
    sentiment: Optional[Series[float]] = pa.Field(nullable=True, ge=-1.0, le=1.0)
    sentiment_pos: Optional[Series[float]] = pa.Field(**_SHARE)
    sentiment_neg: Optional[Series[float]] = pa.Field(**_SHARE)
    sentiment_neu: Optional[Series[float]] = pa.Field(**_SHARE)
    # emotion (NRC lexicon): share of emotion-bearing words carrying each emotion
    emotion_anger: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_anticipation: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_disgust: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_fear: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_joy: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_sadness: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_surprise: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_trust: Optional[Series[float]] = pa.Field(**_SHARE)
    n_emotion_words: Optional[Series[pd.Int64Dtype]] = pa.Field(nullable=True, ge=0)
    dominant_emotion: Optional[Series[str]] = pa.Field(nullable=True, isin=_DOMINANT)
    # counselling markers (rule-based approximations, see features/counselling.py)
    is_question: Optional[Series[pd.BooleanDtype]] = pa.Field(nullable=True)
    question_type: Optional[Series[str]] = pa.Field(nullable=True, isin=list(QUESTION_TYPES))
    empathy_emotional_reaction: Optional[Series[pd.Int64Dtype]] = _LEVEL
    empathy_interpretation: Optional[Series[pd.Int64Dtype]] = _LEVEL
    empathy_exploration: Optional[Series[pd.Int64Dtype]] = _LEVEL
    empathy: Optional[Series[float]] = pa.Field(**_SHARE)
    mi_code: Optional[Series[str]] = pa.Field(nullable=True, isin=list(MI_CODES))
    toxicity: Optional[Series[float]] = pa.Field(**_SHARE)
    invalidation: Optional[Series[pd.BooleanDtype]] = pa.Field(nullable=True)
    # speech timing (word timestamps)
    speech_rate_wps: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    articulation_rate_wps: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    n_pauses: Optional[Series[pd.Int64Dtype]] = pa.Field(nullable=True, ge=0)
    mean_pause_s: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    long_pauses: Optional[Series[pd.Int64Dtype]] = pa.Field(nullable=True, ge=0)
    filler_rate: Optional[Series[float]] = pa.Field(**_SHARE)
    # prosody and voice quality (audio); null with prosody_null_reason when unmeasurable
    f0_mean_hz: Optional[Series[float]] = pa.Field(
        nullable=True, ge=F0_RANGE_HZ[0], le=F0_RANGE_HZ[1]
    )
    f0_std_hz: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    f0_range_st: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    intensity_mean_db: Optional[Series[float]] = pa.Field(nullable=True)
    intensity_std_db: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    jitter_local: Optional[Series[float]] = pa.Field(**_SHARE)
    shimmer_local: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    hnr_db: Optional[Series[float]] = pa.Field(nullable=True)
    voiced_s: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    prosody_null_reason: Optional[Series[str]] = pa.Field(nullable=True)
    reasons: Optional[Series[object]] = pa.Field(nullable=True)

    @pa.dataframe_check
    def ends_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        """A segment cannot end before it starts."""
        return df["end_s"] >= df["start_s"]

    class Config:
        coerce = True


class UtteranceEmbeddings(pa.DataFrameModel):
    """``utterance_embeddings``: one sentence embedding per kept transcript segment."""

    video_id: Series[str]
    segment_id: Series[str] = pa.Field(unique=True)
    embedding: Series[object]
    model: Series[str]

    @pa.dataframe_check
    def one_finite_dimension(cls, df: pd.DataFrame) -> Series[bool]:
        """Every embedding is a finite vector of the same, non-zero length."""
        if df.empty:
            return pd.Series([], dtype=bool)
        sizes = df["embedding"].map(lambda v: len(v) if v is not None else 0)
        finite = df["embedding"].map(
            lambda v: v is not None and bool(np.all(np.isfinite(np.asarray(v, dtype=float))))
        )
        return (sizes == sizes.iloc[0]) & (sizes > 0) & finite

    class Config:
        coerce = True


class SpeakerProfiles(pa.DataFrameModel):
    """``speaker_profiles``: one row per (video, diarized speaker)."""

    video_id: Series[str]
    speaker: Series[str]
    talk_time_s: Series[float] = pa.Field(ge=0)
    talk_share: Series[float] = pa.Field(ge=0, le=1)
    n_utterances: Series[int] = pa.Field(ge=0)
    n_words: Series[int] = pa.Field(ge=0)
    words_per_minute: Series[float] = pa.Field(nullable=True, ge=0)
    question_rate: Optional[Series[float]] = pa.Field(**_SHARE)
    open_question_rate: Optional[Series[float]] = pa.Field(**_SHARE)
    reflection_rate: Optional[Series[float]] = pa.Field(**_SHARE)
    affirmation_rate: Optional[Series[float]] = pa.Field(**_SHARE)
    advice_rate: Optional[Series[float]] = pa.Field(**_SHARE)
    invalidation_rate: Optional[Series[float]] = pa.Field(**_SHARE)
    mean_empathy: Optional[Series[float]] = pa.Field(**_SHARE)
    mean_toxicity: Optional[Series[float]] = pa.Field(**_SHARE)
    sentiment_mean: Optional[Series[float]] = pa.Field(nullable=True, ge=-1.0, le=1.0)
    sentiment_std: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    emotion_anger: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_anticipation: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_disgust: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_fear: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_joy: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_sadness: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_surprise: Optional[Series[float]] = pa.Field(**_SHARE)
    emotion_trust: Optional[Series[float]] = pa.Field(**_SHARE)
    dominant_emotion: Optional[Series[str]] = pa.Field(nullable=True, isin=_DOMINANT)
    f0_mean_hz: Optional[Series[float]] = pa.Field(
        nullable=True, ge=F0_RANGE_HZ[0], le=F0_RANGE_HZ[1]
    )
    f0_std_hz: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    speech_rate_wps: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    articulation_rate_wps: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    filler_rate: Optional[Series[float]] = pa.Field(**_SHARE)
    null_prosody_share: Optional[Series[float]] = pa.Field(**_SHARE)
    diarized_talk_share: Optional[Series[float]] = pa.Field(**_SHARE)
    diarized_speech_s: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    voice_print_ref: Optional[Series[str]] = pa.Field(nullable=True)

    @pa.dataframe_check
    def one_row_per_speaker(cls, df: pd.DataFrame) -> Series[bool]:
        """(video_id, speaker) is the key."""
        return ~df.duplicated(["video_id", "speaker"], keep=False)

    class Config:
        coerce = True


_INT_COLUMNS = {
    name: _INT
    for name in (
        "n_emotion_words", "empathy_emotional_reaction", "empathy_interpretation",
        "empathy_exploration", "n_pauses", "long_pauses",
    )
}

UTTERANCE_FEATURES = TableSpec(
    name="utterance_features",
    model=UtteranceFeatures,
    arrow_types={
        **_INT_COLUMNS,
        "is_question": pa_arrow.bool_(),
        "invalidation": pa_arrow.bool_(),
        "reasons": REASONS_TYPE,
    },
    description="Per kept transcript segment: sentiment, NRC emotions, counselling markers, "
    "speech timing, prosody and voice quality.",
)
UTTERANCE_EMBEDDINGS = TableSpec(
    name="utterance_embeddings",
    model=UtteranceEmbeddings,
    arrow_types={"embedding": EMBEDDING_TYPE},
    description="Per kept transcript segment: L2-normalised sentence embedding and its model.",
)
SPEAKER_PROFILES = TableSpec(
    name="speaker_profiles",
    model=SpeakerProfiles,
    description="Per diarized speaker of a video: talk time, counselling style, emotion, "
    "prosody and a pointer to the voice print in `speakers`.",
)

TABLES: tuple[TableSpec, ...] = (UTTERANCE_FEATURES, UTTERANCE_EMBEDDINGS, SPEAKER_PROFILES)
