"""Presidio recognisers for person names in ASR text: after an honorific ("Dr. Patel"), in an
introduction ("my name is Sarah", "I'm Sarah."), after a relation ("my daughter Emily"), and the
names known from a video's metadata. See :mod:`pixel_assets.pairs.pii_patterns` for the base
class and the other entities.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable

from pixel_assets.pairs.pii_extra import COMMON_WORD_SURNAMES, extra_given_names
from pixel_assets.pairs.pii_patterns import RegexRecognizer, Span, words_of

_HONORIFIC = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Nurse|Officer|Detective|Sergeant|Sgt|"
    r"Constable|Pastor|Rabbi|Imam|Reverend|Rev|Father|Sister|Coach)\.?\s+"
    r"(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
# "my teacher mrs johnson": ASR lower-cases both; after "mr", "mrs", "ms" or "dr" the next word
# is a surname (rarely a given name, so not checked against the list), unless it is one of
# these.
_HONORIFIC_LOWER = re.compile(r"\b(?i:mr|mrs|ms|dr)\.?\s+(?P<name>[a-z][a-z'’-]{1,})")
_NUMBER_BEFORE = re.compile(r"[\d.]\s?$")  # "30 ms frames": a unit, not an honorific
_NOT_A_SURNAME = frozenset(
    """and or but so the a an who what which that this said says told tells asked was is
    were has had have would will could should did does do never always just really also at
    in on from of to for with by about i you he she they we it his her their my your our
    again too then there here called rang came went""".split()
)
# Accented letters too ("Zoë", "Seán"), and a capital inside ("O'Connor", "McDonald").
_CAP_WORD = r"(?:[A-Z][a-z]{0,2}['’]?(?=[A-Z]))?[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž'’-]+"
_CAPITALISED_NAME = rf"(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD})?)"
# The first word in any case (ASR does not always capitalise a name: "my husband dave"); a
# lower-case one counts only when it is a known given name (see spans()).
_NAME_ANY_CASE = rf"(?P<name>(?:{_CAP_WORD}|[a-z][a-z'’-]+)(?:\s+{_CAP_WORD})?)"
_RELATIONS = (
    r"(?:little |older |younger |big |baby |best |late |ex-?|step-?)?"
    r"(?:daughter|son|husband|wife|partner|boyfriend|girlfriend|fianc[ée]e?|mum|mom|mother|"
    r"dad|father|brother|sister|friend|boss|ex|grandma|grandmother|grandad|granddad|grandpa|"
    r"grandfather|nan|nana|aunt|auntie|uncle|cousin|niece|nephew|colleague|coworker|"
    r"neighbou?r|therapist|counsell?or|teacher|doctor|kid|child|baby|stepdad|stepmom|stepmum|"
    r"stepson|stepdaughter|flatmate|roommate|housemate|carer|social worker)"
)
# "my daughter Emily", "my husband, John,": people named through their relation to the
# speaker, the way clients talk about family in counselling.
_RELATION = re.compile(r"\b(?i:my\s+" + _RELATIONS + r"),?\s+" + _NAME_ANY_CASE)
# "my mum's called linda", "my son is named Leo", "my son's name is oliver", "her name was
# Kate".
_RELATION_CALLED = re.compile(
    r"\b(?i:(?:my\s+" + _RELATIONS + r"(?:(?:'s|’s|\s+is|\s+was)\s+(?:called|named)|"
    r"(?:'s|’s)\s+name(?:\s+is|\s+was|'s|’s)))|(?:his|her|their)\s+name(?:\s+is|\s+was|'s|’s))"
    r"\s+" + _NAME_ANY_CASE
)
# "my name's jake", "call me Jo": the words that introduce a name, in any case.
_SELF_INTRO_ANY_CASE = re.compile(
    r"\b(?i:my name is|my name's|my name’s|my names|name's|i'm called|i am called|call me|"
    r"they call me|people call me|everyone calls me)\s+" + _NAME_ANY_CASE
)
# "I'm Sarah.", "Hi, this is Tom and...": a short self-introduction ending at punctuation.
_SHORT_INTRO = re.compile(
    r"(?:^|[.!?]\s+)(?:(?i:hi|hello|hey)[,!.]?\s+)?(?:[Ii]'m|[Ii]’m|I am|[Tt]his is)\s+"
    + _CAPITALISED_NAME
    + r"(?=\s*[.,!?;]|\s*$|\s+(?:and|here|by the way|speaking)\b)"
)
# "a guy called Ryan", "this girl named bethany", "someone named Tyler", "she's called Priya",
# "a friend of mine, Aisha,", "he goes by Danny": someone the speaker names in passing.
_PERSON_CALLED = re.compile(
    r"\b(?i:(?:(?:a|an|this|that|some|one|the)\s+(?:guy|girl|lad|lass|man|woman|boy|bloke|"
    r"fella|fellow|dude|kid|lady|chap|person|friend|mate|teacher|nurse|counsell?or|therapist|"
    r"worker|doctor|student|colleague)|someone|somebody)\s+(?:called|named|by the name of)|"
    r"(?:he|she)(?:'s|’s|\s+is|\s+was)\s+named|(?:a\s+|this\s+)?(?:friend|mate|colleague)\s+of"
    r"\s+(?:mine|ours),?|(?:goes|went|go)\s+by(?:\s+the\s+name)?)\s+" + _NAME_ANY_CASE
)
# "say hi to Marcus", "me and Jordan", "she's called Priya" (or "she's called the police"):
# weaker cues, so the word must be a known given name.
_GIVEN_NAME_AFTER = re.compile(
    r"\b(?i:say\s+(?:hi|hello|hey)\s+to|me\s+and|(?:he|she)(?:'s|’s|\s+is|\s+was)\s+called)"
    r"\s+" + _NAME_ANY_CASE
)
# "Hi Sophie, welcome back.", "Thanks, Mark.", "Good to see you, Anna": a name said to someone,
# right after a greeting or thanks, before a pause.
_GREETING_NAME = re.compile(
    r"(?:^|[.!?]\s+)(?i:hi|hello|hey|hiya|thanks|thank you|welcome back|welcome|good morning|"
    r"good afternoon|good evening|morning|nice to meet you|good to see you|lovely to see you|"
    r"bye|goodbye|see you|take care),?\s+" + _CAPITALISED_NAME + r"(?=\s*[.,!?;]|\s*$)"
)
# "Dear Sophie,", "dear jessica, I'm sorry": a letter read out (a lower-case word only when
# it is a known given name).
_DEAR_NAME = re.compile(
    r"(?:^|[.!?:\"“]\s*)(?i:dear|dearest|my dear)\s+" + _NAME_ANY_CASE + r"(?=\s*[.,!?;:]|\s*$)"
)
# "That makes sense, Sophie.": a name said at the end of a sentence; only a known given name,
# as many capitalised words follow a comma ("in Leeds, England.").
_TRAILING_NAME = re.compile(r",\s+(?P<name>[A-Z][a-z'’-]+)(?=\s*[.!?]|\s*$)")
# Words said to someone after a greeting that are not names ("Hi there", "Thanks, Doc").
NOT_A_VOCATIVE_NAME = frozenset(
    """There Again Everyone Everybody All Guys Folks Team Friends Doc Doctor Love Mate Man
    Buddy Bro Babe Honey Sweetie Sweetheart Darling Dear Hun Pal Boss Officer Nurse Miss Ma'am
    Mister Grandma Grandpa Nan Nana Gran Auntie Uncle Son Kid Kids Y'all Much So You Soon Later
    Then Now Anyway Bye Diary Madam Sirs Customer Parents Colleagues Future Reader Readers
    Self""".split()
)
NOT_A_NAME = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December I God Mom Mum Dad Sir Madam
    Lord Jesus Christmas Easter Anytime Tomorrow Today Tonight English British American Irish
    Scottish Welsh Canadian Australian Indian African Asian European Catholic Christian Muslim
    Jewish Hindu Sikh Buddhist Black White Gay Bi Trans Autistic ADHD Okay OK Fine Sorry Here
    Back Home Done Not So Just Really Very The A An It That This Facebook Instagram
    Google Is Was Has Had And Who""".split()
)


