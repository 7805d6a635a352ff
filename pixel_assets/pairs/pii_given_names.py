"""A given name said without any cue: "I told Jessica everything", "And Tom said he'd leave",
"Kyle hit me again".

Without a spaCy model (none ships offline) nothing else finds these, and they are the most
common way a transcript names a third person. ASR writes proper nouns with a capital and
other words in lower case, so a capitalised word that faker lists as a given name is taken for
a name:

- mid-sentence, any listed name ("I told Grace", "with Will"), except words that are
  capitalised for another reason: months and days, faiths, titles, countries and states
  ("from India", "in Georgia");
- at the start of a sentence, where every word has a capital, only a name that is not also an
  ordinary word ("Kyle hit me", but not "Will you help?" or "Grace is a gift").

A town after a place word ("moved to Charlotte") is left to the town recogniser, which gives
it ``[PLACE]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pixel_assets.pairs.pii_names import (
    NOT_A_NAME,
    NOT_A_VOCATIVE_NAME,
    TITLES,
    all_given_names,
    given_names,
    with_surname,
)
from pixel_assets.pairs.pii_patterns import RegexRecognizer, Span
from pixel_assets.pairs.pii_places import CITY_AFTER_CUE, known_places

_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?=(?:['’]s)?(?![\w'’-]))")
# Listed given names that speech capitalises as something else.
_NOT_A_PERSON = frozenset(
    """Christ Christian Jesus Messiah Heaven Lord God Doctor General Major King Prince Princess
    Saint Santa French Marvel Easter Genesis Nan Rock Roll Spring Autumn Winter Precious
    Bible Amen Dell Ford Harley Kindle""".split()
) | NOT_A_NAME | NOT_A_VOCATIVE_NAME | TITLES
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”]\s*)$")


class GivenNameRecognizer(RegexRecognizer):
    """A capitalised given name (faker's English-speaking lists) said without a cue."""

    ENTITY = "PERSON"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # Most words of most texts are lower case: look at the capitalised ones only.
        names = all_given_names()
        return any(
            m.group(0).split("-")[0].lower() in names and m.group(0) not in _NOT_A_PERSON
            for m in _CAPITALISED.finditer(text)
        )

    def spans(self, text: str) -> Iterable[Span]:
        towns, regions = known_places()
        after_place_word = {m.start("place") for m in CITY_AFTER_CUE.finditer(text)}
        for m in _CAPITALISED.finditer(text):
            word = m.group(0)
            first = word.split("-")[0]
            lower = first.lower()
            if lower not in all_given_names() or first in _NOT_A_PERSON or word in regions:
                continue
            if m.start() in after_place_word and word in towns:
                continue  # "moved to Charlotte": the town recogniser's [PLACE]
            if _SENTENCE_END.search(text[: m.start()]) and lower not in given_names():
                continue  # "Will you...", "Grace is...": capitalised as the first word
            yield Span(m.start(), with_surname(text, m.end()), 0.6)
