"""Small waveform PNG with VAD regions and segments, for Dagster metadata (no Dagster here).

Use it as markdown: ``f"![waveform](data:image/png;base64,{base64.b64encode(png).decode()})"``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

from pixel_assets.audio.vad import Region, Segment

_MAX_COLUMNS = 1200  # envelope points: enough for a 10 x 2 inch figure at 100 dpi


def waveform_png(
    audio: np.ndarray,
    sample_rate: int,
    speech_regions: Sequence[Region],
    segments: Sequence[Segment],
    title: str | None = None,
) -> bytes:
    """Render the min/max envelope with speech regions (green) and segments (blue bars).

    Args:
        audio: Mono float samples.
        sample_rate: Sample rate in Hz.
        speech_regions: VAD ``(start_s, end_s)`` regions, shaded behind the waveform.
        segments: Segments, drawn as alternating bars under the waveform.
        title: Optional title (e.g. the video id).

    Returns:
        PNG bytes (about 20–40 KB for any length of audio).
    """
    # Object-oriented Agg figure: no pyplot global state, safe in worker threads.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    audio = np.asarray(audio, dtype=np.float32)
    duration = audio.size / sample_rate if sample_rate else 0.0
    columns = max(1, min(_MAX_COLUMNS, audio.size))
    usable = audio[: audio.size // columns * columns].reshape(columns, -1) if audio.size else None
    fig = Figure(figsize=(10, 2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.05, 0.22, 0.93, 0.66))
    if usable is not None and usable.size:
        t = (np.arange(columns) + 0.5) * usable.shape[1] / sample_rate
        ax.fill_between(t, usable.min(axis=1), usable.max(axis=1), color="0.25", lw=0)
    for start, end in speech_regions:
        ax.axvspan(start, end, color="tab:green", alpha=0.25, lw=0)
    for seg in segments:
        color = "tab:blue" if seg.index % 2 == 0 else "tab:cyan"
        ax.plot([seg.start_s, seg.end_s], [-1.08, -1.08], color=color, lw=4, solid_capstyle="butt")
    ax.set_xlim(0, max(duration, 1e-3))
    ax.set_ylim(-1.15, 1.05)
    ax.set_yticks([])
    ax.set_xlabel("seconds", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_title(
        title or f"{len(speech_regions)} speech regions, {len(segments)} segments", fontsize=8
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