class TitledNameRecognizer(RegexRecognizer):
    """Names after an honorific ("Dr. Patel"), in a self-introduction ("my name is Sarah",
    "I'm Sarah.") or after a relation ("my daughter Emily")."""

    ENTITY = "PERSON"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # "my" and "I'm" are in most utterances, so anchors say little: find the spans
        # themselves (cached, so analysing the text later costs nothing more).
        return bool(_cue_spans(text))

    def spans(self, text: str) -> Iterable[Span]:
        return _cue_spans(text)


# Each cue pattern with words (lower case) one of which every match holds; None: no such set.
_CUE_PATTERNS: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...] = (
    (_HONORIFIC, None),
    (_SELF_INTRO_ANY_CASE, frozenset({"name", "names", "called", "call", "calls"})),
    (_RELATION, frozenset({"my"})),
    (_RELATION_CALLED, frozenset({"my", "name", "names"})),
    (_SHORT_INTRO, frozenset({"i", "this"})),
    (_PERSON_CALLED, frozenset({"called", "named", "name", "mine", "ours", "by"})),
    (_GIVEN_NAME_AFTER, frozenset({"say", "me", "called"})),
    (_GREETING_NAME, frozenset({"hi", "hello", "hey", "hiya", "thanks", "thank", "welcome",
                                "morning", "afternoon", "evening", "meet", "see", "bye",
                                "goodbye", "care"})),
    (_TRAILING_NAME, None),
    (_DEAR_NAME, frozenset({"dear", "dearest"})),
)


