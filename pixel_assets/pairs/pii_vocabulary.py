"""Words and word patterns that several PII recognisers share: spoken digits, months, ordinal
days, social platforms, and the words that are never a user name or e-mail label.

Kept apart from the recognisers so that :mod:`pixel_assets.pairs.pii_patterns` and
:mod:`pixel_assets.pairs.pii_more` read the same vocabulary (a word added here reaches both).
"""

from __future__ import annotations

DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# Words that start sentences or phrases, never the user part of an address or a host label
# ("I work at google dot com" is a web address, not an e-mail of "I work").
STOP_LABELS = frozenset(
    """a an the and or but so to of in on at by for from with about as is was are were be been
    am i me my you your he him his she her we us our they them their it its this that there
    here just only also email mail e-mail write send contact reach work works worked working
    live lives lived stay stayed meet see look find found go went call text site website
    page online visit check out up down""".split()
)
PLATFORM = (
    r"(?:instagram|insta|ig|twitter|tiktok|tik tok|snapchat|snap|facebook|fb|linkedin|youtube|"
    r"discord|telegram|reddit|twitch|threads|bluesky|tumblr|kik|skype)"
)
NOT_A_HANDLE = frozenset(
    """private public deleted down gone blocked new old dead inactive hacked locked banned
    suspended empty boring full open closed set fine off broken toxic mostly basically just
    really not only kind like pretty very full all mine where what how why the this that
    there here literally still always never full of filled about under called named linked
    connected mainly memes pictures photos videos friends family work school nothing
    everything awful horrible terrible great good bad""".split()
)
MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
)
ORDINAL_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|"
    r"thirty[\s-]first)"
)
