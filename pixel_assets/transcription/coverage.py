"""ASR coverage: how much of the VAD speech got words, and what is left without any.

Batched whisper decodes each clip once and can end early: in a two-voice recording it dropped a
quiet 7.5 s counsellor turn at the head of a segment and went on with the next speaker. The
transcriber re-decodes such stretches (:func:`find_gaps` says where); whatever still yields no
words is kept as an :class:`UntranscribedSpan`, turned here into explicit rows for
``rejected_transcripts`` (:func:`untranscribed_rows`), and measured per video in the
``asr_coverage`` table (:func:`asr_coverage`, :func:`coverage_frame`).

Coverage is ``1 - (VAD speech inside gaps) / (VAD speech inside transcribed segments)``, where a
gap is a stretch of a transcribed segment farther than ``word_pad_s`` from every word and
holding at least ``min_gap_s`` of VAD speech. Pauses between words and the VAD's padding at
region edges are therefore not counted as lost speech, so clean audio scores 1.0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pixel_assets.rules import Rule, RuleSet
from pixel_assets.warehouse.contract import TableSpec

Span = tuple[float, float]

MIN_GAP_S = 1.0
"""VAD speech without words from this length on is a gap (re-decoded, then reported)."""

WORD_PAD_S = 0.3
"""Audio this close to a recognised word counts as covered by it (alignment is +-0.1-0.2 s)."""

DEFAULT_MIN_COVERAGE = 0.9
"""Floor of the non-blocking ``asr_coverage`` check: a video below it lost speech."""


@dataclass
class UntranscribedSpan:
    """A stretch of VAD speech inside a transcribed segment that produced no words.

    Attributes:
        segment_id: The input segment it lies in.
        start_s: Stretch start (absolute, seconds).
        end_s: Stretch end.
        speech_s: VAD speech inside the stretch.
        text: What the last decode said (usually empty; words without letters are dropped).
        no_speech_prob: Whisper's no-speech probability of the last decode (NaN if none).
        avg_logprob: Mean token log-probability of the last decode (NaN if none).
        attempts: Decodes of this stretch, the first (batched) pass included.
    """

    segment_id: str
    start_s: float
    end_s: float
    speech_s: float
    text: str = ""
    no_speech_prob: float = math.nan
    avg_logprob: float = math.nan
    attempts: int = 1


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """Sort spans and merge the ones that overlap or touch."""
    merged: list[Span] = []
    for a, b in sorted((float(a), float(b)) for a, b in spans if b > a):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def overlap_s(span: Span, spans: Sequence[Span]) -> float:
    """Total length of ``spans`` (merged, non-overlapping) inside ``span``."""
    a, b = span
    return sum(max(0.0, min(b, y) - max(a, x)) for x, y in spans)


def _clip_to(span: Span, spans: Sequence[Span]) -> list[Span]:
    a, b = span
    return [(max(a, x), min(b, y)) for x, y in spans if min(b, y) > max(a, x)]


def find_gaps(
    span: Span,
    word_times: Sequence[Span],
    speech: Sequence[Span] | None,
    min_gap_s: float = MIN_GAP_S,
    word_pad_s: float = WORD_PAD_S,
) -> list[Span]:
    """Stretches of ``span`` without words that hold at least ``min_gap_s`` of speech.

    Args:
        span: A transcribed segment (or piece of one), absolute seconds.
        word_times: ``(start_s, end_s)`` of the words recognised in it.
        speech: VAD speech regions (merged); None treats the whole span as speech.
        min_gap_s: Least speech for a stretch to count; <= 0 finds none.
        word_pad_s: Audio this close to a word counts as covered.

    Returns:
        Each gap trimmed to the speech inside it (so a re-decode gets no leading silence),
        in time order: head, middle and tail gaps alike.
    """
    if min_gap_s <= 0:
        return []
    covered = merge_spans([(s - word_pad_s, e + word_pad_s) for s, e in word_times])
    free: list[Span] = []
    cursor = span[0]
    for a, b in covered:
        if a > cursor:
            free.append((cursor, min(a, span[1])))
        cursor = max(cursor, b)
    if cursor < span[1]:
        free.append((cursor, span[1]))
    gaps = []
    for stretch in free:
        if stretch[1] - stretch[0] < min_gap_s:
            continue
        inside = [stretch] if speech is None else _clip_to(stretch, speech)
        if inside and sum(b - a for a, b in inside) >= min_gap_s:
            gaps.append((inside[0][0], inside[-1][1]))
    return gaps


@dataclass
class CoverageResult:
    """Coverage of one video's VAD speech by words.

    Attributes:
        speech_s: VAD speech inside the transcribed segments (seconds).
        uncovered_s: VAD speech inside gaps (no word within ``word_pad_s``).
        coverage: ``1 - uncovered_s / speech_s``; NaN without speech.
        gaps: The gaps, ``(segment_id, start_s, end_s, speech_s)``.
    """

    speech_s: float
    uncovered_s: float
    coverage: float
    gaps: list[tuple[str, float, float, float]]


def asr_coverage(
    speech_regions: Sequence[Span],
    segments: Sequence[tuple[str, float, float]],
    words: pd.DataFrame | Sequence[tuple[str, float, float]],
    min_gap_s: float = MIN_GAP_S,
    word_pad_s: float = WORD_PAD_S,
) -> CoverageResult:
    """Share of the VAD speech in the transcribed segments that lies near a recognised word.

    Args:
        speech_regions: The video's VAD regions (``speech_regions`` table), seconds.
        segments: ``(segment_id, start_s, end_s)`` of the segments sent to ASR.
        words: The ``words`` table (``segment_id``, ``start_s``, ``end_s``), or such triples.
            Word times are matched to segments by time, so rows re-split at speaker changes
            (new segment ids) still count.
        min_gap_s: Least speech without words that counts as lost.
        word_pad_s: Audio this close to a word counts as covered.

    Returns:
        The totals, the coverage and every gap.
    """
    if isinstance(words, pd.DataFrame):
        times = list(zip(words["start_s"].astype(float), words["end_s"].astype(float),
                         strict=True))
    else:
        times = [(float(s), float(e)) for _, s, e in words]
    times.sort()
    speech = merge_spans(speech_regions)
    speech_s = 0.0
    gaps = []
    for segment_id, start, end in segments:
        span = (float(start), float(end))
        speech_s += overlap_s(span, speech)
        inside = [(s, e) for s, e in times if e > span[0] - word_pad_s and s < span[1] + word_pad_s]
        for a, b in find_gaps(span, inside, speech, min_gap_s, word_pad_s):
            gaps.append((str(segment_id), a, b, overlap_s((a, b), speech)))
    uncovered = sum(g[3] for g in gaps)
    coverage = 1.0 - uncovered / speech_s if speech_s > 0 else math.nan
    return CoverageResult(speech_s, uncovered, coverage, gaps)


class AsrCoverage(pa.DataFrameModel):
    """``asr_coverage``: one row per video, how much VAD speech got words."""

    video_id: Series[str]
    speech_s: Series[float] = pa.Field(ge=0, description="VAD speech in transcribed segments")
    uncovered_s: Series[float] = pa.Field(ge=0, description="VAD speech in gaps without words")
    coverage: Series[float] = pa.Field(
        nullable=True, ge=0, le=1, description="1 - uncovered_s / speech_s"
    )
    n_gaps: Series[int] = pa.Field(ge=0, description="stretches still without words")
    n_redecoded: Series[int] = pa.Field(ge=0, description="stretches decoded a second time")
    n_recovered: Series[int] = pa.Field(ge=0, description="re-decoded stretches that got words")
    model: Series[str]

    class Config:
        coerce = True


ASR_COVERAGE = TableSpec(
    "asr_coverage", AsrCoverage, description="share of VAD speech covered by recognised words"
)
TABLES: tuple[TableSpec, ...] = (ASR_COVERAGE,)


def coverage_frame(
    video_id: str,
    result: CoverageResult,
    model: str,
    n_redecoded: int = 0,
    n_recovered: int = 0,
) -> pd.DataFrame:
    """The ``asr_coverage`` row of one video."""
    return pd.DataFrame(
        [
            {
                "video_id": video_id,
                "speech_s": round(result.speech_s, 3),
                "uncovered_s": round(result.uncovered_s, 3),
                "coverage": result.coverage,
                "n_gaps": len(result.gaps),
                "n_redecoded": n_redecoded,
                "n_recovered": n_recovered,
                "model": model,
            }
        ],
        columns=list(AsrCoverage.to_schema().columns),
    )


def redecode_counts(transcripts: Sequence) -> tuple[int, int, list[UntranscribedSpan]]:
    """``(n_redecoded, n_recovered, untranscribed)`` over a video's ``SegmentTranscript``s.

    ``n_redecoded`` counts second (and third) decodes of stretches without words;
    ``n_recovered`` those that gave words; ``untranscribed`` lists what stayed empty.
    """
    redecoded = sum(int(t.redecoded) for t in transcripts)
    lost = [u for t in transcripts for u in t.untranscribed]
    failed = sum(1 for u in lost if u.attempts > 1)
    return redecoded, max(0, redecoded - failed), lost


def coverage_rules(min_coverage: float = DEFAULT_MIN_COVERAGE) -> RuleSet:
    """The non-blocking check's rule: ``coverage >= min_coverage`` (no speech passes)."""
    return RuleSet.of([Rule("min_asr_coverage", "coverage", "ge", min_coverage)])


