"""Tables of the transcription stage and the transcript quality thresholds.

``transcript_segments`` has one row per (speaker-homogeneous) transcript segment, ``words`` one
row per recognised word. :func:`filter_transcripts` splits transcript rows into passed and
rejected (with reasons, through :mod:`pixel_assets.rules`) using :class:`TranscriptThresholds`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pixel_assets.rules import Rule, RuleSet
from pixel_assets.transcription.asr import SegmentTranscript, WordRow
from pixel_assets.transcription.coverage import ASR_COVERAGE
from pixel_assets.warehouse.contract import EMBEDDING_TYPE, REASONS_TYPE, TableSpec


@dataclass
class TranscriptThresholds:
    """Quality bars a transcript segment must meet to be kept.

    Measured with tiny.en on the fixtures plus garbage clips (5 s of white noise, a 440 Hz tone,
    digital silence, time-reversed speech): real speech segments had avg_logprob >= -0.78,
    no_speech_prob <= 0.24, compression_ratio <= 1.03, confidence >= 0.53 and 156-233 wpm;
    garbage had avg_logprob <= -1.27, confidence <= 0.24, one-word outputs ("you", ".") on
    noise/tone/silence at 37-61 wpm, and no_speech_prob 0.68-0.94 (0.43 for reversed speech).

    Attributes:
        min_avg_logprob: Whisper's own fallback bar (-1.0); sits between -0.78 and -1.27.
        max_no_speech_prob: Whisper's no-speech bar (0.6); catches noise, tone and silence.
        max_compression_ratio: Whisper's repetition-loop bar (2.4); speech measured ~1.0.
        allowed_languages: Language codes kept (English-only dataset).
        min_words: Drop one-word outputs, the typical hallucination on non-speech ("you").
        min_wpm: Below 60 wpm is mostly silence transcribed as a word or two.
        max_wpm: Above 260 wpm is faster than conversational speech (fixtures peak at 233).
        min_confidence: Mean word probability; 0.4 sits between garbage (<= 0.24) and the
            hardest real segment (0.53).
    """

    min_avg_logprob: float = -1.0
    max_no_speech_prob: float = 0.6
    max_compression_ratio: float = 2.4
    allowed_languages: tuple[str, ...] = ("en",)
    min_words: int = 2
    min_wpm: float = 60.0
    max_wpm: float = 260.0
    min_confidence: float = 0.4


class TranscriptSegments(pa.DataFrameModel):
    """``transcript_segments``: one row per transcript segment (one speaker each)."""

    video_id: Series[str]
    segment_id: Series[str] = pa.Field(unique=True)
    parent_segment_id: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045
    start_s: Series[float] = pa.Field(ge=0)
    end_s: Series[float] = pa.Field(ge=0)
    speaker: Series[str] = pa.Field(nullable=True)
    text: Series[str]
    avg_logprob: Series[float] = pa.Field(nullable=True)
    no_speech_prob: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    compression_ratio: Series[float] = pa.Field(nullable=True, ge=0)
    language: Series[str]
    confidence: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    model: Series[str]
    n_words: Series[int] = pa.Field(ge=0)
    wpm: Series[float] = pa.Field(nullable=True, ge=0)

    @pa.dataframe_check
    def ends_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        """A segment cannot end before it starts."""
        return df["end_s"] >= df["start_s"]

    class Config:
        coerce = True


class Words(pa.DataFrameModel):
    """``words``: one row per recognised word, times absolute in the video."""

    video_id: Series[str]
    segment_id: Series[str]
    word: Series[str]
    start_s: Series[float] = pa.Field(ge=0)
    end_s: Series[float] = pa.Field(ge=0)
    probability: Series[float] = pa.Field(ge=0, le=1)
    speaker: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check
    def ends_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        """A word cannot end before it starts."""
        return df["end_s"] >= df["start_s"]

    class Config:
        coerce = True


def transcript_segments_frame(
    video_id: str, transcripts: Sequence[SegmentTranscript], model: str
) -> pd.DataFrame:
    """Build ``transcript_segments`` rows (speaker still None) from ASR output."""
    rows = [
        {
            "video_id": video_id,
            "segment_id": t.segment_id,
            "parent_segment_id": t.segment_id,
            "start_s": t.start_s,
            "end_s": t.end_s,
            "speaker": None,
            "text": t.text,
            "avg_logprob": t.avg_logprob,
            "no_speech_prob": t.no_speech_prob,
            "compression_ratio": t.compression_ratio,
            "language": t.language,
            "confidence": t.confidence,
            "model": model,
            "n_words": t.n_words,
            "wpm": t.wpm,
        }
        for t in transcripts
    ]
    columns = list(TranscriptSegments.to_schema().columns)
    return pd.DataFrame(rows, columns=columns)


def words_frame(video_id: str, words: Sequence[WordRow]) -> pd.DataFrame:
    """Build ``words`` rows from ASR word records."""
    rows = [
        {
            "video_id": video_id,
            "segment_id": w.segment_id,
            "word": w.word,
            "start_s": w.start_s,
            "end_s": w.end_s,
            "probability": w.probability,
            "speaker": w.speaker,
        }
        for w in words
    ]
    return pd.DataFrame(rows, columns=list(Words.to_schema().columns))


def transcript_rules(thresholds: TranscriptThresholds) -> RuleSet:
    """The transcript thresholds as rules. NaN scores are not judged here (a segment with
    nothing recognised fails ``min_words``)."""
    t = thresholds
    return RuleSet.of(
        [
            Rule("min_avg_logprob", "avg_logprob", "ge", t.min_avg_logprob),
            Rule("max_no_speech_prob", "no_speech_prob", "le", t.max_no_speech_prob),
            Rule("max_compression_ratio", "compression_ratio", "le", t.max_compression_ratio),
            Rule("allowed_languages", "language", "isin", t.allowed_languages),
            Rule("min_words", "n_words", "ge", t.min_words, digits=0),
            Rule("min_wpm", "wpm", "ge", t.min_wpm, digits=0),
            Rule("max_wpm", "wpm", "le", t.max_wpm, digits=0),
            Rule("min_confidence", "confidence", "ge", t.min_confidence),
        ]
    )


def filter_transcripts(
    df: pd.DataFrame, thresholds: TranscriptThresholds | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split transcript rows into those meeting every threshold and those that do not.

    Args:
        df: ``transcript_segments`` rows.
        thresholds: Quality bars; defaults to :class:`TranscriptThresholds`.

    Returns:
        ``(passed, rejected)``; ``rejected`` has ``reasons`` (one record per failed threshold)
        and ``reason_text``, e.g. ``"avg_logprob -1.42 < min_avg_logprob -1.00; wpm 340 >
        max_wpm 260"``. Every input row is in exactly one of them.

    Raises:
        pandera.errors.SchemaError: ``df`` does not have the transcript_segments layout.
    """
    rules = transcript_rules(thresholds or TranscriptThresholds())
    TranscriptSegments.validate(df)  # layout errors are bugs upstream, not rejections
    judged = rules.apply(df)
    passed = df[judged["passed"].to_numpy()].copy()
    rejected = df[~judged["passed"].to_numpy()].copy()
    rejected["reasons"] = judged.loc[~judged["passed"], "reasons"]
    rejected["reason_text"] = [rules.render(r) for r in rejected["reasons"]]
    return passed, rejected


