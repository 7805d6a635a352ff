"""Errors a stage raises for one video; assets record them in ``pipeline_failures``.

Each error's message names the video and the fix; ``retryable`` tells the asset whether a
retry may help (a network blip) or not (a private video).
"""

from __future__ import annotations


class PipelineError(Exception):
    """A failure of one video in one stage."""

    error_type = "pipeline_error"
    retryable = False

    def __init__(self, message: str, *, retryable: bool | None = None) -> None:
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable


class SourceNotRegisteredError(PipelineError):
    error_type = "source_not_registered"


class VideoUnavailableError(PipelineError):
    error_type = "video_unavailable"


class TransientDownloadError(PipelineError):
    error_type = "transient_download_error"
    retryable = True


class VideoTooLongError(PipelineError):
    error_type = "video_too_long"


class CorruptMediaError(PipelineError):
    error_type = "corrupt_media"


class MissingInputError(PipelineError):
    """An upstream artifact this stage needs is absent (materialise upstream first)."""

    error_type = "missing_input"
