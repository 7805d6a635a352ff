"""Errors a stage raises for one video; assets record them in ``pipeline_failures``.

Each error's message names the video, the reason and the fix; ``retryable`` tells the asset
whether a retry may help (a network blip) or not (a private video, an empty file). Errors of
the machine itself (read-only storage, a full disk) are :class:`StorageUnavailableError`: no
video can succeed until someone fixes them, so the CLI stops with one line and exit code 2.
"""

from __future__ import annotations

import errno

# The error_type of a step stopped by Ctrl-C / SIGTERM (recorded, never retried).
INTERRUPTED = "interrupted"


class PipelineError(Exception):
    """A failure of one video in one stage."""

    error_type = "pipeline_error"
    retryable = False

    def __init__(
        self, message: str, *, retryable: bool | None = None, source_url: str | None = None
    ) -> None:
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable
        # Always the redacted form (see pixel_assets.ingest.urls): it is stored.
        self.source_url = source_url


class SourceNotRegisteredError(PipelineError):
    error_type = "source_not_registered"


class VideoUnavailableError(PipelineError):
    """The source answered, and the answer will not change (HTTP 4xx, private, removed)."""

    error_type = "video_unavailable"


class TransientDownloadError(PipelineError):
    """A network failure a retry may fix (5xx, 408, 429, connection refused, DNS).

    Its message reads ``... failed: <reason>. <fix>``; :meth:`with_tries` says which try it
    was, so the last one reads ``failed after 3 tries`` (and is not retried again).
    """

    error_type = "transient_download_error"
    retryable = True

    def with_tries(self, tries: int, max_tries: int) -> TransientDownloadError:
        """This error as try ``tries`` of ``max_tries`` (retryable unless it was the last)."""
        final = tries >= max_tries
        said = f" failed after {tries} tries: " if final else (
            f" failed (try {tries} of {max_tries}, retried): "
        )
        message = str(self).replace(" failed: ", said, 1)
        return TransientDownloadError(message, retryable=not final, source_url=self.source_url)


class DownloadTooSlowError(PipelineError):
    """The download missed its overall deadline or its minimum throughput."""

    error_type = "download_too_slow"


class EmptyMediaError(PipelineError):
    error_type = "empty_media"


class NoAudioStreamError(PipelineError):
    error_type = "no_audio_stream"


class VideoTooLongError(PipelineError):
    error_type = "video_too_long"


class CorruptMediaError(PipelineError):
    error_type = "corrupt_media"


class MissingInputError(PipelineError):
    """An upstream artifact this stage needs is absent (materialise upstream first)."""

    error_type = "missing_input"


class CredentialsUnavailableError(PipelineError):
    """A source whose URL had credentials, and the list that held them is gone."""

    error_type = "credentials_unavailable"


class StorageUnavailableError(PipelineError):
    """The storage root cannot be written (read-only, full, no permission): fix the machine."""

    error_type = "storage_unavailable"


# errno values that describe the machine, not the video: every video would fail the same way.
_ENVIRONMENT_ERRNOS = {
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}


def environment_problem(exc: BaseException) -> str | None:
    """One line describing a storage problem behind ``exc`` (or its causes), else None.

    Example: ``"cannot write /data/warehouse: the file system is read-only"``.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StorageUnavailableError):
            return str(current)
        if isinstance(current, OSError) and current.errno in _ENVIRONMENT_ERRNOS:
            where = current.filename or "the storage root"
            return f"cannot write {where}: {_ENVIRONMENT_ERRNOS[current.errno]}"
        current = current.__cause__ or current.__context__
    return None
