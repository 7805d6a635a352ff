"""Whisper language ID with the offline multilingual base model from the wheels."""

from __future__ import annotations

from pathlib import Path

import pytest

from pixel_assets.audio.language import (
    DEFAULT_LANGUAGE_MODEL,
    LanguageIdentifier,
    resolve_whisper_model,
)
from pixel_assets.audio.qc import QCThresholds, evaluate, measure_audio

from .helpers import SR, load, regions


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def identifier(tmp_path_factory: pytest.TempPathFactory) -> LanguageIdentifier:
    return LanguageIdentifier(cache_dir=tmp_path_factory.mktemp("models"), cpu_threads=2)


def test_other_names_pass_through(tmp_path: Path) -> None:
    assert resolve_whisper_model("base", tmp_path) == "base"
    assert resolve_whisper_model("/models/my-ct2", tmp_path) == "/models/my-ct2"
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_offline_model_is_assembled_once(tmp_path: Path) -> None:
    path = Path(resolve_whisper_model(DEFAULT_LANGUAGE_MODEL, tmp_path))
    assert path == tmp_path / "whisper-base"
    names = {p.name for p in path.iterdir()}
    assert names == {"config.json", "tokenizer.json", "vocabulary.txt", "model.bin"}
    stamp = (path / "model.bin").stat().st_mtime_ns
    assert resolve_whisper_model(DEFAULT_LANGUAGE_MODEL, tmp_path) == str(path)
    assert (path / "model.bin").stat().st_mtime_ns == stamp  # reused, not rewritten
    # A truncated model (e.g. an interrupted copy) is rebuilt.
    with open(path / "model.bin", "r+b") as f:
        f.truncate(1000)
    resolve_whisper_model(DEFAULT_LANGUAGE_MODEL, tmp_path)
    assert (path / "model.bin").stat().st_size > 100_000_000
    assert [p.name for p in tmp_path.iterdir()] == ["whisper-base"]  # no temp dirs left


@pytest.mark.slow
def test_detects_english_and_french(identifier: LanguageIdentifier) -> None:
    language, probability = identifier.detect(load("clean_en")[0], regions("clean_en"))
    assert language == "en" and probability > 0.8
    language, probability = identifier.detect(load("french")[0], regions("french"))
    assert language == "fr" and probability > 0.4


@pytest.mark.slow
def test_french_fails_english_only_qc(identifier: LanguageIdentifier) -> None:
    audio, source = load("french")
    language, probability = identifier.detect(audio, regions("french"))
    metrics = measure_audio(
        audio, source, SR, regions("french"), language, probability, dnsmos=None
    )
    reasons = evaluate(metrics, QCThresholds(allowed_languages=("en",)))
    assert reasons == ["language fr not in allowed_languages [en]"]


@pytest.mark.slow
def test_no_speech_gives_no_language(identifier: LanguageIdentifier) -> None:
    assert identifier.detect(load("tone_chord")[0], []) == (None, None)
