"""Leak-free train/validation/test splits grouped by speaker.

Every pair links its client and its counsellor (``global_speaker_id``s; a pair without one uses
a per-video stand-in, so a video's unlinked speakers still stay together). The connected
components of that speaker graph are the split groups: no speaker, counsellor or client, can
appear in two splits.

Stability: pairs that already had a split (the previous ``dataset_pairs``) keep it. A group
with earlier pairs takes the split most of them had, so its pairs move only when new videos
merge groups that had been in different splits (the group changed). Groups with no earlier
pairs are placed largest first, each into the split furthest below its target share, ties by
a hash of the group's name: deterministic for the same inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from pixel_assets.pairs.schemas import SPLITS


@dataclass(frozen=True)
class SplitOptions:
    """Target shares of the splits (pairs), in ``SPLITS`` order; normalised to sum to 1."""

    train: float = 0.8
    validation: float = 0.1
    test: float = 0.1

    def ratios(self) -> np.ndarray:
        values = np.array([self.train, self.validation, self.test], dtype=float)
        if (values < 0).any() or values.sum() <= 0:
            raise ValueError(
                f"split ratios {values.tolist()} must be non-negative and not all zero; "
                "set e.g. train=0.8, validation=0.1, test=0.1."
            )
        return values / values.sum()


def _node(values: pd.Series, video: pd.Series, speaker: pd.Series | None, side: str) -> pd.Series:
    stand_in = "video:" + video.astype(str) + ":" + (
        speaker.fillna(side).astype(str) if speaker is not None else side
    )
    return values.where(values.notna(), stand_in).astype(str)


def split_groups(pairs: pd.DataFrame) -> pd.Series:
    """Each pair's group: the smallest speaker id of its connected component."""
    if pairs.empty:
        return pd.Series(dtype=object, index=pairs.index)
    client = _node(
        pairs.get("client_global_speaker_id", pd.Series(None, index=pairs.index)),
        pairs["video_id"], pairs.get("prompt_speaker"), "client",
    )
    counsellor = _node(
        pairs.get("counsellor_global_speaker_id", pd.Series(None, index=pairs.index)),
        pairs["video_id"], pairs.get("response_speaker"), "counsellor",
    )
    names, codes = np.unique(np.concatenate([client.to_numpy(), counsellor.to_numpy()]),
                             return_inverse=True)
    a, b = codes[: len(pairs)], codes[len(pairs):]
    graph = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(len(names), len(names)))
    _, component = connected_components(graph, directed=False)
    # Name each component by its smallest member (names are sorted, so the first seen).
    first = pd.Series(np.arange(len(names))).groupby(component).min().to_numpy()
    return pd.Series(names[first[component[a]]], index=pairs.index, dtype=object)


def _stable_hash(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


def assign_splits(
    pairs: pd.DataFrame,
    options: SplitOptions | None = None,
    previous: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Assign each pair a split, grouped by speaker.

    Args:
        pairs: Kept pairs with ``pair_id``, ``video_id`` and the global speaker id columns.
        options: Target shares.
        previous: ``pair_id -> split`` from the last build (``dataset_pairs``), for stability.

    Returns:
        ``pair_id``, ``split``, ``split_group`` in the input's order.
    """
    options = options or SplitOptions()
    ratios = options.ratios()
    previous = previous or {}
    groups = split_groups(pairs)
    frame = pd.DataFrame({
        "pair_id": pairs["pair_id"].astype(str).to_numpy(),
        "split_group": groups.to_numpy(),
    })
    frame["previous"] = frame["pair_id"].map(previous)
    frame.loc[~frame["previous"].isin(SPLITS), "previous"] = None
    split_of: dict[str, str] = {}
    counts = dict.fromkeys(SPLITS, 0)
    sizes = frame.groupby("split_group").size()
    # Groups with a history keep the split most of their earlier pairs had.
    history = frame.dropna(subset=["previous"]).groupby(["split_group", "previous"]).size()
    for group, by_split in history.groupby(level=0):
        tally = {s: int(by_split.get((group, s), 0)) for s in SPLITS}
        chosen = max(SPLITS, key=lambda s: (tally[s], -SPLITS.index(s)))
        split_of[group] = chosen
        counts[chosen] += int(sizes[group])
    total = int(sizes.sum())
    targets = dict(zip(SPLITS, ratios * total, strict=True))
    fresh = [g for g in sizes.index if g not in split_of]
    fresh.sort(key=lambda g: (-int(sizes[g]), _stable_hash(str(g))))
    for group in fresh:
        enabled = [s for s in SPLITS if targets[s] > 0]
        chosen = max(enabled, key=lambda s: (targets[s] - counts[s], -SPLITS.index(s)))
        split_of[group] = chosen
        counts[chosen] += int(sizes[group])
    frame["split"] = frame["split_group"].map(split_of)
    return frame[["pair_id", "split", "split_group"]]


def leaking_speakers(pairs: pd.DataFrame, split: pd.Series) -> list[str]:
    """Global speaker ids found in more than one split (empty when the split is leak-free)."""
    rows = []
    for column in ("client_global_speaker_id", "counsellor_global_speaker_id"):
        if column in pairs.columns:
            rows.append(pd.DataFrame({"speaker": pairs[column].to_numpy(),
                                      "split": split.to_numpy()}))
    if not rows:
        return []
    both = pd.concat(rows).dropna()
    spread = both.groupby("speaker")["split"].nunique()
    return sorted(spread[spread > 1].index.astype(str))
