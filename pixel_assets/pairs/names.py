"""Person names a video's metadata reveals (speaker names in the list, a personal channel's
name, names in the title), to be redacted from its transcript. Plain Python, no presidio."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_ORG_WORDS = frozenset(
    """therapy therapist therapists counselling counseling counselor counsellor psychology
    psychologist psychiatry mental health wellness wellbeing well-being clinic center centre
    institute university college school academy foundation channel official tv media
    network podcast show studio studios group inc ltd llc co company productions films
    nutshell life coach coaching talks talk news the and of in on a an for with by my our
    your mind minds care support services training lab labs hub practice session sessions
    roleplay role-play role play demo demonstration example""".split()
)
_INTRODUCERS = re.compile(
    r"\b(?:with|featuring|feat\.?|ft\.?|interview(?:ing)?|by|and|Dr\.?|Mr\.?|Mrs\.?|Ms\.?)\s+"
    r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor)\.?\s+)?(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){0,2})"
)


def looks_like_person(value: str) -> bool:
    """A string that reads as a person's name: 1-3 capitalised words, none organisation-like."""
    words = value.replace(".", " ").split()
    if not 1 <= len(words) <= 3:
        return False
    return all(
        re.fullmatch(r"[A-Z][a-zà-ÿ'’-]+", w) and w.lower() not in _ORG_WORDS for w in words
    )


def names_from_metadata(
    videos: Mapping[str, Any] | None, extra: Iterable[str | None] = ()
) -> list[str]:
    """Person names a video's metadata reveals, to be redacted from its transcript.

    Sources: ``list_speaker`` (names given in the video list, split on ``,;&/`` and "and"),
    ``uploader``/``channel`` when they read as a personal name ("Jane Smith", not "Therapy in
    a Nutshell"), names introduced in the title ("... with Dr. Anna Lee", "feat. Sam Ortiz"),
    and ``extra`` (e.g. ``global_speakers.name``).
    """
    found: list[str] = []
    row = dict(videos or {})
    for value in [row.get("list_speaker"), *extra]:
        if isinstance(value, str) and value.strip():
            for part in re.split(r"[,;&/|]|\band\b|=", value):
                part = re.sub(r"\b(?:counsellor|counselor|client|therapist|first|second)\b", "",
                              part, flags=re.I).strip(" .:-")
                if part and looks_like_person(part):
                    found.append(part)
    for key in ("uploader", "channel"):
        value = row.get(key)
        if isinstance(value, str) and len(value.split()) >= 2 and looks_like_person(value):
            found.append(value.strip())
    title = row.get("title") or row.get("list_title")
    if isinstance(title, str):
        for m in _INTRODUCERS.finditer(title):
            if looks_like_person(m.group("name")):
                found.append(m.group("name"))
    return sorted(set(found))
