"""Per-video pair selection: validation, crisis review release, outliers, scrubbing, table."""

from __future__ import annotations

import pandas as pd
import pytest

from pixel_assets.pairs.pii import PiiScrubber
from pixel_assets.pairs.schemas import TABLES
from pixel_assets.pairs.select import PairOptions, Provenance, pair_id_for, select_pairs
from pixel_assets.validation.review import release_mask
from pixel_assets.warehouse.contract import to_arrow
from pixel_assets_tests.pairs.helpers import exchanges_frame, scores_frame
from pixel_assets_tests.validation.test_review import RELEASE_CASES, _decisions

TURNS = [
    ("I've been so low since I lost my job.", "It sounds like losing your job hit you hard."),
    ("Just get over it, that's what they say.", "Just get over it."),
    ("My sister Anna says call her on 555, 123 ,567 but I can't.",
     "It's hard to reach out, even to Anna."),
    ("Some days I think everyone would be better off without me.",
     "Thank you for telling me that. Are you having thoughts of ending your life?"),
]
VIDEO = {"video_id": "vidA", "webpage_url": "https://www.youtube.com/watch?v=vidA",
         "license": "Creative Commons Attribution license (reuse allowed)",
         "list_speaker": "client=Anna Berg", "title": "Role-play"}


@pytest.fixture(scope="module")
def scrubber() -> PiiScrubber:
    return PiiScrubber()


@pytest.fixture
def inputs():
    exchanges = exchanges_frame("vidA", TURNS)
    scores = scores_frame(exchanges, passed=[True, False, True, True],
                          crisis=[False, False, False, True])
    queue = pd.DataFrame({
        "exchange_id": [exchanges["exchange_id"][3]], "video_id": ["vidA"],
        "reason": ["suicidal_ideation"], "matched_text": ["better off without me"],
        "deep_link": [exchanges["deep_link"][3]], "status": ["pending"],
    })
    return exchanges, scores, queue


def _ids(selection) -> list[str]:
    return sorted(selection.pairs["exchange_id"])


def test_only_passed_and_released_exchanges_become_pairs(scrubber, inputs):
    exchanges, scores, queue = inputs
    result = select_pairs(exchanges, scores, scrubber, review_queue=queue, video=VIDEO)
    ids = exchanges["exchange_id"].tolist()
    assert _ids(result) == sorted([ids[0], ids[2]])
    reasons = {r["exchange_id"]: [x["rule"] for x in r["reasons"]]
               for r in result.withheld.to_dict("records")}
    assert reasons == {ids[3]: ["review_pending"], ids[1]: ["validation_passed"]}


def test_crisis_exchange_is_released_only_by_an_approval(scrubber, inputs):
    exchanges, scores, queue = inputs
    crisis_id = exchanges["exchange_id"][3]
    approve = pd.DataFrame({"exchange_id": [crisis_id], "decision": ["approve"],
                            "decided_at": pd.to_datetime(["2025-01-01"], utc=True)})
    released = select_pairs(exchanges, scores, scrubber, review_queue=queue,
                            review_decisions=approve, video=VIDEO)
    assert crisis_id in set(released.pairs["exchange_id"])
    row = released.pairs.set_index("exchange_id").loc[crisis_id]
    assert row["crisis"] and row["review_status"] == "approved"
    # A later rejection wins over the earlier approval.
    both = pd.concat([approve, pd.DataFrame({
        "exchange_id": [crisis_id], "decision": ["reject"],
        "decided_at": pd.to_datetime(["2025-02-01"], utc=True)})])
    withheld = select_pairs(exchanges, scores, scrubber, review_queue=queue,
                            review_decisions=both.iloc[::-1], video=VIDEO)
    assert crisis_id not in set(withheld.pairs["exchange_id"])
    # Flagged by the scorer but missing from the queue: still held until approved.
    unqueued = select_pairs(exchanges, scores, scrubber, video=VIDEO)
    assert crisis_id not in set(unqueued.pairs["exchange_id"])


def test_a_pair_whose_context_holds_a_pending_disclosure_is_held(scrubber, inputs):
    exchanges, scores, queue = inputs
    later = exchanges_frame("vidA", [*TURNS, ("Yeah.", "Let's stay with that for a moment.")])
    scores = scores_frame(later, passed=[True, False, True, True, True],
                          crisis=[False, False, False, True, False])
    held = select_pairs(later, scores, scrubber, review_queue=queue, video=VIDEO)
    last = later["exchange_id"][4]
    assert last not in set(held.pairs["exchange_id"])
    reasons = held.withheld.set_index("exchange_id").loc[last, "reasons"]
    assert [r["rule"] for r in reasons] == ["context_review_pending"]
    approve = pd.DataFrame({"exchange_id": [later["exchange_id"][3]], "decision": ["approve"]})
    released = select_pairs(later, scores, scrubber, review_queue=queue,
                            review_decisions=approve, video=VIDEO)
    assert {later["exchange_id"][3], last} <= set(released.pairs["exchange_id"])


def test_a_rejected_non_crisis_exchange_is_withheld(scrubber, inputs):
    exchanges, scores, queue = inputs
    reject = pd.DataFrame({"exchange_id": [exchanges["exchange_id"][0]], "decision": ["reject"]})
    result = select_pairs(exchanges, scores, scrubber, review_queue=queue,
                          review_decisions=reject, video=VIDEO)
    assert exchanges["exchange_id"][0] not in set(result.pairs["exchange_id"])


@pytest.mark.parametrize(("decided", "crisis", "passed", "released"),
                         [c[1:] for c in RELEASE_CASES], ids=[c[0] for c in RELEASE_CASES])
