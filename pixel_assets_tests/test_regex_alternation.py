"""alternation_by_first_char: the same matches as one plain alternation, for the crisis gate."""

from __future__ import annotations

import re

import pytest

from pixel_assets.regex_alternation import alternation_by_first_char
from pixel_assets.validation import crisis
from pixel_assets.validation.crisis_rules import COMPACT_RULES
from pixel_assets_tests.validation.test_crisis import HARD_NEGATIVES, POSITIVES


def test_the_crisis_gate_matches_where_a_plain_alternation_does():
    plain = re.compile("|".join(f"(?:{p})" for _, _, p in COMPACT_RULES))
    texts = [t for _, t in POSITIVES] + list(HARD_NEGATIVES)
    for text in texts:
        compact, _ = crisis._surfaces(text)
        grouped = crisis._ANY_COMPACT.search(compact)
        expected = plain.search(compact)
        assert (grouped and grouped.span()) == (expected and expected.span()), text


def test_the_spaced_gate_opens_wherever_a_rule_matches():
    texts = [t for _, t in POSITIVES] + list(HARD_NEGATIVES)
    for text in texts:
        _, spaced = crisis._surfaces(text)
        any_spaced = any(rx.search(spaced) for _, _, rx in crisis._SPACED_RX)
        assert bool(crisis._ANY_SPACED.search(spaced)) == any_spaced, text


@pytest.mark.parametrize(
    ("patterns", "text"),
    [
        (["cat", "car", "dog"], "a dog and a car"),
        (["(?:x|y)z", "z+", "a?b"], "b xz zz yz"),
        (["(?i:ab)", "Ab"], "xAB ab"),  # a pattern with its own flags is tried everywhere
        ([r"(?<=n )ot", "o"], "not so"),  # a look-behind first: look further for the char
    ],
)
def test_small_alternations_keep_their_matches(patterns: list[str], text: str):
    plain = re.compile("|".join(f"(?:{p})" for p in patterns))
    grouped = re.compile(alternation_by_first_char(patterns))
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]
