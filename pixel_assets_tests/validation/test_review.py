"""Review queue and decisions on a real storage root, across re-materialisation."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from pixel_assets.dialogue.schemas import TABLES as DIALOGUE_TABLES
from pixel_assets.validation.review import (
    UNREADABLE,
    ReviewError,
    build_review_queue,
    decide,
    is_released,
    list_reviews,
    release_mask,
    review_state,
    show_review,
)
from pixel_assets.validation.review_cli import add_review_parser, run_review
from pixel_assets.validation.schemas import TABLES
from pixel_assets.validation.scoring import score_exchanges
from pixel_assets.warehouse.storage import Storage

# This stage's tables (pixel_assets.catalog lists them once the stages are wired in).
STAGE_TABLES = {spec.name: spec for spec in (*DIALOGUE_TABLES, *TABLES)}

VIDEO = "vid00000001"
CONTEXT = [{"turn_index": 0, "speaker": "A", "role": "counsellor", "text": "How are you?"}]


def exchanges() -> pd.DataFrame:
    rows = [
        ("I lost my job and I can't sleep.",
         "It sounds like you feel exhausted. That must be hard. What keeps you awake?"),
        ("sometimes i think everyone would be better off without me",
         "Thank you for telling me. That sounds really painful. Can you tell me more?"),
        ("my stepdad hits me when hes drunk [red]",
         "That sounds frightening. I'm glad you told me. How safe do you feel at home?"),
    ]
    return pd.DataFrame([
        {"exchange_id": f"{'abcdef'[i]}{i}" + "0" * 18, "video_id": VIDEO,
         "prompt_turn_index": 2 * i + 1, "response_turn_index": 2 * i + 2,
         "prompt_speaker": "B", "response_speaker": "A", "prompt_start_s": 10.0 * i,
         "prompt_end_s": 10.0 * i + 4, "response_start_s": 10.0 * i + 5,
         "response_end_s": 10.0 * i + 9, "prompt_text": p, "response_text": r,
         "context": CONTEXT,
         "deep_link": f"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t={10 * i}s"}
        for i, (p, r) in enumerate(rows)
    ])


def materialise(storage: Storage) -> pd.DataFrame:
    """What the assets do for one video: write exchanges, scores and the queue."""
    ex = exchanges()
    scores = score_exchanges(ex)
    queue = build_review_queue(ex, scores)
    storage.write_partition("exchanges", VIDEO, ex)
    storage.write_partition("exchange_scores", VIDEO, scores)
    storage.write_partition("review_queue", VIDEO, queue)
    return scores


@pytest.fixture
def storage(tmp_path: Path) -> Storage:
    return Storage(str(tmp_path / "data"), tables=STAGE_TABLES)


def decisions(storage: Storage) -> pd.DataFrame:
    return storage.read_table("review_decisions")


def test_crisis_exchanges_are_queued_and_held_back(storage: Storage):
    scores = materialise(storage)
    assert list(scores["crisis"]) == [False, True, True]
    queue = list_reviews(storage)
    assert list(queue["exchange_id"]) == list(scores["exchange_id"][1:])
    assert set(queue["status"]) == {"pending"}
    assert queue.iloc[0]["reason"] == "suicidal_ideation"
    assert queue.iloc[0]["matched_text"] == "better off without me"
    assert queue.iloc[1]["reason"] == "abuse_disclosure"
    assert queue.iloc[0]["deep_link"].endswith("&t=10s")
    released = release_mask(scores, decisions(storage))
    assert list(released) == [True, False, False]


def test_approval_survives_rematerialisation(storage: Storage):
    scores = materialise(storage)
    crisis_id, abuse_id = scores["exchange_id"][1], scores["exchange_id"][2]
    decide(storage, crisis_id, "approve", note="clinician checked", decided_by="dr_a")
    decide(storage, abuse_id[:6], "reject", note="identifying details")  # a unique prefix
    scores = materialise(storage)  # the video is re-materialised: queue rewritten
    assert list(release_mask(scores, decisions(storage))) == [True, True, False]
    assert is_released(crisis_id, True, True, decisions(storage))
    assert not is_released(abuse_id, True, True, decisions(storage))
    assert not is_released(crisis_id, False, True, decisions(storage))  # must still pass
    statuses = dict(zip(*list_reviews(storage, status=None)[["exchange_id", "status"]].T.values,
                        strict=True))
    assert statuses == {crisis_id: "approved", abuse_id: "rejected"}
    assert list_reviews(storage).empty


def test_latest_decision_wins_and_history_is_kept(storage: Storage):
    scores = materialise(storage)
    crisis_id = scores["exchange_id"][1]
    decide(storage, crisis_id, "approve", now=datetime(2025, 1, 1, tzinfo=UTC))
    decide(storage, crisis_id, "reject", note="second look", now=datetime(2025, 1, 2, tzinfo=UTC))
    item = show_review(storage, crisis_id)
    assert item.status == "rejected"
    assert list(item.history["decision"]) == ["approve", "reject"]
    assert item.context[0]["text"] == "How are you?"
    assert not release_mask(scores, decisions(storage)).iloc[1]


def test_unknown_ids_and_decisions_are_refused(storage: Storage):
    materialise(storage)
    with pytest.raises(ReviewError, match="not in the review queue"):
        decide(storage, "ffff" + "0" * 16, "approve")
    with pytest.raises(ReviewError, match="must be one of"):
        decide(storage, exchanges()["exchange_id"][1], "maybe")
    assert decisions(storage).empty


def run_cli(storage: Storage, *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="pixel-voice")
    add_review_parser(parser.add_subparsers(dest="command", required=True))
    console = Console(record=True, width=250)
    code = run_review(parser.parse_args(["review", *argv]), storage, console)
    return code, console.export_text()


def test_cli_list_show_approve_reject(storage: Storage):
    scores = materialise(storage)
    crisis_id, abuse_id = scores["exchange_id"][1], scores["exchange_id"][2]
    code, out = run_cli(storage, "list")
    assert code == 0 and crisis_id in out and abuse_id in out and "2 pending" in out
    code, out = run_cli(storage, "show", abuse_id)
    assert code == 0
    assert "my stepdad hits me when hes drunk [red]" in out  # user text printed, not markup
    assert "Counsellor: How are you?" in out and "pending" in out
    code, out = run_cli(storage, "approve", crisis_id, "--note", "safe [ok]", "--by", "dr_b")
    assert code == 0 and "Approved" in out and "safe [ok]" in out
    code, out = run_cli(storage, "reject", abuse_id)
    assert code == 0 and "Rejected" in out
    code, out = run_cli(storage, "list", "--status", "approved")
    assert crisis_id in out and abuse_id not in out
    code, out = run_cli(storage, "approve", "zzzz")
    assert code == 2 and "not in the review queue" in out


# ------------------------------------------------------------------ the release rule itself
def _decisions(*rows: tuple[str, str, str | None]) -> pd.DataFrame:
    """``review_decisions`` rows from (exchange_id, decision, decided_at)."""
    return pd.DataFrame(
        [{"exchange_id": e, "decision": d, "note": None, "decided_at": at, "decided_by": "dr_a"}
         for e, d, at in rows],
        columns=["exchange_id", "decision", "note", "decided_at", "decided_by"],
    )


OTHER = "other_exchange"
# (case, decisions on "x", crisis flag of "x", passed, released?). The pairs stage runs the
# same cases (pixel_assets_tests/pairs/test_select.py) and must agree with release_mask.
RELEASE_CASES = [
    ("no decision, crisis", [], True, True, False),
    ("no decision, no crisis", [], False, True, True),
    ("approved", [("x", "approve", "2025-01-01")], True, True, True),
    ("approved but failed validation", [("x", "approve", "2025-01-01")], True, False, False),
    ("approve then reject", [("x", "approve", "2025-01-01"), ("x", "reject", "2025-01-02")],
     True, True, False),
    ("reject then approve", [("x", "reject", "2025-01-01"), ("x", "approve", "2025-01-02")],
     True, True, True),
    ("rows out of time order: the later time wins",
     [("x", "reject", "2025-01-02"), ("x", "approve", "2025-01-01")], True, True, False),
    ("approval of another exchange", [(OTHER, "approve", "2025-01-01")], True, True, False),
    ("rejection of a non-crisis exchange", [("x", "reject", "2025-01-01")], False, True, False),
    # Where the two old encodings differed, the stricter answer:
    ("rejection written in capitals with spaces", [("x", " Reject ", "2025-01-01")], False,
     True, False),
    ("approval not written as `decide` writes it", [("x", "APPROVE", "2025-01-01")], True,
     True, False),
    ("unknown value after an approval",
     [("x", "approve", "2025-01-01"), ("x", "maybe", "2025-01-02")], True, True, False),
    ("unknown value on a non-crisis exchange", [("x", "released", "2025-01-01")], False, True,
     False),
    ("an approval without a time after a dated rejection",
     [("x", "reject", "2025-01-01"), ("x", "approve", None)], True, True, False),
    ("unknown crisis state", [], None, True, False),
    ("unknown verdict", [], False, None, False),
]


@pytest.mark.parametrize(("decided", "crisis", "passed", "released"),
                         [c[1:] for c in RELEASE_CASES], ids=[c[0] for c in RELEASE_CASES])
def test_release_rule(decided, crisis, passed, released):
    scores = pd.DataFrame({"exchange_id": ["x"], "passed": pd.Series([passed], dtype="boolean"),
                           "crisis": pd.Series([crisis], dtype="boolean")})
    assert release_mask(scores, _decisions(*decided)).tolist() == [released]


def test_a_queued_exchange_needs_an_approval_whatever_its_flag_and_queue_status():
    scores = pd.DataFrame({"exchange_id": ["x"], "passed": [True], "crisis": [False]})
    # The queue is written by the pipeline; its status never releases, only a decision does.
    queue = pd.DataFrame({"exchange_id": ["x"], "status": ["approved"]})
    assert not release_mask(scores, None, queue).iloc[0]
    approved = _decisions(("x", "approve", "2025-01-01"))
    assert release_mask(scores, approved, queue).iloc[0]


def test_review_state_names_why_an_exchange_is_held():
    ids = pd.Series(["pending", "rejected", "approved", "unreadable", "plain"])
    crisis = pd.Series([True, True, True, False, False])
    decided = _decisions(("rejected", "reject", "2025-01-01"),
                         ("approved", "approve", "2025-01-01"),
                         ("unreadable", "approve", "2025-01-01"),
                         ("unreadable", "ok?", "2025-01-02"))
    state = review_state(ids, crisis, decided).set_index(ids)
    assert state["review_pending"].to_dict() == {
        "pending": True, "rejected": False, "approved": False, "unreadable": True,
        "plain": False}
    assert state["review_rejected"].to_dict() == {
        "pending": False, "rejected": True, "approved": False, "unreadable": False,
        "plain": False}
    assert state.loc["unreadable", "decision"] == UNREADABLE


def test_decisions_without_a_decision_column_are_refused():
    scores = pd.DataFrame({"exchange_id": ["x"], "passed": [True], "crisis": [False]})
    with pytest.raises(KeyError, match="'decision' column"):
        release_mask(scores, pd.DataFrame({"exchange_id": ["x"], "status": ["rejected"]}))
