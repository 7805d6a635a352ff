"""Speaker diarization of a whole video: who speaks when, with one label per voice.

The default :class:`ResemblyzerDiarizer` works offline: GE2E d-vectors (resemblyzer) on short
sliding windows inside the speech regions, agglomerative clustering with an automatic speaker
count, then smoothing into turns. pyannote.audio and WhisperX are optional backends behind the
same :class:`Diarizer` protocol, selected with :func:`make_diarizer`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Protocol

import numpy as np

EMBED_SAMPLE_RATE = 16_000
"""Resemblyzer's input rate."""

_FRAMES_PER_S = 100  # resemblyzer mel hop is 10 ms


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


def _install_hint(backend: str, package: str, extra: str) -> str:
    # The extras hold an older torch than the default path, so they get an environment of
    # their own with their own pinned set rather than being added on top of this one.
    return (
        f"The {backend!r} diarization backend needs {package}: install it with "
        f"`make env BACKEND={extra}` (a separate .venv-{extra}), or with "
        f"`uv pip install -c constraints-{extra}.txt 'pixel-voice[{extra}]'` in a fresh "
        "environment"
    )


def _import_backend(module: str, backend: str, extra: str, after: str) -> Any:
    """Import an optional backend's module, or say exactly how to get a working one."""
    import importlib
    import os

    # pyannote.audio (also under WhisperX) sends usage telemetry to otel.pyannote.ai unless
    # told not to: a data pipeline should not phone home, and offline it only waits.
    # Setting PYANNOTE_METRICS_ENABLED=true opts back in.
    os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "false")
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingBackendError(_install_hint(backend, module, extra) + after) from exc
    except OSError as exc:
        # Seen with torchaudio built for another torch release: its compiled ops fail to load.
        import torch

        raise MissingBackendError(
            f"The {backend!r} diarization backend is installed but {module} cannot be loaded "
            f"({exc}); torchaudio must be built for this torch ({torch.__version__}). "
            + _install_hint(backend, module, extra)
            + after
        ) from exc


class ResemblyzerDiarizer:
    """Offline diarizer: resemblyzer window embeddings + agglomerative clustering.

    Args:
        options: Windowing, speaker-count and smoothing settings.
        device: Torch device for the voice encoder (``"cpu"`` or ``"cuda"``).
    """

    def __init__(self, options: DiarizationOptions | None = None, device: str = "cpu") -> None:
        import warnings

        with warnings.catch_warnings():
            # resemblyzer imports webrtcvad, which imports the deprecated pkg_resources.
            warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
            from resemblyzer import VoiceEncoder

        self.options = options or DiarizationOptions()
        self.encoder = VoiceEncoder(device, verbose=False)

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
        audio = _prepare_audio(audio, sample_rate)
        regions = _clean_regions(speech_regions, len(audio) / EMBED_SAMPLE_RATE)
        windows = self._embed_windows(audio, regions)
        if not windows.embeddings.shape[0]:
            return DiarizationResult(turns=[], speaker_embeddings={})
        labels = self._cluster(windows.embeddings)
        turns = self._turns(audio, regions, windows, labels)
        return _relabel(turns, labels, windows.embeddings)

    def embed_speakers(
        self, audio: np.ndarray, sample_rate: int, turns: Sequence[SpeakerTurn]
    ) -> dict[str, np.ndarray]:
        """Each speaker's mean window embedding over its turns, L2-normalised (256-d)."""
        audio = _prepare_audio(audio, sample_rate)
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

        win = max(1, round(self.options.window_s * _FRAMES_PER_S))
        hop = max(1, round(self.options.hop_s * _FRAMES_PER_S))
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
                center = start + (off + length / 2) / _FRAMES_PER_S
                meta.setdefault(length, []).append((r, center, start + off / _FRAMES_PER_S))
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

    # -- clustering --------------------------------------------------------------------------

    def _cluster(self, embeddings: np.ndarray) -> np.ndarray:
        """Cluster window embeddings; returns a label per window (arbitrary ids)."""
        opts = self.options
        n = embeddings.shape[0]
        if opts.num_speakers is not None:
            k = min(opts.num_speakers, n)
            return _agglomerative(embeddings, k) if k > 1 else np.zeros(n, int)
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


def _prepare_audio(audio: np.ndarray, sample_rate: int) -> np.ndarray:
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


