"""Shared helpers for the audio tests: fixture loading as ingest would deliver it."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pyloudnorm as pyln
import soundfile as sf

from pixel_assets.audio.vad import Region, detect_speech

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "audio"
TRUTH: dict[str, dict] = json.loads((FIXTURES / "truth.json").read_text())
SR = 16_000
FRAME = 480


@functools.cache
def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(audio, source)``: -23 LUFS normalised (like ingest's audio.flac) and the original."""
    source, sr = sf.read(FIXTURES / f"{name}.flac", dtype="float32")
    assert sr == SR, f"{name}.flac is {sr} Hz; rerun make_audio_fixtures.py"
    loudness = pyln.Meter(SR).integrated_loudness(source.astype(np.float64))
    if not np.isfinite(loudness):  # digital silence: nothing to normalise
        return source, source
    audio = pyln.normalize.loudness(source.astype(np.float64), loudness, -23.0)
    return np.clip(audio, -1.0, 1.0).astype(np.float32), source


@functools.cache
def regions(name: str) -> list[Region]:
    """VAD speech regions of a fixture (default VadConfig)."""
    return detect_speech(load(name)[0], SR)


def true_snr_db(clean: np.ndarray, noisy: np.ndarray) -> float:
    """SNR as make_audio_fixtures.py defines it: active clean-speech power / noise power."""
    clean = clean.astype(np.float64)
    noise = noisy.astype(np.float64) - clean
    n = clean.size // FRAME * FRAME
    powers = (clean[:n].reshape(-1, FRAME) ** 2).mean(axis=1)
    active = powers[powers >= powers.max() * 1e-4].mean()
    return float(10 * np.log10(active / np.mean(noise**2)))
