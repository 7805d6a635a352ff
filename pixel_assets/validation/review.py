"""The human review queue for crisis exchanges, and the release rule the pairs stage applies.

- The pipeline writes ``review_queue`` per video: every exchange with ``crisis = true``, status
  ``pending``. Re-materialising a video rewrites that partition (same ids for the same
  transcript, see :func:`pixel_assets.dialogue.exchanges.exchange_id`).
- A reviewer's decision goes to ``review_decisions``, one partition per exchange, written
  only by :func:`decide` (``pixel-voice review approve|reject``); assets never write it, so
  decisions survive re-materialisation. A partition keeps the history; the latest counts.
- :func:`review_state` is the one release rule of crisis review; :func:`release_mask`,
  :func:`is_released`, the pairs stage (:mod:`pixel_assets.pairs.select`) and the export gate
  (:mod:`pixel_assets.export.published`) all apply it. An exchange reaches the training pairs
  only if it passed validation, its latest decision is not a rejection, and, when it has
  crisis content (flagged, queued, or of unknown crisis state), its latest decision is an
  approval. A latest decision that cannot be read (an unknown value, no time) holds the
  exchange until a reviewer decides again.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from pixel_assets.validation.schemas import DECISIONS, TABLES
from pixel_assets.warehouse.contract import TableSpec

REVIEW_QUEUE, REVIEW_DECISIONS = TABLES[1], TABLES[2]
APPROVE, REJECT = DECISIONS
# A decision row the rule cannot read (unknown value, no time): it holds its exchange.
UNREADABLE = "unreadable"
_DECISION_STATUS = {APPROVE: "approved", REJECT: "rejected"}


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
    """The latest decision per exchange (``exchange_id`` index).

    Rows are ordered by ``decided_at`` (parsed as UTC), ties and frames without the column by
    table order (later rows win, as :func:`decide` appends). ``decision`` is ``reject`` for a
    rejection in any case or spacing, ``approve`` only for exactly ``approve``, and
    :data:`UNREADABLE` for anything else, which holds the exchange until a later decision.
    A row without a readable time is :data:`UNREADABLE` too and sorts last: a decision that
    cannot be placed in time must not be overtaken by an older approval.

    Raises:
        KeyError: rows without a ``decision`` column (nothing could be released safely).
    """
    columns = ["decision", "note", "decided_at", "decided_by"]
    if decisions is None or decisions.empty or "exchange_id" not in decisions:
        return pd.DataFrame(columns=columns).rename_axis("exchange_id")
    if "decision" not in decisions.columns:
        raise KeyError(
            "review_decisions needs a 'decision' column (approve/reject, written by "
            f"`pixel-voice review`); it has {list(decisions.columns)}."
        )
    frame = decisions.reset_index(drop=True)
    raw = frame["decision"].astype("string")
    # A rejection counts however it is spelled; only the exact value `decide` writes releases.
    rejected = raw.str.strip().str.lower().eq(REJECT).fillna(False)
    approved = raw.eq(APPROVE).fillna(False)
    value = pd.Series(np.select([rejected, approved], [REJECT, APPROVE], UNREADABLE),
                      index=frame.index, dtype=object)
    frame = frame.assign(decision=value)
    if "decided_at" in frame.columns:
        stamp = pd.to_datetime(frame["decided_at"], utc=True, errors="coerce", format="mixed")
        frame = frame.assign(decided_at=stamp, decision=value.where(stamp.notna(), UNREADABLE))
        frame = frame.sort_values("decided_at", kind="stable", na_position="last")
    return frame.groupby("exchange_id", sort=True).tail(1).set_index("exchange_id").sort_index()


def review_state(
    exchange_ids: pd.Series,
    crisis: pd.Series | None,
    decisions: pd.DataFrame | None,
    queue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The release rule of crisis review, per exchange (aligned with ``exchange_ids``).

    Args:
        exchange_ids: The exchanges to judge.
        crisis: Their crisis flags (``exchange_scores.crisis``); a null flag, or None for all,
            means the crisis state is unknown, which is held like crisis content.
        decisions: ``review_decisions`` rows (any exchanges; others are ignored).
        queue: ``review_queue`` rows; a queued exchange has crisis content whatever its
            flag says. Only decisions release: the queue's own ``status`` never does.

    Returns:
        ``crisis`` (as the rule saw it), ``decision`` (latest: ``approve``, ``reject``,
        :data:`UNREADABLE`, or null), ``review_pending`` (needs a readable approval first),
        ``review_rejected`` and ``review_approved``; an exchange is cleared by review when
        neither ``review_pending`` nor ``review_rejected`` holds.
    """
    index = exchange_ids.index
    if crisis is None:
        flags = pd.Series(True, index=index)
    else:
        flags = crisis.astype("boolean").fillna(True).astype(bool)
    if queue is not None and len(queue) and "exchange_id" in queue.columns:
        flags = flags | exchange_ids.isin(set(queue["exchange_id"].dropna()))
    decision = exchange_ids.map(latest_decisions(decisions)["decision"])
    approved = decision.eq(APPROVE)
    rejected = decision.eq(REJECT)
    pending = ~rejected & ((flags & ~approved) | decision.eq(UNREADABLE))
    return pd.DataFrame({
        "crisis": flags.astype(bool),
        "decision": decision.astype(object),
        "review_pending": pending.astype(bool),
        "review_rejected": rejected.astype(bool),
        "review_approved": approved.astype(bool),
    }, index=index)


def release_mask(
    scores: pd.DataFrame, decisions: pd.DataFrame | None, queue: pd.DataFrame | None = None
) -> pd.Series:
    """Which scored exchanges may reach the training pairs (aligned with ``scores``).

    Released = passed (a null verdict is not a pass) and cleared by :func:`review_state`.
    """
    state = review_state(scores["exchange_id"], scores.get("crisis"), decisions, queue)
    passed = scores["passed"].astype("boolean").fillna(False).astype(bool)
    return passed & ~state["review_pending"] & ~state["review_rejected"]


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
        _DECISION_STATUS.get(str(latest["decision"].iloc[0]), "pending")
        if not latest.empty else "pending"
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
