"""From labelled embedding windows to speaker turns: smoothing, pauses, short-turn absorption."""

from __future__ import annotations

import numpy as np

from pixel_assets.transcription.diarization.types import EMBED_SAMPLE_RATE

FRAMES_PER_S = 100  # resemblyzer mel hop is 10 ms



def _mode_filter(labels: np.ndarray, width: int) -> np.ndarray:
    """Sliding majority vote (a median filter for categorical labels); keeps ties as they are."""
    if len(labels) < width:
        return labels.copy()
    half = width // 2
    out = labels.copy()
    for i in range(half, len(labels) - half):
        values, counts = np.unique(labels[i - half : i + half + 1], return_counts=True)
        if counts.max() > width // 2:
            out[i] = values[counts.argmax()]
    return out


def _quietest_point(audio: np.ndarray, t: float, radius: float, lo: float, hi: float) -> float:
    """The centre of the lowest-energy 10 ms frame within ``t ± radius`` (inside ``lo..hi``)."""
    a, b = max(lo, t - radius), min(hi, t + radius)
    frame = EMBED_SAMPLE_RATE // FRAMES_PER_S
    seg = audio[round(a * EMBED_SAMPLE_RATE) : round(b * EMBED_SAMPLE_RATE)]
    n = len(seg) // frame
    if n < 1:
        return t
    energy = (seg[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    quiet = np.flatnonzero(energy <= energy.min() * 1.01 + 1e-12)
    # Within a run of silence, take the frame nearest to the window-based estimate.
    centers = a + (quiet + 0.5) / FRAMES_PER_S
    return float(centers[np.argmin(np.abs(centers - t))])


def _frame_db(audio: np.ndarray, start: float, end: float) -> np.ndarray:
    frame = EMBED_SAMPLE_RATE // FRAMES_PER_S
    seg = audio[round(start * EMBED_SAMPLE_RATE) : round(end * EMBED_SAMPLE_RATE)]
    n = len(seg) // frame
    return 10 * np.log10((seg[: n * frame].reshape(n, frame) ** 2).mean(axis=1) + 1e-12)


def _pauses(
    audio: np.ndarray, start: float, end: float, silence_db: float, min_pause_s: float
) -> list[tuple[float, float]]:
    """Runs of frames ``silence_db`` below the region's loud level, at least ``min_pause_s``."""
    db = _frame_db(audio, start, end)
    if not db.size:
        return []
    quiet = db < np.percentile(db, 95) - silence_db
    # Run boundaries of the boolean mask.
    edges = np.flatnonzero(np.diff(np.r_[0, quiet.astype(np.int8), 0]))
    out = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if (b - a) / FRAMES_PER_S >= min_pause_s:
            out.append((start + a / FRAMES_PER_S, start + b / FRAMES_PER_S))
    return out


def _subtract(
    spans: list[tuple[int, float, float]], pauses: list[tuple[float, float]]
) -> list[tuple[int, float, float]]:
    """Remove the pause intervals from labelled spans (splitting spans they fall inside)."""
    out = []
    for lb, a, b in spans:
        pieces = [(a, b)]
        for pa, pb in pauses:
            nxt = []
            for x, y in pieces:
                if pb <= x or pa >= y:
                    nxt.append((x, y))
                    continue
                if pa > x:
                    nxt.append((x, pa))
                if pb < y:
                    nxt.append((pb, y))
            pieces = nxt
        out += [(lb, x, y) for x, y in pieces if y - x > 0.05]
    return out


def _absorb_short(
    spans: list[tuple[int, float, float]], min_turn_s: float
) -> list[tuple[int, float, float]]:
    """Give turns shorter than ``min_turn_s`` to the longer neighbour, then merge equal labels."""
    spans = list(spans)
    while len(spans) > 1:
        short = [i for i, (_, a, b) in enumerate(spans) if b - a < min_turn_s]
        if not short:
            break
        i = min(short, key=lambda j: spans[j][2] - spans[j][1])
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(spans)]
        j = max(neighbours, key=lambda m: spans[m][2] - spans[m][1])
        lb = spans[j][0]
        spans[i] = (lb, spans[i][1], spans[i][2])
        merged: list[tuple[int, float, float]] = []
        for s in spans:
            if merged and merged[-1][0] == s[0]:
                merged[-1] = (s[0], merged[-1][1], s[2])
            else:
                merged.append(s)
        spans = merged
    return spans
