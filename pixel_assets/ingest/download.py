"""Download a video's best audio with yt-dlp's Python API."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yt_dlp
from yt_dlp.utils import YoutubeDLError

from pixel_assets.errors import (
    TransientDownloadError,
    VideoTooLongError,
    VideoUnavailableError,
)

# yt-dlp reports failures as text; these patterns separate "will never work" from
# "may work on retry", so permanent failures are not retried.
_PERMANENT = re.compile(
    r"HTTP Error (400|401|403|404|410|451)|Private video|Video unavailable|"
    r"This video is unavailable|has been removed|members-only|Sign in to confirm your age|"
    r"Unsupported URL|not a valid URL|No video formats found|Requested format is not available|"
    r"confirm you.re not a bot|copyright",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DownloadOptions:
    """How yt-dlp downloads.

    Attributes:
        max_duration_s: videos longer than this are rejected before download when the
            extractor knows the duration (and after download otherwise).
        retries: yt-dlp's own retries for HTTP errors and fragments.
        socket_timeout_s: network timeout per request.
        allow_local_files: enable ``file://`` URLs (demo and tests).
    """

    max_duration_s: float = 4 * 3600.0
    retries: int = 3
    socket_timeout_s: float = 30.0
    allow_local_files: bool = False


@dataclass(frozen=True)
class DownloadedMedia:
    """A downloaded media file and what the extractor said about it."""

    path: Path
    info: dict[str, Any]


class _YtDlpLogger:
    """Routes yt-dlp's messages to a standard logger (it prints to stdout otherwise)."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def debug(self, msg: str) -> None:
        self._logger.debug(msg)

    def info(self, msg: str) -> None:
        self._logger.debug(msg)

    def warning(self, msg: str) -> None:
        self._logger.warning(msg)

    def error(self, msg: str) -> None:
        self._logger.debug(msg)


def source_metadata(info: dict[str, Any]) -> dict[str, Any]:
    """The extractor fields recorded in the ``videos`` table."""
    return {
        "title": info.get("title"),
        "channel": info.get("channel") or info.get("uploader"),
        "uploader": info.get("uploader"),
        "duration_s": float(info["duration"]) if info.get("duration") else None,
        "upload_date": info.get("upload_date"),
        "webpage_url": info.get("webpage_url") or info.get("original_url"),
        "extractor": info.get("extractor_key") or info.get("extractor"),
        "license": info.get("license"),
        "source_format": info.get("ext"),
    }


def download_audio(
    video_id: str,
    url: str,
    work_dir: Path,
    options: DownloadOptions,
    logger: logging.Logger | None = None,
) -> DownloadedMedia:
    """Download the best audio of ``url`` into ``work_dir``.

    Raises:
        VideoUnavailableError: the source is gone, private, forbidden or not media.
        TransientDownloadError: a network failure that a retry may fix.
        VideoTooLongError: the extractor reports a duration above ``max_duration_s``.
    """
    log = logger or logging.getLogger(__name__)
    ydl_options: dict[str, Any] = {
        "format": "bestaudio/best",
        "outtmpl": {"default": str(work_dir / "source.%(ext)s")},
        "noplaylist": True,
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "retries": options.retries,
        "fragment_retries": options.retries,
        "extractor_retries": options.retries,
        "socket_timeout": options.socket_timeout_s,
        "enable_file_urls": options.allow_local_files,
        "logger": _YtDlpLogger(log),
        "cachedir": False,
    }
    try:
        with yt_dlp.YoutubeDL(ydl_options) as ydl:
            info = ydl.extract_info(url, download=False)
            if info is None:
                raise VideoUnavailableError(f"Video {video_id}: yt-dlp found nothing at {url}.")
            duration = info.get("duration")
            if duration and duration > options.max_duration_s:
                raise VideoTooLongError(
                    f"Video {video_id}: duration {duration:.0f}s exceeds max_duration_s "
                    f"{options.max_duration_s:.0f}s; raise max_duration_s "
                    "(PIXEL_MAX_DURATION_S) to ingest it."
                )
            info = ydl.process_ie_result(info, download=True)
    except YoutubeDLError as exc:
        message = re.sub(r"^ERROR:\s*", "", str(exc))
        if _PERMANENT.search(message):
            raise VideoUnavailableError(
                f"Video {video_id}: download failed ({message}) from {url}; check the URL "
                "is public and still online."
            ) from exc
        raise TransientDownloadError(
            f"Video {video_id}: download failed ({message}) from {url}; it will be retried."
        ) from exc
    files = [p for p in work_dir.glob("source.*") if not p.name.endswith((".part", ".ytdl"))]
    if not files:
        raise VideoUnavailableError(f"Video {video_id}: yt-dlp wrote no file for {url}.")
    return DownloadedMedia(path=files[0], info=dict(info))
