"""The default offline diarizer: resemblyzer window embeddings + agglomerative clustering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from pixel_assets.transcription.diarization.clustering import (
    agglomerative,
    centroids,
    estimate_speakers,
    split_by_pitch,
)
from pixel_assets.transcription.diarization.pitch import pitch_track, window_pitch
from pixel_assets.transcription.diarization.turns import (
    FRAMES_PER_S,
    _absorb_short,
    _mode_filter,
    _pauses,
    _quietest_point,
    _subtract,
)
from pixel_assets.transcription.diarization.types import (
    EMBED_SAMPLE_RATE,
    DiarizationOptions,
    DiarizationResult,
    SpeakerTurn,
    prepare_audio,
    resolve_torch_device,
)


class ResemblyzerDiarizer:
    """Offline diarizer: resemblyzer window embeddings + agglomerative clustering.

    Args:
        options: Windowing, speaker-count and smoothing settings.
        device: Torch device for the voice encoder: ``"cpu"``, ``"cuda"`` or ``"auto"``
            (CUDA when torch sees a GPU).
    """

    def __init__(self, options: DiarizationOptions | None = None, device: str = "cpu") -> None:
        import warnings

        with warnings.catch_warnings():
            # resemblyzer imports webrtcvad, which imports the deprecated pkg_resources.
            warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
            from resemblyzer import VoiceEncoder

        self.options = options or DiarizationOptions()
        self.encoder = VoiceEncoder(resolve_torch_device(device), verbose=False)

    def diarize(
        self,
        audio: np.ndarray,
        sample_rate: int,
        speech_regions: Sequence[tuple[float, float]],
    ) -> DiarizationResult:
        """Diarize the whole video so that one voice keeps one label across regions.

        Args:
            audio: Mono waveform of the whole video.
            sample_rate: Its rate (resampled to 16 kHz for the encoder if different).
            speech_regions: ``(start_s, end_s)`` spans to diarize (e.g. QC-passed segments);
                audio outside them is ignored and gets no turn.

        Returns:
            Turns and per-speaker embeddings; no turns when there are no regions.
        """
        audio = prepare_audio(audio, sample_rate)
        regions = _clean_regions(speech_regions, len(audio) / EMBED_SAMPLE_RATE)
        windows = self._embed_windows(audio, regions)
        if not windows.embeddings.shape[0]:
            return DiarizationResult(turns=[], speaker_embeddings={})
        labels = self._cluster(windows.embeddings)
        if self.options.num_speakers is None and self.options.pitch_split_st is not None:
            labels = split_by_pitch(
                windows.embeddings,
                self._window_pitch(audio, regions, windows),
                labels,
                min_pitch_gap_st=self.options.pitch_split_st,
                min_share=self.options.min_speaker_share,
                max_speakers=self.options.max_speakers,
            )
        turns = self._turns(audio, regions, windows, labels)
        return _relabel(turns, labels, windows.embeddings)

    def embed_speakers(
        self, audio: np.ndarray, sample_rate: int, turns: Sequence[SpeakerTurn]
    ) -> dict[str, np.ndarray]:
        """Each speaker's mean window embedding over its turns, L2-normalised (256-d)."""
        audio = prepare_audio(audio, sample_rate)
        duration = len(audio) / EMBED_SAMPLE_RATE
        spans = [(max(0.0, t.start_s), min(duration, t.end_s)) for t in turns]
        kept = [(turn, span) for turn, span in zip(turns, spans, strict=True) if span[1] > span[0]]
        windows = self._embed_windows(audio, [span for _, span in kept])
        prints: dict[str, np.ndarray] = {}
        for speaker in dict.fromkeys(turn.speaker for turn, _ in kept):
            regions = [i for i, (turn, _) in enumerate(kept) if turn.speaker == speaker]
            rows = windows.embeddings[np.isin(windows.region, regions)]
            if len(rows):
                mean = rows.mean(axis=0)
                prints[speaker] = (mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32)
        return prints

    # -- embedding ---------------------------------------------------------------------------

    def _embed_windows(self, audio: np.ndarray, regions: list[tuple[float, float]]) -> _Windows:
        import torch
        from resemblyzer.audio import wav_to_mel_spectrogram

        win = max(1, round(self.options.window_s * FRAMES_PER_S))
        hop = max(1, round(self.options.hop_s * FRAMES_PER_S))
        batches: dict[int, list[np.ndarray]] = {}
        meta: dict[int, list[tuple[int, float, float]]] = {}
        for r, (start, end) in enumerate(regions):
            clip = audio[round(start * EMBED_SAMPLE_RATE) : round(end * EMBED_SAMPLE_RATE)]
            mel = wav_to_mel_spectrogram(clip)
            if len(mel) <= win:
                # A short region is one window of its own length (the LSTM takes any length).
                offsets = [0]
                length = len(mel)
            else:
                # Last window aligned to the region end so the tail is covered too.
                offsets = list(range(0, len(mel) - win + 1, hop))
                if offsets[-1] != len(mel) - win:
                    offsets.append(len(mel) - win)
                length = win
            if length < 1:
                continue
            for off in offsets:
                batches.setdefault(length, []).append(mel[off : off + length])
                center = start + (off + length / 2) / FRAMES_PER_S
                meta.setdefault(length, []).append((r, center, start + off / FRAMES_PER_S))
        embeddings, info = [], []
        with torch.no_grad():
            for length, mels in batches.items():
                for i in range(0, len(mels), 256):  # bound memory on long videos
                    chunk = torch.from_numpy(np.stack(mels[i : i + 256])).to(self.encoder.device)
                    embeddings.append(self.encoder(chunk).cpu().numpy())
                info += meta[length]
        if not info:
            return _Windows(np.zeros((0, 256), np.float32), np.zeros(0, int), np.zeros(0))
        emb = np.concatenate(embeddings)
        region = np.array([m[0] for m in info])
        center = np.array([m[1] for m in info])
        order = np.lexsort((center, region))
        return _Windows(emb[order], region[order], center[order])

    def _window_pitch(
        self, audio: np.ndarray, regions: list[tuple[float, float]], windows: _Windows
    ) -> np.ndarray:
        """Median pitch (semitones) of every window, from one YIN track per region."""
        pitch = np.full(len(windows.center), np.nan)
        for r, (start, end) in enumerate(regions):
            idx = np.flatnonzero(windows.region == r)
            if not idx.size:
                continue
            track = pitch_track(
                audio[round(start * EMBED_SAMPLE_RATE) : round(end * EMBED_SAMPLE_RATE)]
            )
            pitch[idx] = window_pitch(track, start, windows.center[idx], self.options.window_s)
        return pitch

    # -- clustering --------------------------------------------------------------------------

    def _cluster(self, embeddings: np.ndarray) -> np.ndarray:
        """Cluster window embeddings; returns a label per window (arbitrary ids)."""
        opts = self.options
        n = embeddings.shape[0]
        if opts.num_speakers is not None:
            k = min(opts.num_speakers, n)
            return agglomerative(embeddings, k) if k > 1 else np.zeros(n, int)
        return estimate_speakers(
            embeddings,
            min_speakers=opts.min_speakers,
            max_speakers=opts.max_speakers,
            threshold=opts.threshold,
            min_share=opts.min_speaker_share,
        )

    # -- smoothing into turns ----------------------------------------------------------------

    def _pauses_to_cut(
        self, audio: np.ndarray, start: float, end: float, changes: list[float]
    ) -> list[tuple[float, float]]:
        """Quiet runs to remove from turns: long ones, and short ones (>= 0.1 s) at the region
        edges or around a speaker change, where they are never part of a turn."""
        opts = self.options
        assert opts.silence_db is not None
        keep = []
        for a, b in _pauses(audio, start, end, opts.silence_db, 0.1):
            at_edge = a <= start + 0.01 or b >= end - 0.01
            at_change = any(a - 0.01 <= c <= b + 0.01 for c in changes)
            if b - a >= opts.min_pause_s or at_edge or at_change:
                keep.append((a, b))
        return keep

    def _turns(
        self,
        audio: np.ndarray,
        regions: list[tuple[float, float]],
        windows: _Windows,
        labels: np.ndarray,
    ) -> list[tuple[int, float, float]]:
        """Turn window labels into (label, start, end) turns, region by region."""
        turns: list[tuple[int, float, float]] = []
        for r, (start, end) in enumerate(regions):
            idx = np.flatnonzero(windows.region == r)
            if not idx.size:
                continue
            lab = _mode_filter(labels[idx], width=3)
            centers = windows.center[idx]
            cuts = [start]
            for i in np.flatnonzero(lab[1:] != lab[:-1]):
                mid = (centers[i] + centers[i + 1]) / 2
                cuts.append(_quietest_point(audio, mid, self.options.snap_s, start, end))
            cuts.append(end)
            change_labels = [lab[0]] + [lab[i + 1] for i in np.flatnonzero(lab[1:] != lab[:-1])]
            spans = [
                (int(lb), a, b)
                for lb, (a, b) in zip(change_labels, pairwise(cuts), strict=True)
                if b > a
            ]
            spans = _absorb_short(spans, self.options.min_turn_s)
            if self.options.silence_db is not None:
                spans = _subtract(spans, self._pauses_to_cut(audio, start, end, cuts[1:-1]))
            turns += spans
        return turns


