"""Records of the ASR stage: words, per-segment transcripts, and how decoded clips fold into them.

Split out of :mod:`pixel_assets.transcription.asr` (which re-exports the public names) so each
module stays one job: ``asr`` loads the model and decodes, this module holds the results.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pixel_assets.transcription.align import SubSegment
from pixel_assets.transcription.coverage import Span, UntranscribedSpan, merge_spans, overlap_s

SAMPLE_RATE = 16_000


@dataclass
class WordRow:
    """One recognised word; times are absolute in the video (seconds)."""

    segment_id: str
    word: str
    start_s: float
    end_s: float
    probability: float
    speaker: str | None = None


@dataclass
class SegmentTranscript:
    """Transcript of one input segment.

    Attributes:
        segment_id: The input segment's id.
        start_s: Input segment start (absolute, seconds).
        end_s: Input segment end (absolute, seconds).
        text: Recognised text, stripped.
        avg_logprob: Mean token log-probability (token-weighted over whisper sub-segments).
        no_speech_prob: Whisper's no-speech probability (duration-weighted over sub-segments).
        compression_ratio: gzip compression ratio of ``text`` (high = repetitive, hallucination).
        language: Language code used or detected.
        confidence: 0-1 score: mean word probability; ``exp(avg_logprob)`` without words;
            NaN when nothing was recognised.
        n_words: Number of words.
        wpm: Words per minute over the spoken span (first word start to last word end);
            NaN without words.
        words: The segment's words.
        untranscribed: Stretches of speech in the segment that yielded no words even when
            decoded again (rows for ``rejected_transcripts``).
        redecoded: Stretches of the segment decoded a second (or third) time.
    """

    segment_id: str
    start_s: float
    end_s: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    language: str
    confidence: float
    n_words: int
    wpm: float
    words: list[WordRow] = field(default_factory=list)
    untranscribed: list[UntranscribedSpan] = field(default_factory=list)
    redecoded: int = 0


def compression_ratio(text: str) -> float:
    """gzip compression ratio of ``text``, as whisper computes it (NaN for empty text)."""
    data = text.encode("utf-8")
    if not data:
        return math.nan
    return len(data) / len(zlib.compress(data))


def words_per_minute(words: Sequence[WordRow]) -> float:
    """Speech rate over the words' span; a floor of 0.5 s avoids absurd rates for 1-2 words."""
    if not words:
        return math.nan
    span = max(words[-1].end_s - words[0].start_s, 0.5)
    return len(words) * 60.0 / span



@dataclass
class _Piece:
    """A part (<= 30 s) of one input segment, the unit that is decoded."""

    segment_id: str
    start_s: float
    end_s: float


@dataclass
class _Sub:
    """One whisper sub-segment with the scores the transcript row aggregates."""

    text: str
    n_tokens: int
    avg_logprob: float
    no_speech_prob: float
    tokens: SubSegment  # tokens, absolute start/end and (once aligned) words


@dataclass
class _Decoded:
    """What whisper produced for one clip (possibly several whisper sub-segments)."""

    subs: list[_Sub] = field(default_factory=list)

    def word_times(self) -> list[Span]:
        return [(w[1], w[2]) for s in self.subs for w in s.tokens.words if _is_word(w[0])]


@dataclass
class _Clip:
    """A span to decode: a whole piece (round 0) or a gap inside one (later rounds)."""

    piece: int
    start_s: float
    end_s: float
    attempts: int = 1



def _is_word(text: str) -> bool:
    # A lone "." or "-" is not a spoken word (whisper emits them on silence).
    return any(ch.isalnum() for ch in text)


def _sub(segment, offset_s: float) -> _Sub:
    """A faster-whisper ``Segment`` as a :class:`_Sub`, times shifted by ``offset_s``."""
    words = [
        (w.word, float(w.start) + offset_s, float(w.end) + offset_s, float(w.probability))
        for w in segment.words or []
    ]
    return _Sub(
        text=segment.text,
        n_tokens=max(1, len(segment.tokens)),
        avg_logprob=float(segment.avg_logprob),
        no_speech_prob=float(segment.no_speech_prob),
        tokens=SubSegment(
            list(segment.tokens),
            float(segment.start) + offset_s,
            float(segment.end) + offset_s,
            words,
        ),
    )


def _clamp_words(part: _Decoded, clip: _Clip) -> None:
    """Clamp word times to the clip: alignment can overhang its edge by a frame or two."""
    for sub in part.subs:
        clamped = []
        for word, start, end, prob in sub.tokens.words:
            start = min(max(start, clip.start_s), clip.end_s)
            clamped.append((word, start, min(max(end, start), clip.end_s), prob))
        sub.tokens.words = clamped


