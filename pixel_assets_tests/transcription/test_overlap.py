"""ASR and diarization of a video run at the same time, and a failure of either surfaces."""

from __future__ import annotations

import threading
import time

import pytest

from pixel_assets.transcription.overlap import transcribe_while_diarizing


def test_diarization_runs_while_asr_runs():
    # Each side waits at the barrier for the other: sequential calls would time out.
    both = threading.Barrier(2, timeout=5)
    threads = {}

    def side(name: str, value: str):
        def call() -> str:
            threads[name] = threading.current_thread().name
            both.wait()
            return value
        return call

    assert transcribe_while_diarizing(side("asr", "words"), side("diar", "turns")) == (
        "words", "turns"
    )
    assert threads["asr"] == threading.current_thread().name  # ASR stays in the caller
    assert threads["diar"] == "diarization"


def test_a_diarization_error_is_raised_after_asr_finishes():
    finished = []

    def transcribe() -> str:
        time.sleep(0.2)
        finished.append("asr")
        return "words"

    def diarize() -> str:
        raise RuntimeError("speaker model failed on this audio")

    with pytest.raises(RuntimeError, match="speaker model failed"):
        transcribe_while_diarizing(transcribe, diarize)
    assert finished == ["asr"]


def test_an_asr_error_waits_for_diarization_before_it_is_raised():
    finished = []

    def transcribe() -> str:
        raise ValueError("no clips to decode")

    def diarize() -> str:
        time.sleep(0.2)
        finished.append("diarization")
        return "turns"

    with pytest.raises(ValueError, match="no clips"):
        transcribe_while_diarizing(transcribe, diarize)
    assert finished == ["diarization"]  # nothing left running behind the failed step


def _dagster_interrupt() -> type[BaseException]:
    from dagster._core.errors import DagsterExecutionInterruptedError

    return DagsterExecutionInterruptedError  # what Dagster raises on SIGINT/SIGTERM


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, _dagster_interrupt()])
def test_an_interrupt_during_asr_is_raised_without_waiting_for_diarization(interrupt):
    """Ctrl-C must stop a run within seconds, even while a long video is being diarized."""
    release = threading.Event()
    finished = []

    def transcribe() -> str:
        raise interrupt

    def diarize() -> str:
        release.wait(30)
        finished.append("diarization")
        return "turns"

    started = time.monotonic()
    with pytest.raises(interrupt):
        transcribe_while_diarizing(transcribe, diarize)
    assert time.monotonic() - started < 2 and finished == []
    release.set()
