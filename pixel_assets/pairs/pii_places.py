"""Presidio recognisers for places that point at a person without a house number: a named
street ("we live on Maple Avenue") and a named school, college or hospital ("my son goes to
St Mary's primary", "I was at Northfield General"). Street addresses with a number, postcodes
and PO boxes are in :mod:`pixel_assets.pairs.pii_patterns`.

Both need the name written with capitals, as ASR writes proper nouns; "the high street" or
"my old school" are not names and stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pixel_assets.pairs.pii_patterns import RegexRecognizer, Span

_NAME_WORD = r"(?:[A-Z][a-z'’-]+|St\.?|Saint)"
# Capitalised words that start sentences or describe rather than name ("Then college was
# hard", "High School", "Catholic school", "The Royal Hospital" keeps "Royal Hospital").
_NOT_A_PLACE_NAME = frozenset(
    """A An The This That These Those My Your His Her Our Their Its I I'm We You He She They It
    And But So Or Then Now After Before When While Since Because If At In On Of To From For By
    With About Into Over Under Near Off Along Down Up Back Just Even Still Also Only Well Yeah
    Yes No Not Oh Okay OK Like Maybe Every Each Some Any All Both Most Last Next First Second
    Third Old New Big Little Local Nearby Same Other Another Whole Real Proper Good Bad Best
    Worst Main High Middle Primary Secondary Junior Senior Elementary Grammar Infant Infants
    Public Private State Catholic Christian Sunday Boarding Medical Med Law Art Arts Business
    Nursing Community General Mental Psychiatric Children's Childrens Night Summer Film Drama
    Music Dance Driving Graduate Grad Sixth Secondary Special Independent Free Village Town
    City County District Regional National International English British American Scottish
    Welsh Irish Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
    March April May June July August September October November December Christmas Easter
    Street Avenue Road Lane Drive Boulevard Crescent Close Terrace Grove Gardens Mews Place
    Square Way Court Hospital School College University Academy Clinic""".split()
)
_STREET_TYPE = (
    r"(?:Street|Avenue|Road|Lane|Drive|Boulevard|Crescent|Close|Terrace|Grove|Gardens|Mews|"
    r"Square|Court|Parkway)"
)
# "on Maple Avenue", "off Kings Road": one or two name words, then the street type. A
# preposition before it keeps "Drive safely" and titles out.
_STREET_NAME = re.compile(
    rf"\b(?i:on|in|off|along|at|near|down|up|from|to|onto|by)\s+"
    rf"(?P<place>(?P<words>{_NAME_WORD}(?:\s+{_NAME_WORD})?)\s+{_STREET_TYPE})\b"
)
_INSTITUTION_TYPE = (
    r"(?i:primary(?:\s+school)?|secondary(?:\s+school)?|high(?:\s+school)?|"
    r"middle(?:\s+school)?|elementary(?:\s+school)?|junior(?:\s+school)?|infants?(?:\s+school)?|"
    r"grammar(?:\s+school)?|academy|school|college|university|sixth\s+form|hospital|"
    r"infirmary|clinic|general(?:\s+hospital)?)"
)
# "St Mary's primary", "Oakwood Academy", "Lincoln High", "Northfield General Hospital".
_INSTITUTION = re.compile(
    rf"(?P<place>(?P<words>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}(?:'s|’s|s')?)"
    rf"\s+{_INSTITUTION_TYPE})\b"
)


def _named(words: str) -> bool:
    """True when at least one word of a place's name is a name, not a describing word."""
    return any(
        w.rstrip(".") not in {"St", "Saint"} and re.sub(r"(?:'s|’s|')$", "", w)
        not in _NOT_A_PLACE_NAME
        for w in words.split()
    )


class PlaceRecognizer(RegexRecognizer):
    """Named streets without a house number and named schools, colleges and hospitals."""

    ENTITY = "LOCATION"
    ANCHOR_WORDS = frozenset(
        """street avenue road lane drive boulevard crescent close terrace grove gardens mews
        square court parkway primary secondary high middle elementary junior infant infants
        grammar academy school college university sixth hospital infirmary clinic
        general""".split()
    )

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # "way", "close", "high" are common words: a capitalised name must come before them.
        return super().might_match(text, words) and (
            _STREET_NAME.search(text) is not None or _INSTITUTION.search(text) is not None
        )

    def spans(self, text: str) -> Iterable[Span]:
        for pattern in (_STREET_NAME, _INSTITUTION):
            for m in pattern.finditer(text):
                words = m.group("words")
                # "St" and "Saint" only count with a name after them ("St Mary's").
                if _named(words) and not _sentence_start_only(text, m.start("words"), words):
                    yield Span(m.start("place"), m.end("place"), 0.75)


def _sentence_start_only(text: str, start: int, words: str) -> bool:
    """A lone capitalised word at the start of a sentence may be capitalised for that alone
    ("Bored at school"): only a second name word or an "'s" makes it a name there."""
    before = text[:start].rstrip()
    at_start = before == "" or before[-1] in ".!?"
    single = len(words.split()) == 1 and not re.search(r"(?:'s|’s|s')$", words)
    return at_start and single
