"""Parse video lists (.txt, .csv, .jsonl) into partition keys, rejecting bad lines with reasons.

A YouTube URL in any common form becomes its 11-character video ID; any other http(s) media
URL becomes ``url-`` + 12 hex characters of the SHA-1 of the URL; a local file (only when
allowed) becomes ``file-`` + 12 hex characters of the SHA-1 of its resolved path. Every key
therefore uses only ``[A-Za-z0-9_-]`` and can never name a path outside the storage root.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from pixel_assets.ingest.schemas import LIST_METADATA_COLUMNS
from pixel_assets.ingest.urls import REDACTED, redact_text, split_credentials

SUPPORTED_SUFFIXES = (".txt", ".csv", ".jsonl")
# Real media URLs stay far below this (browsers and servers commonly stop near 8 KB); a longer
# line is a paste accident or hostile, and would be copied into tables, logs and run tags.
MAX_LINE_CHARS = 4096
# Rejected lines are stored for people to read; this much of one is enough to recognise it.
_SHOWN_CHARS = 200

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "gaming.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_SHORT_HOSTS = {"youtu.be", "www.youtu.be"}
_ID_PATH_PREFIXES = ("shorts", "embed", "live", "v", "e", "watch")
_NOT_VIDEO_PAGES = {"channel", "c", "user", "playlist", "results", "feed", "hashtag"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InvalidSourceError(ValueError):
    """One line of a list that cannot become a video; the message is the reason."""


class VideoListError(ValueError):
    """A whole list that cannot be read (unknown format, missing column, undecodable)."""


@dataclass(frozen=True)
class VideoSource:
    """Where one video comes from.

    Attributes:
        video_id: the partition key (never depends on credentials in the URL).
        source_url: the URL as stored and shown: credentials replaced by ``***``.
        source_kind: ``youtube``, ``url`` or ``file``.
        fetch_url: the exact URL to download when it carries credentials (None otherwise);
            it is never stored, logged or printed (not even in ``repr``).
    """

    video_id: str
    source_url: str
    source_kind: str
    fetch_url: str | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class VideoEntry:
    """An accepted line of a list."""

    source: VideoSource
    line_number: int
    metadata: dict[str, str | None] = field(default_factory=dict)

    @property
    def video_id(self) -> str:
        return self.source.video_id


@dataclass(frozen=True)
class Rejection:
    """A rejected line of a list and why."""

    line_number: int
    raw_text: str
    reason: str


@dataclass
class ParsedList:
    """The result of reading one list."""

    list_file: str
    entries: list[VideoEntry]
    rejections: list[Rejection]

    @property
    def video_ids(self) -> list[str]:
        return [entry.video_id for entry in self.entries]


@dataclass(frozen=True)
class LocalFilePolicy:
    """Whether local files may be listed, and the folder they must stay inside."""

    allowed: bool = False
    root: Path | None = None  # None: the list file's own folder


def list_id_for(list_file: str) -> str:
    """A stable, path-safe identifier for a list file (used as its table partition)."""
    return hashlib.sha1(list_file.encode("utf-8")).hexdigest()[:16]


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def youtube_video_id(url: str) -> str | None:
    """The video ID of a YouTube URL, None if the URL is not YouTube's.

    Raises:
        InvalidSourceError: a YouTube URL without a valid video ID (a playlist or channel
            page, an ID of the wrong length or with bad characters).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in _YOUTUBE_HOSTS and host not in _SHORT_HOSTS:
        return None
    query = parse_qs(parts.query)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    candidate: str | None = None
    if host in _SHORT_HOSTS:
        candidate = segments[0] if segments else None
    elif "v" in query:
        candidate = query["v"][0]
    elif segments and segments[0] == "attribution_link" and "u" in query:
        return youtube_video_id("https://www.youtube.com" + query["u"][0])
    elif len(segments) >= 2 and segments[0] in _ID_PATH_PREFIXES:
        candidate = segments[1]
    elif segments and (segments[0] in _NOT_VIDEO_PAGES or segments[0].startswith("@")):
        kind = "playlist" if segments[0] == "playlist" else "channel or search page"
        raise InvalidSourceError(
            f"YouTube {kind} URLs are not supported: list the individual video URLs instead."
        )
    if not candidate:
        raise InvalidSourceError("YouTube URL has no video ID (expected watch?v=<11 chars>).")
    if not _YOUTUBE_ID.match(candidate):
        raise InvalidSourceError(
            f"YouTube video ID {candidate!r} is invalid: IDs are exactly 11 characters of "
            "A-Z, a-z, 0-9, '_' and '-'."
        )
    return candidate


