"""Diarization types: options, turns, results and the backend protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

EMBED_SAMPLE_RATE = 16_000
"""Resemblyzer's input rate."""


class MissingBackendError(ImportError, RuntimeError):
    """An optional diarization backend was selected but its package is not installed."""


@dataclass
class DiarizationOptions:
    """Settings of the resemblyzer diarizer.

    Defaults were tuned on the espeak two-voice / one-voice fixtures (see
    ``pixel_assets_tests/transcription``); measured values are in the comments.

    Attributes:
        window_s: Embedding window. 1.5 s keeps a turn change within one or two windows while
            GE2E still gives stable d-vectors (shorter windows scatter, same-voice cosine drops).
        hop_s: Window hop; 0.75 s (50 % overlap).
        num_speakers: Force this many clusters; None = decide automatically. A forced cluster
            that only holds a few stray windows can vanish in turn smoothing (``min_turn_s``).
        min_speakers: Lower bound on the automatic count.
        max_speakers: Upper bound on the automatic count.
        threshold: Cosine distance between speaker centroids below which two clusters are
            merged into one speaker. Measured: the two fixture voices 0.33-0.38 apart; one
            voice split in two 0.14 (0.28 when the split is a single odd window, which
            ``min_speaker_share`` folds back first).
        min_speaker_share: A cluster holding less than this share of the windows is treated as
            outliers of a bigger cluster, not as a speaker of its own.
        min_turn_s: Turns shorter than this are merged into the neighbouring speaker.
        snap_s: A change point between windows is moved to the quietest 10 ms frame within this
            distance, where a pause between speakers usually is.
        silence_db: Pauses quieter than the region's loud frames (95th percentile) by this many
            dB are cut out of turns, since QC regions are coarse and include pauses between
            turns (on the two-voice fixture with one region for the whole clip this takes DER
            from 10.6 % to 0.0 %). None keeps regions whole.
        min_pause_s: Pauses inside a speaker's turn are cut out only from this length on;
            shorter ones (between sentences, ~0.35 s in the fixtures) stay inside the turn.
            Quiet runs >= 0.1 s at region edges or at a speaker change are always cut.
        pitch_split_st: Second clustering pass for similar voices: a cluster whose voice-print
            halves differ in median pitch by at least this many semitones is split
            (``clustering.split_by_pitch``; measured 3.3-4.0 for a similar pair, <= 0.25 for
            one voice). None turns the pass off. Not used with ``num_speakers``.
    """

    window_s: float = 1.5
    hop_s: float = 0.75
    num_speakers: int | None = None
    min_speakers: int = 1
    max_speakers: int = 8
    threshold: float = 0.2
    min_speaker_share: float = 0.1
    min_turn_s: float = 1.0
    snap_s: float = 0.75
    silence_db: float | None = 40.0
    min_pause_s: float = 0.5
    pitch_split_st: float | None = 1.5

    def __post_init__(self) -> None:
        if self.window_s <= 0 or self.hop_s <= 0:
            raise ValueError(
                f"Diarization window_s={self.window_s} and hop_s={self.hop_s} must be > 0."
            )
        if not 1 <= self.min_speakers <= self.max_speakers:
            raise ValueError(
                f"Diarization speaker bounds min={self.min_speakers}, max={self.max_speakers} "
                "need 1 <= min_speakers <= max_speakers."
            )
        if self.num_speakers is not None and self.num_speakers < 1:
            raise ValueError(f"num_speakers={self.num_speakers} must be >= 1 or None (auto).")


@dataclass
class SpeakerTurn:
    """A stretch of speech by one speaker; times absolute in the video (seconds)."""

    speaker: str
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        """Length of the turn."""
        return self.end_s - self.start_s


@dataclass
class DiarizationResult:
    """Turns of a whole video and one voice print per speaker.

    Attributes:
        turns: Non-overlapping turns in time order, labels ``SPEAKER_00``, ``SPEAKER_01``, ... by
            first appearance.
        speaker_embeddings: Per speaker, the mean window embedding, L2-normalised (resemblyzer:
            256-d); used to link voices across videos. Empty for backends without embeddings.
    """

    turns: list[SpeakerTurn]
    speaker_embeddings: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        return list(dict.fromkeys(t.speaker for t in self.turns))


class Diarizer(Protocol):
    """Anything that diarizes a whole video's audio within given speech regions."""

    def diarize(
        self,
        audio: np.ndarray,
        sample_rate: int,
        speech_regions: Sequence[tuple[float, float]],
    ) -> DiarizationResult:
        """Return the speaker turns of ``audio`` inside ``speech_regions`` (seconds)."""
        ...


_DEVICES = ("auto", "cpu", "cuda")


def resolve_torch_device(device: str) -> str:
    """Resolve ``"auto"`` to ``"cuda"`` when torch sees a GPU, else ``"cpu"`` (as ASR does).

    Raises:
        ValueError: ``device`` is none of auto, cpu, cuda (``cuda:N`` is accepted too).
    """
    if device not in _DEVICES and not device.startswith("cuda:"):
        raise ValueError(
            f"Diarizer device {device!r} is not one of {', '.join(_DEVICES)} (or cuda:N)."
        )
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def prepare_audio(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono float32 at the embedding rate (resampled with librosa if needed)."""
    audio = np.asarray(audio)
    if audio.ndim != 1:
        raise ValueError(f"Audio has shape {audio.shape}; pass a mono 1-D waveform.")
    if audio.dtype == np.int16:
        audio = audio.astype(np.float32) / 32768.0
    audio = audio.astype(np.float32, copy=False)
    if sample_rate != EMBED_SAMPLE_RATE:
        import librosa

        audio = librosa.resample(audio, orig_sr=sample_rate, target_sr=EMBED_SAMPLE_RATE)
    return audio
