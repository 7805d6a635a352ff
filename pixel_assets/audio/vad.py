"""Voice activity detection (Silero VAD v6 via faster-whisper) and speech segmentation.

``detect_speech`` finds speech regions; ``make_segments`` turns them into segments between
``min_s`` and ``max_s`` seconds, cutting at the longest pauses. Plain Python, no Dagster.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from pixel_assets.cpus import available_cpus

VAD_SAMPLE_RATE = 16_000
# faster-whisper feeds Silero 10 000 windows of 512 samples per ONNX call (320 s at 16 kHz);
# long audio is cut into chunks of that size so they can run on parallel threads.
VAD_CHUNK_SAMPLES = 512 * 10_000

Region = tuple[float, float]


@dataclass(frozen=True)
class VadConfig:
    """Silero VAD settings (see ``faster_whisper.vad.VadOptions``).

    The defaults are finer than faster-whisper's (which pads 400 ms and bridges 2 s of
    silence for ASR chunking) because segmentation needs to see the pauses between
    utterances.

    Attributes:
        threshold: Speech probability (0–1) at or above which a 32 ms window is speech.
        neg_threshold: Probability below which speech ends; None = ``threshold - 0.15``.
        min_speech_duration_ms: Speech regions shorter than this (ms) are dropped as blips.
        min_silence_duration_ms: Silence (ms) needed to end a region; shorter pauses are
            bridged.
        speech_pad_ms: Padding (ms) added to both sides of each region so word onsets and
            releases are not cut.
    """

    threshold: float = 0.5
    neg_threshold: float | None = None
    min_speech_duration_ms: int = 250
    min_silence_duration_ms: int = 300
    speech_pad_ms: int = 100

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"VadConfig.threshold={self.threshold}: use a value in (0, 1)")
        for name in ("min_speech_duration_ms", "min_silence_duration_ms", "speech_pad_ms"):
            if getattr(self, name) < 0:
                raise ValueError(f"VadConfig.{name}={getattr(self, name)}: must be >= 0 ms")


def _as_mono_float32(audio: np.ndarray, what: str) -> np.ndarray:
    audio = np.asarray(audio)
    if audio.ndim != 1:
        raise ValueError(
            f"{what}: expected mono 1-D samples, got shape {audio.shape}; "
            "mix down to mono first (ingest writes mono audio.flac)"
        )
    return np.ascontiguousarray(audio, dtype=np.float32)


def detect_speech(
    audio: np.ndarray,
    sample_rate: int,
    config: VadConfig | None = None,
    threads: int | None = None,
) -> list[Region]:
    """Find speech regions with Silero VAD v6.

    The ONNX model is loaded once per process (``faster_whisper.vad.get_vad_model`` is an
    ``lru_cache``); one thread runs it at roughly 500x real time. Audio longer than
    ``VAD_CHUNK_SAMPLES`` (320 s) is processed in chunks of that size on ``threads``
    threads; a region crossing a chunk edge is re-joined, and a region ending within
    ``min_silence_duration_ms`` before an edge may run on to it.

    Args:
        audio: Mono float samples in [-1, 1] at 16 kHz.
        sample_rate: Must be 16000.
        config: VAD settings; defaults to ``VadConfig()``.
        threads: Worker threads for long audio; default ``min(2, available CPUs)``. Use 1
            when several assets already share the machine's cores.

    Returns:
        Sorted, non-overlapping ``(start_s, end_s)`` regions in seconds.
    """
    # Imported here so that importing this module stays cheap (faster_whisper pulls in
    # ctranslate2 and tokenizers).
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if sample_rate != VAD_SAMPLE_RATE:
        raise ValueError(
            f"detect_speech: sample_rate {sample_rate} Hz is not supported; resample to "
            f"{VAD_SAMPLE_RATE} Hz first (ingest's audio.flac is 16 kHz)"
        )
    audio = _as_mono_float32(audio, "detect_speech")
    if audio.size == 0:
        return []
    config = config or VadConfig()
    options = VadOptions(
        threshold=config.threshold,
        neg_threshold=config.neg_threshold,
        min_speech_duration_ms=config.min_speech_duration_ms,
        min_silence_duration_ms=config.min_silence_duration_ms,
        speech_pad_ms=config.speech_pad_ms,
    )

    def run(offset: int) -> list[Region]:
        piece = audio[offset : offset + VAD_CHUNK_SAMPLES]
        found = get_speech_timestamps(piece, options, sampling_rate=sample_rate)
        return [
            ((offset + c["start"]) / sample_rate, (offset + c["end"]) / sample_rate) for c in found
        ]

    offsets = range(0, audio.size, VAD_CHUNK_SAMPLES)
    threads = max(1, threads if threads is not None else min(2, available_cpus()))
    if threads == 1 or len(offsets) == 1:
        parts = [run(offset) for offset in offsets]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:  # onnxruntime releases the GIL
            parts = list(pool.map(run, offsets))
    # A region cut by a chunk edge ends exactly where its continuation starts: re-join.
    return normalise_regions([region for part in parts for region in part])


@dataclass(frozen=True)
class Segment:
    """A span of the audio to keep as one training segment.

    Attributes:
        index: Position in the video's segment list (0-based, stable for the same input).
        start_s: Start time in seconds.
        end_s: End time in seconds.
    """

    index: int
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return self.end_s - self.start_s


def normalise_regions(regions: Sequence[Region]) -> list[Region]:
    """Sort regions, drop empty ones and merge overlapping or touching ones."""
    out: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in regions):
        if not (math.isfinite(start) and math.isfinite(end)):
            raise ValueError(f"speech region ({start}, {end}) is not finite; fix the VAD output")
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _quietest_split(
    start: float,
    end: float,
    min_s: float,
    audio: np.ndarray | None,
    sample_rate: int,
) -> float:
    """Where to cut one long speech region: the quietest point, or the middle without audio."""
    span = end - start
    # Keep both halves at least min_s long when the region allows it, else cut in the
    # middle half so the recursion still shrinks every piece.
    margin = min_s if span >= 2 * min_s else span / 4
    lo, hi = start + margin, end - margin
    if audio is None:
        return (start + end) / 2
    hop = max(1, int(0.01 * sample_rate))  # 10 ms energy frames
    a, b = int(start * sample_rate), int(end * sample_rate)
    chunk = np.asarray(audio[a:b], dtype=np.float64)
    n = chunk.size // hop
    if n < 3:
        return (start + end) / 2
    energy = (chunk[: n * hop].reshape(n, hop) ** 2).mean(axis=1)
    # 100 ms moving average: a pause between words, not one quiet 10 ms frame in a vowel.
    smooth = np.convolve(energy, np.ones(10) / 10, mode="same")
    times = start + (np.arange(n) + 0.5) * hop / sample_rate
    allowed = (times >= lo) & (times <= hi)
    if not allowed.any():
        return (start + end) / 2
    candidates = np.flatnonzero(allowed)
    return float(times[candidates[np.argmin(smooth[candidates])]])


def _split_run(
    run: list[Region],
    min_s: float,
    max_s: float,
    audio: np.ndarray | None,
    sample_rate: int,
) -> list[Region]:
    """Split a run of regions into pieces no longer than max_s, at the longest pauses."""
    start, end = run[0][0], run[-1][1]
    if end - start <= max_s:
        return [(start, end)]
    if len(run) == 1:
        cut = _quietest_split(start, end, min_s, audio, sample_rate)
        return _split_run([(start, cut)], min_s, max_s, audio, sample_rate) + _split_run(
            [(cut, end)], min_s, max_s, audio, sample_rate
        )
    gaps = [(run[i + 1][0] - run[i][1], i) for i in range(len(run) - 1)]
    # Prefer the longest pause that leaves both sides at least min_s long; fall back to the
    # longest pause overall (a short side is then kept and rejected later by the schema).
    balanced = [
        (gap, i) for gap, i in gaps if run[i][1] - start >= min_s and end - run[i + 1][0] >= min_s
    ]
    _, i = max(balanced or gaps)
    return _split_run(run[: i + 1], min_s, max_s, audio, sample_rate) + _split_run(
        run[i + 1 :], min_s, max_s, audio, sample_rate
    )


def _absorb_short(pieces: list[Region], min_s: float, max_s: float, merge_gap_s: float) -> None:
    """Merge pieces shorter than min_s into a neighbour when the gap and max_s allow it."""
    changed = True
    while changed:
        changed = False
        for i, (start, end) in enumerate(pieces):
            if end - start >= min_s:
                continue
            options = []
            if i > 0 and start - pieces[i - 1][1] <= merge_gap_s:
                if end - pieces[i - 1][0] <= max_s:
                    options.append((start - pieces[i - 1][1], i - 1))
            if i + 1 < len(pieces) and pieces[i + 1][0] - end <= merge_gap_s:
                if pieces[i + 1][1] - start <= max_s:
                    options.append((pieces[i + 1][0] - end, i + 1))
            if options:
                _, j = min(options)
                lo, hi = min(i, j), max(i, j)
                pieces[lo : hi + 1] = [(pieces[lo][0], pieces[hi][1])]
                changed = True
                break


def make_segments(
    speech_regions: Sequence[Region],
    min_s: float = 2.0,
    max_s: float = 30.0,
    merge_gap_s: float = 1.0,
    audio: np.ndarray | None = None,
    sample_rate: int = VAD_SAMPLE_RATE,
) -> list[Segment]:
    """Group speech regions into segments of about ``min_s``..``max_s`` seconds.

    Regions separated by at most ``merge_gap_s`` form a run. A run longer than ``max_s`` is
    split recursively at its longest pause (preferring cuts that leave both sides at least
    ``min_s``); a single region longer than ``max_s`` is cut at its quietest 100 ms (from
    ``audio``'s energy envelope, or in the middle when no audio is given). Pieces shorter
    than ``min_s`` are merged into a neighbour across a gap of at most ``merge_gap_s`` when
    the result stays within ``max_s``; the rest are returned as they are (never dropped) so
    the segment schema can reject them with a reason.

    Args:
        speech_regions: ``(start_s, end_s)`` speech regions, e.g. from ``detect_speech``.
        min_s: Shortest wanted segment in seconds.
        max_s: Longest allowed segment in seconds; no segment exceeds it.
        merge_gap_s: Longest pause in seconds that may sit inside a segment.
        audio: Optional mono samples, used only to cut over-long single regions.
        sample_rate: Sample rate of ``audio``.

    Returns:
        Segments in time order, indexed from 0.
    """
    if not 0 < min_s < max_s:
        raise ValueError(f"make_segments: need 0 < min_s < max_s, got min_s={min_s}, max_s={max_s}")
    if merge_gap_s < 0:
        raise ValueError(f"make_segments: merge_gap_s={merge_gap_s} must be >= 0")
    regions = normalise_regions(speech_regions)
    runs: list[list[Region]] = []
    for region in regions:
        if runs and region[0] - runs[-1][-1][1] <= merge_gap_s:
            runs[-1].append(region)
        else:
            runs.append([region])
    pieces: list[Region] = []
    for run in runs:
        pieces.extend(_split_run(run, min_s, max_s, audio, sample_rate))
    _absorb_short(pieces, min_s, max_s, merge_gap_s)
    return [Segment(i, s, e) for i, (s, e) in enumerate(pieces)]
