"""Compile librosa's numba kernels once, at install time (``make env`` runs this module).

librosa compiles its pitch kernels with numba's on-disk cache (``cache=True``). On a fresh
install, two processes compiling them at the same time (parallel Dagster steps, parallel test
workers) race on that cache: a test worker crashed with a segmentation fault in ``pyin``'s
``_parabolic_interpolation`` while another wrote it. Compiling them here, once and alone,
leaves later processes only reading the cache.

    python -m pixel_assets.warm_caches
"""

from __future__ import annotations

import numpy as np


def warm_librosa() -> None:
    """Run each librosa call the stages make (prosody: pyin + rms; diarization: yin), in the
    sample types they pass, on a short tone."""
    import librosa

    rate = 16_000
    tone = np.sin(2 * np.pi * 150 * np.arange(rate) / rate)
    for samples in (tone.astype(np.float32), tone.astype(np.float64)):
        librosa.pyin(samples, fmin=60, fmax=400, sr=rate, frame_length=1024, hop_length=160)
        librosa.yin(samples, fmin=60, fmax=400, sr=rate, frame_length=1024, hop_length=160)
        librosa.feature.rms(y=samples, frame_length=1024, hop_length=160)


if __name__ == "__main__":
    warm_librosa()
