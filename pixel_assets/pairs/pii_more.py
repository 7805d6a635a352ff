"""More presidio recognisers for PII as speech recognition writes it, for shapes the ones in
:mod:`pixel_assets.pairs.pii_patterns` leave: a phone extension, a postcode or ZIP code read out
letter by letter ("postcode is m one one a a"), a licence or student ID with letters in it, a
date of birth read as numbers ("twelve oh four ninety two"), a handle after "follow me on ...",
a user name, and an e-mail at a known mail provider with an unusual ending ("at protonmail dot
me"). Each needs a cue word before it, which keeps counts, times and doses out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from pixel_assets.pairs.pii_patterns import RegexRecognizer, Span, words_of
from pixel_assets.pairs.pii_vocabulary import (
    DIGIT_WORD,
    DIGIT_WORDS,
    MONTH,
    NOT_A_HANDLE,
    ORDINAL_WORD,
    PLATFORM,
    STOP_LABELS,
)

# --------------------------------------------------------------------------- phone extensions
# "020 7946 0958 extension 214", "555 123 4567 ext 89": the extension is part of the number
# (the phone recogniser's span overlaps this one and the scrubber joins them).
_EXTENSION = re.compile(
    rf"(?:\d|\b{DIGIT_WORD})\s*,?\s*\b(?:extension|ext\.?)\s*(?:number\s+)?"
    rf"(?:\d{{1,6}}\b|{DIGIT_WORD}(?:[\s,]+{DIGIT_WORD}){{0,5}}\b)",
    re.I,
)


class PhoneExtensionRecognizer(RegexRecognizer):
    """A phone extension said after a number ("... 0958 extension 214")."""

    ENTITY = "PHONE_NUMBER"
    ANCHOR_WORDS = frozenset({"extension", "ext"})

    def spans(self, text: str) -> Iterable[Span]:
        for m in _EXTENSION.finditer(text):
            yield Span(m.start(), m.end(), 0.8)


# --------------------------------------------------------------------------- spoken postcodes
# One character of a code read out: a letter, a digit, a digit word, "double seven".
_CODE_CHAR = rf"(?:(?:double|triple)\s+(?:{DIGIT_WORD}|[a-z])|{DIGIT_WORD}|\d|[a-z])\b"
_SPOKEN_CODE = re.compile(
    r"\b(?P<cue>post\s?code|zip(?:\s+code)?|zipcode)(?:\s+is|\s+was|'s|’s|:)?\s+"
    rf"(?P<code>{_CODE_CHAR}(?:[\s,.\-]+{_CODE_CHAR}){{2,9}})",
    re.I,
)
_UK_POSTCODE_CHARS = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}")


def _code_chars(token: str) -> str:
    words = token.lower().split()
    if words[0] in ("double", "triple"):
        char = DIGIT_WORDS.get(words[1], words[1]) if len(words[1]) > 1 else words[1]
        return char * (2 if words[0] == "double" else 3)
    word = words[0]
    return DIGIT_WORDS[word] if len(word) > 1 and word in DIGIT_WORDS else word


class SpokenPostcodeRecognizer(RegexRecognizer):
    """A UK postcode or US ZIP code read out after "postcode" / "zip code", character by
    character ("m one one a a", "S W one A one A A", "nine oh two one oh")."""

    ENTITY = "STREET_ADDRESS"
    ANCHOR_WORDS = frozenset({"postcode", "post", "zip", "zipcode"})

    def spans(self, text: str) -> Iterable[Span]:
        for m in _SPOKEN_CODE.finditer(text):
            tokens = list(re.finditer(_CODE_CHAR, m.group("code"), re.I))
            chars = [_code_chars(t.group(0)) for t in tokens]
            zip_code = m.group("cue").lower().startswith("zip")
            # The longest run of characters that has the code's shape ("... a a a bit far").
            for n in range(len(tokens), 2, -1):
                joined = "".join(chars[:n]).upper()
                ok = (re.fullmatch(r"\d{5}(?:\d{4})?", joined) if zip_code
                      else _UK_POSTCODE_CHARS.fullmatch(joined))
                if ok:
                    start = m.start("code")
                    yield Span(start, start + tokens[n - 1].end(), 0.85)
                    break


# --------------------------------------------------------------------------- stated ID numbers
# Words naming an ID whose number may hold letters (a UK licence "MORGA753116SM9IJ", a US
# licence "D1234567") or that pii_patterns does not list ("student id", "medical record").
_ID_CUE = re.compile(
    r"\b(?:passport|(?:driving|driver'?s|drivers)\s+licen[cs]e|licen[cs]e|student\s+(?:id|number)|"
    r"id\s+number|employee\s+(?:id|number)|staff\s+(?:id|number)|medical\s+record\s+number|"
    r"mrn|hospital\s+number|patient\s+id|member(?:ship)?\s+id|tax\s+(?:id|number)|"
    r"visa\s+number|reference(?:\s+number)?|ref\s+number|case\s+number|badge\s+number|"
    r"prison(?:er)?\s+number|inmate\s+number)"
    r"(?:\s+(?:number|no\.?|is|was|it's|its|:|#))*\s*[:#]?\s*"
    r"(?P<id>[A-Z0-9][A-Z0-9\-]{3,24})\b",
    re.I,
)


class StatedIdRecognizer(RegexRecognizer):
    """A number, or letters and digits, right after a word that names an ID."""

    ENTITY = "ID_NUMBER"
    ANCHOR_WORDS = frozenset({"passport", "licence", "license", "id", "mrn", "number",
                              "reference", "ref"})

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # "number" is in many utterances: look for the cue itself (the analyzer costs more).
        if super().might_match(text, words) and _ID_CUE.search(text) is not None:
            return True
        return bool(_more_id_spans(text))

    def spans(self, text: str) -> Iterable[Span]:
        for m in _ID_CUE.finditer(text):
            # "my passport number is expired": an ID has digits in it (two at least).
            if len(re.findall(r"\d", m.group("id"))) >= 2:
                yield Span(m.start("id"), m.end("id"), 0.85)
        yield from _more_id_spans(text)


# --------------------------------------------------------------------------- more ID shapes
# A UK number plate in its current shape, said anywhere ("a silver Corsa, KX65 ABC"), and any
# plate after "plate" / "reg" ("license plate 7ABC123").
_UK_PLATE = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")
_PLATE_CUE = re.compile(
    r"\b(?i:(?:licen[cs]e\s+|number\s+)?plate|reg(?:istration)?)(?:\s+(?i:number|no\.?))?"
    r"(?:\s+(?i:is|was|reads|said)|['’]s|:)?\s+(?P<id>[A-Z0-9]{1,4}[\s-]?[A-Z0-9]{2,5})\b"
)
# An IBAN ("GB29 NWBK 6016 1331 9268 19"), whole: the digit-run recognisers see only its end.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
# The end of a card number or its security code: "the last four digits are 4321", "my cvv is
# one two three".
_CARD_TAIL = re.compile(
    rf"\b(?i:cvv|cvc|cv2|security\s+code|last\s+(?:four|4)(?:\s+(?:digits|numbers))?"
    rf"(?:\s+of\s+(?:my|the|his|her)\s+\w+)?)(?:\s+(?i:is|are|was|were|being)|['’]s|:)?\s+"
    rf"(?P<id>\d{{3,4}}\b|(?i:{DIGIT_WORD})(?:[\s,]+(?i:{DIGIT_WORD})){{2,3}}\b)"
)
# A written IPv4 address (four parts of 0-255, seven digits or more).
_OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
_IPV4 = re.compile(rf"(?<![\d.])(?:{_OCTET}\.){{3}}{_OCTET}(?![\d.])")
_CARD_TAIL_WORDS = frozenset({"cvv", "cvc", "cv", "security", "last"})
_CAPS_THEN_DIGITS = re.compile(r"[A-Z]{2}\d")
_DOTTED_DIGITS = re.compile(r"\d\.\d")
_PLATE_WORDS = frozenset({"plate", "reg", "registration"})


@functools.lru_cache(maxsize=4096)
def _more_id_spans(text: str) -> tuple[Span, ...]:
    """Plates, IBANs, IP addresses and card tails in ``text`` (cached: the prefilter asks
    first); each pattern runs only when the characters or words it needs are there."""
    words = words_of(text)
    patterns = []
    if _CAPS_THEN_DIGITS.search(text):
        patterns += [_UK_PLATE, _IBAN]
    if _DOTTED_DIGITS.search(text):
        patterns.append(_IPV4)
    if _PLATE_WORDS & words:
        patterns.append(_PLATE_CUE)
    if _CARD_TAIL_WORDS & words:
        patterns.append(_CARD_TAIL)
    spans = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            if pattern is _IPV4 and sum(c.isdigit() for c in m.group(0)) < 7:
                continue  # "version 10.2.3.4", "1.2.3.4 steps"
            if "id" not in pattern.groupindex:
                spans.append(Span(m.start(), m.end(), 0.8))
            # A plate holds a digit and a letter: "my reg is fine" and "reg 12" are none.
            elif pattern is not _PLATE_CUE or re.search(r"(?=.*\d)(?=.*[A-Z])", m.group("id")):
                spans.append(Span(m.start("id"), m.end("id"), 0.8))
    return tuple(spans)


# --------------------------------------------------------------------------- dates of birth
_NUMBER_WORDS = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand)"
)
_DATE_TOKEN = rf"(?:\d{{1,4}}(?:st|nd|rd|th)?|{ORDINAL_WORD}|{MONTH}|{_NUMBER_WORDS})"
# "my date of birth is the twelfth of the fourth ninety two", "dob twelve oh four nineteen
# ninety two": after a date-of-birth cue, a run of numbers, ordinals and months.
_DOB_RUN = re.compile(
    r"\b(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\.?|birth\s*date|born\s+on)"
    r"(?:\s+(?:is|was)|'s|’s|:)?\s*[:,\-]?\s*(?:is\s+|was\s+)?(?:the\s+)?"
    rf"(?P<date>{_DATE_TOKEN}(?:(?:[\s,/.\-]+(?:(?:of|the|and)\s+)*){_DATE_TOKEN}){{2,9}})\b",
    re.I,
)


class SpokenDobRecognizer(RegexRecognizer):
    """A date of birth read out as numbers after "date of birth", "DOB", "born on"."""

    ENTITY = "DATE_OF_BIRTH"
    ANCHOR_WORDS = frozenset({"birth", "dob", "d", "born", "birthdate"})

    def spans(self, text: str) -> Iterable[Span]:
        for m in _DOB_RUN.finditer(text):
            yield Span(m.start("date"), m.end("date"), 0.85)


# --------------------------------------------------------------------------- handles
# "follow me on tiktok at moonchild", "add me on snap, it's lilbee": a plain word counts after
# an invitation to find the speaker on a platform.
_HANDLE_INVITE = re.compile(
    rf"\b(?:follow|add|find|message|dm|friend)\s+me\s+on\s+{PLATFORM}\b"
    r"(?:\s*(?:at|it's|its|as|is|@|:|-|,))+\s*(?P<handle>@?[A-Za-z][A-Za-z0-9_.]{2,29})",
    re.I,
)
# "my username is lonelygirl2003", "my gamertag's xXshadowXx".
_USERNAME = re.compile(
    r"\bmy\s+(?:username|user\s+name|gamertag|gamer\s+tag|handle|screen\s*name)"
    r"(?:'s|’s|\s+is|:)\s+(?P<handle>@?[A-Za-z0-9][A-Za-z0-9_.]{2,29})",
    re.I,
)
# Words that end the sentence rather than name an account ("add me on snap later").
_NOT_A_USER_NAME = NOT_A_HANDLE | STOP_LABELS | frozenset(
    """well too please later tonight night now if when then maybe instead yeah okay ok sure
    thanks cause because anyway though""".split()
)
# A Discord tag written anywhere: "darkangel#1234".
_DISCORD_TAG = re.compile(r"\b[A-Za-z][\w.]{1,31}#\d{4}\b")


class HandleCueRecognizer(RegexRecognizer):
    """User names after an invitation ("follow me on tiktok at ..."), after "my username is",
    and Discord tags."""

    ENTITY = "SOCIAL_HANDLE"
    ANCHOR_CHARS = r"#\d"
    ANCHOR_WORDS = frozenset({"me", "username", "user", "gamertag", "gamer", "handle", "screen",
                              "screenname"})

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # "me" is in most utterances: look for the patterns themselves.
        return super().might_match(text, words) and any(
            p.search(text) is not None for p in (_HANDLE_INVITE, _USERNAME, _DISCORD_TAG)
        )

    def spans(self, text: str) -> Iterable[Span]:
        for pattern in (_HANDLE_INVITE, _USERNAME):
            for m in pattern.finditer(text):
                handle = m.group("handle").rstrip(".")
                if handle.lstrip("@").lower() not in _NOT_A_USER_NAME:
                    yield Span(m.start("handle"), m.start("handle") + len(handle), 0.75)
        for m in _DISCORD_TAG.finditer(text):
            yield Span(m.start(), m.end(), 0.8)


# --------------------------------------------------------------------------- provider e-mails
_PROVIDER = (
    r"(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|protonmail|proton|aol|msn|live|"
    r"btinternet|ymail|gmx)"
)
_LOCAL_WORD = r"[a-z0-9][a-z0-9._\-]{0,40}"
# "tom h at protonmail dot me": at a known mail provider any ending counts, and after
# "my email is" every word before "at" is the user part ("sarah jones ninety two at ...").
_PROVIDER_EMAIL = re.compile(
    rf"(?P<cue>\be-?mail(?:\s+address)?(?:\s+is|'s|’s|:)\s+)?"
    rf"(?P<local>\b{_LOCAL_WORD}(?:\s+{_LOCAL_WORD}){{0,4}}?)\s+(?:at|@)\s+"
    rf"(?P<domain>{_PROVIDER}(?:\s*(?:\.|\s+dot\s+)\s*(?!dot\b)[a-z]{{2,4}}){{1,2}})\b",
    re.I,
)


class ProviderEmailRecognizer(RegexRecognizer):
    """E-mail addresses at a well-known mail provider, spoken with any ending."""

    ENTITY = "EMAIL_ADDRESS"
    ANCHOR_WORDS = frozenset(re.findall(r"[a-z]+", _PROVIDER))

    def might_match(self, text: str, words: frozenset[str]) -> bool:
        # "live" is a provider and an everyday word: an address also needs "at" or "@".
        return super().might_match(text, words) and ("at" in words or "@" in text)

    def spans(self, text: str) -> Iterable[Span]:
        for m in _PROVIDER_EMAIL.finditer(text):
            words = list(re.finditer(r"\S+", m.group("local")))
            if not m.group("cue"):
                # Without the cue, only the last word or two before "at" ("tom h").
                words = words[-2:] if len(words[-1].group(0)) <= 2 else words[-1:]
            if any(w.group(0).lower() in STOP_LABELS for w in words):
                words = words[-1:]
                if words[0].group(0).lower() in STOP_LABELS:
                    continue
            yield Span(m.start("local") + words[0].start(), m.end("domain"), 0.8)
