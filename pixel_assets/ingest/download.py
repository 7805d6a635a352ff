"""Download a video's best audio with yt-dlp, in a child process this step supervises.

The child (:mod:`pixel_assets.ingest.fetch_worker`) can be stopped at any moment, which a
blocking read inside this process cannot: on Ctrl-C / SIGTERM (the step then ends within a
second), when the overall deadline passes, or when fewer than ``min_bytes_per_s`` arrived
over the last ``throughput_window_s``. yt-dlp's error text is then sorted into permanent
faults (fail at once, with the reason and the fix) and transient ones (retried).
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pixel_assets.errors import (
    DownloadTooSlowError,
    EmptyMediaError,
    PipelineError,
    TransientDownloadError,
    VideoTooLongError,
    VideoUnavailableError,
)
from pixel_assets.ingest.urls import redact_text, redact_url

# Source answers that will never change: retrying them only wastes minutes.
_GONE = re.compile(
    r"Private video|Video unavailable|This video is unavailable|has been removed|"
    r"members-only|Sign in to confirm your age|confirm you.re not a bot|copyright|"
    r"No video formats found|Requested format is not available",
    re.IGNORECASE,
)
_UNSUPPORTED = re.compile(r"Unsupported URL|not a valid URL", re.IGNORECASE)
_EMPTY = re.compile(r"Did not get any data blocks|downloaded file is empty", re.IGNORECASE)
_REDIRECT_LOOP = re.compile(r"redirect loop|too many redirects|infinite loop", re.IGNORECASE)
_PERMISSION = re.compile(r"Permission denied|Errno 13|PermissionError", re.IGNORECASE)
_HTTP_STATUS = re.compile(r"HTTP Error (\d{3})(?::\s*([^(]*))?")
_NETWORK = re.compile(
    r"Connection refused|Name or service not known|Temporary failure in name resolution|"
    r"nodename nor servname|timed out|Network is unreachable|Connection reset|"
    r"Remote end closed|IncompleteRead|EOF occurred",
    re.IGNORECASE,
)
_RESULT_FILE = "fetch-result.json"
_LOG_FILE = "fetch-worker.log"


@dataclass(frozen=True)
class DownloadOptions:
    """How yt-dlp downloads.

    Attributes:
        max_duration_s: videos longer than this are rejected before download when the
            extractor knows the duration (and after download otherwise).
        retries: yt-dlp's own retries for HTTP errors and fragments.
        socket_timeout_s: network timeout of one request or read.
        allow_local_files: enable ``file://`` URLs (demo and tests).
        deadline_s: the whole download (metadata and media) must end within this many
            seconds, however steadily bytes arrive.
        min_bytes_per_s: slowest average rate tolerated, measured over the last
            ``throughput_window_s`` (checked once that much time has passed); 0 disables it.
        throughput_window_s: the window of the throughput rule.
        use_netrc: let yt-dlp read credentials from a netrc file (the alternative to
            ``user:password@`` in list URLs).
        netrc_location: the netrc file or folder (default ``~/.netrc``).
        http_headers: extra request headers (e.g. ``Authorization``), from the environment.
        poll_interval_s: how often the child is checked (tests shorten it).
    """

    max_duration_s: float = 4 * 3600.0
    retries: int = 3
    socket_timeout_s: float = 30.0
    allow_local_files: bool = False
    deadline_s: float = 3600.0
    min_bytes_per_s: float = 16_384.0
    throughput_window_s: float = 60.0
    use_netrc: bool = False
    netrc_location: str | None = None
    http_headers: dict[str, str] = field(default_factory=dict, repr=False)
    poll_interval_s: float = 0.2


@dataclass(frozen=True)
class DownloadedMedia:
    """A downloaded media file and what the extractor said about it."""

    path: Path
    info: dict[str, Any]


def source_metadata(info: dict[str, Any]) -> dict[str, Any]:
    """The extractor fields recorded in the ``videos`` table (URLs without credentials)."""
    page = info.get("webpage_url") or info.get("original_url")
    return {
        "title": info.get("title"),
        "channel": info.get("channel") or info.get("uploader"),
        "uploader": info.get("uploader"),
        "duration_s": float(info["duration"]) if info.get("duration") else None,
        "upload_date": info.get("upload_date"),
        "webpage_url": redact_url(page) if page else None,
        "extractor": info.get("extractor_key") or info.get("extractor"),
        "license": info.get("license"),
        "source_format": info.get("ext"),
    }


def check_duration(video_id: str, duration: float | None, max_duration_s: float) -> None:
    """Reject a video the extractor says is longer than ``max_duration_s``.

    Raises:
        VideoTooLongError: naming the durations and the setting that allows it.
    """
    if duration and duration > max_duration_s:
        raise VideoTooLongError(
            f"Video {video_id}: duration {duration:.0f}s exceeds max_duration_s "
            f"{max_duration_s:.0f}s; raise max_duration_s (PIXEL_MAX_DURATION_S) to ingest it."
        )


def _clean(message: str) -> str:
    """yt-dlp's text without its prefixes and the repeated cause, credentials redacted."""
    text = re.sub(r"^ERROR:\s*", "", message.strip())
    text = re.sub(r"^\[[\w:]+\]\s*[^:]*:\s*", "", text)  # "[generic] loop: "
    text = re.sub(r"\s*\(caused by .*\)\s*$", "", text, flags=re.DOTALL)
    text = re.sub(r"Unable to download [\w ]+?:\s*", "", text)
    return redact_text(text.strip().rstrip("."))


