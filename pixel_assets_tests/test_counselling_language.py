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
    "That's your problem, not mine.",
    "Meh, whatever.",
    "Nobody cares.",
    "That's pathetic.",
    "Why would anyone want to be around you?",
    "i'm sure there are people far worse off",
    "it was just a dog",
    "plenty more fish in the sea, youll find someone else",
    "arent you over that yet",
    "we've been over this a hundred times",
    "oh please.",
    "try yoga",
    "just stop drinking then",
    "you need to pray more",
    "it's not rocket science",
    "i dont see what the big deal is",
    "you have so much to live for",
    "what have you got to be sad about",
    "quit your whining",
    "just get on with your life",
    "happiness is a choice",
    "its not like anyone died",
    "shame on you",
    "what kind of mother does that",
    "youre acting like a baby",
    "you're doing this for attention",
    "you're not even trying",
    "It's all in your head.",
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
    "It can feel like nobody cares.",
    "Some people might tell you to toughen up, but that isn't what you need.",
    "Ugh, that sounds awful.",
    "Why would anyone want to hurt you?",
    "it could be worse is what people keep saying, and it doesn't help",
    "everyone keeps saying it could be worse, and you're tired of hearing it",
    "being told to cheer up when you're grieving is hard",
    "that's life-changing news",
    "What's going on in your head right now?",
    "it's not that hard to see why you're exhausted",
    "You've had to just get on with things for so long.",
    "it's not as simple as just stop drinking, is it?",
    "Some people find yoga helps, but only if it feels right for you.",
    "did going for a walk help at all?",
    "Whatever you say here stays between us.",
    "Oh, please don't apologise.",
    "It's a big deal. It really is.",
    "You're not over it yet, and that's okay.",
    "You're not a bad mother.",
    "you worry you're a terrible father",
    "It's normal to feel like you're wasting your life when you're depressed.",
    "some people call it a cop out, but asking for help takes courage",
    "How could you have known?",
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


STIGMATISING = [
    "You're acting so bipolar today.",
    "you are so bipolar",
    "You're such an addict.",
    "You're being mental.",
    "You're a drunk.",
    "Typical woman, always so emotional.",
    "Men don't cry.",
    "What a nutter.",
    "youre so weak",
    "killing yourself is selfish",
    "depression is just laziness",
    "once an addict always an addict",
    "people like you never get better",
    "you belong in a psych ward",
    "grown adults dont cry about this",
    "you're mental",
]
NAMING_A_CONDITION = [
    "Bipolar disorder can make mood shifts feel overwhelming.",
    "You mentioned your OCD makes mornings hard.",
    "You're bipolar, and you've been managing it for years.",
    "You're not an addict because you slipped once.",
    "Addiction is an illness, not a failure.",
    "How has your mental health been?",
    "You're feeling paranoid that people are watching you?",
    "you're mental health has taken a hit this year",
    "Wanting time for yourself isn't selfish.",
    "That's selfish of him, to leave you with all of that.",
    "He used to say men don't cry, and you learned to hide it.",
    "You've heard people say addicts never change, and you're proving them wrong.",
    "You were scared you'd be locked up if you told anyone.",
    "You've been called a drama queen your whole life.",
]


@pytest.mark.parametrize("text", STIGMATISING)
def test_a_diagnosis_or_stereotype_used_as_an_insult_is_stigma(text: str):
    from pixel_assets.dialogue.markers import text_markers

    assert text_markers(text).stigma


@pytest.mark.parametrize("text", NAMING_A_CONDITION)
def test_naming_a_condition_is_not_stigma(text: str):
    from pixel_assets.dialogue.markers import text_markers

    markers = text_markers(text)
    assert not (markers.stigma or markers.insult or markers.invalidation)
