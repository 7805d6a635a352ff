"""A given name said without any cue: "I told Jessica everything", "And Tom said he'd leave",
"Kyle hit me again", and a name spelled out letter by letter ("it's spelled J A K E").

Without a spaCy model (none ships offline) nothing else finds these, and they are the most
common way a transcript names a third person. ASR writes proper nouns with a capital and
other words in lower case, so a capitalised word that is a listed given name (faker's English
lists and those of :mod:`pixel_assets.pairs.pii_extra`), a surname people say alone
("Nguyen"), or has a surname's shape ("O'Connor", "McDonald") is taken for a name:

- mid-sentence, any of them ("I told Grace", "with Will"), except words that are capitalised
  for another reason: faiths, titles, brands, a saint or a king ("Saint Patrick's Day");
- at the start of a sentence, where every word has a capital, only a name that is not also an
  ordinary word ("Kyle hit me", but not "Will you help?" or "Grace is a gift");
- a name that is also a month, a season or a faith ("April", "Christian") and an ordinary
  word at a sentence start ("Grace said") only beside a word that needs a person: "told",
  "texted", "met", "with" before it, "said", "told me", "and I" after it;
- a name that is also a country or state ("Jordan", "Georgia") unless a place word comes
  before it ("from Jordan", "moved to Georgia").

A lower-case name ("i told jessica") counts beside those person words, and before "'s", when
it is a listed name that is no ordinary word. A town after a place word ("moved to
Charlotte") is left to the town recogniser, which gives it ``[PLACE]``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from pixel_assets.pairs.pii_extra import LOWER_CASE_NOT_NAMES, SURNAMES_SAID_ALONE, fold
from pixel_assets.pairs.pii_names import (
    NOT_A_NAME,
    NOT_A_VOCATIVE_NAME,
    TITLES,
    all_given_names,
    given_names,
    with_surname,
)
from pixel_assets.pairs.pii_patterns import RegexRecognizer, Span, words_of
from pixel_assets.pairs.pii_places import known_places, town_spans

# "Jessica", "Mary-Jane", "O'Connor", "McDonald", "DeShawn", "Jessica" of "Jessica's".
_UPPER, _LOWER_LETTER = "[A-ZÀ-ÖØ-ÞĀ-Ž]", "[a-zß-öø-ÿĀ-ž]"  # accents too: "Róisín", "Zoë"
_CAPITALISED = re.compile(
    rf"(?<![\w'’-])(?:[A-Z][a-z]{{0,2}}['’]?(?=[A-Z]))?{_UPPER}{_LOWER_LETTER}+"
    rf"(?:-{_UPPER}{_LOWER_LETTER}+)?(?=(?:['’]s)?(?![\w'’-]))"
)
_LOWER = re.compile(r"(?<![\w'’-])[a-z]{3,}(?=(?:['’]s)?(?![\w'’-]))")
_SURNAME_SHAPE = re.compile(r"(?:O|D)['’][A-Z]|Mc[A-Z]")
_MC_BRANDS = ("McDonald's", "McDonalds", "McFlurry", "McMuffin", "McChicken", "McNugget",
              "McCafe", "McDelivery")
# Names that are also months, seasons, faiths, brands or places: a name only beside a person
# word.
_AMBIGUOUS = frozenset(
    """April May June August Christian Autumn Winter Spring Precious Harley Ford Valentine
    Genesis America China Cuba Ireland Florida Texas Tennessee Essex Nova Alberta Alabama
    Arizona Indiana Louisiana Missouri Nevada Washington Kent Devon Montana India
    Israel""".split()
)
_NATIONALITIES = frozenset(
    """German Spanish Italian Polish Dutch Greek Turkish Chinese Japanese Korean Russian
    Portuguese Brazilian Mexican Nigerian Jamaican Pakistani Somali""".split()
)
# Listed given names that speech capitalises as something else: faiths, titles, brands, and
# words in a proper name ("Little Mix", "Golden Gate").
_NEVER = (frozenset(
    """Christ Jesus Messiah Heaven Lord God Doctor General Major King Prince Princess Queen
    Saint Santa French Marvel Easter Nan Rock Roll Bible Amen Dell Kindle Little North West
    Golden Council Media Metro Urban Forum Mercedes Porsche Lexus Kia Zara Alexa Siri Barbie
    Zelda Tesla Dyson Safari Virgin Ramadan Nando Foster Job Park""".split()
) | NOT_A_NAME | NOT_A_VOCATIVE_NAME | TITLES) - _AMBIGUOUS
# A monarch or a holy figure comes before the name ("King Charles", "the Virgin Mary"), or a
# day after it ("Saint Patrick's Day", "Valentine's Day").
_HOLY_BEFORE = re.compile(
    r"\b(?:King|Queen|Prince|Princess|Pope|Virgin|Lady|Lord|Emperor|Empress|Tsar|"
    r"Archangel|Mother|Blessed)\s+$"
)
_DAY_AFTER = re.compile(r"^(?:['’]s)?\s+Day\b")
_ARTICLE_BEFORE = re.compile(r"\b(?i:a|an)\s+$")
# "Victoria station", "the Jordan river": a country or state named like a person, in a place.
_PLACE_AFTER = re.compile(
    r"^\s+(?i:station|line|park|street|road|club|falls|square|coach|hospital|infirmary|"
    r"cent(?:re|er)|beach|bridge|gate|terminal|airport|river|lake|state|embankment)\b"
)
# Words that need a person beside them.
_PERSON_VERBS = (
    r"told|tell|tells|telling|texted|texting|messaged|messaging|rang|phoned|asked|asking|"
    r"hugged|kissed|married|marrying|dating|dated|dumped|blocked|unfollowed|met|me\s+and|"
    r"thanked|invited|warned|emailed|facetimed"
)
_PERSON_BEFORE = re.compile(rf"\b(?i:{_PERSON_VERBS})\s+$")
_MONTHS = frozenset({"April", "May", "June", "August"})
_WITH_BEFORE = re.compile(r"\b(?i:with)\s+$")  # "with June" (never "with Christian values")
# Lower-case names are rarer in ASR text: more verbs may come before them.
_LOWER_PERSON_BEFORE = re.compile(
    rf"\b(?i:{_PERSON_VERBS}|with|saw|see|seeing|seen|called|call|calling|ring|text|message|love|"
    r"loved|miss|missed|hate|hated|trust|trusted|like|liked|(?:talk|talked|talking|spoke|"
    r"speak|speaking|listen|listened|lied|lying|wrote|write|sent|send|said|say|lent|gave|"
    r"give|went\s+out|hang\s+out|hanging\s+out|broke\s+up|split\s+up)\s+(?:to|with)|"
    r"dear|dearest|hi|hey|hello|hiya|thanks|bye)\s+$"
)
_PERSON_AFTER = re.compile(
    r"^(?:['’]s\s+my|\s+(?:said|says|told|tells|texted|texts|messaged|rang|phoned|called\s+me|"
    r"asked|hit|hits|punched|shouted|yelled|screamed|replied|cried|laughed|thinks|thought|"
    r"wants|wanted|knows|knew|keeps|kept|left|and\s+i|and\s+me|is\s+my|was\s+my))\b",
    re.I,
)
_AND_BEFORE = re.compile(r"(?:and|or|&)\s+$")
_VOCATIVE_END = re.compile(r"\s*(?:[.!?]|$)")
# Before a country or state named like a person, a place word keeps it a place.
_PLACE_BEFORE = re.compile(
    r"\b(?i:in|from|of|near|around|across|outside|through|into|towards?|via|visit(?:ed|ing|s)?|"
    r"(?:went|go|goes|going|gone|been|moved?|moving|flew|fly|flying|drove|driving|trip|"
    r"holiday|travel(?:l?ed|l?ing)?|emigrated|relocated|back|over|out|up|down|way)\s+to)\s+$"
)


def _at_sentence_start(before: str) -> bool:
    before = before.rstrip()
    return not before or before[-1] in ".!?:;\"“”"


def _person_beside(text: str, start: int, end: int, before_pattern: re.Pattern) -> bool:
    return (before_pattern.search(text[max(0, start - 24):start]) is not None
            or _PERSON_AFTER.match(text[end:end + 24]) is not None)


@functools.cache
def _lower_names() -> frozenset[str]:
    """Given names taken in lower case: no ordinary word, month, faith, nationality or
    country ("i told jessica", never "with german friends" or "to america")."""
    capitalised = _NEVER | _AMBIGUOUS | known_places()[1] | _NATIONALITIES
    return (frozenset(n for n in given_names() if len(n) >= 3) - LOWER_CASE_NOT_NAMES
            - {w.lower() for w in capitalised})


def _capitalised_spans(text: str) -> Iterable[Span]:
    names = all_given_names()
    towns_at: tuple[Span, ...] | None = None
    for m in _CAPITALISED.finditer(text):
        word = m.group(0)
        first = word.split("-")[0] if "-" in word else word
        if first in _NEVER:
            continue
        key = (first.lower() if first.isascii() and first.isalpha()
               else fold(re.sub(r"['’]", "", first)).lower())
        shaped = _SURNAME_SHAPE.match(word) is not None
        if not (key in names or shaped or first in SURNAMES_SAID_ALONE):
            continue
        start, end = m.start(), m.end()
        if shaped and text.startswith(_MC_BRANDS, start):
            continue  # "went to McDonald's"
        before = text[max(0, start - 24):start]
        if (_HOLY_BEFORE.search(before) or _DAY_AFTER.match(text[end:end + 8])
                or _ARTICLE_BEFORE.search(before)):
            continue  # "King Charles", "Valentine's Day", "a Christian", "such a Karen"
        if towns_at is None:
            towns_at = town_spans(text)
        if any(s.start <= start < s.end for s in towns_at):
            continue  # "moved to Charlotte": the town recogniser's [PLACE]
        regions = known_places()[1]
        if word in regions and word not in _AMBIGUOUS:
            if (_PLACE_BEFORE.search(before) and not text.startswith(("'s", "’s"), end)
                    or _PLACE_AFTER.match(text[end:end + 16])):
                continue  # "from Jordan", "moved to Georgia"; "I told Jordan" is a person
        elif (word in _AMBIGUOUS or word in regions
              or (_at_sentence_start(text[:start]) and key not in given_names()
                  and not shaped and first not in SURNAMES_SAID_ALONE)):
            # "I texted April", "Grace said"; not "in April", "Will you help?"
            if not (_person_beside(text, start, end, _PERSON_BEFORE)
                    or (word in _MONTHS and _WITH_BEFORE.search(before))):
                continue
        yield Span(start, with_surname(text, end), 0.6)


def _lower_case_spans(text: str) -> Iterable[Span]:
    names = _lower_names()
    if not names & words_of(text):
        return
    found_ends: set[int] = set()
    for m in _LOWER.finditer(text):
        word = m.group(0)
        if word not in names:
            continue
        start, end = m.start(), m.end()
        before = text[max(0, start - 24):start]
        chained = _AND_BEFORE.search(before) is not None and any(
            text[e:start].strip() in ("and", "or", "&") for e in found_ends)
        # "that makes sense, priya." : a name said to someone, between a comma and a stop.
        vocative = before.rstrip().endswith(",") and _VOCATIVE_END.match(text, end) is not None
        if not (chained or vocative or text.startswith(("'s", "’s"), end)
                or _person_beside(text, start, end, _LOWER_PERSON_BEFORE)):
            continue
        end = with_surname(text, end)
        found_ends.add(end)
        yield Span(start, end, 0.6)


@functools.lru_cache(maxsize=4096)
def _given_name_spans(text: str) -> tuple[Span, ...]:
    return (*_capitalised_spans(text), *_lower_case_spans(text))


class GivenNameRecognizer(RegexRecognizer):
    """A given name (faker's lists and more), a surname said alone, or a surname-shaped word,
    said without a cue."""

    ENTITY = "PERSON"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # Cached, so the analyzer's call to spans() costs nothing more.
        return bool(_given_name_spans(text))

    def spans(self, text: str) -> Iterable[Span]:
        return _given_name_spans(text)


# --------------------------------------------------------------------------- spelled names
# "it's spelled J A K E", "K-Y-L-E": letters read out one by one, after "spell" (two or more)
# or anywhere in capitals (four or more, so "A and E" and "C B T" stay).
_SPELL_CUE = re.compile(r"\b(?i:spel(?:led|t|ls|ling)|spell)\b")
_SPELLED_AFTER_CUE = re.compile(
    r"(?<![\w'’])[A-Za-z](?:(?:\s*[,.\-]\s*|\s+)[A-Za-z]){1,24}(?![\w'’])"
)
_SPELLED_CAPITALS = re.compile(r"(?<![\w'’])[A-Z](?:(?:\s*[,.\-]\s*|\s+)[A-Z]){3,24}(?![\w'’])")
# Initialisms people spell out that are no name.
_INITIALISMS = frozenset(
    """ADHD PTSD CPTSD LGBT LGBTQ LGBTQI LGBTQIA EMDR GCSE GCSES ASBO CAMHS SENCO NSPCC RSPCA
    HMRC DVLA BTEC SATS AIDS NEET OCD CBT DBT NHS""".split()
)


class SpelledNameRecognizer(RegexRecognizer):
    """A name spelled out letter by letter."""

    ENTITY = "PERSON"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        return bool(self._spans(text))

    def spans(self, text: str) -> Iterable[Span]:
        return self._spans(text)

    @staticmethod
    @functools.lru_cache(maxsize=1024)
    def _spans(text: str) -> tuple[Span, ...]:
        found: list[re.Match] = []
        if "spel" not in text.lower() and _SPELLED_CAPITALS.search(text) is None:
            return ()
        for cue in _SPELL_CUE.finditer(text):
            m = _SPELLED_AFTER_CUE.search(text, cue.end())
            if m is not None and m.start() - cue.end() <= 40 and (
                    sum(c.isupper() for c in m.group(0)) >= 2
                    or sum(c.isalpha() for c in m.group(0)) >= 3):
                found.append(m)  # "J A K E", "k y l e"; not "with a y"
        found += _SPELLED_CAPITALS.finditer(text)
        spans = []
        for m in found:
            letters = re.sub(r"[^A-Za-z]", "", m.group(0)).upper()
            alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            if letters in _INITIALISMS or letters in alphabet:
                continue  # "A D H D", "A B C D"
            spans.append(Span(m.start(), m.end(), 0.7))
        return tuple(spans)
