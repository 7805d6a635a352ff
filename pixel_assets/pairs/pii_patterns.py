"""Presidio recognisers for PII as speech recognition writes it.

Whisper-style transcripts rarely contain tidy ``555-123-4567`` or ``jane@example.com``: digits
come in spoken groups ("555, 123 ,567", "five five five one two three..."), e-mail addresses
are spelled ("jane dot doe at example dot com") or mangled ("game .no .example .com"), web
addresses lose their dots. Presidio's stock recognisers miss these (and its e-mail/URL ones call
``tldextract``, which downloads a suffix list on first use), so each recogniser here is a
presidio :class:`LocalRecognizer` over our own regular expressions plus a plausibility check
that keeps look-alikes: times, prices, years, thousands ("1,500,000"), counting ("one two
three"), "five miles down the road".

Every recogniser also declares anchors (:meth:`RegexRecognizer.might_match`): words or
characters that any text it can match must contain. The scrubber asks presidio only for the
entities whose anchors a text has, and skips texts with none (most utterances), which keeps
scrubbing fast without changing what it finds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from presidio_analyzer import LocalRecognizer, RecognizerResult

from pixel_assets.pairs.pii_vocabulary import (
    DIGIT_WORD,
    DIGIT_WORDS,
    MONTH,
    NOT_A_HANDLE,
    ORDINAL_WORD,
    PLATFORM,
    STOP_LABELS,
)

# "oh eight hundred", "nine hundred": a spoken digit and "hundred" are that digit and "00".
_NUMBER_TOKEN = (
    rf"(?:\d+|(?:double|triple)\s+{DIGIT_WORD}|{DIGIT_WORD}\s+hundred\b|{DIGIT_WORD})"
)
# Separators ASR puts between spoken digit groups: spaces, commas (with stray spaces either
# side), dashes, dots, brackets.
_SEP = r"(?:\s*[,.\-/]\s*|\s*\(\s*|\s*\)\s*|\s+)"
# Words after a digit run that make it a quantity, not a phone number.
_UNIT_AFTER = re.compile(
    r"^\s*(?:%|percent|per\s*cent|dollars?|bucks|pounds?|quid|euros?|cents?|pence|p\b|k\b|"
    r"people|persons|times|years?|months?|weeks?|days?|hours?|minutes?|seconds?|miles?|km|"
    r"kilomet\w+|metres?|meters?|feet|foot|kg|kilos?|grams?|calories|steps|words|votes|"
    r"followers|subscribers|views|copies|units|points?|am\b|pm\b|a\.m\.|p\.m\.|o'clock)",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(
    r"[$£€¥]\s*$|\b(?:usd|gbp|eur|(?<!phone )(?<!mobile )number|no\.|page|room)\s*$", re.I)
# Words that name an identifying number: any digits right after one are redacted.
_ID_CONTEXT = re.compile(
    r"\b(?:account|acct|sort code|card|credit card|debit card|iban|routing|social security|"
    r"ssn|nhs|national insurance|insurance number|passport|licen[cs]e|policy number|"
    r"member(?:ship)? number|patient number|case number|pin|pin number|reference number)"
    r"(?:\s+(?:number|no\.?|num|code|is|was|it's|its|ends in|ending in|:|#))*[\s:#,.-]*$",
    re.IGNORECASE,
)
_PHONE_CONTEXT = re.compile(
    r"\b(?:phone|number|call|ring|text|cell|mobile|whatsapp|reach me|dial|hotline|line)\b",
    re.IGNORECASE,
)

# Top-level domains accepted after a spoken or written dot. Spelled forms ("x dot it") use
# the shorter list: common words such as "it", "me", "in", "is" are TLDs too.
_TLDS_WRITTEN = (
    "com|org|net|edu|gov|mil|io|co|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|se|no|dk|fi|pl|"
    "info|biz|me|tv|app|ai|ly|dev|health|org\\.uk|co\\.uk|ac\\.uk|nhs\\.uk|com\\.au"
)
_TLDS_SPOKEN = "com|org|net|edu|gov|io|co|uk|ca|au|info|biz"
_DOT = r"(?:\s*\.\s*|\s+dot\s+)"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,40}[a-z0-9])?"


_WORDS = re.compile(r"[a-z]+")
_DIGIT_WORD_SET = frozenset(DIGIT_WORDS) - {"o"}


@functools.cache
def _anchor_re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


@functools.lru_cache(maxsize=4096)  # several recognisers ask for the same text's words
def words_of(text: str) -> frozenset[str]:
    """The lower-case letter runs of ``text`` (what anchors are checked against)."""
    return frozenset(_WORDS.findall(text.lower()))


@dataclass(frozen=True)
class Span:
    """A found entity before it becomes a presidio result (half-open character span)."""

    start: int
    end: int
    score: float = 0.85


class RegexRecognizer(LocalRecognizer):
    """A presidio recogniser whose matches pass through :meth:`spans` (context-aware checks).

    Subclasses set ``ENTITY`` and the anchors every match needs (``ANCHOR_WORDS``: lower-case
    words, ``ANCHOR_CHARS``: a small pattern), and implement :meth:`spans`.
    """

    ENTITY = ""
    ANCHOR_WORDS: frozenset[str] = frozenset()
    ANCHOR_CHARS = ""

    def __init__(self, name: str | None = None) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=name or type(self).__name__)

    def load(self) -> None:  # patterns are compiled at import; nothing to load
        return None

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        """False only if :meth:`spans` cannot find anything in ``text`` (a cheap test).

        Args:
            text: The text.
            words: Its lower-case words (``[a-z]+`` runs), computed once by the caller.
        """
        if self.ANCHOR_WORDS & words:
            return True
        return bool(self.ANCHOR_CHARS) and _anchor_re(self.ANCHOR_CHARS).search(text) is not None

    def spans(self, text: str) -> Iterable[Span]:  # pragma: no cover - abstract
        raise NotImplementedError

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: ANN001 - presidio's signature
        if entities and self.ENTITY not in entities:
            return []
        return [
            RecognizerResult(
                entity_type=self.ENTITY,
                start=s.start,
                end=s.end,
                score=s.score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for s in self.spans(text)
        ]


# --------------------------------------------------------------------------- phone numbers
_RUN = re.compile(rf"(?<![\w.,$£€])\+?\s?{_NUMBER_TOKEN}(?:{_SEP}{_NUMBER_TOKEN})*", re.I)
_TOKEN = re.compile(_NUMBER_TOKEN, re.I)


def _token_digits(token: str) -> str:
    words = token.lower().split()
    if words[0] in ("double", "triple"):
        return DIGIT_WORDS[words[1]] * (2 if words[0] == "double" else 3)
    if words[-1] == "hundred":
        return DIGIT_WORDS[words[0]] + "00"
    return DIGIT_WORDS.get(words[0], token)


def _is_progression(values: Sequence[int]) -> bool:
    """Counting ("one two three", "10, 20, 30"): an arithmetic run of at least three."""
    if len(values) < 3:
        return False
    step = values[1] - values[0]
    return step != 0 and all(b - a == step for a, b in zip(values, values[1:], strict=False))


def _numeric_groups_ok(groups: list[str], separators: list[str]) -> bool:
    """Digit groups shaped like a phone number, not like a quantity or a list of years."""
    total = sum(len(g) for g in groups)
    if not 7 <= total <= 13:
        return False
    if len(groups) == 1:
        return 10 <= total <= 13
    # Groups of 2-5 digits; the last may hold 6 (UK "07700 900123"), the first 1 ("1 800 ...").
    if len(groups[0]) > 5 or any(len(g) > 5 for g in groups[1:-1]) or len(groups[-1]) > 6:
        return False
    # A lone "0" after the country code is the bracketed trunk prefix: "+44 (0)20 7946 0958".
    if any(len(g) < 2 and not (i == 1 and g == "0") for i, g in enumerate(groups[1:], 1)):
        return False
    # 1,500,000 / 1.500.000: thousands grouping, written without spaces ("555, 123 ,567" has
    # them, as ASR writes a spoken number).
    if all(s in (",", ".") for s in separators) and all(len(g) == 3 for g in groups[1:]):
        return False
    if all(len(g) == 4 and 1900 <= int(g) <= 2099 for g in groups):
        return False
    return not _is_progression([int(g) for g in groups])


def _spoken_ok(digits: list[str], tokens: list[str]) -> bool:
    total = sum(len(d) for d in digits)
    if not 7 <= total <= 13:
        return False
    singles = [int(d) for d in digits if len(d) == 1]
    # "one two three four five six seven": counting, not a number.
    return not (len(singles) == len(digits) and _is_progression(singles))


class AsrPhoneRecognizer(RegexRecognizer):
    """Phone numbers written as digits, spoken digit words or a mix, in any grouping."""

    ENTITY = "PHONE_NUMBER"
    ANCHOR_CHARS = r"\d"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # Spoken numbers need seven digit words; "no one" or "one day" should not cost a scan.
        if super().might_match(text, words):
            return True
        return len(words & _DIGIT_WORD_SET) >= 1 and sum(
            1 for w in _WORDS.findall(text.lower()) if w in _DIGIT_WORD_SET or w in
            ("double", "triple")
        ) >= 4

    def spans(self, text: str) -> Iterable[Span]:
        for run in _RUN.finditer(text):
            tokens = list(_TOKEN.finditer(run.group(0)))
            yield from self._best_windows(text, run.start(), tokens)

    def _best_windows(self, text: str, offset: int, tokens: list[re.Match]) -> Iterable[Span]:
        """Longest phone-shaped windows of the run's tokens, left to right, not overlapping."""
        i = 0
        while i < len(tokens):
            found = None
            for j in range(min(len(tokens), i + 13), i, -1):
                window = tokens[i:j]
                if self._window_ok(text, offset, window):
                    found = j
                    break
            if found is None:
                i += 1
                continue
            start = offset + tokens[i].start()
            end = offset + tokens[found - 1].end()
            # A leading "+44 " belongs to the number.
            plus = re.search(r"\+\s?$", text[max(0, start - 2):start])
            yield Span(start - (len(plus.group(0)) if plus else 0), end)
            i = found

    def _window_ok(self, text: str, offset: int, window: list[re.Match]) -> bool:
        start = offset + window[0].start()
        end = offset + window[-1].end()
        if _CURRENCY_BEFORE.search(text[max(0, start - 14):start]):
            return False
        if _UNIT_AFTER.match(text[end:end + 14]):
            return False
        raw = [m.group(0) for m in window]
        digits = [_token_digits(t) for t in raw]
        if all(t.isdigit() and len(t) == 1 for t in raw):
            return _spoken_ok(digits, raw)  # "0 7 9 1 2 ...": digits read out one by one
        if all(t.isdigit() for t in raw):
            separators = [
                text[offset + a.end():offset + b.start()]
                for a, b in zip(window, window[1:], strict=False)
            ]
            if _numeric_groups_ok(raw, separators):
                return True
            # 7-9 digits in one or two groups count only with a phone word nearby.
            total = sum(len(d) for d in digits)
            return 7 <= total <= 9 and len(raw) <= 2 and bool(
                _PHONE_CONTEXT.search(text[max(0, start - 40):start])
            ) and not all(len(g) == 4 and 1900 <= int(g) <= 2099 for g in raw)
        return _spoken_ok(digits, raw)