def normalize_source(
    raw: str, *, base_dir: Path | None = None, local_files: LocalFilePolicy | None = None
) -> VideoSource:
    """Turn one list entry into a :class:`VideoSource`.

    Args:
        raw: the URL, bare YouTube ID or local path as written in the list.
        base_dir: the folder relative local paths are resolved against (the list's folder).
        local_files: whether local files are allowed and where they must live.

    Raises:
        InvalidSourceError: with the reason the entry is rejected.
    """
    policy = local_files or LocalFilePolicy()
    text = raw.strip()
    if not text:
        raise InvalidSourceError("empty entry: give a video URL.")
    if _CONTROL.search(text):
        raise InvalidSourceError("entry contains control characters.")
    if any(ch.isspace() for ch in text):
        raise InvalidSourceError(
            "entry contains spaces: put one URL per line (use a .csv or .jsonl list for titles "
            "and other fields)."
        )
    lowered = text.lower()
    if "://" not in text and re.match(
        r"^(www\.|m\.|music\.)?(youtube\.com|youtu\.be|youtube-nocookie\.com)/", lowered
    ):
        text = "https://" + text
        lowered = text.lower()

    scheme = lowered.split("://", 1)[0] if "://" in lowered else ""
    opaque = re.match(r"^([a-z][a-z0-9+.-]*):(?!//)", lowered)
    if not scheme and opaque:  # mailto:, javascript:, data: ...
        scheme = opaque.group(1)
    if scheme in ("http", "https"):
        parts = urlsplit(text)
        if not parts.hostname:
            raise InvalidSourceError("URL has no host name.")
        video_id = youtube_video_id(text)
        if video_id is not None:
            return VideoSource(video_id, f"https://www.youtube.com/watch?v={video_id}", "youtube")
        # Normalise case and drop the fragment so the same URL always hashes the same. Only
        # the scheme and host are case-insensitive: user information (a password) is kept
        # byte-exact for the download and left out of the key and of everything stored.
        public, userinfo = split_credentials(text)
        public_parts = urlsplit(public)
        scheme, host = public_parts.scheme.lower(), public_parts.netloc.lower()
        path, query = public_parts.path or "/", public_parts.query
        canonical = urlunsplit((scheme, host, path, query, ""))
        video_id = f"url-{_short_hash(canonical)}"
        if userinfo is None:
            return VideoSource(video_id, canonical, "url")
        return VideoSource(
            video_id,
            urlunsplit((scheme, f"{REDACTED}@{host}", path, query, "")),
            "url",
            fetch_url=urlunsplit((scheme, f"{userinfo}@{host}", path, query, "")),
        )
    if scheme == "file" or (not scheme and _looks_like_path(text)):
        return _local_source(text, base_dir=base_dir, policy=policy)
    if scheme:
        raise InvalidSourceError(
            f"unsupported URL scheme {scheme!r}: use http(s) URLs"
            + (" or local files" if policy.allowed else "")
            + "."
        )
    if _YOUTUBE_ID.match(text):
        return VideoSource(text, f"https://www.youtube.com/watch?v={text}", "youtube")
    raise InvalidSourceError(
        "not a URL or an 11-character YouTube video ID "
        f"(got {len(text)} characters): give a full http(s) URL."
    )


def _looks_like_path(text: str) -> bool:
    return text.startswith(("/", "./", "../", "~")) or bool(re.search(r"\.[A-Za-z0-9]{2,4}$", text))


def _local_source(text: str, *, base_dir: Path | None, policy: LocalFilePolicy) -> VideoSource:
    if not policy.allowed:
        raise InvalidSourceError(
            "local files are not allowed: set allow_local_files (PIXEL_ALLOW_LOCAL_FILES=true "
            "or `pixel-voice run --allow-local-files`) or give an http(s) URL."
        )
    path_text = unquote(urlsplit(text).path) if text.lower().startswith("file://") else text
    path = Path(path_text).expanduser()
    if not path.is_absolute():
        if base_dir is None:
            raise InvalidSourceError(
                "relative local path in a list without a folder: use an absolute path."
            )
        path = base_dir / path
    resolved = path.resolve()
    root = (policy.root or base_dir or Path("/")).resolve()
    if not resolved.is_relative_to(root):
        raise InvalidSourceError(
            f"local path {path_text!r} resolves outside the allowed folder {root}: "
            "move the file under it or change local_files_root."
        )
    if not resolved.is_file():
        raise InvalidSourceError(f"local file {resolved} does not exist.")
    return VideoSource(f"file-{_short_hash(str(resolved))}", resolved.as_uri(), "file")


def _clean_metadata(values: dict[str, object]) -> dict[str, str | None]:
    metadata: dict[str, str | None] = {}
    for name in LIST_METADATA_COLUMNS:
        value = values.get(name)
        if isinstance(value, list | tuple):
            value = ";".join(str(v) for v in value)
        metadata[name] = None if value is None or str(value).strip() == "" else str(value).strip()
    return metadata