def check_coverage(
    frame: pd.DataFrame, min_coverage: float = DEFAULT_MIN_COVERAGE
) -> tuple[bool, list[dict[str, str]]]:
    """Judge an ``asr_coverage`` row: ``(passed, reasons)`` for a WARN-severity asset check."""
    judged = coverage_rules(min_coverage).apply(frame)
    reasons = [r for row in judged["reasons"] for r in row]
    return bool(judged["passed"].all()), reasons


def untranscribed_rules(
    max_no_speech_prob: float = 0.6, min_avg_logprob: float = -1.0
) -> RuleSet:
    """Why a stretch of VAD speech has no words: always ``words_in_speech`` (no word was
    recognised), plus whisper's own verdicts when the last decode measured them."""
    return RuleSet.of(
        [
            Rule("words_in_speech", "n_words", "ge", 1, digits=0),
            Rule("max_no_speech_prob", "no_speech_prob", "le", max_no_speech_prob),
            Rule("min_avg_logprob", "avg_logprob", "ge", min_avg_logprob),
        ]
    )


def untranscribed_rows(
    video_id: str,
    spans: Sequence[UntranscribedSpan],
    model: str,
    language: str = "en",
    rules: RuleSet | None = None,
) -> pd.DataFrame:
    """Rows for ``rejected_transcripts``: one per stretch of speech that yielded no words.

    Args:
        video_id: The video.
        spans: ``UntranscribedSpan`` records from the transcriber (``SegmentTranscript
            .untranscribed``).
        model: The ``model`` column value (``WhisperTranscriber.model_label``).
        language: The transcript language.
        rules: Defaults to :func:`untranscribed_rules`.

    Returns:
        ``transcript_segments`` columns (``segment_id`` is ``<segment>_gapNN``,
        ``parent_segment_id`` the segment) plus ``reasons`` and ``passed`` (False).
    """
    columns = [
        "video_id", "segment_id", "parent_segment_id", "start_s", "end_s", "speaker", "text",
        "avg_logprob", "no_speech_prob", "compression_ratio", "language", "confidence", "model",
        "n_words", "wpm",
    ]
    counters: dict[str, int] = {}
    rows = []
    for span in spans:
        k = counters[span.segment_id] = counters.get(span.segment_id, -1) + 1
        rows.append(
            {
                "video_id": video_id,
                "segment_id": f"{span.segment_id}_gap{k:02d}",
                "parent_segment_id": span.segment_id,
                "start_s": round(span.start_s, 3),
                "end_s": round(span.end_s, 3),
                "speaker": None,
                "text": span.text,
                "avg_logprob": span.avg_logprob,
                "no_speech_prob": span.no_speech_prob,
                "compression_ratio": math.nan,
                "language": language,
                "confidence": math.nan,
                "model": model,
                "n_words": 0,
                "wpm": math.nan,
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    judged = (rules or untranscribed_rules()).apply(frame)
    return judged