# UK National Insurance numbers ("QQ 12 34 56 C") and stated UK number plates ("my reg is
# AB12 CDE").
_NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I)
_PLATE_WITH_CONTEXT = re.compile(
    r"\b(?:reg|registration|number plate|plate|licen[cs]e plate)(?:\s+number)?"
    r"(?:\s+is|'s|’s|:)?\s+([A-Z]{2}\d{2}\s?[A-Z]{3})\b",
    re.I,
)


class LongNumberRecognizer(RegexRecognizer):
    """Card, account and ID numbers: digit runs too long for a phone number (14-24 digits,
    written or spoken, e.g. "4111 1111 1111 1111"), and any run of 4+ digits right after a
    word that names one ("account", "sort code", "card", "PIN", "NHS number", "passport"…).

    Without this the phone recogniser, which stops at 13 digits, would redact a card number's
    first twelve digits and leave the rest.
    """

    ENTITY = "ID_NUMBER"
    ANCHOR_CHARS = r"\d"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        if super().might_match(text, words):
            return True
        return sum(1 for w in _WORDS.findall(text.lower()) if w in _DIGIT_WORD_SET) >= 4

    def spans(self, text: str) -> Iterable[Span]:
        for m in _NI_NUMBER.finditer(text):
            yield Span(m.start(), m.end(), 0.9)
        for m in _PLATE_WITH_CONTEXT.finditer(text):
            yield Span(m.start(1), m.end(1), 0.85)
        for run in _RUN.finditer(text):
            tokens = list(_TOKEN.finditer(run.group(0)))
            raw = [m.group(0) for m in tokens]
            digits = [_token_digits(t) for t in raw]
            total = sum(len(d) for d in digits)
            start = run.start() + tokens[0].start()
            end = run.start() + tokens[-1].end()
            if _ID_CONTEXT.search(text[max(0, start - 30):start]) and total >= 4:
                yield Span(start, end, 0.9)
            elif 14 <= total <= 24 and self._not_a_quantity(raw, digits):
                yield Span(start, end, 0.85)

    @staticmethod
    def _not_a_quantity(raw: list[str], digits: list[str]) -> bool:
        if all(t.isdigit() and len(t) == 4 and 1900 <= int(t) <= 2099 for t in raw):
            return False  # a list of years
        singles = [int(d) for d in digits if len(d) == 1]
        return not (len(singles) == len(digits) and _is_progression(singles))