@dataclass
class _Windows:
    embeddings: np.ndarray  # (n, d), L2-normalised
    region: np.ndarray  # region index per window
    center: np.ndarray  # window centre, absolute seconds


def _clean_regions(
    regions: Sequence[tuple[float, float]], duration_s: float
) -> list[tuple[float, float]]:
    """Clip regions to the audio, sort them and merge overlaps."""
    cleaned: list[tuple[float, float]] = []
    for start, end in sorted((max(0.0, float(a)), min(duration_s, float(b))) for a, b in regions):
        if end <= start:
            continue
        if cleaned and start <= cleaned[-1][1]:
            cleaned[-1] = (cleaned[-1][0], max(cleaned[-1][1], end))
        else:
            cleaned.append((start, end))
    return cleaned


def _relabel(
    turns: list[tuple[int, float, float]], labels: np.ndarray, embeddings: np.ndarray
) -> DiarizationResult:
    """Name speakers SPEAKER_00.. by first appearance; centroids from their windows."""
    turns = sorted(turns, key=lambda t: t[1])
    names: dict[int, str] = {}
    for lb, _, _ in turns:
        names.setdefault(lb, f"SPEAKER_{len(names):02d}")
    cents = centroids(embeddings, labels)
    return DiarizationResult(
        turns=[
            SpeakerTurn(names[lb], round(float(a), 3), round(float(b), 3)) for lb, a, b in turns
        ],
        speaker_embeddings={names[lb]: cents[lb].astype(np.float32) for lb in names},
    )
