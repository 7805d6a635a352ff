"""Helpers for the transcription tests: fixture loading and VAD regions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

SPEECH_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "speech"


@dataclass
class SpeechFixture:
    """One committed audio fixture with its ground truth."""

    audio: np.ndarray
    sample_rate: int
    truth: dict

    @property
    def duration_s(self) -> float:
        """Length of the audio."""
        return len(self.audio) / self.sample_rate


def load_fixture(name: str) -> SpeechFixture:
    """Load ``<name>.flac`` and ``<name>.json`` from the speech fixtures folder."""
    audio, sr = sf.read(SPEECH_DIR / f"{name}.flac", dtype="float32")
    truth = json.loads((SPEECH_DIR / f"{name}.json").read_text())
    return SpeechFixture(audio, sr, truth)


def vad_regions(audio: np.ndarray) -> list[tuple[float, float]]:
    """Speech regions from faster-whisper's Silero VAD, as the QC stage would give."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300))
    return [(s["start"] / 16_000, s["end"] / 16_000) for s in stamps]