# --------------------------------------------------------------------------- e-mail and URLs
_EMAIL_WRITTEN = re.compile(
    rf"(?<![\w.+-])[\w.+-]+@{_LABEL}(?:\.{_LABEL})*\.(?:{_TLDS_WRITTEN})\b", re.I
)
# Spelled: "jane dot doe at example dot com", "jane underscore doe at gmail dot co dot uk",
# "jane doe at gmail.com" (a user name split into two words).
_LOCAL_SEP = r"(?:\s*[._\-]\s*|\s+(?:dot|underscore|dash|hyphen)\s+)"
_EMAIL_SPOKEN = re.compile(
    rf"\b(?P<local>{_LABEL}(?:{_LOCAL_SEP}{_LABEL}){{0,3}}|{_LABEL}\s+{_LABEL})"
    rf"\s*(?:@|\s(?:at|at sign)\s)\s*"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{0,3}}{_DOT}(?:{_TLDS_SPOKEN}))\b",
    re.I,
)
# Mangled dots: "game .no .example .com" (a space before each dot, no "at" heard).
_DOTTED_SPACED = re.compile(
    rf"\b{_LABEL}(?:\s+\.\s*{_LABEL}){{1,5}}\s+\.\s*(?:{_TLDS_WRITTEN})\b", re.I
)