class RejectedTranscripts(TranscriptSegments):
    """``rejected_transcripts``: transcript rows failing a threshold, with the reasons."""

    reasons: Series[object] = pa.Field(description="failed thresholds (pixel_assets.rules)")
    reason_text: Series[str]


class SpeakerTurns(pa.DataFrameModel):
    """``speaker_turns``: who speaks when (diarization), absolute seconds."""

    video_id: Series[str]
    speaker: Series[str]
    start_s: Series[float] = pa.Field(ge=0)
    end_s: Series[float] = pa.Field(ge=0)

    class Config:
        coerce = True


class Speakers(pa.DataFrameModel):
    """``speakers``: one row per diarized speaker with its mean voice print."""

    video_id: Series[str]
    speaker: Series[str]
    talk_share: Series[float] = pa.Field(ge=0, le=1)
    speech_s: Series[float] = pa.Field(ge=0)
    n_turns: Series[int] = pa.Field(ge=0)
    embedding: Series[object] = pa.Field(
        nullable=True, description="256-d L2-normalised resemblyzer voice print"
    )

    class Config:
        coerce = True


def pass_rate(passed: int | pd.DataFrame, total: int | pd.DataFrame) -> float:
    """Share of rows that passed (``nan`` when there were none); accepts counts or frames."""
    p = len(passed) if isinstance(passed, pd.DataFrame) else int(passed)
    n = len(total) if isinstance(total, pd.DataFrame) else int(total)
    return p / n if n else math.nan


TRANSCRIPT_SEGMENTS = TableSpec(
    "transcript_segments", TranscriptSegments, description="ASR output per segment"
)
WORDS = TableSpec("words", Words, description="recognised words with times and speakers")
SPEAKER_TURNS = TableSpec("speaker_turns", SpeakerTurns, description="diarized speaker turns")
SPEAKERS = TableSpec(
    "speakers", Speakers, arrow_types={"embedding": EMBEDDING_TYPE},
    description="speakers per video with voice prints",
)
FILTERED_TRANSCRIPTS = TableSpec(
    "filtered_transcripts", TranscriptSegments,
    description="transcript rows meeting every threshold",
)
REJECTED_TRANSCRIPTS = TableSpec(
    "rejected_transcripts", RejectedTranscripts, arrow_types={"reasons": REASONS_TYPE},
    description="transcript rows failing a threshold, and speech that yielded no words",
)
UNTRANSCRIBED_SPEECH = TableSpec(
    "untranscribed_speech", RejectedTranscripts, arrow_types={"reasons": REASONS_TYPE},
    description="stretches of VAD speech that yielded no words even when decoded again",
)

TABLES = (
    TRANSCRIPT_SEGMENTS,
    WORDS,
    SPEAKER_TURNS,
    SPEAKERS,
    FILTERED_TRANSCRIPTS,
    REJECTED_TRANSCRIPTS,
    UNTRANSCRIBED_SPEECH,
    ASR_COVERAGE,
)
