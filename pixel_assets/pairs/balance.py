"""Balance caps: no video, counsellor or prompt emotion may dominate the dataset.

Caps apply one after another (video, then counsellor, then emotion), each keeping the best
pairs of a group (quality order from :func:`pixel_assets.pairs.dedup.quality_order`); a pair a
cap drops no longer counts against the later caps. Each cap is a rule of the rules engine on the
pair's 1-based rank within its group, so a dropped pair's reason reads
``rank_in_video 501 > max_per_video 500``. Pairs with no counsellor id or no emotion are not
capped by those rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pixel_assets.pairs.dedup import quality_order
from pixel_assets.rules import Rule, RuleSet


@dataclass(frozen=True)
class BalanceOptions:
    """Caps on how many pairs one source contributes (None: no cap).

    Attributes:
        max_per_video: Pairs per video (a long session cannot fill the dataset).
        max_per_counsellor: Pairs per counsellor ``global_speaker_id`` across all videos
            (one prolific channel's therapist cannot dominate the style).
        max_per_emotion: Pairs per prompt emotion.
        max_emotion_share: Share of the pairs left after the other caps that one prompt
            emotion may hold (e.g. 0.4); combined with ``max_per_emotion`` the lower wins.
    """

    max_per_video: int | None = 500
    max_per_counsellor: int | None = 2000
    max_per_emotion: int | None = None
    max_emotion_share: float | None = None


@dataclass
class BalanceResult:
    """Which pairs survive the caps, why the others did not, and the distributions."""

    kept: np.ndarray
    dropped: pd.DataFrame
    before: dict[str, dict[str, object]]
    after: dict[str, dict[str, object]]


GROUPS = (
    ("video", "video_id", "max_per_video"),
    ("counsellor", "counsellor_global_speaker_id", "max_per_counsellor"),
    ("emotion", "prompt_emotion", "max_per_emotion"),
)


def distribution(values: pd.Series, top: int = 10) -> dict[str, object]:
    """Summary of a group column: number of groups, largest and median group, top groups."""
    counts = values.dropna().astype(str).value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    return {
        "groups": int(len(counts)),
        "missing": int(values.isna().sum()),
        "largest": int(counts.iloc[0]) if len(counts) else 0,
        "median": float(counts.median()) if len(counts) else 0.0,
        "top": {str(k): int(v) for k, v in counts.head(top).items()},
    }


def distributions(pairs: pd.DataFrame) -> dict[str, dict[str, object]]:
    """:func:`distribution` per video, counsellor and prompt emotion."""
    return {
        name: distribution(pairs[column] if column in pairs else pd.Series(dtype=object))
        for name, column, _ in GROUPS
    }


def balance(pairs: pd.DataFrame, options: BalanceOptions | None = None) -> BalanceResult:
    """Apply the caps to ``pairs`` (rows already deduplicated).

    Returns:
        The kept mask over ``pairs``' rows, dropped rows (``pair_id``, ``video_id``,
        ``stage`` "balance", ``reason``, ``reasons``) and before/after distributions.
    """
    options = options or BalanceOptions()
    frame = pairs.reset_index(drop=True)
    order = quality_order(frame)
    kept = np.ones(len(frame), dtype=bool)
    reasons: list[list[dict[str, str]]] = [[] for _ in range(len(frame))]
    first_reason = np.full(len(frame), None, dtype=object)
    for name, column, option in GROUPS:
        cap = getattr(options, option)
        if name == "emotion" and options.max_emotion_share is not None:
            share_cap = max(1, math.ceil(options.max_emotion_share * int(kept.sum())))
            cap = share_cap if cap is None else min(cap, share_cap)
        if cap is None or column not in frame.columns:
            continue
        alive = order[kept[order]]  # kept rows, best first
        keys = frame[column].iloc[alive]
        valid = keys.notna().to_numpy()
        ranks = pd.Series(np.nan, index=frame.index)
        # Rank within the group in quality order (groupby keeps order of appearance).
        named = keys[valid].astype(str)
        ranks.iloc[alive[valid]] = named.groupby(named).cumcount().to_numpy(dtype=float) + 1
        measured = pd.DataFrame({f"rank_in_{name}": ranks})
        judged = RuleSet.of([Rule(option, f"rank_in_{name}", "le", cap, digits=0)]).apply(measured)
        failed = np.flatnonzero(~judged["passed"].to_numpy(dtype=bool) & kept)
        for position in failed:
            reasons[position].extend(judged["reasons"].iloc[position])
            first_reason[position] = option
        kept[failed] = False
    dropped_rows = np.flatnonzero(~kept)
    dropped = pd.DataFrame({
        "pair_id": frame["pair_id"].astype(str).to_numpy()[dropped_rows],
        "video_id": frame["video_id"].astype(str).to_numpy()[dropped_rows],
        "stage": "balance",
        "reason": first_reason[dropped_rows].astype(str),
        "reasons": [reasons[i] for i in dropped_rows],
        "kept_pair_id": None,
        "similarity": np.nan,
    })
    return BalanceResult(
        kept=kept,
        dropped=dropped,
        before=distributions(frame),
        after=distributions(frame[kept]),
    )
