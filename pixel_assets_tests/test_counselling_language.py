"""The shared counselling lexicon on single sentences: what it flags, and the look-alikes a
good counsellor says that it must leave alone (advice versus reflection, questions, negation)."""

from __future__ import annotations

import pytest

from pixel_assets.counselling_language import INSULT, INVALIDATION, affirmed, normalise

DISMISSIVE = [
    "Just think positive.",
    "You should be grateful.",
    "Be grateful you have a roof over your head.",
    "Stay positive!",
    "Who cares?",
    "I don't care.",
    "Honestly, I don't care about your problems.",
    "Why don't you just get over it?",
    "dont be so dramatic",
    "I'm not sure, but you're overreacting.",
    "You're fine.",
    "Sounds like a you problem.",
]
LEFT_ALONE = [
    "It's hard to stay positive when everything hurts.",
    "It's hard to be grateful when you're hurting this much.",
    "That's a bit much to carry on your own.",
    "Who cares for you at home?",
    "I don't care what others think; I care about you.",
    "I don't care how long it takes, we'll go at your pace.",
    "This isn't self-pity, it's grief.",
    "You're fine with that?",
    "You're not overreacting.",
    "you dont have to get over it",
    "You feel like you're a burden.",
    "Your mum told you to toughen up.",
    "Whatever you decide, I'm here.",
    "So what happened next?",
]


def flagged(text: str) -> bool:
    t = normalise(text)
    return affirmed(INVALIDATION, t) or affirmed(INSULT, t)


@pytest.mark.parametrize("text", DISMISSIVE)
def test_dismissive_sentences_are_flagged(text: str):
    assert flagged(text)


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_reflections_questions_and_negations_are_left_alone(text: str):
    assert not flagged(text)
