"""The offline scorer and its rules on crafted exchanges."""

from __future__ import annotations

import pandas as pd
import pytest

from pixel_assets.validation.scoring import ScoreThresholds, ScoringOptions, score_exchanges
from pixel_assets.warehouse.contract import validate

PROMPT = "I lost my job last month and I feel like I failed my family. I can't sleep at night."
REPLIES = {
    "empathic": "It sounds like you feel ashamed and exhausted. That must be really hard. "
    "How has it been affecting your days?",
    "empathic_asr": "that sounds really painful thank you for telling me can you tell me more "
    "about what the nights are like",
    "neutral": "I see. When did you lose the job?",
    "dismissive": "Everybody has problems. Just get over it.",
    "minimising": "At least you still have your health, it's not that big of a deal.",
    "insulting": "You are pathetic, stop whining about it.",
    "profane": "That is a stupid reason, stop being so damn dramatic.",
    "blaming": "Well, it is your own fault, you brought this on yourself.",
    "advice_dump": "You should update your CV. You need to call recruiters. Just go to the gym "
    "every day.",
    "stigmatising": "Don't act crazy about it, people will think you're a psycho.",
}
EXPECTED_RULES = {
    "dismissive": {"no_invalidation", "min_empathy"},
    "minimising": {"no_invalidation", "min_empathy"},
    "insulting": {"no_insult", "max_toxicity", "min_appropriateness"},
    "profane": {"no_insult", "max_toxicity", "min_appropriateness"},
    "blaming": {"no_blaming", "min_appropriateness", "min_empathy"},
    "advice_dump": {"max_unsolicited_directives", "min_appropriateness"},
    "stigmatising": {"no_stigma", "min_empathy"},
}


def frame(replies: dict[str, str], prompt: str = PROMPT, **features) -> pd.DataFrame:
    rows = [
        {"exchange_id": f"{i:020x}", "video_id": "vid", "prompt_text": prompt,
         "response_text": text, "context": [], "name": name, **features}
        for i, (name, text) in enumerate(replies.items())
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def scored() -> pd.DataFrame:
    exchanges = frame(REPLIES)
    scores = score_exchanges(exchanges)
    return scores.assign(name=exchanges["name"].to_numpy()).set_index("name")


def rules(scores: pd.DataFrame, name: str) -> set[str]:
    return {r["rule"] for r in scores.loc[name, "reasons"]}


def test_empathic_replies_pass(scored: pd.DataFrame):
    for name in ("empathic", "empathic_asr"):
        assert scored.loc[name, "passed"], (name, scored.loc[name, "reasons"])
        assert scored.loc[name, "empathy"] >= 0.6


@pytest.mark.parametrize("name", sorted(EXPECTED_RULES))
def test_bad_replies_fail_with_the_right_reasons(scored: pd.DataFrame, name: str):
    assert not scored.loc[name, "passed"]
    assert EXPECTED_RULES[name] <= rules(scored, name), scored.loc[name, "reasons"]


def test_reasons_are_machine_readable_records(scored: pd.DataFrame):
    (reason,) = [r for r in scored.loc["blaming", "reasons"] if r["rule"] == "no_blaming"]
    assert reason == {"rule": "no_blaming", "column": "blaming", "measured": "true",
                      "threshold": "false"}
    assert scored.loc["empathic", "reasons"] == []


def test_ordering_empathic_neutral_dismissive(scored: pd.DataFrame):
    for column in ("empathy", "overall"):
        assert (scored.loc["empathic", column] > scored.loc["neutral", column]
                > scored.loc["dismissive", column]), column
    assert scored.loc["neutral", "appropriateness"] > scored.loc["dismissive", "appropriateness"]


def test_advice_is_not_penalised_when_the_client_asks_for_it():
    advice = {"advice": "You should write down three small things you can do tomorrow, and "
              "maybe you need to talk to your partner about how you feel."}
    asked = score_exchanges(frame(advice, prompt="What should I do? I feel so stuck."))
    unasked = score_exchanges(frame(advice))
    assert asked["unsolicited_directives"].iloc[0] == 0
    assert unasked["unsolicited_directives"].iloc[0] == 2
    assert asked["appropriateness"].iloc[0] > unasked["appropriateness"].iloc[0]


def test_feature_columns_are_used_when_present():
    reply = {"r": "I see. When did you lose the job?"}
    plain = score_exchanges(frame(reply)).iloc[0]
    rich = score_exchanges(frame(reply, response_empathy=0.9, response_toxicity=0.0,
                                 response_confidence=0.95, response_speech_rate_wps=2.5,
                                 response_filler_rate=0.0, similarity=0.6)).iloc[0]
    off_topic = score_exchanges(frame(reply, similarity=-0.05)).iloc[0]
    mumbled = score_exchanges(frame(reply, response_confidence=0.3, response_filler_rate=0.2,
                                    response_speech_rate_wps=6.5)).iloc[0]
    assert rich["empathy"] > plain["empathy"]
    assert rich["authenticity"] > plain["authenticity"] > off_topic["authenticity"]
    assert rich["naturalness"] > plain["naturalness"] > mumbled["naturalness"]
    assert "min_naturalness" in {r["rule"] for r in mumbled["reasons"]}


def test_thresholds_are_configurable():
    replies = {"neutral": REPLIES["neutral"]}
    strict = ScoringOptions(thresholds=ScoreThresholds(min_empathy=0.5))
    assert score_exchanges(frame(replies))["passed"].iloc[0]
    failed = score_exchanges(frame(replies), strict)
    assert not failed["passed"].iloc[0]
    assert [r["rule"] for r in failed["reasons"].iloc[0]] == ["min_empathy"]


def test_scores_meet_the_table_contract(scored: pd.DataFrame):
    from pixel_assets.validation.schemas import TABLES

    checked = validate(TABLES[0], scored.reset_index(drop=True))
    assert set(checked["scorer"]) == {"offline"}
    assert set(checked["rubric_version"]) == {"offline-v1"}
    assert checked[["empathy", "appropriateness", "authenticity", "naturalness",
                    "overall"]].stack().between(0, 1).all()


def test_crisis_in_context_flags_the_exchange():
    exchanges = frame({"r": REPLIES["empathic"]})
    exchanges.at[0, "context"] = [{"turn_index": 0, "speaker": "B", "role": "client",
                                   "text": "i have been thinking about ending my life"}]
    scores = score_exchanges(exchanges)
    assert scores["crisis"].iloc[0]
    assert scores["crisis_reason"].iloc[0] == "suicidal_ideation"
    assert scores["crisis_text"].iloc[0] == "ending my life"


def test_no_exchanges_give_an_empty_table():
    empty = score_exchanges(frame({}).iloc[0:0])
    assert empty.empty and "passed" in empty
