"""Presidio recognisers for person names in ASR text: after an honorific ("Dr. Patel"), in an
introduction ("my name is Sarah", "I'm Sarah."), after a relation ("my daughter Emily"), and the
names known from a video's metadata. See :mod:`pixel_assets.pairs.pii_patterns` for the base
class and the other entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pixel_assets.pairs.pii_patterns import RegexRecognizer, Span

_HONORIFIC = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|Professor)\.?\s+"
    r"(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
_SELF_INTRO = re.compile(
    r"\b(?:[Mm]y name is|[Mm]y name's|[Nn]ame's|I'm called|I am called|[Cc]all me)\s+"
    r"(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
_CAPITALISED_NAME = r"(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
# "my daughter Emily", "my husband, John,": people named through their relation to the
# speaker, the way clients talk about family in counselling.
_RELATION = re.compile(
    r"\b[Mm]y\s+(?:little |older |younger |big |baby |best |late |ex-?|step-?)?"
    r"(?:daughter|son|husband|wife|partner|boyfriend|girlfriend|fianc[ée]e?|mum|mom|mother|"
    r"dad|father|brother|sister|friend|boss|ex|grandma|grandmother|grandad|granddad|grandpa|"
    r"grandfather|nan|nana|aunt|auntie|uncle|cousin|niece|nephew|colleague|coworker|"
    r"neighbou?r|therapist|counsell?or|teacher|doctor|kid|child|baby|stepdad|stepmom|stepmum|"
    r"stepson|stepdaughter|flatmate|roommate|housemate|carer|social worker),?\s+"
    + _CAPITALISED_NAME
)
# "I'm Sarah.", "Hi, this is Tom and...": a short self-introduction ending at punctuation.
_SHORT_INTRO = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:Hi|Hello|Hey)[,!.]?\s+)?(?:[Ii]'m|[Ii]’m|I am|[Tt]his is)\s+"
    + _CAPITALISED_NAME
    + r"(?=\s*[.,!?;]|\s*$|\s+(?:and|here|by the way|speaking)\b)"
)
_NOT_A_NAME = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December I God Mom Mum Dad Sir Madam
    Lord Jesus Christmas Easter Anytime Tomorrow Today Tonight English British American Irish
    Scottish Welsh Canadian Australian Indian African Asian European Catholic Christian Muslim
    Jewish Hindu Sikh Buddhist Black White Gay Bi Trans Autistic ADHD Okay OK Fine Sorry Here
    Back Home Done Not So Just Really Very The A An It That This Facebook Instagram
    Google""".split()
)


class TitledNameRecognizer(RegexRecognizer):
    """Names after an honorific ("Dr. Patel"), in a self-introduction ("my name is Sarah",
    "I'm Sarah.") or after a relation ("my daughter Emily")."""

    ENTITY = "PERSON"
    ANCHOR_WORDS = frozenset(
        {"mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "name", "called",
         "call"}
    )

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # "my" and "I'm" are in most utterances: test the two patterns themselves instead.
        return (
            super().might_match(text, words)
            or _RELATION.search(text) is not None
            or _SHORT_INTRO.search(text) is not None
        )

    def spans(self, text: str) -> Iterable[Span]:
        for pattern in (_HONORIFIC, _SELF_INTRO, _RELATION, _SHORT_INTRO):
            for m in pattern.finditer(text):
                words = m.group("name").split()
                if words[0] in _NOT_A_NAME or words[0] in _TITLES:
                    continue  # "my therapist Dr. Patel": the honorific pattern has the name
                if len(words) == 2 and words[1] in _NOT_A_NAME:
                    words = words[:1]
                end = m.start("name") + len(" ".join(words))
                yield Span(m.start("name"), end, 0.85)


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
    ordinary word ("Hope", "Will"), which must then be capitalised mid-sentence.
    """

    ENTITY = "PERSON"

    def __init__(self, names: Iterable[str], name: str | None = None) -> None:
        parts: set[str] = set()
        fulls: set[str] = set()
        for full in names:
            words = re.findall(r"[A-Za-zÀ-ÿ'’-]+", full)
            words = [w for w in words if len(w) >= 2 and w.rstrip(".") not in _TITLES]
            if not words:
                continue
            if len(words) > 1:
                fulls.add(" ".join(words))
            parts.update(w for w in words if len(w) >= 3)
        self.fulls = sorted(fulls, key=lambda s: (-len(s), s))
        self.loose = sorted(p for p in parts if p.lower() not in COMMON_WORD_NAMES)
        self.strict = sorted(p for p in parts if p.lower() in COMMON_WORD_NAMES)
        self._anchor_words = frozenset(
            w for p in parts for w in re.findall(r"[a-z]+", p.lower())
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
        super().__init__(name=name)

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        return bool(self._anchor_words & words)

    def spans(self, text: str) -> Iterable[Span]:
        if self._loose is not None:
            for m in self._loose.finditer(text):
                yield Span(m.start(), m.end(), 0.9)
        if self._strict is not None:
            for m in self._strict.finditer(text):
                before = text[:m.start()].rstrip()
                if before == "" or before[-1] in ".!?":
                    continue  # a capital there says nothing
                yield Span(m.start(), m.end(), 0.7)


_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Doctor", "Prof", "Professor", "Sir",
                     "Dame", "Rev", "PhD", "LCSW", "LMFT", "LPC", "MD", "MA", "MSc", "BSc"})
