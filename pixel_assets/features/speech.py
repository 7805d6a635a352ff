"""Speech timing from word timestamps: speech and articulation rate, pauses, fillers.

Vectorised over all words of a video at once (no per-segment Python loop): words are sorted by
segment and time, the gaps between consecutive words of the same segment are the candidate
pauses, and per-segment sums come from ``np.bincount``.

- ``speech_rate_wps``: words / spoken span (first word start to last word end);
- ``articulation_rate_wps``: words / (span minus pauses), i.e. pauses excluded;
- a pause is a gap of at least ``min_pause_s`` between consecutive words; ``mean_pause_s`` is
  null without pauses; ``long_pauses`` counts gaps of at least ``long_pause_s``;
- ``filler_rate``: fillers ("um", "uh", "you know", ...) per word of the text.

Segments without word timestamps fall back to ``n_words / (end_s - start_s)`` for the speech
rate and leave articulation and pause columns null.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from pixel_assets.features.options import FeatureOptions

SPEECH_COLUMNS = (
    "speech_rate_wps", "articulation_rate_wps", "n_pauses", "mean_pause_s", "long_pauses",
    "filler_rate",
)
_MIN_SPAN_S = 0.2  # shorter spans give meaningless rates (one clipped word)


@cache
def _filler_pattern(fillers: tuple[str, ...]) -> re.Pattern[str] | None:
    if not fillers:
        return None
    # Longest first so "you know" is not also counted as something shorter.
    alternatives = sorted((re.escape(f.lower()) for f in fillers), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


def filler_counts(texts: pd.Series, fillers: tuple[str, ...]) -> np.ndarray:
    """Number of fillers in each text (case-insensitive, whole words/phrases)."""
    pattern = _filler_pattern(tuple(fillers))
    if pattern is None:
        return np.zeros(len(texts), dtype=np.int64)
    lowered = texts.fillna("").astype(str).str.lower()
    return lowered.str.count(pattern).to_numpy(dtype=np.int64)


def speech_frame(
    transcripts: pd.DataFrame, words: pd.DataFrame, options: FeatureOptions | None = None
) -> pd.DataFrame:
    """Speech timing features per transcript row.

    Args:
        transcripts: Rows with ``segment_id``, ``start_s``, ``end_s``, ``text``, ``n_words``.
        words: ``words`` rows (``segment_id``, ``start_s``, ``end_s``); words of other segments
            are ignored.
        options: Pause thresholds and fillers.

    Returns:
        One row per transcript row (same order, fresh index) with :data:`SPEECH_COLUMNS`.

    Raises:
        KeyError: a required column is missing (named).
    """
    options = options or FeatureOptions()
    for name, frame, needed in (
        ("transcripts", transcripts, ("segment_id", "start_s", "end_s", "text", "n_words")),
        ("words", words, ("segment_id", "start_s", "end_s")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise KeyError(f"speech features: {name} lacks columns {missing}.")
    n = len(transcripts)
    ids = pd.Index(transcripts["segment_id"].astype(str))
    if not ids.is_unique:
        raise ValueError("speech features: transcripts has duplicate segment_id values.")
    codes_all = ids.get_indexer(words["segment_id"].astype(str))
    keep = codes_all >= 0
    order = np.lexsort(
        (words["start_s"].to_numpy(float)[keep], codes_all[keep])
    )  # by segment, then time
    code = codes_all[keep][order]
    start = words["start_s"].to_numpy(float)[keep][order]
    end = words["end_s"].to_numpy(float)[keep][order]

    timed = np.bincount(code, minlength=n).astype(float)
    first = np.full(n, np.nan)
    last = np.full(n, np.nan)
    if code.size:
        boundaries = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
        first[code[boundaries]] = start[boundaries]
        # The last word need not end last (overlapping timestamps): take the maximum end.
        np.fmax.at(last, code, end)

    same = code[1:] == code[:-1]
    gap = np.where(same, start[1:] - end[:-1], 0.0)
    is_pause = same & (gap >= options.min_pause_s)
    is_long = same & (gap >= options.long_pause_s)
    gap_code = code[1:]
    pause_total = np.bincount(gap_code[is_pause], weights=gap[is_pause], minlength=n)
    n_pauses = np.bincount(gap_code[is_pause], minlength=n)
    long_pauses = np.bincount(gap_code[is_long], minlength=n)

    span = last - first
    has_words = (timed > 0) & (span >= _MIN_SPAN_S)
    with np.errstate(divide="ignore", invalid="ignore"):
        speech_rate = np.where(has_words, timed / span, np.nan)
        voiced_span = span - pause_total
        articulation = np.where(
            has_words & (voiced_span >= _MIN_SPAN_S), timed / voiced_span, np.nan
        )
        mean_pause = np.where(has_words & (n_pauses > 0), pause_total / np.maximum(n_pauses, 1),
                              np.nan)
        duration = (transcripts["end_s"].to_numpy(float) - transcripts["start_s"].to_numpy(float))
        n_words = transcripts["n_words"].to_numpy(float)
        fallback = np.where(duration >= _MIN_SPAN_S, n_words / duration, np.nan)
    speech_rate = np.where(has_words, speech_rate, fallback)
    fillers = filler_counts(transcripts["text"].reset_index(drop=True), options.fillers)
    filler_rate = np.where(n_words > 0, fillers / np.maximum(n_words, 1), 0.0)
    return pd.DataFrame(
        {
            "speech_rate_wps": speech_rate,
            "articulation_rate_wps": articulation,
            "n_pauses": np.where(has_words, n_pauses, 0).astype(np.int64),
            "mean_pause_s": mean_pause,
            "long_pauses": np.where(has_words, long_pauses, 0).astype(np.int64),
            "filler_rate": np.clip(filler_rate, 0.0, 1.0),
        }
    )
