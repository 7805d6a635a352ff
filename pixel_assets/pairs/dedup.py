"""Corpus-wide deduplication of pairs: exact (normalised text) then near-duplicate (embeddings).

Pairs are ranked by quality first (:func:`quality_order`); walking that order, a pair is dropped
when its normalised prompt+response equals an earlier kept pair's, or when its embedding's cosine
to an earlier kept pair is at least ``near_duplicate_cosine``. So the best-scored copy of each
group is kept, and every dropped pair names the kept pair it duplicates.

Threshold: all-MiniLM-L6-v2 embeddings of prompt + response, measured on a counselling pair
and its variants: the same words as ASR writes them again (lower case, no punctuation) 0.973,
with fillers ("um", "uh") 0.982, one word changed 0.998; the same prompt with another reply
0.62, a paraphrase 0.60, the same topic in other words 0.52, another topic 0.18. The default
0.92 sits between re-transcriptions (>= 0.97) and genuinely different pairs (<= 0.62) with
margin for heavier ASR noise.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pixel_assets.pairs.neighbours import NeighbourOptions, similar_pairs
from pixel_assets.rules import Rule, RuleSet

_NON_WORD = re.compile(r"[^\w\[\]]+")
_FILLERS = re.compile(r"\b(?:um+|uh+|erm+|er|ah+|hmm+|mm+)\b")


@dataclass(frozen=True)
class DedupOptions:
    """Deduplication settings.

    Attributes:
        near_duplicate_cosine: Cosine at or above which two pairs are near-duplicates
            (see the module docstring for how 0.92 was chosen). None: exact dedup only.
        search: How candidate neighbours are found (exact up to 20,000 pairs, IVF above).
    """

    near_duplicate_cosine: float | None = 0.92
    search: NeighbourOptions = field(default_factory=NeighbourOptions)


@dataclass
class DedupResult:
    """Which pairs survive.

    Attributes:
        kept: Boolean mask over the input rows.
        dropped: One row per dropped pair: ``pair_id``, ``video_id``, ``stage`` ("dedup"),
            ``reason`` (rule name), ``reasons`` (rules engine records), ``kept_pair_id``,
            ``similarity``.
        stats: Counts and the search method, for the asset's metadata.
    """

    kept: np.ndarray
    dropped: pd.DataFrame
    stats: dict[str, object]


def normalise_text(text: str | None) -> str:
    """Text as compared for exact duplicates: NFKC, lower case, no punctuation or fillers."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _FILLERS.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def quality_order(pairs: pd.DataFrame) -> np.ndarray:
    """Row positions best first: ``overall`` desc, ``empathy`` desc, fewer PII redactions,
    then ``pair_id`` (so ties break the same way every run)."""
    frame = pd.DataFrame({
        "overall": -pd.to_numeric(pairs.get("overall"), errors="coerce").fillna(-1.0),
        "empathy": -pd.to_numeric(pairs.get("empathy"), errors="coerce").fillna(-1.0),
        "pii": pd.to_numeric(pairs.get("pii_redactions"), errors="coerce").fillna(0),
        "pair_id": pairs["pair_id"].astype(str),
    }).reset_index(drop=True)
    ordered = frame.sort_values(["overall", "empathy", "pii", "pair_id"], kind="stable")
    return ordered.index.to_numpy()


def dedup_rules(options: DedupOptions) -> RuleSet:
    """The two dedup conditions as rules (measured against the best earlier kept pair)."""
    return RuleSet.of([
        Rule("exact_duplicate", "exact_duplicate", "false"),
        Rule("near_duplicate", "cosine_to_kept", "lt", options.near_duplicate_cosine, digits=3),
    ])