@functools.lru_cache(maxsize=4096)
def _cue_spans(text: str) -> tuple[Span, ...]:
    """Names after a cue in ``text`` (cached: the scrubber asks twice, once to learn the names
    a text introduces and once to redact them)."""
    spans = [Span(m.start("name"), m.end("name"), 0.85) for m in _HONORIFIC_LOWER.finditer(text)
             if m.group("name") not in _NOT_A_SURNAME
             and not _NUMBER_BEFORE.search(text, max(0, m.start() - 2), m.start())]
    words_here = words_of(text)
    for pattern, needs in _CUE_PATTERNS:
        if needs is not None and not needs & words_here:
            continue  # a word every match of the pattern holds is missing: skip the scan
        for m in pattern.finditer(text):
            words = m.group("name").split()
            if words[0] in NOT_A_NAME or words[0] in TITLES:
                continue  # "my therapist Dr. Patel": the honorific pattern has the name
            if words[0].islower() and words[0] not in given_names():
                continue  # "my husband just left", "call me back"
            if pattern is _GIVEN_NAME_AFTER and words[0].lower() not in given_names():
                continue  # "say hi to Grandma", "me and Mum"
            if pattern in (_GREETING_NAME, _DEAR_NAME) and words[0] in NOT_A_VOCATIVE_NAME:
                continue  # "Hi there.", "Thanks, Doc."
            if pattern is _TRAILING_NAME and (
                words[0].lower() not in given_names() or words[0] in NOT_A_VOCATIVE_NAME
            ):
                continue  # "in Leeds, England.", "it was hard, Honestly."
            # The surname as the name recognisers take it ("Sarah O'Connor", "dave smith").
            end = with_surname(text, m.start("name") + len(words[0]))
            spans.append(Span(m.start("name"), end, 0.85))
    return tuple(spans)


def names_in(texts: Iterable[str]) -> list[str]:
    """The names :class:`TitledNameRecognizer` finds in ``texts``, in order, without repeats:
    a name said once with a cue ("I'm Sarah.", "my husband dave") is then redacted wherever
    the video says it again ("Sarah, that sounds hard")."""
    found: dict[str, None] = {}
    for text in texts:
        for span in _cue_spans(text) if text else ():
            found.setdefault(text[span.start:span.end], None)
    return list(found)


