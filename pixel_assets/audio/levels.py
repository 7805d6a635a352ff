"""Signal levels of 16 kHz audio: clipping share and BS.1770-4 loudness (vectorised).

Used by ``qc`` for a whole video and for each of its segments; see ``qc``'s docstring for the
methods. Plain numpy, no Dagster.
"""

from __future__ import annotations

import functools
import math

import numpy as np

CLIP_LEVEL = 0.999
PLATEAU_MIN_PEAK = 0.25
LOUDNESS_BLOCK_S = 0.4
LOUDNESS_HOP_S = 0.1
_ABSOLUTE_GATE_LUFS = -70.0
CHUNK_SAMPLES = 1 << 22  # samples per chunk when streaming over long audio (bounds temporaries)


def check_audio(audio: np.ndarray, what: str) -> np.ndarray:
    audio = np.asarray(audio)
    if audio.ndim != 1:
        raise ValueError(
            f"{what}: expected mono 1-D samples, got shape {audio.shape}; mix down to mono "
            "(ingest writes mono 16 kHz FLAC)"
        )
    if audio.dtype.kind != "f":
        raise ValueError(
            f"{what}: expected float samples in [-1, 1], got dtype {audio.dtype}; read the "
            "file with soundfile.read(path, dtype='float32')"
        )
    return audio


def clipping_ratio(source_audio: np.ndarray) -> float:
    """Share of clipped samples in the source (pre-normalisation) audio.

    A sample counts as clipped when ``|x| >= CLIP_LEVEL`` (full scale, allowing for 16-bit
    rounding), or when it lies within 1 % of the file's peak inside a run of at least
    3 equal samples (clipped, then turned down). Flat runs are only
    looked for when the peak is above ``PLATEAU_MIN_PEAK`` so quiet, coarsely quantised
    audio does not count.
    """
    x = check_audio(source_audio, "clipping_ratio(source_audio)")
    if x.size == 0:
        return 0.0
    count = 0
    peak = 0.0
    near_idx: list[np.ndarray] = []
    for i in range(0, x.size, CHUNK_SAMPLES):
        a = np.abs(x[i : i + CHUNK_SAMPLES])
        count += int(np.count_nonzero(a >= CLIP_LEVEL))
        peak = max(peak, float(a.max()))
    if PLATEAU_MIN_PEAK <= peak:
        level = 0.99 * peak
        for i in range(0, x.size, CHUNK_SAMPLES):
            a = np.abs(x[i : i + CHUNK_SAMPLES])
            near_idx.append(np.flatnonzero((a >= level) & (a < CLIP_LEVEL)) + i)
        idx = np.concatenate(near_idx)
        if idx.size:

            def neighbour(offset: int) -> np.ndarray:
                # Values at idx + offset; NaN off the ends so they never compare equal.
                j = idx + offset
                valid = (j >= 0) & (j < x.size)
                values = np.full(idx.size, np.nan)
                values[valid] = x[j[valid]]
                return values

            v = {offset: neighbour(offset) for offset in (-2, -1, 0, 1, 2)}
            # In a run of >= 3 equal samples: as its first, middle or last member.
            flat = (
                ((v[0] == v[1]) & (v[1] == v[2]))
                | ((v[-1] == v[0]) & (v[0] == v[1]))
                | ((v[-2] == v[-1]) & (v[-1] == v[0]))
            )
            count += int(np.count_nonzero(flat))
    return count / x.size


@functools.lru_cache(maxsize=4)
def _k_weighting(sample_rate: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    from pyloudnorm.iirfilter import IIRfilter

    # The BS.1770 K-weighting stages exactly as pyloudnorm.Meter builds them.
    stages = (
        IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, sample_rate, "high_shelf"),
        IIRfilter(0.0, 0.5, 38.0, sample_rate, "high_pass"),
    )
    return tuple((s.b * s.passband_gain, s.a) for s in stages)


def k_weighted_hop_energy(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Energy (sum of squares) of the K-weighted signal per 100 ms hop, in one filter pass."""
    from scipy.signal import lfilter

    hop = int(round(LOUDNESS_HOP_S * sample_rate))
    n_hops = audio.size // hop
    energy = np.zeros(n_hops, dtype=np.float64)
    stages = _k_weighting(sample_rate)
    states = [np.zeros(max(len(a), len(b)) - 1) for b, a in stages]
    chunk = max(hop, CHUNK_SAMPLES // hop * hop)
    for i in range(0, n_hops * hop, chunk):
        y = audio[i : min(i + chunk, n_hops * hop)].astype(np.float64)
        for k, (b, a) in enumerate(stages):
            y, states[k] = lfilter(b, a, y, zi=states[k])
        energy[i // hop : i // hop + y.size // hop] = (y.reshape(-1, hop) ** 2).sum(axis=1)
    return energy


def gated_loudness(hop_energy: np.ndarray, sample_rate: int) -> float | None:
    """BS.1770 gated integrated loudness (LUFS) from 100 ms hop energies; None if gated out."""
    hops_per_block = int(round(LOUDNESS_BLOCK_S / LOUDNESS_HOP_S))
    if hop_energy.size < hops_per_block:
        return None
    csum = np.concatenate([[0.0], np.cumsum(hop_energy)])
    block_samples = LOUDNESS_BLOCK_S * sample_rate
    z = (csum[hops_per_block:] - csum[:-hops_per_block]) / block_samples
    with np.errstate(divide="ignore"):
        lk = -0.691 + 10.0 * np.log10(z)
    above_abs = lk >= _ABSOLUTE_GATE_LUFS
    if not above_abs.any():
        return None
    relative_gate = -0.691 + 10.0 * np.log10(z[above_abs].mean()) - 10.0
    gated = z[(lk > relative_gate) & above_abs]
    if gated.size == 0:
        return None
    return float(-0.691 + 10.0 * np.log10(gated.mean()))


def _short_loudness(audio: np.ndarray, sample_rate: int) -> float | None:
    """Ungated K-weighted loudness for pieces shorter than one 400 ms gating block."""
    from scipy.signal import lfilter

    if audio.size == 0:
        return None
    y = audio.astype(np.float64)
    for b, a in _k_weighting(sample_rate):
        y = lfilter(b, a, y)
    power = float(np.mean(y**2))
    return -0.691 + 10.0 * math.log10(power) if power > 0 else None