def test_pairs_release_what_the_review_rule_releases(scrubber, decided, crisis, passed,
                                                     released):
    exchanges = exchanges_frame("vidR", [("I've been so low lately.", "That sounds heavy.")])
    scores = scores_frame(exchanges, passed=[passed], crisis=[crisis])
    exchange = exchanges["exchange_id"][0]
    decisions = _decisions(*decided).replace({"exchange_id": {"x": exchange}})
    result = select_pairs(exchanges, scores, scrubber, review_decisions=decisions, video=VIDEO)
    assert (exchange in set(result.pairs["exchange_id"])) is released
    assert release_mask(scores, decisions).tolist() == [released]
    # Nothing is dropped silently: a held exchange is listed with its reasons.
    assert len(result.pairs) + len(result.withheld) == 1
    if not released:
        assert result.withheld["reasons"].iloc[0]


def test_a_queued_exchange_waits_for_a_decision_whatever_the_queue_row_says(scrubber, inputs):
    exchanges, scores, queue = inputs
    queued = queue.assign(exchange_id=exchanges["exchange_id"][0], status="approved")
    result = select_pairs(exchanges, scores, scrubber, review_queue=queued, video=VIDEO)
    reasons = result.withheld.set_index("exchange_id").loc[exchanges["exchange_id"][0],
                                                           "reasons"]
    assert [r["rule"] for r in reasons] == ["review_pending"]


def test_outliers_are_withheld_only_when_configured(scrubber, inputs):
    exchanges, scores, queue = inputs
    outliers = pd.DataFrame({"video_id": ["vidA"], "level": ["speaker"],
                             "speaker": ["SPEAKER_00"], "is_outlier": [True]})
    kept = select_pairs(exchanges, scores, scrubber, review_queue=queue, outliers=outliers)
    assert len(kept.pairs) == 2
    dropped = select_pairs(exchanges, scores, scrubber, review_queue=queue, outliers=outliers,
                           options=PairOptions(exclude_outliers=True))
    assert dropped.pairs.empty
    assert {x["rule"] for r in dropped.withheld["reasons"] for x in r} >= {"not_outlier"}


def test_text_is_scrubbed_everywhere_and_counted(scrubber, inputs):
    exchanges, scores, queue = inputs
    result = select_pairs(exchanges, scores, scrubber, review_queue=queue, video=VIDEO)
    row = result.pairs.set_index("exchange_id").loc[exchanges["exchange_id"][2]]
    assert row["prompt"] == "My sister [NAME] says call her on [PHONE] but I can't."
    assert row["response"] == "It's hard to reach out, even to [NAME]."
    assert row["pii_redactions"] == 3
    assert sorted(row["pii_entities"]) == ["PERSON", "PERSON", "PHONE_NUMBER"]
    stored = " ".join(str(v) for v in result.pairs.drop(columns="embedding").to_numpy().ravel())
    assert "555" not in stored and "Anna" not in stored
    assert result.pii_counts == {"PERSON": 2, "PHONE_NUMBER": 1}


def test_rows_carry_provenance_and_fit_the_table(scrubber, inputs):
    exchanges, scores, queue = inputs
    links = pd.DataFrame({"video_id": ["vidA", "vidA"], "speaker": ["SPEAKER_00", "SPEAKER_01"],
                          "global_speaker_id": ["gs_9", "gs_8"]})
    exchanges = exchanges.drop(columns=["prompt_global_speaker_id", "response_global_speaker_id"])
    result = select_pairs(
        exchanges, scores, scrubber, review_queue=queue, speaker_links=links, video=VIDEO,
        provenance=Provenance(asr_model="tiny.en", diarizer="resemblyzer",
                              pipeline_version="0.1.0"),
        embed=lambda texts: [[float(len(t)), 1.0] for t in texts],
    )
    first = int(result.pairs.index[result.pairs["exchange_id"] == exchanges["exchange_id"][0]][0])
    row = result.pairs.loc[first]
    assert row["pair_id"] == pair_id_for(row["exchange_id"])
    assert row["counsellor_global_speaker_id"] == "gs_9"
    assert row["client_global_speaker_id"] == "gs_8"
    assert row["source_url"] == VIDEO["webpage_url"] and row["license"].startswith("Creative")
    assert (row["asr_model"], row["diarizer"], row["scorer"]) == ("tiny.en", "resemblyzer",
                                                                  "offline")
    assert row["deep_link"].endswith("t=0s") and row["end_s"] == 9.0
    spec = {s.name: s for s in TABLES}["therapeutic_pairs"]
    table = to_arrow(spec, result.pairs)
    assert table.num_rows == 2 and table.schema.field("embedding").type.value_type == "float"
    assert table.column("context").to_pylist()[first] == []
    assert table.column("context").to_pylist()[1 - first][0]["role"] == "client"


def test_a_name_told_in_a_withheld_exchange_is_scrubbed_from_released_pairs(scrubber):
    """The client introduces herself in an exchange that is withheld; the counsellor's released
    reply addresses her by name, lower-cased by the ASR, and names her son."""
    turns = [
        ("Hi. I'm Priya. My son's name is oliver.", "Just get over it."),
        ("priya here again, I can't sleep since the divorce.",
         "Priya, that sounds exhausting. Does oliver know how you feel?"),
    ]
    exchanges = exchanges_frame("vidN", turns)
    scores = scores_frame(exchanges, passed=[False, True], crisis=[False, False])
    result = select_pairs(exchanges, scores, scrubber, video={"video_id": "vidN"})
    assert _ids(result) == [exchanges["exchange_id"][1]]
    pair = result.pairs.iloc[0]
    texts = [pair["prompt"], pair["response"], *[t["text"] for t in pair["context"]]]
    assert not any(word in t.lower() for t in texts for word in ("priya", "oliver")), texts
    assert pair["response"] == "[NAME], that sounds exhausting. Does [NAME] know how you feel?"