# Common words that faker also lists as given names; never taken for a name in lower case
# (checked against the lower-case words of Debian's wamerican list: "my dad said ...").
_WORDS_NOT_GIVEN_NAMES = frozenset(
    """else ever hence less may will baby babe boss case cash add bird chip con dot fate doc art
    bell buck bud bush cap chin clay dock doll dove duke ebb echo era fed ford ace alto arch
    bee bo buck bunk cuba dink dow fae fern gay glad hazel iris jewel jolly lark lord major
    mercy merry minor miss moss noble ocean oh pink poppy rocky royal rusty sandy scout shy
    smith son sonny star sterling sugar sunday tiny trinity true unique way wen yes
    ah admiral angel author banks berry blessing bliss branch brook brain burns butler captain
    carry charity china cliff coral council creed deacon diamond doctor early earnest elder
    fancy fisher fleet forest forum foster french friend fuller general golden gray grove
    gunner ham handy harm harsh haven heaven hill hung hunt infant innocent job judge junior
    lady lance lane lawyer little long loot loyal lucky mad male man manly marry media meta
    metro miller mills miner miracle moody nail north oral orange park patience peace pepper
    press price prince princess queen reason red rice ridge rock roll rush sad said saint
    shade sing sister skip spring tea toy trace treasure urban unknown unnamed wash west wing
    winter worth august buddy""".split()
)


@functools.cache
def all_given_names() -> frozenset[str]:
    """Lower-case given names (about 13,000) from faker's English-speaking locales (US, GB, IE,
    IN, KE, NG, NZ, PK, ...), ordinary words among them ("will", "hope", "may"), and those of
    :func:`pixel_assets.pairs.pii_extra.extra_given_names`."""
    names: set[str] = set(extra_given_names())
    for provider in _english_providers():
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names.update(n.lower() for n in getattr(provider, attribute, ()) if n.isalpha())
    return frozenset(names)


def _english_providers() -> list:
    import pkgutil

    import faker.providers.person as person  # faker ships the lists; nothing is downloaded

    return [importlib.import_module(f"{person.__name__}.{module.name}").Provider
            for module in pkgutil.iter_modules(person.__path__)
            if module.name == "en" or module.name.startswith("en_")]


@functools.cache
def last_names() -> frozenset[str]:
    """Lower-case surnames from faker's English-speaking locales, less ordinary words ("brown",
    "hill"): a lower-case word after a lower-case name is a surname only when listed here."""
    names = {n.lower() for p in _english_providers() for n in getattr(p, "last_names", ())
             if n.isalpha()}
    return frozenset(names - COMMON_WORD_SURNAMES)


@functools.cache
def given_names() -> frozenset[str]:
    """:func:`all_given_names` less those that are also ordinary words ("will", "hope"); used
    to accept a lower-case word after a name cue ("my name's jake")."""
    return all_given_names() - COMMON_WORD_NAMES - _WORDS_NOT_GIVEN_NAMES


# Names that are also ordinary words: matched only when written with a capital letter, and
# not at the start of a sentence.
COMMON_WORD_NAMES = frozenset(
    """hope grace joy faith will may june april summer autumn dawn rose lily ivy holly ruby
    pearl amber crystal sky river storm rain sunny faith chance destiny honor honour justice
    mark bill bob rob pat sue frank art guy jack max ray rich dick earl drew gene grant chase
    miles hunter mason cooper baker carter page love hall brown green white black young king
    wood stone may""".split()
)


