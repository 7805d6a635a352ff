"""Standardise media to 16 kHz mono FLAC, loudness-normalised to EBU R128.

ffmpeg decodes and resamples (any container or codec it knows); pyloudnorm measures
integrated loudness (ITU-R BS.1770-4) and a single gain brings it to the target. A gain,
unlike ffmpeg's dynamic ``loudnorm``, keeps the waveform's shape, so quality metrics measured
later still describe the recording.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ffmpeg
import numpy as np
import soundfile as sf

from pixel_assets.errors import CorruptMediaError, NoAudioStreamError, VideoTooLongError

SAMPLE_RATE = 16_000
# Below this much audio BS.1770 gating has nothing to measure (needs one 400 ms block).
_MIN_LOUDNESS_S = 0.4
_PEAK_CEILING = 10 ** (-1.0 / 20)  # -1 dBFS: headroom so the gain never clips


@cache
def ffmpeg_executable() -> str:
    """ffmpeg on PATH, else the binary shipped in the imageio-ffmpeg wheel (no apt needed)."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def decode_audio(path: Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Decode any media file to mono float32 at ``sample_rate``.

    Raises:
        NoAudioStreamError: the file holds no audio stream (a silent video, a data file).
        CorruptMediaError: ffmpeg cannot decode the file.
    """
    try:
        raw, _ = (
            ffmpeg.input(str(path))
            .output("pipe:", format="f32le", acodec="pcm_f32le", ac=1, ar=sample_rate)
            .global_args("-nostdin", "-hide_banner", "-loglevel", "error")
            .run(cmd=ffmpeg_executable(), capture_stdout=True, capture_stderr=True)
        )
    except ffmpeg.Error as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        if any("does not contain any stream" in line for line in detail):
            # ffmpeg's last line ("Error opening output files: Invalid argument") hides this.
            raise NoAudioStreamError(f"{path.name} has no audio stream") from exc
        reason = detail[-1] if detail else "ffmpeg failed"
        raise CorruptMediaError(f"cannot decode {path.name}: {reason}") from exc
    audio = np.frombuffer(raw, dtype=np.float32)
    if audio.size == 0:
        raise NoAudioStreamError(f"{path.name} has no audio stream")
    return audio


def integrated_loudness(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float | None:
    """Integrated loudness in LUFS, None for audio too short or silent to measure."""
    if audio.size < int(_MIN_LOUDNESS_S * sample_rate):
        return None
    # pyloudnorm brings scipy.signal (~1 s to import): here, not in every process that loads
    # the definitions.
    import pyloudnorm

    loudness = pyloudnorm.Meter(sample_rate).integrated_loudness(audio.astype(np.float64))
    return float(loudness) if np.isfinite(loudness) else None


@dataclass(frozen=True)
class StandardisedAudio:
    """The result of :func:`standardise`."""

    audio_file: Path
    source_audio_file: Path
    duration_s: float
    sample_rate: int
    channels: int
    loudness_lufs: float | None
    source_loudness_lufs: float | None
    gain_db: float


def standardise(
    media_file: Path,
    work_dir: Path,
    *,
    target_lufs: float = -23.0,
    max_duration_s: float | None = None,
) -> StandardisedAudio:
    """Write ``audio.flac`` (normalised) and ``source_16k.flac`` (not) into ``work_dir``.

    ``source_16k.flac`` keeps the levels of the original, which QC needs to measure clipping.
    The gain is lowered if it would push peaks above -1 dBFS (then loudness lands below the
    target, and the recorded ``loudness_lufs`` says by how much).

    Raises:
        CorruptMediaError: the media cannot be decoded.
        VideoTooLongError: the decoded audio is longer than ``max_duration_s``.
    """
    source = decode_audio(media_file)
    duration_s = source.size / SAMPLE_RATE
    if max_duration_s is not None and duration_s > max_duration_s:
        raise VideoTooLongError(
            f"audio is {duration_s:.0f}s long, over max_duration_s {max_duration_s:.0f}s; "
            "raise max_duration_s (PIXEL_MAX_DURATION_S) to ingest it."
        )
    source = np.clip(source, -1.0, 1.0)
    source_loudness = integrated_loudness(source)
    gain_db = 0.0 if source_loudness is None else target_lufs - source_loudness
    peak = float(np.max(np.abs(source))) if source.size else 0.0
    if peak > 0 and peak * 10 ** (gain_db / 20) > _PEAK_CEILING:
        gain_db = 20 * np.log10(_PEAK_CEILING / peak)
    normalised = np.clip(source * np.float32(10 ** (gain_db / 20)), -1.0, 1.0)

    audio_file = work_dir / "audio.flac"
    source_file = work_dir / "source_16k.flac"
    sf.write(audio_file, normalised, SAMPLE_RATE, format="FLAC", subtype="PCM_16")
    sf.write(source_file, source, SAMPLE_RATE, format="FLAC", subtype="PCM_16")
    return StandardisedAudio(
        audio_file=audio_file,
        source_audio_file=source_file,
        duration_s=duration_s,
        sample_rate=SAMPLE_RATE,
        channels=1,
        # A gain shifts every block's loudness by gain_db and the gain never clips (peak
        # ceiling), so BS.1770's relative gate keeps the same blocks: no second measurement
        # (~0.4 s per 10 min). Only blocks near the -70 LUFS absolute gate could differ, and
        # those sit far below the relative gate of any recording louder than -60 LUFS.
        loudness_lufs=None if source_loudness is None else float(source_loudness + gain_db),
        source_loudness_lufs=source_loudness,
        gain_db=float(gain_db),
    )
