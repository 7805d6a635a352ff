"""Prosody and voice quality per segment from the 16 kHz audio.

Each segment is cut from the video's audio, resampled to ``analysis_rate_hz`` (8 kHz: F0 and its
first harmonics stay, praat's cost halves) and analysed once; nothing runs per word.

praat backend (Parselmouth, GPL-3):

- F0 from ``To Pitch (ac)`` (Boersma 1993) then ``Kill octave jumps``: ``f0_mean_hz``,
  ``f0_std_hz`` over voiced frames, ``f0_range_st`` = 12·log2(p95 / p5), a robust range in
  semitones;
- intensity from ``To Intensity`` over the same voiced frames: ``intensity_mean_db``,
  ``intensity_std_db`` (dB re Praat's 2e-5 reference on full-scale samples: relative, not
  calibrated SPL);
- ``jitter_local`` and ``shimmer_local`` from ``To PointProcess (cc)`` with Praat's standard
  arguments (period 0.1–20 ms, max period factor 1.3, max amplitude factor 1.6);
- ``hnr_db``: mean over voiced frames of 10·log10(r / (1 − r)), r the autocorrelation peak of
  the chosen pitch candidate, which is how Praat's ``To Harmonicity (ac)`` defines it, without
  a second pass over the audio.

librosa backend (ISC): probabilistic YIN F0 and RMS intensity; jitter, shimmer and HNR null.

A segment with less than ``min_voiced_s`` of voiced frames (silence, whisper, noise) gets every
prosody column null, ``prosody_null_reason`` = ``min_voiced_s`` (``no_audio`` when the segment
lies outside the audio) and the rule's record in ``reasons`` (see :mod:`pixel_assets.rules`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pixel_assets.features.options import FeatureOptions
from pixel_assets.rules import Rule, RuleSet

PROSODY_COLUMNS = (
    "f0_mean_hz", "f0_std_hz", "f0_range_st", "intensity_mean_db", "intensity_std_db",
    "jitter_local", "shimmer_local", "hnr_db",
)
NO_AUDIO = "no_audio"
DISABLED = "prosody_disabled"
_MIN_SAMPLES_S = 0.05  # shorter cuts cannot hold one analysis window


@dataclass
class _Measured:
    voiced_s: float
    values: dict[str, float]


def prosody_rules(options: FeatureOptions) -> RuleSet:
    """The rule deciding when prosody is too unreliable to report (too little voicing)."""
    return RuleSet.of(
        [Rule("min_voiced_s", "voiced_s", "ge", options.min_voiced_s, null_passes=False)]
    )


def _nan_values() -> dict[str, float]:
    return dict.fromkeys(PROSODY_COLUMNS, math.nan)


def _f0_stats(f0: np.ndarray) -> dict[str, float]:
    low, high = np.percentile(f0, [5, 95])
    return {
        "f0_mean_hz": float(f0.mean()),
        "f0_std_hz": float(f0.std()),
        "f0_range_st": float(12.0 * np.log2(high / low)) if low > 0 else math.nan,
    }


def _praat_measure(x: np.ndarray, rate: int, options: FeatureOptions) -> _Measured:
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(x.astype(np.float64), sampling_frequency=rate)
    pitch = sound.to_pitch_ac(
        time_step=options.frame_step_s,
        pitch_floor=options.f0_min_hz,
        pitch_ceiling=options.f0_max_hz,
    )
    # Praat's path finder still doubles a low voice now and then (82 Hz read as 164 Hz on the
    # -p 20 fixture: mean +20 %, range 26 st); its octave-jump repair is cheap and exact.
    pitch = call(pitch, "Kill octave jumps")
    selected = pitch.selected_array
    f0, strength = selected["frequency"], selected["strength"]
    voiced = f0 > 0
    voiced_s = float(voiced.sum()) * options.frame_step_s
    if voiced_s < options.min_voiced_s:
        return _Measured(voiced_s, _nan_values())
    values = _f0_stats(f0[voiced])
    intensity = sound.to_intensity(minimum_pitch=options.f0_min_hz, time_step=options.frame_step_s)
    levels = intensity.values[0]
    if levels.size:
        # Intensity frames on the pitch frames' times (their grids differ slightly).
        nearest = np.clip(
            np.searchsorted(intensity.xs(), pitch.xs()[voiced]), 0, levels.size - 1
        )
        voiced_levels = levels[nearest]
        values["intensity_mean_db"] = float(voiced_levels.mean())
        values["intensity_std_db"] = float(voiced_levels.std())
    else:
        values["intensity_mean_db"] = values["intensity_std_db"] = math.nan
    if options.voice_quality:
        points = call([sound, pitch], "To PointProcess (cc)")
        values["jitter_local"] = float(call(points, "Get jitter (local)", 0, 0, 1e-4, 0.02, 1.3))
        values["shimmer_local"] = float(
            call([sound, points], "Get shimmer (local)", 0, 0, 1e-4, 0.02, 1.3, 1.6)
        )
        r = np.clip(strength[voiced], 1e-6, 1 - 1e-6)
        values["hnr_db"] = float(np.mean(10.0 * np.log10(r / (1.0 - r))))
    else:
        values.update(jitter_local=math.nan, shimmer_local=math.nan, hnr_db=math.nan)
    return _Measured(voiced_s, values)


def _librosa_measure(x: np.ndarray, rate: int, options: FeatureOptions) -> _Measured:
    import librosa

    hop = max(1, round(options.frame_step_s * rate))
    # Two periods of the lowest pitch per window, rounded up to a power of two for the FFT.
    frame = 1 << math.ceil(math.log2(2 * rate / options.f0_min_hz))
    if x.size < frame:
        return _Measured(0.0, _nan_values())
    f0, voiced, _ = librosa.pyin(
        x.astype(np.float32), fmin=options.f0_min_hz, fmax=options.f0_max_hz, sr=rate,
        frame_length=frame, hop_length=hop, center=True,
    )
    voiced = voiced & np.isfinite(f0)
    voiced_s = float(voiced.sum()) * hop / rate
    if voiced_s < options.min_voiced_s:
        return _Measured(voiced_s, _nan_values())
    values = _nan_values()
    values.update(_f0_stats(f0[voiced]))
    rms = librosa.feature.rms(y=x.astype(np.float32), frame_length=frame, hop_length=hop)[0]
    levels = 20.0 * np.log10(np.maximum(rms[: voiced.size][voiced[: rms.size]], 1e-10)) + 94.0
    values["intensity_mean_db"] = float(levels.mean())
    values["intensity_std_db"] = float(levels.std())
    return _Measured(voiced_s, values)


def _measurer(options: FeatureOptions) -> Callable[[np.ndarray, int, FeatureOptions], _Measured]:
    if options.prosody_backend == "praat":
        try:
            import parselmouth  # noqa: F401
        except ImportError as exc:
            raise RuntimeError(
                "prosody_backend 'praat' needs praat-parselmouth (GPL-3): install it with "
                "`uv pip install praat-parselmouth`, or set prosody_backend to 'librosa'."
            ) from exc
        return _praat_measure
    return _librosa_measure


def _resampled(segment: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    if source_rate == target_rate:
        return segment
    from scipy.signal import resample_poly

    g = math.gcd(source_rate, target_rate)
    return resample_poly(segment, target_rate // g, source_rate // g)


def null_prosody_frame(n: int, reason: str) -> pd.DataFrame:
    """Prosody columns for ``n`` segments that were not measured (``reason``: ``no_audio`` or
    ``prosody_disabled``)."""
    frame = pd.DataFrame({c: np.full(n, np.nan) for c in (*PROSODY_COLUMNS, "voiced_s")})
    frame["prosody_null_reason"] = reason
    frame["reasons"] = pd.Series([[] for _ in range(n)], dtype=object)
    return frame


def prosody_frame(
    segments: pd.DataFrame,
    audio: np.ndarray,
    sample_rate: int,
    options: FeatureOptions | None = None,
) -> pd.DataFrame:
    """Prosody and voice quality for each segment of one video's audio.

    Args:
        segments: Rows with ``start_s`` and ``end_s`` (seconds into ``audio``).
        audio: Mono samples (float in [-1, 1], or int16 which is rescaled).
        sample_rate: Rate of ``audio`` in Hz.
        options: Backend, pitch range, voicing threshold.

    Returns:
        One row per segment (same order, fresh index): :data:`PROSODY_COLUMNS`, ``voiced_s``,
        ``prosody_null_reason`` (None when measured) and ``reasons`` (rule records).

    Raises:
        ValueError: ``audio`` is not mono or ``sample_rate`` is not positive.
    """
    options = options or FeatureOptions()
    audio = np.asarray(audio)
    if audio.ndim != 1:
        raise ValueError(
            f"prosody: audio must be mono (1-D), got shape {audio.shape}; read "
            "data/audio/<video_id>/audio.flac, which ingest writes as mono."
        )
    if sample_rate <= 0:
        raise ValueError(f"prosody: sample_rate must be positive, got {sample_rate}.")
    if audio.dtype == np.int16:
        audio = audio.astype(np.float32) / 32768.0
    n = len(segments)
    if not options.prosody:
        return null_prosody_frame(n, DISABLED)
    columns: dict[str, np.ndarray] = {c: np.full(n, np.nan) for c in PROSODY_COLUMNS}
    voiced_s = np.full(n, np.nan)
    null_reason: list[str | None] = [None] * n
    measure = _measurer(options)
    starts = segments["start_s"].to_numpy(float)
    ends = segments["end_s"].to_numpy(float)
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        a = max(0, int(round(start * sample_rate)))
        b = min(audio.size, int(round(end * sample_rate)))
        if b - a < _MIN_SAMPLES_S * sample_rate:
            null_reason[i] = NO_AUDIO
            continue
        cut = _resampled(audio[a:b], sample_rate, options.analysis_rate_hz)
        measured = measure(cut, options.analysis_rate_hz, options)
        voiced_s[i] = measured.voiced_s
        for name, value in measured.values.items():
            columns[name][i] = value
    frame = pd.DataFrame(columns)
    frame["voiced_s"] = voiced_s
    judged = prosody_rules(options).apply(frame[["voiced_s"]])
    failed = ~judged["passed"].to_numpy(dtype=bool)
    frame.loc[failed, list(PROSODY_COLUMNS)] = np.nan
    frame["prosody_null_reason"] = [
        reason or ("min_voiced_s" if bad else None)
        for reason, bad in zip(null_reason, failed, strict=True)
    ]
    frame["reasons"] = judged["reasons"].to_numpy()
    return frame
