"""Word and diarization error rates for tests and benchmarks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol


class _Turn(Protocol):
    speaker: str
    start_s: float
    end_s: float


TurnLike = _Turn | tuple[str, float, float] | dict

_PUNCT = re.compile(r"[^\w\s']+")


def normalize_text(text: str) -> str:
    """Lowercase, drop punctuation (keep apostrophes), collapse whitespace."""
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER of ``hypothesis`` against ``reference`` after :func:`normalize_text` (jiwer)."""
    import jiwer

    ref = normalize_text(reference)
    if not ref:
        raise ValueError("Reference text is empty after normalisation; WER is undefined.")
    return float(jiwer.wer(ref, normalize_text(hypothesis)))


def _as_triplet(turn: TurnLike) -> tuple[str, float, float]:
    if isinstance(turn, dict):
        return str(turn["speaker"]), float(turn["start_s"]), float(turn["end_s"])
    if isinstance(turn, tuple):
        return str(turn[0]), float(turn[1]), float(turn[2])
    return str(turn.speaker), float(turn.start_s), float(turn.end_s)


def _annotation(turns: Iterable[TurnLike]):
    from pyannote.core import Annotation, Segment

    ann = Annotation()
    for i, turn in enumerate(turns):
        speaker, start, end = _as_triplet(turn)
        if end > start:
            ann[Segment(start, end), i] = speaker
    return ann


def diarization_error_rate(
    reference_turns: Sequence[TurnLike],
    hypothesis_turns: Sequence[TurnLike],
    collar: float = 0.25,
) -> float:
    """DER with pyannote.metrics (optimal speaker mapping, overlap scored).

    Args:
        reference_turns: Ground truth as :class:`SpeakerTurn`-likes, ``(speaker, start, end)``
            tuples or dicts with ``speaker``/``start_s``/``end_s``.
        hypothesis_turns: System output, same forms; labels need not match the reference.
        collar: pyannote's collar: total width removed around each reference boundary, i.e.
            ``collar / 2`` on each side (NIST md-eval's "0.25 s collar" is ``collar=0.5`` here).

    Returns:
        (missed + false alarm + confusion) / reference speech time.
    """
    from pyannote.metrics.diarization import DiarizationErrorRate

    metric = DiarizationErrorRate(collar=collar, skip_overlap=False)
    return float(metric(_annotation(reference_turns), _annotation(hypothesis_turns)))
