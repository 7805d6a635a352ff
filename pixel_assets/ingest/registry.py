"""Record parsed lists in the warehouse and find a video's registered source.

Each list owns one partition of ``video_sources`` and of ``ingest_rejections`` (keyed by
:func:`list_id_for`), so re-reading a changed list replaces its rows and nothing else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pixel_assets.errors import CredentialsUnavailableError, SourceNotRegisteredError
from pixel_assets.ingest.schemas import LIST_METADATA_COLUMNS
from pixel_assets.ingest.urls import is_redacted
from pixel_assets.ingest.video_lists import (
    SUPPORTED_SUFFIXES,
    ParsedList,
    VideoListError,
    list_id_for,
    read_video_list,
)
from pixel_assets.warehouse.storage import Storage

LIST_PARTITION = "list_id"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan_list_folder(folder: Path) -> dict[str, Path]:
    """Video-list files directly in ``folder`` (and below), by resolved path string."""
    if not folder.is_dir():
        return {}
    return {
        str(path.resolve()): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES
        and not path.name.startswith(".")
    }


def sources_frame(parsed: ParsedList, registered_at: datetime) -> pd.DataFrame:
    list_id = list_id_for(parsed.list_file)
    return pd.DataFrame(
        [
            {
                "video_id": entry.video_id,
                "source_url": entry.source.source_url,
                "source_kind": entry.source.source_kind,
                "list_file": parsed.list_file,
                "list_id": list_id,
                "line_number": entry.line_number,
                **{f"list_{k}": entry.metadata.get(k) for k in LIST_METADATA_COLUMNS},
                "registered_at": registered_at,
            }
            for entry in parsed.entries
        ]
    )


def rejections_frame(parsed: ParsedList, detected_at: datetime) -> pd.DataFrame:
    list_id = list_id_for(parsed.list_file)
    return pd.DataFrame(
        [
            {
                "list_file": parsed.list_file,
                "list_id": list_id,
                "line_number": r.line_number,
                "raw_text": r.raw_text,
                "reason": r.reason,
                "detected_at": detected_at,
            }
            for r in parsed.rejections
        ]
    )


def record_list(storage: Storage, parsed: ParsedList, now: datetime | None = None) -> None:
    """Replace this list's rows in ``video_sources`` and ``ingest_rejections``."""
    now = now or datetime.now(UTC)
    list_id = list_id_for(parsed.list_file)
    for table, frame in (
        ("video_sources", sources_frame(parsed, now)),
        ("ingest_rejections", rejections_frame(parsed, now)),
    ):
        if frame.empty:
            storage.delete_partition(table, list_id, column=LIST_PARTITION)
        else:
            storage.write_partition(table, list_id, frame, column=LIST_PARTITION)


def record_list_error(storage: Storage, list_file: str, reason: str) -> None:
    """Record a list that could not be read at all as one rejection (line 0)."""
    frame = pd.DataFrame(
        [
            {
                "list_file": list_file,
                "list_id": list_id_for(list_file),
                "line_number": 0,
                "raw_text": "",
                "reason": reason,
                "detected_at": datetime.now(UTC),
            }
        ]
    )
    storage.delete_partition("video_sources", list_id_for(list_file), column=LIST_PARTITION)
    storage.write_partition(
        "ingest_rejections", list_id_for(list_file), frame, column=LIST_PARTITION
    )


@dataclass(frozen=True)
class RegisteredSource:
    """The list row a video was registered from."""

    video_id: str
    source_url: str
    source_kind: str
    list_file: str | None
    line_number: int | None
    metadata: dict[str, str | None]


def lookup_source(storage: Storage, video_id: str) -> RegisteredSource:
    """The earliest registration of ``video_id`` in any list.

    Raises:
        SourceNotRegisteredError: no list names this video.
    """
    sources = storage.read_table("video_sources")
    rows = sources[sources["video_id"] == video_id]
    if rows.empty:
        raise SourceNotRegisteredError(
            f"Video {video_id}: no video list names it, so there is no URL to download; add it "
            "to a list in the watched folder (or run `pixel-voice run LIST`) first."
        )
    row = rows.sort_values(["registered_at", "line_number"]).iloc[0]
    return RegisteredSource(
        video_id=video_id,
        source_url=str(row["source_url"]),
        source_kind=str(row["source_kind"]),
        list_file=row["list_file"],
        line_number=None if pd.isna(row["line_number"]) else int(row["line_number"]),
        metadata={
            k: (None if pd.isna(row[f"list_{k}"]) else row[f"list_{k}"])
            for k in LIST_METADATA_COLUMNS
        },
    )


def fetch_url(source: RegisteredSource) -> str:
    """The exact URL to download ``source`` from.

    Credentials are never stored, so a source registered with ``user:password@`` in its URL
    is read again from its list file, the only place the password lives.

    Raises:
        CredentialsUnavailableError: the list is not a readable local file any more, or no
            longer names this video.
    """
    if not is_redacted(source.source_url):
        return source.source_url
    fix = (
        "put the list back (credentials are read from it at download time, never stored), or "
        "drop the user:password from the URL and use a netrc file (ingest.use_netrc) or "
        "PIXEL_HTTP_HEADERS instead"
    )
    list_file = source.list_file or ""
    if "://" in list_file or not list_file:
        raise CredentialsUnavailableError(
            f"Video {source.video_id}: {source.source_url} needs the credentials written in its "
            f"list, but {list_file or 'its list'} is not a local file; {fix}."
        )
    try:
        parsed = read_video_list(Path(list_file))
    except VideoListError as exc:
        raise CredentialsUnavailableError(
            f"Video {source.video_id}: {source.source_url} needs the credentials written in "
            f"{list_file}, which cannot be read now ({exc}); {fix}."
        ) from exc
    for entry in parsed.entries:
        if entry.video_id == source.video_id and entry.source.fetch_url:
            return entry.source.fetch_url
    raise CredentialsUnavailableError(
        f"Video {source.video_id}: {list_file} no longer names {source.source_url} with "
        f"credentials; {fix}."
    )
