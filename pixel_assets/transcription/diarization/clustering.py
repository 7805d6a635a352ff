"""Speaker-clustering helpers on L2-normalised voice embeddings (no backend imports).

Used by the resemblyzer diarizer within a video and reusable across videos."""

from __future__ import annotations

import math

import numpy as np


def agglomerative(embeddings: np.ndarray, k: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    # Average linkage on cosine: robust to the odd outlier window, unlike single/complete.
    return AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(
        embeddings
    )


def centroids(embeddings: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    out = {}
    for lb in np.unique(labels):
        c = embeddings[labels == lb].mean(axis=0)
        out[int(lb)] = c / (np.linalg.norm(c) or 1.0)
    return out


def estimate_speakers(
    embeddings: np.ndarray,
    *,
    min_speakers: int = 1,
    max_speakers: int = 8,
    threshold: float = 0.2,
    min_share: float = 0.1,
) -> np.ndarray:
    """Cluster L2-normalised window embeddings with an automatic number of speakers.

    Agglomerative (average-linkage, cosine) clustering is cut at ``max_speakers`` clusters; then
    clusters too small to be a speaker (< ``min_share`` of windows) are folded into their nearest
    big cluster, and the two closest centroids are merged while their cosine distance is below
    ``threshold``. Comparing centroids, not single windows, is what makes this work on GE2E: one
    voice's windows scatter (pairwise cosine 0.65-0.9) as widely as two voices overlap, but the
    centroids of a voice split in two stay within ~0.1 of each other. One speaker comes out when
    everything merges, which is the explicit 1-speaker case.

    Returns:
        A label per window, ``0..k-1``.
    """
    n = embeddings.shape[0]
    if n < 2 or max_speakers <= 1:
        return np.zeros(n, int)
    labels = agglomerative(embeddings, min(max_speakers, n))
    # Fold small clusters (outlier windows: laughs, breaths, window straddling a change).
    min_count = max(1, math.ceil(min_share * n))
    while True:
        counts = {lb: int((labels == lb).sum()) for lb in np.unique(labels)}
        small = [lb for lb, c in counts.items() if c < min_count]
        if not small or len(counts) <= 1:
            break
        big = [lb for lb in counts if lb not in small] or [max(counts, key=counts.get)]
        cents = centroids(embeddings, labels)
        lb = min(small, key=counts.get)
        if lb in big:  # every cluster is small: merge the smallest into its nearest
            big = [b for b in counts if b != lb]
        nearest = max(big, key=lambda b: float(cents[lb] @ cents[b]))
        labels[labels == lb] = nearest
    # Merge clusters whose centroids are closer than the threshold.
    while True:
        cents = centroids(embeddings, labels)
        keys = list(cents)
        if len(keys) <= max(1, min_speakers):
            break
        best, pair = -1.0, None
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                sim = float(cents[a] @ cents[b])
                if sim > best:
                    best, pair = sim, (a, b)
        if pair is None or 1.0 - best >= threshold:
            break
        labels[labels == pair[1]] = pair[0]
    _, labels = np.unique(labels, return_inverse=True)
    return labels


def split_by_pitch(
    embeddings: np.ndarray,
    pitch_st: np.ndarray,
    labels: np.ndarray,
    *,
    min_pitch_gap_st: float = 1.5,
    min_share: float = 0.1,
    max_speakers: int = 8,
    pitch_weight: float = 0.05,
) -> np.ndarray:
    """Second pass: split a cluster that holds two voices with close voice prints.

    GE2E d-vectors of two similar voices (espeak ``en-gb -p 60`` and ``en-us+m3 -p 35``) lie
    0.09-0.10 apart in cosine distance, closer than one voice split in two (up to 0.15), so no
    distance threshold separates them. Two cues that agree do: each cluster is cut in two by
    Ward clustering on the d-vectors with the window's pitch appended (weight
    ``pitch_weight`` per semitone, small so the voice prints lead), and the cut is kept when
    the halves' median pitch differs by at least ``min_pitch_gap_st`` semitones and both halves
    are big enough to be a speaker. Measured on the fixtures: 3.3-4.0 semitones between the
    halves of the similar pair, at most 0.25 when one voice is cut (one voice, a monologue, each
    voice of the easy pair).

    Args:
        embeddings: L2-normalised window embeddings.
        pitch_st: Median pitch of each window in semitones (NaN where unvoiced).
        labels: Labels from the first pass (:func:`estimate_speakers`).
        min_pitch_gap_st: Least pitch difference between the halves to split.
        min_share: Least share of all windows each half must hold.
        max_speakers: Never exceed this many speakers.
        pitch_weight: Weight of one semitone next to the unit-length d-vector.

    Returns:
        Labels ``0..k-1`` with any split clusters divided.
    """
    from sklearn.cluster import AgglomerativeClustering

    n = embeddings.shape[0]
    if n < 4 or not np.isfinite(pitch_st).any():
        return labels
    pitch = np.where(np.isfinite(pitch_st), pitch_st, np.nanmedian(pitch_st))
    labels = labels.copy()
    min_count = max(2, math.ceil(min_share * n))
    for lb in list(np.unique(labels)):
        if len(np.unique(labels)) >= max_speakers:
            break
        idx = np.flatnonzero(labels == lb)
        if len(idx) < 2 * min_count:
            continue
        features = np.hstack([embeddings[idx], pitch_weight * pitch[idx, None]])
        halves = AgglomerativeClustering(n_clusters=2, linkage="ward").fit_predict(features)
        sizes = np.bincount(halves, minlength=2)
        gap = abs(np.median(pitch[idx][halves == 0]) - np.median(pitch[idx][halves == 1]))
        if sizes.min() >= min_count and gap >= min_pitch_gap_st:
            labels[idx[halves == 1]] = labels.max() + 1
    _, labels = np.unique(labels, return_inverse=True)
    return labels