def _csv_rows(list_file: str, text: str) -> list[tuple[int, str, str | None, dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    rows: list[tuple[int, str, str | None, dict[str, object]]] = []
    if "url" not in fields:
        raise VideoListError(
            f"{list_file}: CSV lists need a header row with a 'url' column "
            f"(found {fields or 'no header'})."
        )
    reader.fieldnames = fields
    for record in reader:
        number = reader.line_num
        values = {k: v for k, v in record.items() if k is not None}
        raw = ",".join(str(v) for v in record.values() if v is not None)
        if not any((v or "").strip() for v in values.values() if isinstance(v, str)):
            continue
        if None in record:
            rows.append((number, raw, None, {"_error": "more fields than the header has"}))
            continue
        rows.append((number, raw, (values.get("url") or "").strip(), values))
    return rows


def _rows(list_file: str, text: str) -> list[tuple[int, str, str | None, dict[str, object]]]:
    """(line number, raw line, url or None, fields) for each non-blank, non-comment row."""
    suffix = Path(list_file).suffix.lower()
    rows: list[tuple[int, str, str | None, dict[str, object]]] = []
    if suffix == ".txt":
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.split(" #", 1)[0].strip()
            if stripped and not stripped.startswith("#"):
                rows.append((number, line, stripped, {}))
    elif suffix == ".csv":
        try:
            return _csv_rows(list_file, text)
        except csv.Error as exc:  # e.g. a field over the csv module's size limit
            raise VideoListError(
                f"{list_file}: CSV cannot be read ({exc}); fix or remove the oversized or "
                "malformed row."
            ) from exc
    elif suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if len(line) > MAX_LINE_CHARS:  # not worth parsing: it is rejected anyway
                rows.append((number, line, None, {"_error": _too_long(line)}))
                continue
            try:
                record = json.loads(stripped)
            except json.JSONDecodeError as exc:
                rows.append((number, line, None, {"_error": f"invalid JSON ({exc.msg})"}))
                continue
            if not isinstance(record, dict):
                rows.append((number, line, None, {"_error": "line is not a JSON object"}))
                continue
            url = record.get("url")
            if not isinstance(url, str):
                rows.append((number, line, None, {"_error": "JSON object has no string 'url'"}))
                continue
            rows.append((number, line, url, record))
    else:
        raise VideoListError(
            f"{list_file}: unsupported list format {suffix or '(no suffix)'}; "
            f"use one of {', '.join(SUPPORTED_SUFFIXES)}."
        )
    return rows


def _too_long(raw: str) -> str:
    return (
        f"line is {len(raw)} characters, over the {MAX_LINE_CHARS}-character limit: a media URL "
        "is never that long; check the line was not pasted by mistake."
    )


def _shown(raw: str) -> str:
    """The part of a rejected line that is stored: long lines are cut, credentials hidden."""
    text = redact_text(raw)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + f"… ({len(raw)} chars)"


def parse_video_list(
    list_file: str,
    text: str,
    *,
    base_dir: Path | None = None,
    local_files: LocalFilePolicy | None = None,
) -> ParsedList:
    """Parse a list's text; every bad line becomes a :class:`Rejection`, never an exception.

    Args:
        list_file: the list's path or URI (its suffix picks the format).
        text: the list's content.
        base_dir: folder for relative local paths (the list's folder for local lists).
        local_files: local file policy.

    Raises:
        VideoListError: the list as a whole cannot be read (format or CSV header).
    """
    entries: list[VideoEntry] = []
    rejections: list[Rejection] = []
    first_line_of: dict[str, int] = {}
    for number, raw, url, values in _rows(list_file, text):
        if url is None:
            rejections.append(Rejection(number, _shown(raw), str(values.get("_error"))))
            continue
        if len(raw) > MAX_LINE_CHARS:
            rejections.append(Rejection(number, _shown(raw), _too_long(raw)))
            continue
        try:
            source = normalize_source(url, base_dir=base_dir, local_files=local_files)
        except InvalidSourceError as exc:
            rejections.append(Rejection(number, _shown(raw), str(exc)))
            continue
        if source.video_id in first_line_of:
            rejections.append(
                Rejection(
                    number,
                    _shown(raw),
                    f"duplicate of line {first_line_of[source.video_id]} "
                    f"(video {source.video_id}).",
                )
            )
            continue
        first_line_of[source.video_id] = number
        entries.append(VideoEntry(source, number, _clean_metadata(values)))
    return ParsedList(list_file, entries, rejections)


def read_video_list(
    path: Path, *, local_files: LocalFilePolicy | None = None
) -> ParsedList:
    """Read and parse a list file from disk (relative local paths resolve from its folder)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VideoListError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8.") from exc
    except OSError as exc:
        raise VideoListError(f"{path}: cannot read the list ({exc.strerror}).") from exc
    return parse_video_list(
        str(path.resolve()), text, base_dir=path.resolve().parent, local_files=local_files
    )
