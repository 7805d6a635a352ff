"""ASR and diarization of one video at the same time.

The two read the same audio and need nothing from each other until their results are joined
(`speakers.assign_speakers`). ASR alone leaves cores idle: on 2 CPU cores faster-whisper's
beam search kept 1.6 of them busy, so diarization (~5 s per 20 min, 1.35 cores) run beside it
costs little wall time (20 min: 37.8 s one after the other, 32.8 s together); on a GPU the two
share the device the same way. Both libraries (ctranslate2, torch) release the GIL while they
compute.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

TranscriptT = TypeVar("TranscriptT")
DiarizationT = TypeVar("DiarizationT")


def transcribe_while_diarizing(
    transcribe: Callable[[], TranscriptT], diarize: Callable[[], DiarizationT]
) -> tuple[TranscriptT, DiarizationT]:
    """``(transcribe(), diarize())``, diarization in a second thread while ASR runs in this one.

    An error of either is raised as itself once both have finished (ASR's first), so a failed
    step leaves nothing running behind it. An interrupt (Ctrl-C, SIGTERM: Dagster raises
    ``DagsterExecutionInterruptedError``, a ``BaseException``) is raised at once instead: the
    run must stop within seconds, and diarizing hours of audio can take a minute. The
    diarization thread is a daemon, so it ends with the process.
    """
    outcome: dict[str, Any] = {}

    def side() -> None:
        try:
            outcome["result"] = diarize()
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    thread = threading.Thread(target=side, name="diarization", daemon=True)
    thread.start()
    try:
        transcript = transcribe()
    except Exception:
        thread.join()
        raise
    thread.join()  # an interrupt while waiting here is raised at once too
    if "error" in outcome:
        raise outcome["error"]
    return transcript, outcome["result"]
