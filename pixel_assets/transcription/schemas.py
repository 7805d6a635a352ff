"""Tables of the transcription stage and the transcript quality thresholds.

``transcript_segments`` has one row per (speaker-homogeneous) transcript segment, ``words`` one
row per recognised word. :func:`filter_transcripts` splits transcript rows into passed and
rejected (with readable reasons) using :class:`TranscriptThresholds`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors
from pandera.typing import Series

from pixel_assets.transcription.asr import SegmentTranscript, WordRow


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


@dataclass(frozen=True)
class _Rule:
    """One threshold: how to check it and how to explain a failure."""

    column: str
    check: pa.Check
    explain: Callable[[object], str]


def _fmt(value: object, digits: int) -> str:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(value)
    return "nan" if math.isnan(f) else f"{f:.{digits}f}"


def _rules(t: TranscriptThresholds) -> dict[str, _Rule]:
    """Threshold rules keyed by check name (the name pandera reports in failure_cases)."""

    def rule(name: str, column: str, check: pa.Check, explain: Callable[[object], str]):
        return name, _Rule(column, check, explain)

    return dict(
        [
            rule(
                "min_avg_logprob",
                "avg_logprob",
                pa.Check.ge(t.min_avg_logprob, name="min_avg_logprob"),
                lambda v: f"avg_logprob {_fmt(v, 2)} < min {t.min_avg_logprob:.2f}",
            ),
            rule(
                "max_no_speech_prob",
                "no_speech_prob",
                pa.Check.le(t.max_no_speech_prob, name="max_no_speech_prob"),
                lambda v: f"no_speech_prob {_fmt(v, 2)} > max {t.max_no_speech_prob:.2f}",
            ),
            rule(
                "max_compression_ratio",
                "compression_ratio",
                pa.Check.le(t.max_compression_ratio, name="max_compression_ratio"),
                lambda v: f"compression_ratio {_fmt(v, 2)} > max {t.max_compression_ratio:.2f}",
            ),
            rule(
                "allowed_languages",
                "language",
                pa.Check.isin(list(t.allowed_languages), name="allowed_languages"),
                lambda v: f"language {v!r} not in {list(t.allowed_languages)}",
            ),
            rule(
                "min_words",
                "n_words",
                pa.Check.ge(t.min_words, name="min_words"),
                lambda v: f"n_words {_fmt(v, 0)} < min {t.min_words}",
            ),
            rule(
                "min_wpm",
                "wpm",
                pa.Check.ge(t.min_wpm, name="min_wpm"),
                lambda v: f"wpm {_fmt(v, 0)} < min {t.min_wpm:.0f}",
            ),
            rule(
                "max_wpm",
                "wpm",
                pa.Check.le(t.max_wpm, name="max_wpm"),
                lambda v: f"wpm {_fmt(v, 0)} > max {t.max_wpm:.0f}",
            ),
            rule(
                "min_confidence",
                "confidence",
                pa.Check.ge(t.min_confidence, name="min_confidence"),
                lambda v: f"confidence {_fmt(v, 2)} < min {t.min_confidence:.2f}",
            ),
        ]
    )


def _checks_by_column(thresholds: TranscriptThresholds) -> dict[str, list[str]]:
    """Rule names per column, in check order (pandera reports a failure by column + number)."""
    columns: dict[str, list[str]] = {}
    for name, r in _rules(thresholds).items():
        columns.setdefault(r.column, []).append(name)
    return columns


def transcript_quality_schema(thresholds: TranscriptThresholds) -> pa.DataFrameSchema:
    """A pandera schema holding only the threshold checks.

    NaN scores are not judged here (a segment with nothing recognised fails ``min_words``).
    """
    rules = _rules(thresholds)
    return pa.DataFrameSchema(
        {
            col: pa.Column(checks=[rules[n].check for n in names], nullable=True)
            for col, names in _checks_by_column(thresholds).items()
        },
        name="transcript_quality",
    )


def filter_transcripts(
    df: pd.DataFrame, thresholds: TranscriptThresholds | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split transcript rows into those meeting every threshold and those that do not.

    Args:
        df: ``transcript_segments`` rows.
        thresholds: Quality bars; defaults to :class:`TranscriptThresholds`.

    Returns:
        ``(passed, rejected)``; ``rejected`` has a ``reasons`` column listing every failed
        threshold with the measured value, e.g. ``"avg_logprob -1.42 < min -1.00; wpm 340 > max
        260"``. Every input row is in exactly one of them.

    Raises:
        pandera.errors.SchemaError: ``df`` does not have the transcript_segments layout.
    """
    thresholds = thresholds or TranscriptThresholds()
    TranscriptSegments.validate(df)  # layout errors are bugs upstream, not rejections
    rules = _rules(thresholds)
    frame = df.reset_index(drop=True)
    failed: dict[int, list[str]] = {}  # row -> names of failed rules
    try:
        transcript_quality_schema(thresholds).validate(frame, lazy=True)
    except SchemaErrors as err:
        by_column = _checks_by_column(thresholds)
        cases = err.failure_cases
        for case in cases.to_dict("records"):
            names = by_column.get(case["column"], [])
            number = case.get("check_number")
            if pd.isna(case["index"]) or number is None or not 0 <= int(number) < len(names):
                raise SchemaError(
                    transcript_quality_schema(thresholds),
                    frame,
                    f"Transcript quality validation failed outside the thresholds ({case}); "
                    "check the transcript_segments layout.",
                ) from err
            idx = int(case["index"])
            failed.setdefault(idx, []).append(names[int(number)])
    order = {name: i for i, name in enumerate(rules)}
    reasons: dict[int, list[str]] = {}
    for idx, names in failed.items():
        # Report in rule order, whatever order pandera lists failures in.
        for name in sorted(set(names), key=order.__getitem__):
            rule = rules[name]
            reasons.setdefault(idx, []).append(rule.explain(frame.at[idx, rule.column]))
    rejected_mask = frame.index.isin(list(reasons))
    passed = df[~rejected_mask].copy()
    rejected = df[rejected_mask].copy()
    rejected["reasons"] = ["; ".join(reasons[i]) for i in frame.index[rejected_mask]]
    return passed, rejected


def pass_rate(passed: int | pd.DataFrame, total: int | pd.DataFrame) -> float:
    """Share of rows that passed (``nan`` when there were none); accepts counts or frames."""
    p = len(passed) if isinstance(passed, pd.DataFrame) else int(passed)
    n = len(total) if isinstance(total, pd.DataFrame) else int(total)
    return p / n if n else math.nan