def classify(message: str, url: str) -> tuple[type[PipelineError], str, str]:
    """Sort a yt-dlp failure: ``(error class, reason, fix)``; ``url`` is the shown URL."""
    reason = _clean(message)
    host = urlsplit(url).hostname or "the source"
    if _REDIRECT_LOOP.search(message):
        return VideoUnavailableError, f"the URL redirects in a loop ({reason})", (
            "open it in a browser and list the final media URL instead"
        )
    if _EMPTY.search(message):
        return EmptyMediaError, "the source sent an empty file (0 bytes)", (
            "check the URL points at the media file itself, not a page or a placeholder"
        )
    status = _HTTP_STATUS.search(message)
    if status:
        code = int(status.group(1))
        if code in (408, 429) or code >= 500:
            return TransientDownloadError, f"{host} answered HTTP {code} ({reason})", (
                "the server is busy or down; re-run later, and check the host if it persists"
            )
        if code in (401, 403):
            return VideoUnavailableError, f"{host} refused access (HTTP {code})", (
                "if the source needs a login, check the user and password in the URL (they "
                "are case-sensitive) or use a netrc file (ingest.use_netrc) or "
                "PIXEL_HTTP_HEADERS"
            )
        if code in (404, 410):
            return VideoUnavailableError, f"{host} has no such file (HTTP {code})", (
                "check the URL in the list, or remove the line"
            )
        if code == 414:
            return VideoUnavailableError, f"{host} says the URL is too long (HTTP 414)", (
                "shorten the URL (drop tracking parameters)"
            )
        if 400 <= code < 500:
            return VideoUnavailableError, f"{host} rejected the request (HTTP {code})", (
                "check the URL opens in a browser; fix it in the list"
            )
    if _PERMISSION.search(message):
        return VideoUnavailableError, f"the file cannot be read ({reason})", (
            "make the file readable by the user running Pixel Voice"
        )
    if _GONE.search(message):
        return VideoUnavailableError, f"the source says: {reason}", (
            "the video is private, removed or restricted; remove it from the list or replace "
            "the URL"
        )
    if _UNSUPPORTED.search(message):
        return VideoUnavailableError, f"no media found ({reason})", (
            "give a direct media URL or a page of a site yt-dlp supports"
        )
    if _NETWORK.search(message):
        return TransientDownloadError, f"cannot reach {host} ({reason})", (
            f"check this machine can reach {host} (network, proxy, firewall) and that the "
            "server is up"
        )
    return TransientDownloadError, reason or "yt-dlp gave no reason", (
        "check the URL opens in a browser"
    )


def _ydl_options(work_dir: Path, options: DownloadOptions) -> dict[str, Any]:
    ydl: dict[str, Any] = {
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
        "cachedir": False,
        "usenetrc": options.use_netrc,
    }
    if options.netrc_location:
        ydl["netrc_location"] = options.netrc_location
    if options.http_headers:
        ydl["http_headers"] = dict(options.http_headers)
    return ydl


def _bytes_so_far(work_dir: Path) -> int:
    total = 0
    for path in work_dir.glob("source.*"):
        try:
            total += path.stat().st_size
        except FileNotFoundError:  # renamed from .part between glob and stat
            continue
    return total


