"""Fetch one video's audio and store it standardised: the logic behind ``raw_audio``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pixel_assets.errors import (
    CorruptMediaError,
    NoAudioStreamError,
    StorageUnavailableError,
    VideoTooLongError,
    environment_problem,
)
from pixel_assets.ingest.download import DownloadOptions, download_audio, source_metadata
from pixel_assets.ingest.registry import RegisteredSource, fetch_url
from pixel_assets.ingest.standardise import standardise
from pixel_assets.warehouse.storage import Storage, safe_component

AUDIO_FILE = "audio.flac"
SOURCE_AUDIO_FILE = "source_16k.flac"


def audio_parts(video_id: str, name: str = AUDIO_FILE) -> tuple[str, str, str]:
    """Storage path parts of a video's audio file (``audio/<video_id>/<name>``)."""
    return ("audio", safe_component(video_id), name)


@dataclass(frozen=True)
class IngestOptions:
    """Download and standardisation settings (see :class:`DownloadOptions`)."""

    download: DownloadOptions = DownloadOptions()
    target_lufs: float = -23.0


def ingest_video(
    storage: Storage,
    source: RegisteredSource,
    options: IngestOptions,
    logger: logging.Logger | None = None,
) -> dict[str, Any]:
    """Download, standardise and store one video; return its ``videos`` row.

    Files are written to the storage root only once complete, so a crash or an interrupt
    leaves either the previous files or none (the scratch folder is always removed). The row
    and every message carry the URL without credentials.

    Raises:
        PipelineError: a subclass naming the video, the reason and the fix;
            :class:`StorageUnavailableError` when the storage or scratch space cannot be
            written (read-only, full), which no retry of this video can fix.
    """
    try:
        return _ingest(storage, source, options, logger or logging.getLogger(__name__))
    except OSError as exc:
        problem = environment_problem(exc)
        if problem is None:
            raise
        raise StorageUnavailableError(
            f"Video {source.video_id}: {problem}. Fix: free disk space or make the data "
            "directory (PIXEL_DATA_DIR) and the temp folder writable, then re-run.",
            source_url=source.source_url,
        ) from exc


_MEDIA_FIXES = {
    NoAudioStreamError: "the file has no sound; list a file or page that has an audio track",
    CorruptMediaError: "replace the file or fix the URL",
    VideoTooLongError: "raise max_duration_s (PIXEL_MAX_DURATION_S) or list a shorter video",
}


def _ingest(
    storage: Storage, source: RegisteredSource, options: IngestOptions, log: logging.Logger
) -> dict[str, Any]:
    video_id = safe_component(source.video_id)
    shown = source.source_url  # stored form: credentials already replaced by ***
    with storage.scratch_dir(f"ingest-{video_id}") as work_dir:
        log.info("Video %s: downloading %s", video_id, shown)
        media = download_audio(video_id, fetch_url(source), work_dir, options.download, log)
        try:
            result = standardise(
                media.path,
                work_dir,
                target_lufs=options.target_lufs,
                max_duration_s=options.download.max_duration_s,
            )
        except (NoAudioStreamError, CorruptMediaError, VideoTooLongError) as exc:
            fix = _MEDIA_FIXES[type(exc)]
            raise type(exc)(
                f"Video {video_id}: {exc} (source {shown}). Fix: {fix}, then re-materialise "
                "this partition.",
                source_url=shown,
            ) from exc
        audio_uri = storage.put_file(result.audio_file, *audio_parts(video_id))
        source_uri = storage.put_file(
            result.source_audio_file, *audio_parts(video_id, SOURCE_AUDIO_FILE)
        )
    extracted = source_metadata(media.info)
    log.info(
        "Video %s: %.1fs, %.1f LUFS after %.1f dB gain",
        video_id,
        result.duration_s,
        result.loudness_lufs if result.loudness_lufs is not None else float("nan"),
        result.gain_db,
    )
    return {
        "video_id": video_id,
        "source_url": shown,
        "source_kind": source.source_kind,
        **extracted,
        "title": source.metadata.get("title") or extracted["title"],
        "duration_s": result.duration_s,
        "sample_rate": result.sample_rate,
        "channels": result.channels,
        "audio_path": audio_uri,
        "source_audio_path": source_uri,
        "loudness_lufs": result.loudness_lufs,
        "source_loudness_lufs": result.source_loudness_lufs,
        "gain_db": result.gain_db,
        "list_file": source.list_file,
        "line_number": source.line_number,
        **{f"list_{k}": v for k, v in source.metadata.items()},
        "ingested_at": datetime.now(UTC),
    }


def read_normalised_audio(storage: Storage, video_id: str) -> Any:
    """The video's normalised audio (audio.flac) as a float32 array: what ASR and features read.

    Raises:
        MissingInputError: ``raw_audio`` has not been materialised for this video.
    """
    return _read_audio_file(storage, video_id, AUDIO_FILE)


def read_standardised_audio(storage: Storage, video_id: str) -> tuple[Any, Any]:
    """The video's normalised audio and its pre-normalisation source, as float32 arrays.

    Only audio QC needs the source (clipping and loudness before the gain); the others read
    `read_normalised_audio`, which spares a second file of the same size (~230 MB per hour).

    Raises:
        MissingInputError: ``raw_audio`` has not been materialised for this video.
    """
    return (
        _read_audio_file(storage, video_id, AUDIO_FILE),
        _read_audio_file(storage, video_id, SOURCE_AUDIO_FILE),
    )


def _read_audio_file(storage: Storage, video_id: str, name: str) -> Any:
    import soundfile as sf

    from pixel_assets.errors import MissingInputError

    if not storage.exists(*audio_parts(video_id, name)):
        raise MissingInputError(
            f"Video {video_id}: {'/'.join(audio_parts(video_id, name))} is missing; "
            "materialise raw_audio for this video first."
        )
    audio, _ = sf.read(str(storage.local_copy(*audio_parts(video_id, name))), dtype="float32")
    return audio
