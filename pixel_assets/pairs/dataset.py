"""The corpus-level dataset: dedup -> balance -> split over every passing video's pairs.

:func:`build_dataset` takes all ``therapeutic_pairs`` rows of the videos that currently pass
(the ``training_dataset`` asset selects them through ``video_status``) and returns the
``dataset_pairs`` table (every candidate, kept with a split or dropped), the ``dropped_pairs``
table (why, and which kept pair a duplicate points to) and metadata for the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pixel_assets.pairs.balance import BalanceOptions, balance
from pixel_assets.pairs.dedup import DedupOptions, deduplicate, pair_texts, quality_order
from pixel_assets.pairs.schemas import CORPUS, SPLITS, DatasetPairs, DroppedPairs
from pixel_assets.pairs.splits import SplitOptions, assign_splits, leaking_speakers


@dataclass(frozen=True)
class DatasetOptions:
    """Settings of the three corpus steps."""

    dedup: DedupOptions = field(default_factory=DedupOptions)
    balance: BalanceOptions = field(default_factory=BalanceOptions)
    split: SplitOptions = field(default_factory=SplitOptions)


@dataclass
class DatasetResult:
    """``dataset_pairs``, ``dropped_pairs`` and the metadata worth showing."""

    dataset_pairs: pd.DataFrame
    dropped_pairs: pd.DataFrame
    metadata: dict[str, Any]

    def kept_splits(self) -> dict[str, str]:
        """``pair_id -> split`` of the kept pairs (what the export and the pairs join)."""
        kept = self.dataset_pairs[self.dataset_pairs["kept"]]
        return dict(zip(kept["pair_id"], kept["split"], strict=True))


def embedding_matrix(values: pd.Series, dims: int | None = None) -> np.ndarray | None:
    """Stack an ``embedding`` column into ``(n, d)`` float32; missing rows are zeros.

    Returns None when no row has an embedding.
    """
    present = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
    if not present:
        return None
    d = dims or len(present[0])
    out = np.zeros((len(values), d), dtype=np.float32)
    for i, v in enumerate(values):
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and len(v) == d:
            out[i] = np.asarray(v, dtype=np.float32)
    return out


def previous_splits(previous: pd.DataFrame | None) -> dict[str, str]:
    """``pair_id -> split`` of the kept pairs of an earlier ``dataset_pairs`` table."""
    if previous is None or previous.empty:
        return {}
    kept = previous[previous["kept"].astype(bool) & previous["split"].isin(SPLITS)]
    return dict(zip(kept["pair_id"].astype(str), kept["split"].astype(str), strict=True))


def build_dataset(
    pairs: pd.DataFrame,
    options: DatasetOptions | None = None,
    previous: pd.DataFrame | None = None,
    embeddings: np.ndarray | None = None,
) -> DatasetResult:
    """Deduplicate, balance and split the corpus's pairs.

    Args:
        pairs: ``therapeutic_pairs`` rows of every passing video.
        options: Step settings.
        previous: The last ``dataset_pairs`` table; kept pairs keep their split.
        embeddings: ``(n, d)`` embeddings in ``pairs`` order; default: the ``embedding``
            column.

    Returns:
        The two tables (validated against their models) and metadata: counts, dedup stats,
        distributions before/after balancing, split counts and shares, leaking speakers (none).
    """
    options = options or DatasetOptions()
    frame = pairs.drop_duplicates("pair_id").reset_index(drop=True)
    if embeddings is None and "embedding" in frame.columns:
        embeddings = embedding_matrix(frame["embedding"])
    deduped = deduplicate(frame, pair_texts(frame), embeddings, options.dedup)
    survivors = frame[deduped.kept].reset_index(drop=True)
    balanced = balance(survivors, options.balance)
    kept_pairs = survivors[balanced.kept].reset_index(drop=True)
    splits = assign_splits(kept_pairs, options.split, previous_splits(previous))

    rank = np.empty(len(frame), dtype=np.int64)
    rank[quality_order(frame)] = np.arange(len(frame))
    dropped = pd.concat([deduped.dropped, balanced.dropped], ignore_index=True)
    stage = dict(zip(dropped["pair_id"], dropped["stage"], strict=True))
    split_of = dict(zip(splits["pair_id"], splits["split"], strict=True))
    group_of = dict(zip(splits["pair_id"], splits["split_group"], strict=True))
    ids = frame["pair_id"].astype(str)
    dataset_pairs = pd.DataFrame({
        "corpus": CORPUS,
        "pair_id": ids,
        "video_id": frame["video_id"].astype(str),
        "kept": ids.map(lambda p: p in split_of).astype(bool),
        "split": ids.map(split_of),
        "drop_stage": ids.map(stage),
        "split_group": ids.map(group_of),
        "counsellor_global_speaker_id": _column(frame, "counsellor_global_speaker_id"),
        "client_global_speaker_id": _column(frame, "client_global_speaker_id"),
        "prompt_emotion": _column(frame, "prompt_emotion"),
        "overall": pd.to_numeric(_column(frame, "overall"), errors="coerce"),
        "quality_rank": rank,
    }).sort_values("pair_id", kind="stable").reset_index(drop=True)
    dropped_pairs = dropped.assign(corpus=CORPUS)[
        ["corpus", "pair_id", "video_id", "stage", "reason", "reasons", "kept_pair_id",
         "similarity"]
    ].sort_values("pair_id", kind="stable").reset_index(drop=True)

    kept_mask = dataset_pairs["kept"].to_numpy(dtype=bool)
    split_counts = {s: int((dataset_pairs["split"] == s).sum()) for s in SPLITS}
    n_kept = int(kept_mask.sum())
    metadata: dict[str, Any] = {
        "candidates": len(frame),
        "kept": n_kept,
        "dropped": len(dropped_pairs),
        "dedup": deduped.stats,
        "balance_dropped": int(len(balanced.dropped)),
        "balance_caps": {k: getattr(options.balance, k) for k in
                         ("max_per_video", "max_per_counsellor", "max_per_emotion",
                          "max_emotion_share")},
        "distribution_before": balanced.before,
        "distribution_after": balanced.after,
        "split_counts": split_counts,
        "split_shares": {s: (c / n_kept if n_kept else 0.0) for s, c in split_counts.items()},
        "split_targets": dict(zip(SPLITS, options.split.ratios().round(4).tolist(),
                                  strict=True)),
        "split_groups": int(splits["split_group"].nunique()),
        "leaking_speakers": leaking_speakers(kept_pairs, splits["split"]),
        "warnings": [
            f"split {s!r} is empty: the kept pairs form only "
            f"{(groups := splits['split_group'].nunique())} speaker "
            f"group{'' if groups == 1 else 's'}, each kept whole in one split"
            for s, c in split_counts.items() if c == 0 and n_kept and getattr(options.split, s)
        ],
    }
    return DatasetResult(
        dataset_pairs=DatasetPairs.validate(dataset_pairs),
        dropped_pairs=DroppedPairs.validate(dropped_pairs),
        metadata=metadata,
    )


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series(None, index=frame.index,
                                                               dtype=object)
