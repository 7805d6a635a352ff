"""Window pitch for diarization: median F0 (semitones) of the voiced frames of each window."""

from __future__ import annotations

import numpy as np

from pixel_assets.transcription.diarization.types import EMBED_SAMPLE_RATE

HOP = EMBED_SAMPLE_RATE // 100  # 10 ms, the embedding windows' frame rate
_FRAME = 1024  # 64 ms at 16 kHz: two periods of a 60 Hz voice (YIN needs >= 2)


def pitch_track(audio: np.ndarray) -> np.ndarray:
    """F0 in Hz per 10 ms frame (YIN, 60-400 Hz), NaN where the frame is quiet or unvoiced."""
    import librosa

    if audio.size < _FRAME:
        return np.full(max(1, audio.size // HOP), np.nan)
    f0 = librosa.yin(
        audio, fmin=60, fmax=400, sr=EMBED_SAMPLE_RATE, frame_length=_FRAME, hop_length=HOP
    )
    rms = librosa.feature.rms(y=audio, frame_length=_FRAME, hop_length=HOP)[0][: f0.size]
    # Frames 26 dB below the loudest are pauses or breath, where YIN returns noise.
    voiced = rms > rms.max() * 0.05 if rms.size else np.zeros(f0.size, bool)
    return np.where(voiced, f0, np.nan)


def window_pitch(
    track: np.ndarray, track_start_s: float, centers_s: np.ndarray, window_s: float
) -> np.ndarray:
    """Median pitch in semitones (re 100 Hz) of each window; NaN for windows without voice."""
    out = np.full(len(centers_s), np.nan)
    for i, c in enumerate(centers_s):
        a = max(0, int((c - window_s / 2 - track_start_s) * 100))
        b = int((c + window_s / 2 - track_start_s) * 100)
        values = track[a:b]
        values = values[np.isfinite(values)]
        if values.size:
            out[i] = 12 * np.log2(np.median(values) / 100.0)
    return out
