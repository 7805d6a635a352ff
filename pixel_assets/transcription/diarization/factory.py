"""Choose a diarizer by backend name; every backend's speakers get resemblyzer voice prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pixel_assets.cpus import cap_torch_threads
from pixel_assets.transcription.diarization.optional import PyannoteDiarizer, WhisperXDiarizer
from pixel_assets.transcription.diarization.resemblyzer_backend import ResemblyzerDiarizer
from pixel_assets.transcription.diarization.types import (
    DiarizationOptions,
    DiarizationResult,
    Diarizer,
    SpeakerTurn,
    resolve_torch_device,
)


class SingleSpeakerDiarizer:
    """No diarization: every speech region is ``SPEAKER_00`` (single-speaker material, or
    when speed matters more than speaker labels)."""

    def diarize(
        self, audio: np.ndarray, sample_rate: int, speech_regions: Sequence[tuple[float, float]]
    ) -> DiarizationResult:
        turns = [SpeakerTurn("SPEAKER_00", float(a), float(b)) for a, b in speech_regions]
        return DiarizationResult(turns=turns)


class WithVoicePrints:
    """A backend's turns plus resemblyzer voice prints of its speakers.

    Cross-video speaker linking compares the ``speakers`` table's embeddings, so they must come
    from one encoder whatever backend drew the turns (pyannote's own embeddings live in another
    space). The resemblyzer encoder ships inside its wheel, so this needs no download.
    """

    def __init__(self, backend: Diarizer, voice_printer: ResemblyzerDiarizer) -> None:
        self.backend = backend
        self.voice_printer = voice_printer

    def diarize(
        self, audio: np.ndarray, sample_rate: int, speech_regions: Sequence[tuple[float, float]]
    ) -> DiarizationResult:
        """The backend's result, with an embedding for each of its speakers."""
        result = self.backend.diarize(audio, sample_rate, speech_regions)
        if result.speaker_embeddings or not result.turns:
            return result
        prints = self.voice_printer.embed_speakers(audio, sample_rate, result.turns)
        return DiarizationResult(turns=result.turns, speaker_embeddings=prints)


_BACKENDS = ("resemblyzer", "pyannote", "whisperx", "none")


def make_diarizer(backend: str = "resemblyzer", **options: Any) -> Diarizer:
    """Build a diarizer by backend name.

    Args:
        backend: ``"resemblyzer"`` (default, offline), ``"pyannote"``, ``"whisperx"`` or
            ``"none"`` (one speaker, no embeddings). pyannote and whisperx are wrapped in
            :class:`WithVoicePrints`, so their speakers carry embeddings from the same encoder
            as resemblyzer's.
        **options: For resemblyzer, :class:`DiarizationOptions` fields plus ``device``; for
            pyannote/whisperx, their constructor arguments; none takes none. ``device`` may
            be ``"auto"`` (CUDA when torch sees a GPU, else CPU).

    Raises:
        ValueError: Unknown backend.
        MissingBackendError: The backend's optional package is not installed.
    """
    if backend not in _BACKENDS:
        raise ValueError(
            f"Unknown diarization backend {backend!r}; choose one of {', '.join(_BACKENDS)}."
        )
    if "device" in options:
        options["device"] = resolve_torch_device(options["device"])
    # Every backend but "none" runs torch (resemblyzer's voice prints at least).
    if backend != "none":
        cap_torch_threads()
    if backend == "resemblyzer":
        device = options.pop("device", "cpu")
        return ResemblyzerDiarizer(DiarizationOptions(**options), device=device)
    if backend == "none":
        # Chosen to skip speaker analysis altogether, voice prints included.
        return SingleSpeakerDiarizer()
    device = options.get("device", "cpu")
    turns_backend: Diarizer = (
        PyannoteDiarizer(**options) if backend == "pyannote" else WhisperXDiarizer(**options)
    )
    return WithVoicePrints(turns_backend, ResemblyzerDiarizer(device=device))
