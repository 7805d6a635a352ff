"""The human review queue for crisis exchanges, and the release rule the pairs stage applies.

- The pipeline writes ``review_queue`` per video: every exchange with ``crisis = true``, status
  ``pending``. Re-materialising a video rewrites that partition (same ids for the same
  transcript, see :func:`pixel_assets.dialogue.exchanges.exchange_id`).
- A reviewer's decision goes to ``review_decisions``, one partition per exchange, written
  only by :func:`decide` (``pixel-voice review approve|reject``); assets never write it, so
  decisions survive re-materialisation. A partition keeps the history; the latest counts.
- :func:`release_mask`/:func:`is_released`: an exchange reaches the training pairs only if it
  passed validation, was not rejected, and, when it has crisis content, was approved.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from pixel_assets.validation.schemas import DECISIONS, TABLES
from pixel_assets.warehouse.contract import TableSpec

REVIEW_QUEUE, REVIEW_DECISIONS = TABLES[1], TABLES[2]
_DECISION_STATUS = {"approve": "approved", "reject": "rejected"}


class ReviewError(ValueError):
    """A review command that cannot be carried out (names the id and the fix)."""


def build_review_queue(exchanges: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """``review_queue`` rows for one video: every exchange with ``crisis = true``.

    Args:
        exchanges: ``exchanges`` rows (for the deep link and texts).
        scores: ``exchange_scores`` rows (``crisis``, ``crisis_reason``, ``crisis_text``).
    """
    columns = REVIEW_QUEUE.columns
    if scores.empty or not scores["crisis"].astype(bool).any():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    flagged = scores[scores["crisis"].astype(bool)]
    merged = flagged.merge(
        exchanges[["exchange_id", "deep_link", "response_start_s", "prompt_text",
                   "response_text"]],
        on="exchange_id",
        how="left",
    )
    queue = pd.DataFrame(
        {
            "exchange_id": merged["exchange_id"],
            "video_id": merged["video_id"],
            "reason": merged["crisis_reason"].fillna("crisis"),
            "matched_text": merged.get("crisis_text", pd.Series(index=merged.index)).fillna(""),
            "deep_link": merged["deep_link"],
            "response_start_s": merged["response_start_s"],
            "status": "pending",
            "prompt_text": merged["prompt_text"],
            "response_text": merged["response_text"],
        }
    )
    return queue[list(columns)].reset_index(drop=True)


def latest_decisions(decisions: pd.DataFrame | None) -> pd.DataFrame:
    """The latest decision per exchange (``exchange_id`` index)."""
    if decisions is None or decisions.empty or "exchange_id" not in decisions:
        return pd.DataFrame(columns=["decision", "note", "decided_at", "decided_by"]).rename_axis(
            "exchange_id"
        )
    ordered = decisions.assign(decided_at=pd.to_datetime(decisions["decided_at"], utc=True))
    ordered = ordered.sort_values("decided_at", kind="stable")
    return ordered.groupby("exchange_id").tail(1).set_index("exchange_id")


def release_mask(scores: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.Series:
    """Which scored exchanges may reach the training pairs (aligned with ``scores``).

    Released = passed, not rejected, and (no crisis content, or approved by a reviewer).
    """
    latest = latest_decisions(decisions)["decision"]
    decision = scores["exchange_id"].map(latest)
    passed = scores["passed"].astype(bool)
    crisis = scores["crisis"].fillna(True).astype(bool)  # unknown crisis state: hold back
    return passed & (decision != "reject") & (~crisis | (decision == "approve"))


def is_released(
    exchange_id: str, passed: bool, crisis: bool, decisions: pd.DataFrame | None
) -> bool:
    """:func:`release_mask` for one exchange."""
    scores = pd.DataFrame({"exchange_id": [exchange_id], "passed": [passed], "crisis": [crisis]})
    return bool(release_mask(scores, decisions).iloc[0])


# ------------------------------------------------------------------------------ storage
def _write(storage: Any, spec: TableSpec, value: str, frame: pd.DataFrame) -> None:
    # The storage validates the write against the declaration in pixel_assets.catalog.
    storage.write_partition(spec.name, value, frame)


def _read(storage: Any, spec: TableSpec, value: str) -> pd.DataFrame | None:
    return storage.read_partition(spec.name, value)


def _read_table(storage: Any, spec: TableSpec) -> pd.DataFrame:
    frame = storage.read_table(spec.name)
    if frame is None or frame.empty or not set(spec.columns) <= set(frame.columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in spec.columns})
    return frame


def list_reviews(storage: Any, status: str | None = "pending") -> pd.DataFrame:
    """Queue items with their effective status (``pending``/``approved``/``rejected``).

    Args:
        storage: The warehouse :class:`~pixel_assets.warehouse.storage.Storage`.
        status: Only this status; None for all.
    """
    queue = _read_table(storage, REVIEW_QUEUE)
    latest = latest_decisions(_read_table(storage, REVIEW_DECISIONS))
    out = queue.drop(columns=["status"]).merge(
        latest, left_on="exchange_id", right_index=True, how="left"
    )
    out["status"] = out["decision"].map(_DECISION_STATUS).fillna("pending")
    if status is not None:
        out = out[out["status"] == status]
    return out.sort_values(["video_id", "exchange_id"]).reset_index(drop=True)


def resolve_id(storage: Any, exchange_id: str) -> str:
    """The full queued exchange id for ``exchange_id`` or a unique prefix of it.

    Raises:
        ReviewError: no queued exchange, or an ambiguous prefix.
    """
    ids = sorted(set(_read_table(storage, REVIEW_QUEUE)["exchange_id"].astype(str)))
    if exchange_id in ids:
        return exchange_id
    matches = [i for i in ids if i.startswith(exchange_id)] if len(exchange_id) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ReviewError(
            f"exchange id {exchange_id!r} is ambiguous ({len(matches)} queued ids start with "
            "it); give more characters."
        )
    raise ReviewError(
        f"exchange {exchange_id!r} is not in the review queue; `pixel-voice review list` shows "
        "the queued ids (materialise the video's exchange_scores first if it is missing)."
    )


@dataclass
class ReviewItem:
    """Everything a reviewer needs about one queued exchange."""

    queue: dict[str, Any]
    status: str
    history: pd.DataFrame
    context: list[dict[str, Any]]


def show_review(storage: Any, exchange_id: str) -> ReviewItem:
    """The queued exchange, its context (from ``exchanges``) and its decision history."""
    exchange_id = resolve_id(storage, exchange_id)
    queue = _read_table(storage, REVIEW_QUEUE)
    row = queue[queue["exchange_id"] == exchange_id].iloc[0].to_dict()
    history = _read(storage, REVIEW_DECISIONS, exchange_id)
    history = history if history is not None else REVIEW_DECISIONS.empty_frame()
    latest = latest_decisions(history)
    status = (
        _DECISION_STATUS[str(latest["decision"].iloc[0])] if not latest.empty else "pending"
    )
    context: list[dict[str, Any]] = []
    exchanges = storage.read_partition("exchanges", str(row["video_id"]))
    if exchanges is not None and "context" in exchanges:
        match = exchanges[exchanges["exchange_id"] == exchange_id]
        if not match.empty and match["context"].iloc[0] is not None:
            context = [dict(t) for t in match["context"].iloc[0]]
    return ReviewItem(queue=row, status=status, history=history, context=context)


def decide(
    storage: Any,
    exchange_id: str,
    decision: str,
    note: str | None = None,
    decided_by: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Record ``approve`` or ``reject`` for a queued exchange (appended to its history).

    Returns:
        The decision row written.

    Raises:
        ReviewError: an unknown decision or an exchange that is not queued.
    """
    if decision not in DECISIONS:
        raise ReviewError(f"decision {decision!r} must be one of {list(DECISIONS)}.")
    exchange_id = resolve_id(storage, exchange_id)
    if decided_by is None:
        try:
            decided_by = getpass.getuser()
        except (KeyError, OSError):  # no user name in some containers
            decided_by = None
    stamp = pd.Timestamp(now or datetime.now(UTC))
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    row = {
        "exchange_id": exchange_id,
        "decision": decision,
        "note": note,
        "decided_at": stamp,
        "decided_by": decided_by,
    }
    history = _read(storage, REVIEW_DECISIONS, exchange_id)
    frame = pd.DataFrame([row])
    if history is not None and not history.empty:
        frame = pd.concat([history[list(REVIEW_DECISIONS.columns)], frame], ignore_index=True)
    _write(storage, REVIEW_DECISIONS, exchange_id, frame)
    return row
