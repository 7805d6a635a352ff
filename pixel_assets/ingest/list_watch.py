"""Find new or changed video lists (local folder, optional S3 prefix) and register them.

The cursor maps each list's path or URI to a hash of its content (SHA-256 locally, the
ETag on S3), so an unchanged list is never parsed again and a changed one is re-read whole.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pixel_assets.ingest.registry import (
    content_hash,
    record_list,
    record_list_error,
    scan_list_folder,
)
from pixel_assets.ingest.video_lists import (
    SUPPORTED_SUFFIXES,
    LocalFilePolicy,
    ParsedList,
    VideoListError,
    parse_video_list,
)
from pixel_assets.warehouse.storage import Storage


@dataclass
class ListScan:
    """What one scan found."""

    cursor: dict[str, str]
    parsed: list[ParsedList] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)

    @property
    def rejected_lines(self) -> int:
        return sum(len(p.rejections) for p in self.parsed)


@dataclass(frozen=True)
class RemoteList:
    """A list object in S3: its URI, its ETag, and how to fetch its bytes."""

    uri: str
    etag: str
    client: Any
    bucket: str
    key: str

    def read(self) -> bytes:
        """The object's bytes.

        Raises:
            OSError: the object vanished, is forbidden, or S3 could not be reached; botocore's
                errors are not OSErrors, and one bad object must not fail the whole tick.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key)["Body"].read()
        except (BotoCoreError, ClientError) as exc:
            raise OSError(
                f"{self.uri}: cannot read the list from S3 ({exc}); it is retried next tick."
            ) from exc


def list_s3_lists(client: Any, prefix_uri: str) -> list[RemoteList]:
    """Video-list objects under ``s3://bucket/prefix`` (boto3 ``client``)."""
    parts = urlsplit(prefix_uri)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(
            f"video_lists_s3_prefix {prefix_uri!r} must look like s3://bucket/prefix."
        )
    bucket, prefix = parts.netloc, parts.path.lstrip("/")
    found = []
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            key = obj["Key"]
            if Path(key).suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(
                    RemoteList(f"s3://{bucket}/{key}", obj["ETag"].strip('"'), client, bucket, key)
                )
    return found


def _decode(uri: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VideoListError(f"{uri}: not UTF-8 text ({exc.reason}); save it as UTF-8.") from exc


def scan_lists(
    storage: Storage,
    folder: Path | None,
    previous: dict[str, str],
    *,
    local_files: LocalFilePolicy,
    remote: Iterable[RemoteList] = (),
    logger: logging.Logger | None = None,
) -> ListScan:
    """Parse and record every list that is new or changed since ``previous``.

    Lists that vanished are dropped from the cursor (their videos stay registered).
    """
    log = logger or logging.getLogger(__name__)
    scan = ListScan(cursor={})
    candidates: list[tuple[str, str | None, Any]] = []
    for uri, path in (scan_list_folder(folder) if folder else {}).items():
        candidates.append((uri, None, path))
    for item in remote:
        candidates.append((item.uri, item.etag, item))

    for uri, known_hash, handle in candidates:
        try:
            data = handle.read_bytes() if isinstance(handle, Path) else None
            digest = known_hash or content_hash(data or b"")
            if previous.get(uri) == digest:
                scan.cursor[uri] = digest
                continue
            if data is None:
                data = handle.read()
            # Remembered only once the bytes are in hand: a read that failed (OSError) is
            # retried next tick, while a list that is read but unparsable waits for a change.
            scan.cursor[uri] = digest
            text = _decode(uri, data)
            base_dir = handle.resolve().parent if isinstance(handle, Path) else None
            # Lists fetched from S3 can never name local files.
            policy = local_files if isinstance(handle, Path) else LocalFilePolicy(allowed=False)
            parsed = parse_video_list(uri, text, base_dir=base_dir, local_files=policy)
        except OSError as exc:
            # The bytes could not be fetched (S3 error, permissions): that says nothing about
            # the list's content, so its registered videos stay and it is retried next tick.
            scan.unreadable[uri] = str(exc)
            log.warning("Video list %s cannot be read (retried next tick): %s", uri, exc)
            continue
        except VideoListError as exc:
            reason = str(exc)
            scan.unreadable[uri] = reason
            record_list_error(storage, uri, reason)
            log.warning("Video list %s cannot be read: %s", uri, reason)
            continue
        record_list(storage, parsed)
        scan.parsed.append(parsed)
        log.info(
            "Video list %s: %d videos, %d rejected lines",
            uri,
            len(parsed.entries),
            len(parsed.rejections),
        )
    return scan


def new_video_ids(parsed_lists: Iterable[ParsedList], existing: set[str]) -> list[str]:
    """IDs in the lists that are not partitions yet, in list order, each once."""
    seen = set(existing)
    fresh: list[str] = []
    for parsed in parsed_lists:
        for video_id in parsed.video_ids:
            if video_id not in seen:
                seen.add(video_id)
                fresh.append(video_id)
    return fresh
