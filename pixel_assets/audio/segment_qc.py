"""Per-segment audio quality: SNR, loudness, clipping and DNSMOS of each segment.

Shares one pass over the file (``qc.analyse_audio``) with the video-level metrics; the segment
thresholds are ``qc.segment_rules``. Plain numpy, no Dagster.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pixel_assets.audio.dnsmos import DNSMOS_WINDOW_SAMPLES, DnsmosScorer
from pixel_assets.audio.levels import (
    LOUDNESS_BLOCK_S,
    LOUDNESS_HOP_S,
    _short_loudness,
    clipping_ratio,
    gated_loudness,
)
from pixel_assets.audio.qc import (
    MIN_NOISE_FRAMES,
    SEGMENT_NOISE_CONTEXT_S,
    AudioAnalysis,
    SegmentThresholds,
    _prepare_inputs,
    _snr,
)
from pixel_assets.audio.vad import Region, Segment


def _as_span(segment: Segment | Region) -> Region:
    if isinstance(segment, Segment):
        return segment.start_s, segment.end_s
    start, end = segment
    return float(start), float(end)


def _segment_metrics(
    audio: np.ndarray,
    source: np.ndarray,
    analysis: AudioAnalysis,
    start_s: float,
    end_s: float,
    dnsmos: DnsmosScorer | None,
    gate: SegmentThresholds | None,
) -> dict[str, float | None]:
    sr = analysis.sample_rate
    if end_s <= start_s:
        raise ValueError(f"segment ({start_s}, {end_s}): end_s must be after start_s")
    a, b = max(0, int(start_s * sr)), min(audio.size, int(end_s * sr))
    if b <= a:
        raise ValueError(
            f"segment ({start_s:.2f}, {end_s:.2f}) s lies outside the audio "
            f"({audio.size / sr:.2f} s); pass segments made from this file's VAD regions"
        )
    # SNR: speech frames of the segment against non-speech frames nearby (noise drifts over
    # a long video), else the file's noise floor, else the percentile fallback.
    f0, f1 = a // analysis.frame, max(a // analysis.frame + 1, b // analysis.frame)
    seg_powers, seg_speech = analysis.powers[f0:f1], analysis.speech[f0:f1]
    c0 = max(0, int((start_s - SEGMENT_NOISE_CONTEXT_S) * sr) // analysis.frame)
    c1 = int((end_s + SEGMENT_NOISE_CONTEXT_S) * sr) // analysis.frame
    context = analysis.powers[c0:c1][~analysis.speech[c0:c1]]
    noise = float(np.median(context)) if context.size >= MIN_NOISE_FRAMES else analysis.global_noise
    speech_powers = seg_powers[seg_speech] if seg_speech.any() else seg_powers
    snr_db, _ = _snr(speech_powers, noise)
    # Loudness: gating blocks lying fully inside the segment.
    hop = int(round(LOUDNESS_HOP_S * sr))
    h0, h1 = -(-a // hop), b // hop
    if h1 - h0 >= round(LOUDNESS_BLOCK_S / LOUDNESS_HOP_S):
        loudness = gated_loudness(analysis.hop_energy[h0:h1], sr)
    else:
        loudness = _short_loudness(audio[a:b], sr)
    clipping = clipping_ratio(source[a:b])
    rejected_anyway = gate is not None and (
        not gate.min_duration_s <= end_s - start_s <= gate.max_duration_s
        or (snr_db is not None and snr_db < gate.min_snr_db)
        or clipping > gate.max_clipping_ratio
    )
    window = None
    if dnsmos is not None and not rejected_anyway:
        mid = (a + b) // 2
        w0 = max(a, mid - DNSMOS_WINDOW_SAMPLES // 2)
        window = audio[w0 : min(b, w0 + DNSMOS_WINDOW_SAMPLES)]
    return {
        "snr_db": snr_db,
        "loudness_lufs": loudness,
        "clipping_ratio": clipping,
        "dnsmos_ovrl": None,
        "_dnsmos_window": window,  # scored for all segments at once by measure_segments
    }


def measure_segments(
    audio: np.ndarray,
    source_audio: np.ndarray | None,
    sample_rate: int,
    segments: Sequence[Segment | Region],
    speech_regions: Sequence[Region],
    dnsmos: DnsmosScorer | None = None,
    analysis: AudioAnalysis | None = None,
    dnsmos_gate: SegmentThresholds | None = None,
) -> list[dict[str, float | None]]:
    """Per-segment metrics for many segments, sharing one pass over the file.

    Each dict holds ``snr_db`` (dB, [-10, 60]), ``loudness_lufs`` (gated BS.1770 over the
    segment's 400 ms blocks; ungated K-weighted power below 0.4 s; None if silent),
    ``clipping_ratio`` (0–1, source audio) and ``dnsmos_ovrl`` (one 9.01 s window centred
    in the segment, tiled when shorter; ~0.1 s of CPU each; None when ``dnsmos`` is None).

    Args:
        audio: Loudness-normalised mono float samples.
        source_audio: Pre-normalisation samples (None uses ``audio``).
        sample_rate: Sample rate (16000 when ``dnsmos`` is given).
        segments: ``Segment`` objects or ``(start_s, end_s)`` pairs.
        speech_regions: VAD speech regions of the whole file.
        dnsmos: Scorer for ``dnsmos_ovrl``; None skips it.
        analysis: ``analyse_audio(audio, sample_rate, speech_regions)`` if already built
            (e.g. shared with ``measure_audio``).
        dnsmos_gate: When given, DNSMOS (the main cost, ~0.2 CPU-s per segment) is only
            computed for segments that pass its duration, SNR and clipping thresholds; the
            others are rejected anyway and get ``dnsmos_ovrl`` None, so their reject reason
            lists the cheap failures only.

    Returns:
        One dict per segment, in the order given.
    """
    audio, source, analysis = _prepare_inputs(
        "measure_segments", audio, source_audio, sample_rate, speech_regions, dnsmos, analysis
    )
    rows = [
        _segment_metrics(audio, source, analysis, *_as_span(seg), dnsmos, dnsmos_gate)
        for seg in segments
    ]
    windows = [row.pop("_dnsmos_window") for row in rows]
    todo = [i for i, w in enumerate(windows) if w is not None]
    if dnsmos is not None and todo:
        # One batched, thread-parallel DNSMOS call for every segment (the main cost).
        scores = dnsmos.score_many([windows[i] for i in todo])
        for i, (ovrl, _, _) in zip(todo, scores, strict=True):
            rows[i]["dnsmos_ovrl"] = float(ovrl)
    return rows


def segment_metrics(
    audio: np.ndarray,
    source_audio: np.ndarray | None,
    sample_rate: int,
    start_s: float,
    end_s: float,
    speech_regions: Sequence[Region],
    dnsmos: DnsmosScorer | None = None,
) -> dict[str, float | None]:
    """Metrics of one segment (see ``measure_segments``, the faster path for many)."""
    return measure_segments(
        audio, source_audio, sample_rate, [(start_s, end_s)], speech_regions, dnsmos=dnsmos
    )[0]
