"""Credentials in URLs: keep them exact for the download, never store or show them.

A list may name a private source as ``https://user:Secret@host/x.mp3``. The download needs
those bytes unchanged (passwords are case-sensitive); every table, log line, Dagster event
and printed message gets :func:`redact_url` instead (``https://***@host/x.mp3``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

REDACTED = "***"

# scheme://userinfo@ — userinfo cannot contain '/', '?', '#', '@' or spaces (RFC 3986 encodes
# them), so this never swallows the host or path.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#@\s]+)@")


def has_credentials(url: str) -> bool:
    """Whether ``url`` carries a user name or password before its host."""
    match = _USERINFO.match(url.strip())
    return bool(match) and match.group("userinfo") != REDACTED


def redact_url(url: str) -> str:
    """``url`` with its user information replaced by ``***`` (nothing else changes)."""
    return _USERINFO.sub(rf"\g<scheme>{REDACTED}@", url)


def redact_text(text: str) -> str:
    """Every URL inside ``text`` (an error message, a log line) with credentials redacted."""
    return _USERINFO.sub(rf"\g<scheme>{REDACTED}@", text)


def split_credentials(url: str) -> tuple[str, str | None]:
    """``(url without userinfo, userinfo or None)``; the userinfo is returned byte-exact."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    return urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment)), userinfo


def is_redacted(url: str) -> bool:
    """Whether ``url`` is the stored (redacted) form of a URL that had credentials."""
    return f"://{REDACTED}@" in url