def deduplicate(
    pairs: pd.DataFrame,
    texts: list[str],
    embeddings: np.ndarray | None,
    options: DedupOptions | None = None,
) -> DedupResult:
    """Drop exact and near-duplicate pairs, keeping the best-scored copy.

    Args:
        pairs: Candidate pairs (``pair_id``, ``video_id``, scores).
        texts: Each pair's prompt + response text (same order as ``pairs``).
        embeddings: ``(n, d)`` embeddings in the same order, or None (exact dedup only).
            Rows that are all zero or NaN (no embedding) are only deduplicated exactly.
        options: Thresholds and search settings.

    Returns:
        The kept mask, the dropped pairs with reasons, and statistics.
    """
    options = options or DedupOptions()
    n = len(pairs)
    order = quality_order(pairs)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    pair_ids = pairs["pair_id"].astype(str).to_numpy()

    # Exact: the first (best-ranked) pair of each normalised text is its group's keeper.
    digests = np.array(
        [hashlib.blake2b(normalise_text(t).encode(), digest_size=12).digest() for t in texts],
        dtype=object,
    )
    keeper_of_text: dict[bytes, int] = {}
    duplicate_of = np.full(n, -1, dtype=np.int64)
    for position in order:
        first = keeper_of_text.setdefault(digests[position], position)
        if first != position:
            duplicate_of[position] = first
    exact = duplicate_of >= 0

    cosine = np.full(n, np.nan)
    near_of = np.full(n, -1, dtype=np.int64)
    method = "none"
    n_edges = 0
    if embeddings is not None and options.near_duplicate_cosine is not None and n > 1:
        vectors = np.nan_to_num(np.asarray(embeddings, dtype=np.float32))
        candidates = np.flatnonzero(~exact & vectors.any(axis=1))
        # Search in rank order, so an edge's left end is always the better-ranked pair.
        candidates = candidates[np.argsort(rank[candidates], kind="stable")]
        edges = similar_pairs(vectors[candidates], options.near_duplicate_cosine, options.search)
        method, n_edges = edges.method, len(edges)
        near_of, cosine = _greedy_keep(
            len(candidates), edges.left, edges.right, edges.similarity, candidates, n
        )

    frame = pd.DataFrame({
        "exact_duplicate": exact,
        "cosine_to_kept": cosine,
    })
    judged = dedup_rules(options).apply(frame)
    kept = judged["passed"].to_numpy(dtype=bool)
    kept_index = np.where(exact, duplicate_of, near_of)
    dropped_rows = np.flatnonzero(~kept)
    dropped = pd.DataFrame({
        "pair_id": pair_ids[dropped_rows],
        "video_id": pairs["video_id"].astype(str).to_numpy()[dropped_rows],
        "stage": "dedup",
        "reason": np.where(exact[dropped_rows], "exact_duplicate", "near_duplicate"),
        "reasons": judged["reasons"].to_numpy()[dropped_rows],
        "kept_pair_id": pair_ids[kept_index[dropped_rows]],
        "similarity": np.where(exact[dropped_rows], 1.0, cosine[dropped_rows]),
    })
    stats = {
        "candidates": n,
        "exact_duplicates": int(exact.sum()),
        "near_duplicates": int((~kept & ~exact).sum()),
        "near_duplicate_cosine": options.near_duplicate_cosine,
        "neighbour_search": method,
        "similar_pairs_found": n_edges,
    }
    return DedupResult(kept=kept, dropped=dropped, stats=stats)


def _greedy_keep(
    m: int,
    left: np.ndarray,
    right: np.ndarray,
    sims: np.ndarray,
    candidates: np.ndarray,
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Walk candidates best first; a kept pair drops its later neighbours not yet dropped.

    ``left``/``right`` index ``candidates`` (already in rank order, ``left < right``). Returns,
    over all ``n`` rows, the kept pair each dropped row duplicates (-1 if none) and the cosine.
    """
    near_of = np.full(n, -1, dtype=np.int64)
    cosine = np.full(n, np.nan)
    if len(left) == 0:
        return near_of, cosine
    starts = np.searchsorted(left, np.arange(m + 1))
    dropped = np.zeros(m, dtype=bool)
    for i in np.unique(left):
        if dropped[i]:
            continue
        lo, hi = starts[i], starts[i + 1]
        targets = right[lo:hi]
        fresh = ~dropped[targets]
        hit = targets[fresh]
        dropped[hit] = True
        near_of[candidates[hit]] = candidates[i]
        cosine[candidates[hit]] = sims[lo:hi][fresh]
    return near_of, cosine


def pair_texts(pairs: pd.DataFrame) -> list[str]:
    """The text a pair is embedded and deduplicated by: prompt and response."""
    return (pairs["prompt"].fillna("") + "\n" + pairs["response"].fillna("")).tolist()
