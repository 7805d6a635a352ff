"""Ingest settings shared by the video-list sensor, ``raw_audio`` and the CLI."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pixel_assets.ingest.download import DownloadOptions
from pixel_assets.ingest.raw_audio import IngestOptions
from pixel_assets.ingest.video_lists import LocalFilePolicy
from pixel_assets.settings import Settings


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
        socket_timeout_s: network timeout per request.
    """

    video_lists_dir: str = "video_lists"
    video_lists_s3_prefix: str | None = None
    allow_local_files: bool = False
    local_files_root: str | None = None
    max_duration_s: float = 4 * 3600.0
    target_lufs: float = -23.0
    download_retries: int = 3
    socket_timeout_s: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestResource:
        return cls(
            video_lists_dir=settings.video_lists_dir,
            video_lists_s3_prefix=settings.video_lists_s3_prefix,
            allow_local_files=settings.allow_local_files,
            max_duration_s=settings.max_duration_s,
            target_lufs=settings.target_lufs,
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
            ),
            target_lufs=self.target_lufs,
        )
