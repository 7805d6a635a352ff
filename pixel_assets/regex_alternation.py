"""One regular-expression alternation of many patterns that tries, at each position, only the
patterns whose match can start with the character there.

Python's ``re`` tries every branch of ``a|b|c|...`` at every position of the text. With a
hundred or more phrase patterns (the counselling lexicon, the crisis rules) that is most of
the cost; grouping the branches by their possible first character behind a look-ahead
(``(?=k)(?:kill...|knife...)|(?=s)(?:suicid...)``) gives the same matches several times faster.
The first characters are read from CPython's own parse of each pattern.
"""

from __future__ import annotations

import re

try:  # CPython's pattern parser (3.11+), read only to order the alternation
    from re import _constants as _sre
    from re import _parser
except ImportError:  # pragma: no cover - another Python: a plain alternation, same matches
    _sre = _parser = None  # type: ignore[assignment]


def _first_chars(items: list) -> tuple[frozenset[str] | None, bool]:
    """The characters a parsed pattern's first consumed character can be (None: any), and
    whether it can match without consuming one."""
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            return frozenset(chars | {chr(av)}), False
        if op is _sre.IN:
            for kind, value in av:
                if kind is _sre.LITERAL:
                    chars.add(chr(value))
                elif kind is _sre.RANGE:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                elif kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT:
                    chars.update("0123456789")
                else:  # a negated set, \w, \s: anything
                    return None, False
            return frozenset(chars), False
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero-width: look further
            continue
        if op is _sre.SUBPATTERN and not av[1]:  # a group without inline flags
            first, empty = _first_chars(av[3])
        elif op is _sre.BRANCH:
            first, empty = frozenset(), False
            for branch in av[1]:
                f, e = _first_chars(branch)
                if f is None:
                    return None, False
                first, empty = first | f, empty or e
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            first, empty = _first_chars(av[2])
            empty = empty or av[0] == 0
        else:
            return None, False
        if first is None:
            return None, False
        chars |= first
        if not empty:
            return frozenset(chars), False
    return frozenset(chars), True


def alternation_by_first_char(patterns: list[str]) -> str:
    """One alternation of ``patterns`` that tries, at each position, only those whose match can
    start with the character there (``(?=a)(?:...)|(?=b)(?:...)``), each group in the
    original order, so the same pattern matches first as in a plain alternation. Without
    CPython's parser, the plain alternation."""
    if _parser is None:  # pragma: no cover - another Python
        return "|".join(f"(?:{p})" for p in patterns)
    firsts: list[frozenset[str] | None] = []
    for p in patterns:
        parsed = _parser.parse(p)
        first, empty = _first_chars(parsed)
        # A global (?i) would let "A" match where "a" was read: try such a pattern anywhere.
        firsts.append(None if empty or parsed.state.flags & re.IGNORECASE else first)
    chars = sorted(set().union(*(f for f in firsts if f is not None)))
    groups = []
    for c in chars:
        members = [p for p, f in zip(patterns, firsts, strict=True) if f is None or c in f]
        groups.append(f"(?={re.escape(c)})(?:" + "|".join(f"(?:{p})" for p in members) + ")")
    anywhere = [p for p, f in zip(patterns, firsts, strict=True) if f is None]
    if anywhere:
        groups.append("(?:" + "|".join(f"(?:{p})" for p in anywhere) + ")")
    return "|".join(groups)