def _labels(span: str) -> list[str]:
    return [w for w in re.split(r"[\s._@\-]+|\b(?:dot|at|underscore|dash|hyphen)\b", span.lower())
            if w]


class AsrEmailRecognizer(RegexRecognizer):
    """E-mail addresses as typed, spelled out, or with the ``@`` and dots mangled."""

    ENTITY = "EMAIL_ADDRESS"
    # Every form ends in a top-level domain, written (".com") or spoken ("dot com").
    ANCHOR_WORDS = frozenset(_TLDS_SPOKEN.split("|"))
    ANCHOR_CHARS = rf"@|\.\s*(?:{_TLDS_WRITTEN})\b"

    def spans(self, text: str) -> Iterable[Span]:
        for m in _EMAIL_WRITTEN.finditer(text):
            yield Span(m.start(), m.end(), 0.95)
        for m in _EMAIL_SPOKEN.finditer(text):
            # Words as heard ("at" included: _labels would drop it as a spoken "@").
            local = re.findall(r"[a-z0-9]+", m.group("local").lower())
            if any(w in STOP_LABELS for w in local):
                # Retry from the last word of the user part ("email me at jane at x dot com").
                tail = re.search(rf"{_LABEL}$", m.group("local"), re.I)
                if tail is None or tail.group(0).lower() in STOP_LABELS:
                    continue
                yield Span(m.start("local") + tail.start(), m.end(), 0.8)
                continue
            yield Span(m.start(), m.end(), 0.85)
        for m in _DOTTED_SPACED.finditer(text):
            # Four or more labels (user.name.domain.tld) reads as an address, fewer as a site.
            if len(_labels(m.group(0))) >= 4:
                yield Span(m.start(), m.end(), 0.7)


