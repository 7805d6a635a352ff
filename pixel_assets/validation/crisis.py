"""Crisis detection on ASR text: suicidal ideation, self-harm, harm to others, abuse disclosure.

A missed disclosure is the worst failure of this project, so the detector favours recall and
is built for transcripts, not typed text:

1. **Run-together words and missing punctuation**: patterns are matched on the *compact*
   text, letters only, no spaces ("I think I'm outending my life" → ``…imoutendingmylife``
   contains ``endingmylife``; "iwanttokillmyself" matches like "I want to kill myself").
2. **Misspellings and mis-hearings**: patterns allow common variants ("kil", "suiside",
   "sueside", "better of dead"), and when nothing matched exactly, key phrases are searched
   approximately (``rapidfuzz`` partial ratio ≥ 88, e.g. "kill my shelf").
3. **Short words that hide inside others** ("rape" in "grapes") are matched on the spaced text
   with word boundaries.
4. **Idioms are not disclosures**: "this workload is killing me", "I could die of
   embarrassment", "the battery died", "he hit me up", "beat me at chess", "hurt myself playing
   football", "cut myself a slice" are excluded by the patterns' shapes (a reflexive or an
   object that is a person, and an exclusion list for accident and idiom contexts).

5. **Warning signs count, not only the words "suicide" or "kill"**: preparation and means
   ("stockpiling my pills", "took a whole bottle of paracetamol", "given away my things", "a
   plan and the means", "researching ways to die"), hopelessness and burdensomeness ("what's
   the point of living", "I can't go on like this", "they'd be happier without me", "I'm a
   burden"), self-harm named without an object ("cutting again", "the urge to cut") and abuse
   told plainly ("he touches me at night", "he forced himself on me", "he won't let me leave
   the house"). A reviewer's minute on a false alarm costs far less than a missed disclosure.

Every match names its category, the pattern and the text it matched, so the review queue can
show a reviewer *why* an exchange is waiting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pixel_assets.regex_alternation import alternation_by_first_char
from pixel_assets.validation.crisis_rules import (
    ACCIDENT_WORDS,
    COMPACT_RULES,
    FUZZY_PHRASES,
    RAW_RULES,
    SPACED_RULES,
)

CATEGORIES = ("suicidal_ideation", "self_harm", "harm_to_others", "abuse_disclosure")

_COMPACT_RX = tuple((c, n, re.compile(p)) for c, n, p in COMPACT_RULES)
# One alternation to tell quickly whether any rule matches (most texts match none); the
# rules are then run one by one for the full list of matches. Grouped by first character: the
# compact text has no word boundaries, so a plain alternation tries every rule at every
# letter (this gate was half of the scorer's time).
_ANY_COMPACT = re.compile(alternation_by_first_char([p for _, _, p in COMPACT_RULES]))
_SPACED_RX = tuple((c, n, re.compile(p)) for c, n, p in SPACED_RULES)
_ANY_SPACED = re.compile(alternation_by_first_char([p for _, _, p in SPACED_RULES]))
# Case-insensitive on the original text, so a match is a span of it ("He SA'd me").
_RAW_RX = tuple((c, n, re.compile(p, re.IGNORECASE)) for c, n, p in RAW_RULES)
_ACCIDENT_RX = re.compile(rf"(?:{ACCIDENT_WORDS})")
_APOSTROPHES = str.maketrans({"\u2019": "", "\u2018": "", "'": "", "`": ""})
_NOT_LETTERS = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class CrisisMatch:
    """One risk disclosure found in a text.

    Attributes:
        category: One of :data:`CATEGORIES`.
        pattern: The rule that matched (``end_my_life``, ``fuzzy:killmyself``…).
        matched_text: The span of the original text that matched.
    """

    category: str
    pattern: str
    matched_text: str


def _index_maps(text: str) -> tuple[list[int], list[int]]:
    """Positions in ``text`` of each character of the compact and the spaced forms."""
    positions = [i for i, ch in enumerate(text) if ch not in "'\u2019\u2018`"]
    lowered = text.translate(_APOSTROPHES).lower()
    compact_map, spaced_map = [], []
    last_space = True
    for pos, ch in zip(positions, lowered, strict=True):
        if ch.isalpha():
            compact_map.append(pos)
            spaced_map.append(pos)
            last_space = False
        elif not last_space:
            spaced_map.append(pos)
            last_space = True
    return compact_map, spaced_map


def _surfaces(text: str) -> tuple[str, str]:
    """Compact (letters only) and spaced (letters and single spaces) forms of ``text``.

    They are built with two substitutions; positions back in the original are only worked
    out (:func:`_index_maps`) for a text that matched, which is rare.
    """
    lowered = text.translate(_APOSTROPHES).lower()
    spaced = _NOT_LETTERS.sub(" ", lowered).lstrip(" ")
    return spaced.replace(" ", ""), spaced


def _span(text: str, index_map: list[int], start: int, end: int) -> str:
    if not index_map or end <= start:
        return text.strip()
    return text[index_map[start] : index_map[min(end, len(index_map)) - 1] + 1]


@lru_cache(maxsize=65_536)
def detect_crisis(text: str | None) -> tuple[CrisisMatch, ...]:
    """All risk disclosures in ``text`` (empty tuple when none).

    Results are cached per text, because an exchange's context repeats earlier turns.
    """
    if not text or not text.strip():
        return ()
    compact, spaced = _surfaces(text)
    hits: list[tuple[str, str, bool, int, int]] = []  # (category, rule, compact?, start, end)
    if _ANY_COMPACT.search(compact):
        for category, name, rx in _COMPACT_RX:
            hits.extend((category, name, True, *m.span()) for m in rx.finditer(compact))
    if _ANY_SPACED.search(spaced):
        for category, name, rx in _SPACED_RX:
            hits.extend((category, name, False, *m.span()) for m in rx.finditer(spaced))
    raw = [CrisisMatch(c, n, m.group(0)) for c, n, rx in _RAW_RX for m in rx.finditer(text)]
    if hits or raw:
        compact_map, spaced_map = _index_maps(text)
        return tuple(
            CrisisMatch(c, n, _span(text, compact_map if on_compact else spaced_map, a, b))
            for c, n, on_compact, a, b in hits
        ) + tuple(raw)
    found: list[CrisisMatch] = []
    for category, phrase, cutoff in FUZZY_PHRASES:
        if len(compact) < len(phrase) - 2:
            continue
        hit = fuzz.partial_ratio_alignment(phrase, compact, score_cutoff=cutoff)
        if hit is None:
            continue
        after = compact[hit.dest_end :]
        if phrase.endswith("myself") and _ACCIDENT_RX.match(after):
            continue
        before = compact[max(hit.dest_start - 1, 0) : hit.dest_start]
        if phrase.startswith("kill") and before == "s":
            continue
        compact_map, _ = _index_maps(text)
        found.append(
            CrisisMatch(
                category,
                f"fuzzy:{phrase}",
                _span(text, compact_map, hit.dest_start, hit.dest_end),
            )
        )
    return tuple(found)


def crisis_summary(texts: list[str | None]) -> tuple[bool, str | None, str | None]:
    """``(crisis, reason, matched_text)`` over several texts (prompt, response, context).

    ``reason`` lists the categories found (``suicidal_ideation; abuse_disclosure``) and
    ``matched_text`` the matched spans joined by `` | ``.
    """
    matches = [m for t in texts for m in detect_crisis(t)]
    if not matches:
        return False, None, None
    categories = [c for c in CATEGORIES if any(m.category == c for m in matches)]
    spans = list(dict.fromkeys(m.matched_text for m in matches))
    return True, "; ".join(categories), " | ".join(spans)
