"""ASR and diarization of one video at the same time.

The two read the same audio and need nothing from each other until their results are joined
(`speakers.assign_speakers`). ASR alone leaves cores idle: on 2 CPU cores faster-whisper's
beam search kept 1.6 of them busy, so diarization (~5 s per 20 min, 1.35 cores) run beside it
costs little wall time; on a GPU the two share the device the same way. Both libraries
(ctranslate2, torch) release the GIL while they compute.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

TranscriptT = TypeVar("TranscriptT")
DiarizationT = TypeVar("DiarizationT")


def transcribe_while_diarizing(
    transcribe: Callable[[], TranscriptT], diarize: Callable[[], DiarizationT]
) -> tuple[TranscriptT, DiarizationT]:
    """``(transcribe(), diarize())``, diarization in a second thread while ASR runs in this one.

    An error of either is raised as itself once both have finished (ASR's first): nothing is
    left running in the background when the step fails.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="diarization") as pool:
        diarization = pool.submit(diarize)
        transcript = transcribe()  # an error here still waits for diarization (pool exit)
        return transcript, diarization.result()