class NameListRecognizer(RegexRecognizer):
    """Known person names (from video and list metadata) as whole words.

    Full names are matched case-insensitively; single parts too, unless the part is also an
    ordinary word ("Hope", "Will"), which must then be capitalised mid-sentence. ``found``
    names (those :func:`names_in` took from the transcript itself, a less certain source) are
    matched the same way when they are known given names, and otherwise only as written
    ("Patel", "Hell" from "This is Hell.": never "hell"). A match runs on over a following
    capitalised word ("Sarah" known, "Sarah Collins" said).
    """

    ENTITY = "PERSON"

    def __init__(
        self, names: Iterable[str], name: str | None = None, found: Iterable[str] = ()
    ) -> None:
        parts: set[str] = set()
        fulls: set[str] = set()
        exact: set[str] = set()
        for word in {w for f in found for w in re.findall(r"[A-Za-zÀ-ÿ'’-]+", f)}:
            if len(word) < 3 or word in TITLES:
                continue
            if word.lower() in given_names() or word.lower() in COMMON_WORD_NAMES:
                parts.add(word)
            elif word[0].isupper():
                exact.add(word)
        for full in names:
            words = re.findall(r"[A-Za-zÀ-ÿ'’-]+", full)
            words = [w for w in words if len(w) >= 2 and w.rstrip(".") not in TITLES]
            if not words:
                continue
            if len(words) > 1:
                fulls.add(" ".join(words))
            parts.update(w for w in words if len(w) >= 3)
        self.fulls = sorted(fulls, key=lambda s: (-len(s), s))
        self.loose = sorted(p for p in parts if p.lower() not in COMMON_WORD_NAMES)
        self.strict = sorted(p for p in parts if p.lower() in COMMON_WORD_NAMES)
        self.exact = sorted(exact - parts)
        self._anchor_words = frozenset(
            w for p in [*parts, *self.exact] for w in re.findall(r"[a-z]+", p.lower())
        )
        alternatives = [re.escape(f).replace(r"\ ", r"\s+") for f in self.fulls]
        alternatives += [re.escape(p) for p in self.loose]
        self._loose = (
            re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)
            if alternatives else None
        )
        self._strict = (
            re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p.capitalize())
                                                   for p in self.strict) + r")(?![\w-])")
            if self.strict else None
        )
        self._exact = (
            re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, self.exact)) + r")(?![\w-])")
            if self.exact else None
        )
        super().__init__(name=name)

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        return bool(self._anchor_words & words)

    def spans(self, text: str) -> Iterable[Span]:
        for pattern in (self._loose, self._exact):
            if pattern is not None:
                for m in pattern.finditer(text):
                    yield Span(m.start(), with_surname(text, m.end()), 0.9)
        if self._strict is not None:
            for m in self._strict.finditer(text):
                before = text[:m.start()].rstrip()
                if before == "" or before[-1] in ".!?":
                    continue  # a capital there says nothing
                yield Span(m.start(), m.end(), 0.7)


# "Collins", "O'Brien", "McDonald", "Smith-Jones", "van der Berg", "de la Cruz".
_SURNAME = re.compile(
    r"\s+(?P<surname>(?:(?:van|von|de|del|della|der|den|da|di|du|la|le|al|el|bin|ibn)\s+){0,2}"
    r"(?P<last>(?:[A-Z][a-z]{0,2}['’]?(?=[A-Z]))?[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž'’]+"
    r"(?:-[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž'’]+)?))(?![\w-])"
)
_LOWER_SURNAME = re.compile(r"\s+(?P<last>[a-z][a-z'’]+)(?![\w-])")


def with_surname(text: str, end: int) -> int:
    """``end`` moved past a surname that follows a matched name: a capitalised word ("Sarah
    Collins", "Kyle O'Brien") or, after a lower-case name, a listed surname ("jessica
    thompson")."""
    m = _SURNAME.match(text, end)
    if m is not None:
        last = m.group("last")
        if last in NOT_A_NAME or last in TITLES:
            return end
        return m.end()
    if end and text[end - 1].islower():
        m = _LOWER_SURNAME.match(text, end)
        if m is not None and m.group("last") in last_names():
            return m.end()
    return end


TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Doctor", "Prof", "Professor", "Sir",
                     "Dame", "Rev", "PhD", "LCSW", "LMFT", "LPC", "MD", "MA", "MSc", "BSc"})
