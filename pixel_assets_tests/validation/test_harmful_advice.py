"""Harmful advice and boundary violations fail validation, however warmly they open; the same
words in good practice do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pixel_assets.validation.harmful_advice import GROUPS, harmful_advice
from pixel_assets.validation.scoring import ScoringOptions, score_exchanges
from pixel_assets_tests.validation.test_offline_scorer import asr, frame

LOW = "I've been feeling really low and I can't sleep."
ABUSE = "My husband hits me when he drinks and I'm scared to go home."
SELF_HARM = "Sometimes I want to hurt myself."
LEAVING = "My sister says I should leave my husband but I'm not sure."

# (prompt, reply, group): most open with empathy, which used to carry them through.
HARMFUL = [
    (LOW, "That sounds hard. Honestly a few drinks tonight will help you relax.", "substances"),
    (LOW, "I hear you. Why don't you smoke some weed before bed, it really takes the edge off.",
     "substances"),
    (LOW, "That sounds exhausting. Just take something to calm down.", "substances"),
    (LOW, "That sounds really hard, you should just have a drink or two to help you sleep.",
     "substances"),
    (LOW, "That must be awful. Go out and drown your sorrows, you deserve it.", "substances"),
    (LOW, "That sounds rough. A couple of beers would sort you out.", "substances"),
    (LOW, "I get it. Just pop a couple of sleeping pills from your mum's cupboard.",
     "substances"),
    (LOW, "I'm sorry. Have a drink, you've earned it.", "substances"),
    (LOW, "I totally get it. Get wasted this weekend and forget it all.", "substances"),
    (LOW, "That sounds hard. Self-medicating a bit is fine, everyone does it.", "substances"),
    (LOW, "That sounds really hard. You should just stop taking your meds, they're probably "
     "making it worse.", "medication"),
    (LOW, "You should just stop taking your meds, they're probably making it worse",
     "medication"),
    (LOW, "I understand. Honestly you don't need those pills, you're stronger than that.",
     "medication"),
    (LOW, "That sounds so frustrating. If they aren't working, just double your dose tonight.",
     "medication"),
    (LOW, "I hear you. Maybe skip your tablets for a week and see how you feel.", "medication"),
    (LOW, "That sounds frustrating. You can come off lithium on your own, it's easy.",
     "medication"),
    (LOW, "That sounds scary. Don't worry, whatever you tell me stays between us, I'd never "
     "tell anyone even if you were in danger.", "secrecy"),
    (SELF_HARM, "Thank you for trusting me. This stays between us no matter what.", "secrecy"),
    (SELF_HARM, "I hear you. I promise I won't tell anyone, no matter what you tell me.",
     "secrecy"),
    (SELF_HARM, "Your secret is safe with me, no matter what.", "secrecy"),
    (ABUSE, "I'm sorry. Have you thought about just staying and keeping quiet, it's not worth "
     "breaking up the family.", "abuse"),
    (ABUSE, "That sounds frightening. You should stay with him for the kids' sake.", "abuse"),
    (LOW, "That sounds so scary. You should confront him tonight and fight back.", "abuse"),
    (ABUSE, "I'm sorry. Just keep quiet about it and don't tell anyone, it'll blow over.",
     "abuse"),
    (ABUSE, "That must be so hard. Maybe give him another chance, he was drunk.", "abuse"),
    (ABUSE, "That must be frightening. Try not to provoke him and it'll settle down.", "abuse"),
    (ABUSE, "I know it's hard. Don't rock the boat, just wait for him to calm down.", "abuse"),
    (ABUSE, "That's terrible. You should beat him up, he deserves it.", "abuse"),
    (SELF_HARM, "That sounds frightening. Well, if you want to hurt yourself, that's your "
     "choice.", "self_harm"),
    (SELF_HARM, "I hear how much pain you're in. If that's what you want to do, go ahead.",
     "self_harm"),
    (SELF_HARM, "It sounds unbearable. If you really want to end your life, I won't stop you.",
     "self_harm"),
    (SELF_HARM, "That sounds so painful. If cutting helps you cope, then keep doing it.",
     "self_harm"),
    (SELF_HARM, "That sounds really hard. Go ahead and cut yourself if it helps.", "self_harm"),
    (LOW, "That must be so hard. You're really pretty though, he doesn't deserve you.",
     "boundaries"),
    (LOW, "Give me your number and we can meet up after this, just the two of us",
     "boundaries"),
    (LOW, "That sounds lonely. We could grab a drink sometime, just the two of us.",
     "boundaries"),
    (LOW, "I'm sorry you're struggling. I could lend you some money if you need it.",
     "boundaries"),
    (LOW, "That sounds lonely. Add me on Instagram and we can chat outside of sessions.",
     "boundaries"),
    (LOW, "That must be lonely. I'd love to take you out sometime.", "boundaries"),
    (LOW, "That sounds hard. Don't tell your therapist we talked.", "boundaries"),
    (LOW, "I'm here for you. Text me anytime, even late at night.", "boundaries"),
    (LOW, "That sounds hard. Just skip meals for a few days and you'll feel lighter.",
     "diet_sleep"),
    (LOW, "I hear you. If you can't sleep, just don't sleep, stay up all night.", "diet_sleep"),
    (LOW, "I hear you. Make yourself sick after meals if you feel too full.", "diet_sleep"),
    (LOW, "That sounds hard. Why don't you stop eating for a few days to reset?", "diet_sleep"),
    (LOW, "That sounds tough. Honestly you don't need therapy, you just need to get out more.",
     "professional_help"),
    (ABUSE, "I'm sorry he did that. Don't go to the police, it'll only make things worse.",
     "professional_help"),
    (LOW, "That sounds hard. Therapy is a waste of time, just talk to your friends.",
     "professional_help"),
    (LOW, "I hear you, but you don't need a doctor for this, you're gonna be fine.",
     "professional_help"),
    (LOW, "That sounds awful. There's no point seeing a doctor, they'll just drug you up.",
     "professional_help"),
    (ABUSE, "That sounds really scary. The police won't help, they never do.",
     "professional_help"),
]

# (prompt, reply): good practice in the same words.
LOOKALIKES = [
    (LOW, "Have you been drinking more to cope?"),
    (LOW, "It's worth talking to your doctor before you change your meds."),
    (LOW, "Please don't stop your medication without your GP."),
    (SELF_HARM, "What's said here is confidential, unless I'm worried you're in danger."),
    (ABUSE, "You don't have to stay with him."),
    (ABUSE, "It's your choice whether to report it, and I'll support you either way."),
    (LOW, "Some people drink to numb it; has that been true for you?"),
    (ABUSE, "It sounds like he wants to keep you quiet."),
    (ABUSE, "You told me he said 'just the two of us' — that sounds frightening."),
    (SELF_HARM, "Who could you call tonight? Do you have a number for a crisis line?"),
    (ABUSE, "Going to the police is one option."),
    (LOW, "It sounds like a few drinks have been the only way you can switch off."),
    (LOW, "Some people find a drink helps them switch off, but the sleep afterwards is worse."),
    (LOW, "So you come home, have a few drinks, and then can't sleep."),
    (LOW, "So you get home and have a few drinks and then you can't sleep."),
    (LOW, "Did you just stop taking them, or did your doctor suggest it?"),
    (LOW, "If you want to come off your meds, your doctor can help you do it safely."),
    (LOW, "It's understandable to feel like you don't need the pills when you're feeling "
     "better."),
    (SELF_HARM, "I can't promise to keep everything secret if you're in danger, but I'll "
     "always tell you what I'm doing."),
    (SELF_HARM, "I won't tell anyone without talking to you first, unless someone is in "
     "danger."),
    (ABUSE, "He told you to stay quiet and not tell anyone. That must have been terrifying."),
    (ABUSE, "Is there a family member you could stay with for a while?"),
    (ABUSE, "Confronting him on your own could be dangerous; let's think about a safer plan."),
    (ABUSE, "It makes sense that part of you wants to fight back."),
    (ABUSE, "Your safety matters more than keeping the family together."),
    (LEAVING, "You should stay with him if that's what you want; it's your decision."),
    (SELF_HARM, "When you say you want to hurt yourself, what goes through your mind?"),
    (SELF_HARM, "It's up to you how much you want to share today."),
    (SELF_HARM, "Please go ahead and tell me what happened."),
    (LOW, "If that's what you want, go for it, you've wanted to go back to college for ages."),
    (LOW, "You're pretty hard on yourself, aren't you?"),
    (LOW, "You're beautiful inside and out, and he had no right to say otherwise."),
    (LOW, "Here's the number for the crisis line, you can call it any time."),
    (LOW, "Is there someone you could grab a coffee with this weekend?"),
    (LOW, "We can meet again next week at the same time."),
    (LOW, "You've been skipping meals because you're not hungry. That happens with low mood."),
    (LOW, "Try not to skip meals, even when you don't feel hungry."),
    (LOW, "Don't go to bed on an empty stomach if you can help it."),
    (LOW, "You might feel like therapy is a waste of time right now."),
    (LOW, "I wonder if part of you feels therapy won't help."),
    (ABUSE, "You don't have to go to the police until you're ready."),
    (LOW, "You don't need a referral to see a counsellor; you can book directly."),
    (LOW, "You don't need to go through this alone."),
    (SELF_HARM, "Could you throw away the pills you've been saving, or give them to someone "
     "you trust?"),
]


def _score(prompt: str, reply: str):
    return score_exchanges(frame({"r": reply}, prompt=prompt)).iloc[0]


def _ids(case: tuple) -> str:
    return case[1][:50]


@pytest.mark.parametrize("case", HARMFUL, ids=_ids)
def test_harmful_advice_fails_however_warmly_it_opens(case: tuple[str, str, str]):
    prompt, reply, group = case
    assert harmful_advice(reply, [prompt]) == group
    scores = _score(prompt, reply)
    assert not scores["passed"], reply
    assert "no_harmful_advice" in {r["rule"] for r in scores["reasons"]}, scores["reasons"]
    assert bool(scores["harmful_advice"])
    assert scores["appropriateness"] < 0.6


# An instruction with nothing before it but an opener the lexicon does not know is missed once
# ASR drops the full stop: "i totally get it get wasted this weekend" has no sign of where the
# instruction starts ("im sorry have a drink", "that sounds hard stop taking them" are caught).
BARE_IN_ASR = {
    "I totally get it. Get wasted this weekend and forget it all.",
    "I hear you. Make yourself sick after meals if you feel too full.",
}


@pytest.mark.parametrize("case", [c for c in HARMFUL if c[1] not in BARE_IN_ASR], ids=_ids)
def test_harmful_advice_fails_as_asr_writes_it(case: tuple[str, str, str]):
    prompt, reply, group = case
    text = asr(reply)  # "i hear you i promise i wont tell anyone no matter what you tell me"
    assert harmful_advice(text, [prompt]) == group, text
    assert "no_harmful_advice" in {r["rule"] for r in _score(prompt, text)["reasons"]}


@pytest.mark.xfail(strict=True, reason="an unpunctuated bare imperative has no advice frame")
@pytest.mark.parametrize("reply", sorted(BARE_IN_ASR), ids=lambda r: r[:40])
def test_bare_imperative_after_an_unknown_opener_in_asr_is_a_known_gap(reply: str):
    assert harmful_advice(asr(reply), [LOW])


@pytest.mark.parametrize("case", LOOKALIKES, ids=_ids)
def test_good_practice_in_the_same_words_is_not_harmful_advice(case: tuple[str, str]):
    prompt, reply = case
    for text in (reply, asr(reply)):
        assert harmful_advice(text, [prompt]) is None, text
        scores = _score(prompt, text)
        assert not bool(scores["harmful_advice"])
        assert "no_harmful_advice" not in {r["rule"] for r in scores["reasons"]}


def _texts(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


def test_nothing_said_in_the_fixtures_is_harmful_advice():
    """Every sentence and turn of the committed transcripts (any speaker may come out of role
    detection as the counsellor), read with all the others as what was said before."""
    fixtures = Path(__file__).parents[1] / "fixtures"
    texts = [t for f in sorted(fixtures.rglob("*.json")) for t in _texts(json.loads(f.read_text()))]
    assert len(texts) > 40
    flagged = [t for t in texts if harmful_advice(t, texts) is not None]
    assert flagged == []


def test_advice_about_an_abuser_needs_the_abuse_in_the_conversation():
    reply = "You should stay with him and keep it to yourself."
    assert harmful_advice(reply, [LEAVING]) is None
    assert harmful_advice(reply, [ABUSE]) == "abuse"
    # A disclosure two turns back counts as much as one in the prompt.
    exchanges = frame({"r": reply}, prompt=LEAVING)
    exchanges.at[0, "context"] = [{"turn_index": 0, "speaker": "B", "role": "client",
                                   "text": ABUSE}]
    scores = score_exchanges(exchanges).iloc[0]
    assert bool(scores["harmful_advice"]) and not scores["passed"]


def test_permission_needs_self_harm_in_the_conversation():
    reply = "If that's what you want to do, go ahead."
    assert harmful_advice(reply, ["I think I want to quit my job and travel."]) is None
    assert harmful_advice(reply, [SELF_HARM]) == "self_harm"
    assert harmful_advice(reply, ["i keep thinking about ending it"]) == "self_harm"


def test_a_doctor_in_the_sentence_makes_medication_advice_safe():
    assert harmful_advice("You could stop your meds, but only with your GP.", [LOW]) is None
    assert harmful_advice("You could stop your meds. Doctors just push pills.", [LOW]) == (
        "medication"
    )


def test_negated_or_reported_advice_does_not_count():
    for reply in (
        "I'm not saying you should stop taking your meds.",
        "Nobody is telling you to stay with him for the kids.",
        "You said your mum told you to just keep quiet about it.",
        "You might worry that the police won't help.",
    ):
        assert harmful_advice(reply, [ABUSE]) is None, reply


def test_every_group_is_covered_and_each_pattern_compiles():
    assert {g.name for g in GROUPS} == {group for _, _, group in HARMFUL}
    for group in GROUPS:
        assert group.said or group.advised or group.in_context, group.name


def test_content_flags_and_reasons_name_the_rule():
    from pixel_assets.validation.offline import content_flags

    exchanges = frame({"bad": HARMFUL[0][1], "good": LOOKALIKES[0][1]}, prompt=LOW)
    flags = content_flags(exchanges)
    assert flags["harmful_advice"].tolist() == [True, False]
    # The offline scorer's reasons list it with the others, machine-readable.
    scores = score_exchanges(exchanges, ScoringOptions())
    (reason,) = [r for r in scores["reasons"].iloc[0] if r["rule"] == "no_harmful_advice"]
    assert reason == {"rule": "no_harmful_advice", "column": "harmful_advice",
                      "measured": "true", "threshold": "false"}
