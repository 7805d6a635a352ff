"""Export one segment's audio as its own file (segments store offsets, not copies)."""

from __future__ import annotations

from pathlib import Path

import soundfile as sf


def export_clip(audio_file: Path, start_s: float, end_s: float, out_file: Path) -> Path:
    """Write ``audio_file[start_s:end_s]`` to ``out_file`` (format from its suffix).

    Raises:
        ValueError: the span is empty or outside the audio.
    """
    info = sf.info(str(audio_file))
    start = max(0, int(round(start_s * info.samplerate)))
    stop = min(info.frames, int(round(end_s * info.samplerate)))
    if stop <= start:
        raise ValueError(
            f"clip {start_s:.2f}-{end_s:.2f}s is empty or outside {audio_file.name} "
            f"({info.frames / info.samplerate:.2f}s long)."
        )
    audio, rate = sf.read(str(audio_file), start=start, stop=stop, dtype="float32")
    out_file.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(out_file), audio, rate)
    return out_file