def _is_silence(part: _Decoded) -> bool:
    """Whisper's rule for skipping a window (no-speech > 0.6 and avg_logprob < -1), or no
    word at all."""
    if not part.word_times() and not any(_is_word(s.text) for s in part.subs):
        return True
    no_speech = max(s.no_speech_prob for s in part.subs)
    return no_speech > 0.6 and min(s.avg_logprob for s in part.subs) < -1.0


def _untranscribed(
    pieces: list[_Piece], clip: _Clip, part: _Decoded, speech: list[Span] | None
) -> UntranscribedSpan:
    span = (clip.start_s, clip.end_s)
    return UntranscribedSpan(
        segment_id=pieces[clip.piece].segment_id,
        start_s=round(clip.start_s, 3),
        end_s=round(clip.end_s, 3),
        speech_s=round(overlap_s(span, speech) if speech is not None else span[1] - span[0], 3),
        text=" ".join(s.text.strip() for s in part.subs if s.text.strip()),
        no_speech_prob=max((s.no_speech_prob for s in part.subs), default=math.nan),
        avg_logprob=min((s.avg_logprob for s in part.subs), default=math.nan),
        attempts=clip.attempts,
    )


def _silero_speech(audio: np.ndarray, stretches: list[Span]) -> list[Span]:
    """Speech inside ``stretches`` by faster-whisper's Silero VAD (only the few candidates)."""
    if not stretches:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=300, speech_pad_ms=100)
    found: list[Span] = []
    for a, b in stretches:
        start = round(a * SAMPLE_RATE)
        stamps = get_speech_timestamps(audio[start : round(b * SAMPLE_RATE)], options)
        found += [
            ((start + s["start"]) / SAMPLE_RATE, (start + s["end"]) / SAMPLE_RATE) for s in stamps
        ]
    return merge_spans(found)


def _aggregate(
    segments: Sequence[tuple[str, float, float]],
    pieces: list[_Piece],
    decoded: list[_Decoded],
    untranscribed: list[UntranscribedSpan],
    language: str,
) -> list[SegmentTranscript]:
    """Fold pieces and whisper sub-segments back into one transcript per input segment."""
    by_segment: dict[str, list[_Sub]] = {}
    for piece, part in zip(pieces, decoded, strict=True):
        by_segment.setdefault(piece.segment_id, []).extend(part.subs)
    lost: dict[str, list[UntranscribedSpan]] = {}
    for span in sorted(untranscribed, key=lambda u: u.start_s):
        lost.setdefault(span.segment_id, []).append(span)
    transcripts = []
    for segment_id, start, end in segments:
        # Re-decoded stretches were appended after their piece; put them back in time order.
        subs = sorted(by_segment[segment_id], key=lambda s: s.tokens.start)
        text = " ".join(s.text.strip() for s in subs if s.text.strip())
        # Rounded to ms, then kept inside the segment (rounding can pass its bound by < 1 ms).
        words = [
            WordRow(
                segment_id, w.strip(),
                min(max(round(a, 3), start), end), min(max(round(b, 3), start), end), p,
            )
            for s in subs
            for w, a, b, p in s.tokens.words
            if _is_word(w)
        ]
        words.sort(key=lambda w: (w.start_s, w.end_s))
        if text:
            avg_logprob = float(
                np.average([s.avg_logprob for s in subs], weights=[s.n_tokens for s in subs])
            )
        else:
            avg_logprob = math.nan
        if subs:
            no_speech = float(
                np.average(
                    [s.no_speech_prob for s in subs],
                    weights=[max(s.tokens.end - s.tokens.start, 1e-3) for s in subs],
                )
            )
        else:
            no_speech = math.nan
        if words:
            confidence = float(np.mean([w.probability for w in words]))
        elif text:
            confidence = math.exp(avg_logprob)
        else:
            confidence = math.nan
        transcripts.append(
            SegmentTranscript(
                segment_id=segment_id,
                start_s=float(start),
                end_s=float(end),
                text=text,
                avg_logprob=avg_logprob,
                no_speech_prob=no_speech,
                compression_ratio=compression_ratio(text),
                language=language,
                confidence=confidence,
                n_words=len(words) if words else len(text.split()),
                wpm=words_per_minute(words),
                words=words,
                untranscribed=lost.get(segment_id, []),
            )
        )
    return transcripts