_URL_SCHEME = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.I)
_URL_SPOKEN_SCHEME = re.compile(
    r"\b(?:h\s?t\s?t\s?p\s?s?|https?)\s+colon\s+(?:forward\s+)?slash\s+(?:forward\s+)?slash\s+"
    rf"(?:www{_DOT})?{_LABEL}(?:{_DOT}{_LABEL})*",
    re.I,
)
_PATH = r"(?:/[\w\-./?=&%#]*|\s+(?:forward\s+)?slash\s+[a-z0-9\-]+)*"
_URL_DOMAIN = re.compile(
    rf"\b(?:www{_DOT})?(?P<host>{_LABEL}(?:{_DOT}{_LABEL}){{0,3}})"
    rf"(?P<tld>\.(?:{_TLDS_WRITTEN})|\s+dot\s+(?:{_TLDS_SPOKEN}))\b{_PATH}",
    re.I,
)


class AsrUrlRecognizer(RegexRecognizer):
    """Web addresses: with a scheme, ``www``, a bare domain, or spoken ("example dot com")."""

    ENTITY = "URL"
    ANCHOR_WORDS = frozenset([*_TLDS_SPOKEN.split("|"), "www", "http", "https", "colon"])
    ANCHOR_CHARS = rf"\.\s*(?:{_TLDS_WRITTEN})\b|://"

    def spans(self, text: str) -> Iterable[Span]:
        for m in _URL_SCHEME.finditer(text):
            yield Span(m.start(), m.end() - _trailing_punct(m.group(0)), 0.9)
        for m in _URL_SPOKEN_SCHEME.finditer(text):
            yield Span(m.start(), m.end(), 0.9)
        for m in _URL_DOMAIN.finditer(text):
            host = _labels(m.group("host"))
            if not host or host[-1] in STOP_LABELS or host[0] in STOP_LABELS:
                continue
            if re.fullmatch(r"[\d.\s]+", m.group("host")):
                continue  # "3.5" and friends
            yield Span(m.start(), m.end() - _trailing_punct(m.group(0)), 0.75)


def _trailing_punct(span: str) -> int:
    return len(span) - len(span.rstrip(".,;:!?)"))


# --------------------------------------------------------------------------- street addresses
_SUFFIX = (
    r"(?:street|avenue|road|lane|drive|boulevard|court|place|terrace|close|crescent|circle|"
    r"square|highway|parkway|gardens|grove|mews|way|row|St|Ave|Rd|Ln|Dr|Blvd|Ct|Pl|Hwy|Pkwy)"
)
_NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|" \
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
# A flat said first ("flat 4, 17 victoria road"); an ordinal street ("300 west 57th street").
_ADDRESS = re.compile(
    r"(?:\b(?:apartment|apt\.?|flat|unit|suite)\s+\w{1,4},?\s+)?"
    rf"\b(?P<number>\d{{1,5}}[a-z]?|{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD}){{0,3}}),?\s+"
    rf"(?P<name>(?:(?:[a-z][\w'’-]*|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,3}}?){_SUFFIX}\b\.?"
    r"(?:,?\s*(?:apartment|apt\.?|unit|suite|flat|number|#)\s*[\w-]+)?"
    r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?",
    re.I,
)
_NOT_STREET_NAME = frozenset(
    """the a an my your his her our their this that these those one way down up along across
    over under from to of in on at by for and or but long short little big more less other
    same next last few minute minutes hour hours mile miles block blocks year years day days
    week weeks month months time times step steps foot feet metre metres meter meters yard
    yards kilometre kilometres km houses doors lanes lane road roads street streets car cars
    minute's hour's mile's two-way one-way way mph kmh speed dual""".split()
)
# Suffixes that count only capitalised: abbreviations, and "way"/"row" ("15 messages way more").
_SUFFIX_ABBREVIATIONS = frozenset("st ave rd ln dr blvd ct pl hwy pkwy way row".split())
_ADDRESS_CUE = re.compile(
    r"\b(?:address(?:\s+is|'s|’s|:)?|li(?:ve|ves|ving)\s+at|stay(?:s|ing)?\s+at|number|no\.?)"
    r"\s*$", re.I)
