"""A change of subject to small talk that the client never raised.

"Mm-hmm. What did you have for breakfast?" after "My dad died three weeks ago and I can't stop
crying" ignores the disclosure: a clinician would not accept it as a counsellor's reply, and a
model trained on it learns to deflect. The same question is care after "I haven't eaten since
the funeral", or after the counsellor's own "Have you been eating?". A sentence-level lexicon
cannot tell these apart (:mod:`pixel_assets.counselling_language` flags only a change of subject
that is marked, "So, ..." / "Anyway, ..."), so this reads the prompt too: a small-talk question
counts only when neither the prompt nor the rest of the reply mentions its topic.

Prompt/reply embedding similarity was measured and does not separate these: deflections scored
-0.01 to 0.09 with all-MiniLM, and short empathic replies ("What has that been like for you?")
as low as 0.02.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pixel_assets.counselling_language import affirmed, compile_patterns, normalise

_YOUR_FAVOURITE = r"what(?:'s| is|s| was) your (?:all[- ]time )?favou?rite"


@dataclass(frozen=True)
class SmallTalkTopic:
    """A small-talk topic: the questions that open it and the words that show the
    conversation is already on it (any form a transcript writes)."""

    name: str
    questions: re.Pattern[str]
    words: frozenset[str]


def _topic(name: str, questions: tuple[str, ...], words: str) -> SmallTalkTopic:
    pattern = compile_patterns(questions)
    assert pattern is not None
    return SmallTalkTopic(name, pattern, frozenset(words.split()))


TOPICS: tuple[SmallTalkTopic, ...] = (
    _topic(
        "food",
        (
            r"\bwhat(?: did|'d|d) you (?:have|eat|get|make) for (?:breakfast|lunch|dinner|tea"
            r"|supper)\b",
            r"\bwhat(?:'s| is|s|re you having| are you having) for (?:breakfast|lunch|dinner"
            r"|tea|supper)\b",
            rf"\b{_YOUR_FAVOURITE} (?:food|meal|snack|dish|restaurant|cuisine|dessert)\b",
            r"\b(?:do you|can you) (?:like|enjoy) (?:cooking|baking)\b",
        ),
        """eat eats eating ate eaten food foods breakfast lunch dinner tea supper meal meals
        appetite hungry hunger starving starve cook cooks cooking cooked baking bake snack
        snacks weight diet dieting fridge kitchen cereal toast fed feed feeding nutrition
        restaurant chocolate pizza drink drinking""",
    ),
    _topic(
        "weather",
        (
            r"\bhow(?:'s|s| is| was| has been|'s been) the weather\b",
            r"\bwhat(?:'s| is|s) the weather (?:like|doing)\b",
            r"\b(?:lovely|nice|terrible|awful|crazy|strange|weird|great|miserable) weather"
            r"(?: (?:we're|were|we are|we've been|we have been) having| today| lately)?\b",
            r"\bis it (?:raining|sunny|cold|hot|snowing|warm|nice out)"
            r"(?: (?:there|where you are|today|out))?\?",
        ),
        """weather rain raining rained rainy sun sunny sunshine snow snowing cold hot warm heat
        heatwave freezing storm stormy wind windy outside outdoors forecast grey gloomy
        winter summer spring autumn season seasons walk walks walking garden""",
    ),
    _topic(
        "sport and screen",
        (
            r"\b(?:did you )?(?:watch|see|catch) the (?:game|match|football|footy|race|final"
            r"|fight)\b",
            r"\b(?:have you )?(?:seen|watched) (?:any(?:thing)?|something) good (?:films|movies"
            r"|shows|tv|telly|series|on tv|on netflix|lately|recently)?",
            rf"\b{_YOUR_FAVOURITE} (?:film|movie|show|band|song|team|colou?r|sport|book|tv show"
            r"|series|singer|album|game)\b",
            r"\bwho do you support\b",
            r"\bwhat are you watching (?:at the moment|these days|lately)\b",
        ),
        """game games match matches football footy soccer rugby cricket tennis sport sports team
        teams league fan fans film films movie movies cinema tv telly television show shows
        series netflix watch watched watching band music song songs concert race colour color
        book books reading read album singer""",
    ),
    _topic(
        "holidays",
        (
            r"\bwhere are you going on holiday\b",
            r"\b(?:any|got any|do you have any) (?:holiday|vacation|summer) plans\b",
            r"\b(?:been|gone) anywhere nice (?:lately|recently|this year)\b",
        ),
        """holiday holidays vacation trip trips travel travelling traveling abroad beach flight
        flights""",
    ),
)

_WORD = re.compile(r"[a-z]+")
# The client asking for a break from the subject: small talk is then what they asked for.
_ASKS_FOR_A_BREAK = re.compile(
    r"\b(?:(?:don't|dont|do not|rather not) (?:want to |wanna )?(?:talk|think) about"
    r" (?:it|this|that|him|her)|change the subject|(?:talk|think) about something"
    r"|something (?:else|lighter|different|happier|nice|normal|fun)|take my mind off"
    r"|distract me|a distraction|a break from (?:it|this|talking|thinking))\b"
)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text))


def changed_subject(prompt: str | None, reply: str | None) -> str | None:
    """The small-talk topic the reply turns to when neither the prompt nor the rest of the
    reply is on it and the client did not ask to talk about something else; else None.

    Args:
        prompt: The client's turn the reply answers.
        reply: The counsellor's reply.

    Returns:
        A topic name from :data:`TOPICS` ("food", "weather", ...) or None.
    """
    reply_text = normalise(reply)
    if not reply_text:
        return None
    prompt_text = normalise(prompt)
    if _ASKS_FOR_A_BREAK.search(prompt_text):
        return None
    prompt_words = _words(prompt_text)
    for topic in TOPICS:
        if not affirmed(topic.questions, reply_text):
            continue
        rest = topic.questions.sub(" ", reply_text)
        if not (topic.words & (prompt_words | _words(rest))):
            return topic.name
    return None