def _stop(process: subprocess.Popen) -> None:
    """End the child and anything it started (ffmpeg for some formats)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=3)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def _supervise(
    process: subprocess.Popen, work_dir: Path, options: DownloadOptions, what: str, shown: str
) -> None:
    """Wait for the child; stop it on the deadline or when throughput stays too low."""
    started = time.monotonic()
    samples: deque[tuple[float, int]] = deque([(started, 0)])
    while process.poll() is None:
        time.sleep(options.poll_interval_s)
        now = time.monotonic()
        elapsed = now - started
        done = _bytes_so_far(work_dir)
        samples.append((now, done))
        if elapsed > options.deadline_s:
            _stop(process)
            raise DownloadTooSlowError(
                f"{what} failed: still running after the overall deadline of "
                f"{options.deadline_s:.0f}s ({done} bytes received). Check the source is "
                "reachable and fast enough, or raise ingest.download_deadline_s "
                "(PIXEL_DOWNLOAD_DEADLINE_S).",
                source_url=shown,
            )
        window = options.throughput_window_s
        while len(samples) > 1 and samples[1][0] <= now - window:
            samples.popleft()
        if options.min_bytes_per_s > 0 and elapsed >= window:
            received = done - samples[0][1]
            if received < options.min_bytes_per_s * window:
                _stop(process)
                raise DownloadTooSlowError(
                    f"{what} failed: only {received} bytes arrived in the last {window:.0f}s, "
                    f"below the minimum of {options.min_bytes_per_s:.0f} bytes/s. The source "
                    "is stalled or throttled; try again later, or lower "
                    "ingest.min_download_bytes_per_s (PIXEL_MIN_DOWNLOAD_BYTES_PER_S).",
                    source_url=shown,
                )


def download_audio(
    video_id: str,
    url: str,
    work_dir: Path,
    options: DownloadOptions,
    logger: logging.Logger | None = None,
) -> DownloadedMedia:
    """Download the best audio of ``url`` into ``work_dir``.

    ``url`` is used byte-exact (credentials included); every message shows it redacted.
    An interrupt (KeyboardInterrupt, Dagster's interrupt error) stops the download at once
    and propagates.

    Raises:
        VideoUnavailableError: a permanent fault (HTTP 4xx but 408/429, gone, redirect loop).
        EmptyMediaError: the source sent 0 bytes.
        TransientDownloadError: a failure a retry may fix (network, 5xx, 408, 429).
        DownloadTooSlowError: the deadline passed or throughput stayed below the minimum.
        VideoTooLongError: the extractor reports a duration above ``max_duration_s``.
    """
    log = logger or logging.getLogger(__name__)
    shown = redact_url(url)
    what = f"Video {video_id}: download of {shown}"
    result_file = work_dir / _RESULT_FILE
    job = {
        "url": url,
        "ydl": _ydl_options(work_dir, options),
        "max_duration_s": options.max_duration_s,
        "result_file": str(result_file),
    }
    with open(work_dir / _LOG_FILE, "wb") as worker_log:
        # A new session: Ctrl-C in a terminal reaches this process, which then stops the
        # child itself (and cleans up), instead of both racing to handle the signal.
        process = subprocess.Popen(
            [sys.executable, "-m", "pixel_assets.ingest.fetch_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=worker_log,
            start_new_session=True,
        )
        try:
            assert process.stdin is not None
            process.stdin.write(json.dumps(job).encode("utf-8"))
            process.stdin.close()
            _supervise(process, work_dir, options, what, shown)
        except BaseException:
            _stop(process)
            raise
    worker_text = redact_text((work_dir / _LOG_FILE).read_text("utf-8", "replace"))
    for line in worker_text.splitlines()[-20:]:
        log.debug("yt-dlp: %s", line)
    if not result_file.exists():
        tail = worker_text.strip().splitlines()[-1:] or ["no output"]
        raise TransientDownloadError(
            f"{what} failed: the downloader exited with code {process.returncode} "
            f"({tail[0]}). Check the log above; re-run once fixed.",
            source_url=shown,
        )
    answer = json.loads(result_file.read_text())
    if "too_long_s" in answer:
        check_duration(video_id, answer["too_long_s"], options.max_duration_s)
    if not answer["ok"]:
        error_class, reason, fix = classify(answer["message"], shown)
        raise error_class(f"{what} failed: {reason}. Fix: {fix}.", source_url=shown)
    files = [
        p for p in work_dir.glob("source.*") if not p.name.endswith((".part", ".ytdl", ".tmp"))
    ]
    if not files:
        raise EmptyMediaError(
            f"{what} failed: yt-dlp wrote no file. Fix: check the URL points at media.",
            source_url=shown,
        )
    if files[0].stat().st_size == 0:
        raise EmptyMediaError(
            f"{what} failed: the source sent an empty file (0 bytes). Fix: check the URL "
            "points at the media file itself.",
            source_url=shown,
        )
    return DownloadedMedia(path=files[0], info=answer["info"])