_NUMBER_WORD_SET = frozenset(re.findall(r"[a-z]+", _NUMBER_WORD))
_SUFFIX_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", _SUFFIX)) | {"box"}
_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b", re.I)
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
_ZIP_WITH_CONTEXT = re.compile(
    r"\b(?:zip|zip code|postcode|post code)\s*(?:is\s+)?(\d{5}(?:-\d{4})?)\b", re.I
)
# A stated postcode in any case ("postcode sw1a 1aa"): ASR lower-cases it.
_POSTCODE_WITH_CONTEXT = re.compile(
    r"\b(?:postcode|post code)\s*(?:is\s+|was\s+|:\s*)?([a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2})\b",
    re.I,
)


class AsrAddressRecognizer(RegexRecognizer):
    """House number + street name + street type, PO boxes, UK postcodes, stated ZIP codes."""

    ENTITY = "STREET_ADDRESS"
    ANCHOR_CHARS = r"\d"

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # A house number in words also needs a street type word after it.
        return super().might_match(text, words) or bool(
            words & _NUMBER_WORD_SET and words & _SUFFIX_WORDS
        )

    def spans(self, text: str) -> Iterable[Span]:
        for m in _ADDRESS.finditer(text):
            words = m.group("name").split()
            suffix = text[m.end("name"):m.end()].strip()
            # "14 The Crescent": a UK street named by its type alone.
            the_street = [w.lower() for w in words] == ["the"] and len(suffix.rstrip(".")) > 4
            if any(w.lower() in _NOT_STREET_NAME for w in words) and not the_street:
                continue
            capitalised = all(w[0].isupper() for w in words)
            # An abbreviated suffix ("St", "Rd") must be written as such; a lower-case street
            # name needs a house number with at least two digits ("123 main street"), two
            # number words ("twenty two acacia avenue") or an address cue before it ("my
            # address is 3 oak tree drive", "number 9 church lane").
            if suffix[:1].islower() and suffix.rstrip(".").lower() in _SUFFIX_ABBREVIATIONS:
                continue
            number = m.group("number")
            if not (capitalised or the_street or re.fullmatch(r"\d{2,5}[a-z]?", number, re.I)
                    or len(number.replace("-", " ").split()) >= 2
                    or _ADDRESS_CUE.search(text[max(0, m.start() - 24):m.start()])):
                continue
            yield Span(m.start(), m.end(), 0.85)
        for pattern in (_PO_BOX, _UK_POSTCODE):
            for m in pattern.finditer(text):
                yield Span(m.start(), m.end(), 0.8)
        for pattern in (_ZIP_WITH_CONTEXT, _POSTCODE_WITH_CONTEXT):
            for m in pattern.finditer(text):
                yield Span(m.start(1), m.end(1), 0.8)


