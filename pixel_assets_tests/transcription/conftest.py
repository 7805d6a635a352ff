"""Shared fixtures: the committed speech fixtures and once-per-session models."""

from __future__ import annotations

import os

import pytest
from transcription_helpers import SpeechFixture, load_fixture

# No model hub is reachable; make any accidental hub lookup fail fast instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def one_voice() -> SpeechFixture:
    return load_fixture("one_voice")


@pytest.fixture(scope="session")
def two_voices() -> SpeechFixture:
    return load_fixture("two_voices")


@pytest.fixture(scope="session")
def transcriber():
    """The default transcriber, loaded once for the whole session (as the resource does)."""
    from pixel_assets.transcription.asr import WhisperTranscriber

    return WhisperTranscriber()


@pytest.fixture(scope="session")
def diarizer():
    """The default resemblyzer diarizer, loaded once."""
    from pixel_assets.transcription.diarization import make_diarizer

    return make_diarizer("resemblyzer")


@pytest.fixture
def all_resources(pixel_resources):
    """Every resource of the code location with its defaults, on the test's storage root."""
    from pixel_assets.resources import resources_for

    return {**resources_for(), **pixel_resources}