def _agglomerative(embeddings: np.ndarray, k: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    # Average linkage on cosine: robust to the odd outlier window, unlike single/complete.
    return AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(
        embeddings
    )


def _centroids(embeddings: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    out = {}
    for lb in np.unique(labels):
        c = embeddings[labels == lb].mean(axis=0)
        out[int(lb)] = c / (np.linalg.norm(c) or 1.0)
    return out


def estimate_speakers(
    embeddings: np.ndarray,
    *,
    min_speakers: int = 1,
    max_speakers: int = 8,
    threshold: float = 0.2,
    min_share: float = 0.1,
) -> np.ndarray:
    """Cluster L2-normalised window embeddings with an automatic number of speakers.

    Agglomerative (average-linkage, cosine) clustering is cut at ``max_speakers`` clusters; then
    clusters too small to be a speaker (< ``min_share`` of windows) are folded into their nearest
    big cluster, and the two closest centroids are merged while their cosine distance is below
    ``threshold``. Comparing centroids, not single windows, is what makes this work on GE2E: one
    voice's windows scatter (pairwise cosine 0.65-0.9) as widely as two voices overlap, but the
    centroids of a voice split in two stay within ~0.1 of each other. One speaker comes out when
    everything merges, which is the explicit 1-speaker case.

    Returns:
        A label per window, ``0..k-1``.
    """
    n = embeddings.shape[0]
    if n < 2 or max_speakers <= 1:
        return np.zeros(n, int)
    labels = _agglomerative(embeddings, min(max_speakers, n))
    # Fold small clusters (outlier windows: laughs, breaths, window straddling a change).
    min_count = max(1, math.ceil(min_share * n))
    while True:
        counts = {lb: int((labels == lb).sum()) for lb in np.unique(labels)}
        small = [lb for lb, c in counts.items() if c < min_count]
        if not small or len(counts) <= 1:
            break
        big = [lb for lb in counts if lb not in small] or [max(counts, key=counts.get)]
        cents = _centroids(embeddings, labels)
        lb = min(small, key=counts.get)
        if lb in big:  # every cluster is small: merge the smallest into its nearest
            big = [b for b in counts if b != lb]
        nearest = max(big, key=lambda b: float(cents[lb] @ cents[b]))
        labels[labels == lb] = nearest
    # Merge clusters whose centroids are closer than the threshold.
    while True:
        cents = _centroids(embeddings, labels)
        keys = list(cents)
        if len(keys) <= max(1, min_speakers):
            break
        best, pair = -1.0, None
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                sim = float(cents[a] @ cents[b])
                if sim > best:
                    best, pair = sim, (a, b)
        if pair is None or 1.0 - best >= threshold:
            break
        labels[labels == pair[1]] = pair[0]
    _, labels = np.unique(labels, return_inverse=True)
    return labels


def _mode_filter(labels: np.ndarray, width: int) -> np.ndarray:
    """Sliding majority vote (a median filter for categorical labels); keeps ties as they are."""
    if len(labels) < width:
        return labels.copy()
    half = width // 2
    out = labels.copy()
    for i in range(half, len(labels) - half):
        values, counts = np.unique(labels[i - half : i + half + 1], return_counts=True)
        if counts.max() > width // 2:
            out[i] = values[counts.argmax()]
    return out


def _quietest_point(audio: np.ndarray, t: float, radius: float, lo: float, hi: float) -> float:
    """The centre of the lowest-energy 10 ms frame within ``t ± radius`` (inside ``lo..hi``)."""
    a, b = max(lo, t - radius), min(hi, t + radius)
    frame = EMBED_SAMPLE_RATE // _FRAMES_PER_S
    seg = audio[round(a * EMBED_SAMPLE_RATE) : round(b * EMBED_SAMPLE_RATE)]
    n = len(seg) // frame
    if n < 1:
        return t
    energy = (seg[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    quiet = np.flatnonzero(energy <= energy.min() * 1.01 + 1e-12)
    # Within a run of silence, take the frame nearest to the window-based estimate.
    centers = a + (quiet + 0.5) / _FRAMES_PER_S
    return float(centers[np.argmin(np.abs(centers - t))])


def _frame_db(audio: np.ndarray, start: float, end: float) -> np.ndarray:
    frame = EMBED_SAMPLE_RATE // _FRAMES_PER_S
    seg = audio[round(start * EMBED_SAMPLE_RATE) : round(end * EMBED_SAMPLE_RATE)]
    n = len(seg) // frame
    return 10 * np.log10((seg[: n * frame].reshape(n, frame) ** 2).mean(axis=1) + 1e-12)


def _pauses(
    audio: np.ndarray, start: float, end: float, silence_db: float, min_pause_s: float
) -> list[tuple[float, float]]:
    """Runs of frames ``silence_db`` below the region's loud level, at least ``min_pause_s``."""
    db = _frame_db(audio, start, end)
    if not db.size:
        return []
    quiet = db < np.percentile(db, 95) - silence_db
    # Run boundaries of the boolean mask.
    edges = np.flatnonzero(np.diff(np.r_[0, quiet.astype(np.int8), 0]))
    out = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if (b - a) / _FRAMES_PER_S >= min_pause_s:
            out.append((start + a / _FRAMES_PER_S, start + b / _FRAMES_PER_S))
    return out


def _subtract(
    spans: list[tuple[int, float, float]], pauses: list[tuple[float, float]]
) -> list[tuple[int, float, float]]:
    """Remove the pause intervals from labelled spans (splitting spans they fall inside)."""
    out = []
    for lb, a, b in spans:
        pieces = [(a, b)]
        for pa, pb in pauses:
            nxt = []
            for x, y in pieces:
                if pb <= x or pa >= y:
                    nxt.append((x, y))
                    continue
                if pa > x:
                    nxt.append((x, pa))
                if pb < y:
                    nxt.append((pb, y))
            pieces = nxt
        out += [(lb, x, y) for x, y in pieces if y - x > 0.05]
    return out


def _absorb_short(
    spans: list[tuple[int, float, float]], min_turn_s: float
) -> list[tuple[int, float, float]]:
    """Give turns shorter than ``min_turn_s`` to the longer neighbour, then merge equal labels."""
    spans = list(spans)
    while len(spans) > 1:
        short = [i for i, (_, a, b) in enumerate(spans) if b - a < min_turn_s]
        if not short:
            break
        i = min(short, key=lambda j: spans[j][2] - spans[j][1])
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(spans)]
        j = max(neighbours, key=lambda m: spans[m][2] - spans[m][1])
        lb = spans[j][0]
        spans[i] = (lb, spans[i][1], spans[i][2])
        merged: list[tuple[int, float, float]] = []
        for s in spans:
            if merged and merged[-1][0] == s[0]:
                merged[-1] = (s[0], merged[-1][1], s[2])
            else:
                merged.append(s)
        spans = merged
    return spans


def _relabel(
    turns: list[tuple[int, float, float]], labels: np.ndarray, embeddings: np.ndarray
) -> DiarizationResult:
    """Name speakers SPEAKER_00.. by first appearance; centroids from their windows."""
    turns = sorted(turns, key=lambda t: t[1])
    names: dict[int, str] = {}
    for lb, _, _ in turns:
        names.setdefault(lb, f"SPEAKER_{len(names):02d}")
    cents = _centroids(embeddings, labels)
    return DiarizationResult(
        turns=[
            SpeakerTurn(names[lb], round(float(a), 3), round(float(b), 3)) for lb, a, b in turns
        ],
        speaker_embeddings={names[lb]: cents[lb].astype(np.float32) for lb in names},
    )


class PyannoteDiarizer:
    """pyannote.audio pipeline (optional extra ``pyannote``, pyannote.audio 4).

    Args:
        pipeline: A local pipeline directory or its config.yaml (offline), or a hub name such
            as ``"pyannote/speaker-diarization-community-1"`` (gated: needs ``hf_token`` and
            network).
        hf_token: Hugging Face token for gated hub pipelines.
        device: Torch device.
        num_speakers: Force a speaker count; None lets pyannote decide within the bounds.
        min_speakers: Lower bound for pyannote's count.
        max_speakers: Upper bound for pyannote's count.
    """

    def __init__(
        self,
        pipeline: str = "pyannote/speaker-diarization-community-1",
        hf_token: str | None = None,
        device: str = "cpu",
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> None:
        _check_local_pipeline(pipeline)
        pipeline_cls = _import_backend(
            "pyannote.audio", "pyannote", "pyannote",
            " (then set the pipeline to a local pipeline directory, or to a hub name with an "
            "HF token when online), or use the default 'resemblyzer' backend.",
        ).Pipeline
        import torch

        self.pipeline = _load_pyannote_pipeline(
            pipeline_cls.from_pretrained, pipeline, hf_token=hf_token, name=pipeline
        )
        self.pipeline.to(torch.device(device))
        self.kwargs = _speaker_bounds(num_speakers, min_speakers, max_speakers)

    def diarize(
        self,
        audio: np.ndarray,
        sample_rate: int,
        speech_regions: Sequence[tuple[float, float]],
    ) -> DiarizationResult:
        """Run the pipeline on the whole audio and keep the parts inside ``speech_regions``."""
        import torch

        waveform = torch.from_numpy(_prepare_audio(audio, sample_rate)).unsqueeze(0)
        output = self.pipeline(
            {"waveform": waveform, "sample_rate": EMBED_SAMPLE_RATE}, **self.kwargs
        )
        # pyannote.audio 4 also gives an overlap-free version meant for aligning with
        # transcripts: one speaker per instant, which is what word assignment needs.
        annotation = getattr(
            output, "exclusive_speaker_diarization", getattr(output, "speaker_diarization", output)
        )
        raw = [
            (str(spk), float(seg.start), float(seg.end))
            for seg, _, spk in annotation.itertracks(yield_label=True)
        ]
        return _turns_within(raw, speech_regions)


class WhisperXDiarizer:
    """WhisperX's diarization pipeline (optional extra ``whisperx``; pyannote underneath).

    Args:
        model_name: Pipeline hub name or local pipeline directory passed to WhisperX (None:
            WhisperX's default hub pipeline).
        hf_token: Hugging Face token for gated hub pipelines.
        device: Torch device.
        num_speakers: Force a speaker count; None lets the pipeline decide within the bounds.
        min_speakers: Lower bound for the count.
        max_speakers: Upper bound for the count.
    """

    def __init__(
        self,
        model_name: str | None = None,
        hf_token: str | None = None,
        device: str = "cpu",
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> None:
        _check_local_pipeline(model_name)
        _import_backend(
            "whisperx", "whisperx", "whisperx",
            " (its pyannote pipeline then needs a local directory or an HF token when online), "
            "or use the default 'resemblyzer' backend.",
        )
        from whisperx.diarize import DiarizationPipeline

        kwargs: dict[str, Any] = {"device": device}
        if model_name:
            kwargs["model_name"] = model_name
        self.pipeline = _load_pyannote_pipeline(
            DiarizationPipeline, kwargs=kwargs, hf_token=hf_token,
            name=model_name or "WhisperX's default pipeline",
        )
        self.kwargs = _speaker_bounds(num_speakers, min_speakers, max_speakers)

    def diarize(
        self,
        audio: np.ndarray,
        sample_rate: int,
        speech_regions: Sequence[tuple[float, float]],
    ) -> DiarizationResult:
        """Run WhisperX diarization on the whole audio, keep the parts inside the regions."""
        frame = self.pipeline(_prepare_audio(audio, sample_rate), **self.kwargs)
        raw = [(str(r.speaker), float(r.start), float(r.end)) for r in frame.itertuples()]
        return _turns_within(raw, speech_regions)


def _check_local_pipeline(name: str | None) -> None:
    """Fail clearly on a missing local pipeline path instead of pyannote's hub lookup error.

    A hub name is ``owner/repo``; anything written as a path (absolute, ``./``, ``~``, a
    ``.yaml`` file) must exist.
    """
    if not name:
        return
    from pathlib import Path

    looks_local = name.startswith(("/", ".", "~")) or name.endswith((".yaml", ".yml"))
    if looks_local and not Path(name).expanduser().exists():
        raise FileNotFoundError(
            f"Diarization pipeline {name!r} does not exist: set diarizer.pipeline to a local "
            "pipeline directory (holding config.yaml) or its config.yaml, or to a hub name "
            "such as 'pyannote/speaker-diarization-community-1' with hf_token when online."
        )


def _load_pyannote_pipeline(
    factory: Any,
    *args: Any,
    hf_token: str | None,
    name: str,
    kwargs: dict[str, Any] | None = None,
) -> Any:
    """Call a pyannote-based loader with the token argument its version takes."""
    kwargs = dict(kwargs or {})
    try:
        loaded = factory(*args, **kwargs, token=hf_token)
    except TypeError as exc:
        if "token" not in str(exc):
            raise
        loaded = factory(*args, **kwargs, use_auth_token=hf_token)  # pyannote.audio 3.x
    if loaded is None:
        raise RuntimeError(
            f"Diarization pipeline {name!r} could not be loaded: give a local pipeline "
            "directory, or accept its terms on the hub and pass hf_token."
        )
    return loaded


def _speaker_bounds(
    num_speakers: int | None, min_speakers: int | None, max_speakers: int | None
) -> dict[str, int]:
    """pyannote's speaker-count arguments: a fixed count wins over the bounds."""
    if num_speakers is not None:
        return {"num_speakers": num_speakers}
    return {
        k: v for k, v in (("min_speakers", min_speakers), ("max_speakers", max_speakers))
        if v is not None
    }


def _turns_within(
    raw: list[tuple[str, float, float]], regions: Sequence[tuple[float, float]]
) -> DiarizationResult:
    """Intersect backend turns with the speech regions and relabel by first appearance."""
    clipped = []
    for spk, a, b in raw:
        for ra, rb in regions:
            lo, hi = max(a, ra), min(b, rb)
            if hi > lo:
                clipped.append((spk, lo, hi))
    clipped.sort(key=lambda t: t[1])
    names: dict[str, str] = {}
    for spk, _, _ in clipped:
        names.setdefault(spk, f"SPEAKER_{len(names):02d}")
    return DiarizationResult(
        turns=[SpeakerTurn(names[s], round(a, 3), round(b, 3)) for s, a, b in clipped]
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
            pyannote/whisperx, their constructor arguments; none takes none.

    Raises:
        ValueError: Unknown backend.
        MissingBackendError: The backend's optional package is not installed.
    """
    if backend not in _BACKENDS:
        raise ValueError(
            f"Unknown diarization backend {backend!r}; choose one of {', '.join(_BACKENDS)}."
        )
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
