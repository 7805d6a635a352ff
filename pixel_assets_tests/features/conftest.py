"""Shared fixtures of the feature tests: the committed audio fixtures and once-loaded models."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

os.environ.setdefault("HF_HUB_OFFLINE", "1")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass
class AudioFixture:
    """A committed FLAC fixture and its ground truth."""

    audio: np.ndarray
    sample_rate: int
    truth: dict


def load_audio_fixture(folder: str, name: str) -> AudioFixture:
    """``fixtures/<folder>/<name>.flac`` + ``.json``."""
    audio, sr = sf.read(FIXTURES / folder / f"{name}.flac", dtype="float32")
    truth = json.loads((FIXTURES / folder / f"{name}.json").read_text())
    return AudioFixture(audio, sr, truth)


@pytest.fixture(scope="session")
def prosody_fixture() -> AudioFixture:
    return load_audio_fixture("prosody", "prosody")


@pytest.fixture(scope="session")
def two_voices_fixture() -> AudioFixture:
    return load_audio_fixture("speech", "two_voices")


@pytest.fixture(scope="session")
def prosody_sections(prosody_fixture) -> pd.DataFrame:
    """The prosody fixture's sections as segment rows (``segment_id`` = section name)."""
    sections = pd.DataFrame(prosody_fixture.truth["sections"])
    return sections.assign(segment_id=sections["name"]).set_index("name", drop=False)


@pytest.fixture(scope="session")
def transcriber():
    """Whisper tiny.en (offline default), loaded once for the session."""
    from pixel_assets.transcription import WhisperTranscriber

    return WhisperTranscriber()


@pytest.fixture(scope="session")
def embedder():
    """The default sentence embedder, loaded once (as the resource does)."""
    from pixel_assets.resources.features import EmbedderResource

    return EmbedderResource(device="cpu").get_embedder()
