"""Ingest settings shared by the video-list sensor, ``raw_audio`` and the CLI."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pixel_assets.ingest.download import DownloadOptions
from pixel_assets.ingest.raw_audio import IngestOptions
from pixel_assets.ingest.video_lists import LocalFilePolicy
from pixel_assets.settings import Settings, http_headers


class IngestResource(dg.ConfigurableResource):
    """Where video lists come from and how videos are downloaded and standardised.

    Attributes:
        video_lists_dir: folder the sensor watches for .txt/.csv/.jsonl lists.
        video_lists_s3_prefix: optional ``s3://bucket/prefix`` also watched.
        allow_local_files: accept local paths / file:// URLs in lists (demo, tests).
        local_files_root: local files must resolve inside this folder (default: the
            list's own folder), so a list cannot reach arbitrary files.
        max_duration_s: longer videos are rejected (before download when known).
        target_lufs: integrated loudness after normalisation (EBU R128: -23).
        download_retries: yt-dlp's retries for HTTP errors and fragments.
        socket_timeout_s: network timeout of one request or read.
        download_deadline_s: a download still running after this long fails
            (``download_too_slow``), however steadily bytes arrive.
        min_download_bytes_per_s: a download that averages less than this over
            ``throughput_window_s`` fails (``download_too_slow``); 0 disables the rule.
        throughput_window_s: the window of the throughput rule (checked after one window).
        use_netrc: read site credentials from a netrc file instead of ``user:pass@`` URLs.
        netrc_location: that netrc file or folder (default ``~/.netrc``).
        http_headers_env: name of the environment variable holding extra request headers as
            a JSON object (e.g. a bearer token); the value is read at run time and never
            stored in config, tables or logs.
    """

    video_lists_dir: str = "video_lists"
    video_lists_s3_prefix: str | None = None
    allow_local_files: bool = False
    local_files_root: str | None = None
    max_duration_s: float = 4 * 3600.0
    target_lufs: float = -23.0
    download_retries: int = 3
    socket_timeout_s: float = 30.0
    download_deadline_s: float = 3600.0
    min_download_bytes_per_s: float = 16_384.0
    throughput_window_s: float = 60.0
    use_netrc: bool = False
    netrc_location: str | None = None
    http_headers_env: str = "PIXEL_HTTP_HEADERS"

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestResource:
        return cls(
            video_lists_dir=settings.video_lists_dir,
            video_lists_s3_prefix=settings.video_lists_s3_prefix,
            allow_local_files=settings.allow_local_files,
            max_duration_s=settings.max_duration_s,
            target_lufs=settings.target_lufs,
            download_deadline_s=settings.download_deadline_s,
            min_download_bytes_per_s=settings.min_download_bytes_per_s,
        )

    def local_file_policy(self) -> LocalFilePolicy:
        root = Path(self.local_files_root).resolve() if self.local_files_root else None
        return LocalFilePolicy(allowed=self.allow_local_files, root=root)

    def options(self) -> IngestOptions:
        return IngestOptions(
            download=DownloadOptions(
                max_duration_s=self.max_duration_s,
                retries=self.download_retries,
                socket_timeout_s=self.socket_timeout_s,
                allow_local_files=self.allow_local_files,
                deadline_s=self.download_deadline_s,
                min_bytes_per_s=self.min_download_bytes_per_s,
                throughput_window_s=self.throughput_window_s,
                use_netrc=self.use_netrc,
                netrc_location=self.netrc_location,
                http_headers=http_headers(self.http_headers_env),
            ),
            target_lufs=self.target_lufs,
        )