# --------------------------------------------------------------------------- social handles
_HANDLE_TOKEN = r"[A-Za-z0-9_.]{2,30}"
_WRITTEN_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
# "my insta is jane_doe_92", "add me on snapchat, it's sarahxo99", "tiktok at jane underscore
# doe": after a platform name, a token with a digit, "_" or "." (or spelled with "underscore"
# / "dot") is a user name; a plain word ("my instagram is private") is not.
_HANDLE_AFTER_PLATFORM = re.compile(
    rf"\b{PLATFORM}(?:'s|’s)?\b(?:\s*(?:handle|name|username|user name|account|page|id|is|"
    rf"it's|its|at|@|:|-|,))*\s+(?P<handle>@?{_HANDLE_TOKEN}"
    rf"(?:\s+(?:underscore|dot)\s+{_HANDLE_TOKEN})*)(?P<digits>\s+\d{{1,4}}\b)?",
    re.I,
)


# "my snapchat is jessxo": a plain word said as the user name itself. Words that describe
# the account instead ("my instagram is private") are not names.
_HANDLE_STATED = re.compile(
    rf"\bmy\s+{PLATFORM}(?:\s+(?:handle|name|username|user name|account|id))?"
    r"(?:'s|’s|\s+is)\s+(?P<handle>[A-Za-z][A-Za-z0-9]{2,29})\b(?!\s+(?:dot|underscore)\b)",
    re.I,
)


class SocialHandleRecognizer(RegexRecognizer):
    """Social media user names: ``@jane_doe`` anywhere, and user names said after a platform."""

    ENTITY = "SOCIAL_HANDLE"
    ANCHOR_CHARS = r"@"
    ANCHOR_WORDS = frozenset(re.findall(r"[a-z]+", PLATFORM))

    def spans(self, text: str) -> Iterable[Span]:
        for m in _WRITTEN_HANDLE.finditer(text):
            yield Span(m.start(), m.end(), 0.85)
        for m in _HANDLE_AFTER_PLATFORM.finditer(text):
            handle = m.group("handle")
            spelled = re.search(r"\s(?:underscore|dot)\s", handle, re.I)
            if spelled and m.group("digits"):  # "sad underscore girl 99"
                yield Span(m.start("handle"), m.end("digits"), 0.8)
            elif handle.startswith("@") or spelled or re.search(r"[\d_.]", handle.strip(".")):
                yield Span(m.start("handle"), m.end("handle") - _trailing_punct(handle), 0.8)
        for m in _HANDLE_STATED.finditer(text):
            if m.group("handle").lower() not in NOT_A_HANDLE:
                yield Span(m.start("handle"), m.end("handle"), 0.75)


# --------------------------------------------------------------------------- dates of birth
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{ORDINAL_WORD})"
_YEAR = (
    r"(?:\d{4}|'?\d{2}|(?:nineteen|twenty)[\s-]+(?:hundred|oh[\s-]\w+|"
    r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]\w+)?)|two thousand"
    r"(?:[\s-]and)?(?:[\s-]\w+)?"
    # A spoken two-digit year after the day and month: "the 3rd of May eighty nine".
    r"|(?:fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|"
    r"eight|nine))?\b)"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"(?:the\s+)?{_DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{_YEAR})?|"
    rf"{MONTH}\s+(?:the\s+)?{_DAY}(?:,?\s+{_YEAR})?|{MONTH}\s+{_YEAR})"
)
_DOB = re.compile(
    r"\b(?:born|birthday|birth\s*day|date\s+of\s+birth|d\.?\s?o\.?\s?b\.?|birth\s*date"
    r"|turn(?:ed|s)?\s+\w+\s+on)"  # "I turned 15 on the 5th of June"
    r"(?:\s+(?:is|was|on|in)|'s|’s)*\s*[:,\-]?\s*(?:is\s+|was\s+|on\s+)?"
    rf"(?P<date>{_DATE})\b",
    re.I,
)


class AsrDobRecognizer(RegexRecognizer):
    """A full date (at least day or month with the date) after "born", "birthday", "DOB"."""

    ENTITY = "DATE_OF_BIRTH"
    ANCHOR_WORDS = frozenset({"born", "birthday", "birth", "dob", "b", "turned", "turn", "turns"})

    def spans(self, text: str) -> Iterable[Span]:
        for m in _DOB.finditer(text):
            yield Span(m.start("date"), m.end("date"), 0.9)
