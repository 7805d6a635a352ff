"""Packing of short clips into whisper-sized decoding windows, and the way back to the clips.

Whisper pads every input to 30 s, so a 3-8 s segment decoded on its own costs the encoder as
much as 30 s of audio and the beam search one decoder call per segment. Here consecutive clips
(in time order) are laid end to end in windows of at most ``max_window_s``: each window is
built from the clips' own audio only (what lies between two segments was rejected by QC or not
asked for, and may be music or noise), joined by :data:`SEPARATOR_S` of silence. A
:class:`Window` keeps where each clip sits, so the words decoded from the window are assigned
back to their clip (by word start, the nearest clip for a word starting in a separator) with
times absolute in the video (:func:`split_decoded`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pixel_assets.transcription.align import SubSegment
from pixel_assets.transcription.asr_results import _Decoded, _Sub

SAMPLE_RATE = 16_000

SEPARATOR_S = 0.6
"""Silence between two clips that are not adjacent in the video: whisper hears a pause there
and does not run one segment's last word into the next one's first. Measured on the fixtures
(tiny.en, beam 5): 0.6 s recovered the quiet turn after a packed neighbour best (shared_segment
group WER 0.53 against 0.63 with 0.4 s and 0.57 unpacked), other fixtures within a word of
0.4 s; each separator costs 2 % of a 30 s window."""


@dataclass(frozen=True)
class Placement:
    """Where one clip's audio sits in its window (sample-exact).

    Attributes:
        clip: Index of the clip in the sequence given to :func:`pack_windows`.
        start: First sample of the clip in the video's audio.
        end: End sample (exclusive) in the video's audio.
        offset: First sample of the clip in the window.
    """

    clip: int
    start: int
    end: int
    offset: int

    @property
    def length(self) -> int:
        """Samples of the clip."""
        return self.end - self.start

    def to_absolute(self, t: float) -> float:
        """Window time (s) -> video time (s), clamped into this clip."""
        local = min(max(t * SAMPLE_RATE - self.offset, 0.0), float(self.length))
        return (self.start + local) / SAMPLE_RATE

    def distance(self, t: float) -> float:
        """Seconds from window time ``t`` to this clip's span in the window (0 inside)."""
        sample = t * SAMPLE_RATE
        return max(self.offset - sample, sample - (self.offset + self.length), 0.0) / SAMPLE_RATE


@dataclass
class Window:
    """One decoding window: clips laid end to end, separated by silence where not adjacent."""

    placements: list[Placement]

    @property
    def length(self) -> int:
        """Samples of the window."""
        last = self.placements[-1]
        return last.offset + last.length

    def index_at(self, t: float) -> int:
        """Index of the placement holding window time ``t`` (s), else the nearest one."""
        return min(range(len(self.placements)), key=lambda i: self.placements[i].distance(t))

    def samples(self, audio: np.ndarray) -> np.ndarray:
        """The window's audio: each clip's samples at its offset, silence in between."""
        out = np.zeros(self.length, dtype=np.float32)
        for p in self.placements:
            out[p.offset : p.offset + p.length] = audio[p.start : p.end]
        return out


def pack_windows(
    spans: Sequence[tuple[float, float]],
    max_window_s: float,
    separator_s: float = SEPARATOR_S,
) -> list[Window]:
    """Group clips, in time order, into windows of at most ``max_window_s`` of audio.

    A clip follows the previous one directly when it starts where that one ends in the video
    (the pieces of one long segment), after ``separator_s`` of silence otherwise. A clip longer
    than the window gets a window of its own.

    Args:
        spans: ``(start_s, end_s)`` of each clip in the video.
        max_window_s: Longest window (whisper's 30 s at most).
        separator_s: Silence between clips that are not adjacent.

    Returns:
        Windows in time order; every clip is in exactly one.
    """
    limit = round(max_window_s * SAMPLE_RATE)
    gap = round(separator_s * SAMPLE_RATE)
    bounds = [(round(a * SAMPLE_RATE), round(b * SAMPLE_RATE)) for a, b in spans]
    windows: list[Window] = []
    current: list[Placement] = []
    for clip in sorted(range(len(bounds)), key=lambda i: bounds[i]):
        start, end = bounds[clip]
        if current:
            last = current[-1]
            offset = last.offset + last.length + (0 if start == last.end else gap)
            if offset + end - start <= limit:
                current.append(Placement(clip, start, end, offset))
                continue
            windows.append(Window(current))
        current = [Placement(clip, start, end, 0)]
    if current:
        windows.append(Window(current))
    return windows


def pack_audio(audio: np.ndarray, windows: Sequence[Window]) -> tuple[np.ndarray, list[int]]:
    """All windows' audio end to end in one array, and the first sample of each window in it."""
    ends = np.cumsum([w.length for w in windows]).tolist()
    origins = [0, *ends[:-1]]
    packed = np.empty(ends[-1] if ends else 0, dtype=np.float32)
    for window, origin in zip(windows, origins, strict=True):
        packed[origin : origin + window.length] = window.samples(audio)
    return packed, origins


def split_decoded(window: Window, part: _Decoded, origin_s: float) -> list[_Decoded]:
    """Split what whisper decoded from a window into one result per clip of the window.

    Words go to the clip holding their start (the nearest clip for a word starting in a
    separator), with times clamped into that clip and made absolute in the video. Not the
    midpoint: whisper's alignment ends each word where the next begins, so a segment's last
    word runs across the separator into the next segment's leading pause (on shared_segment
    " me." ran 11.66-13.04 s over a separator at 11.86-12.26 s), while its start is where it
    was heard. A whisper sub-segment
    whose words fall in two clips becomes one sub-segment per clip with the words' text; its
    scores (avg_logprob, no_speech_prob: whisper scores the whole window) are kept, and its
    token count is shared by words. A sub-segment without words goes whole to the clip at its
    midpoint.

    Args:
        window: The window the result was decoded from.
        part: The window's decoded sub-segments, times in the array the window was cut from.
        origin_s: Where the window starts in that array (seconds).

    Returns:
        One :class:`_Decoded` per placement of ``window``, in placement order.
    """
    out = [_Decoded() for _ in window.placements]
    for sub in part.subs:
        words = sub.tokens.words
        if not words:
            index = window.index_at((sub.tokens.start + sub.tokens.end) / 2 - origin_s)
            place = window.placements[index]
            out[index].subs.append(
                _Sub(
                    sub.text, sub.n_tokens, sub.avg_logprob, sub.no_speech_prob,
                    SubSegment(
                        sub.tokens.tokens,
                        place.to_absolute(sub.tokens.start - origin_s),
                        place.to_absolute(sub.tokens.end - origin_s),
                    ),
                )
            )
            continue
        groups: dict[int, list[tuple[str, float, float, float]]] = {}
        for text, start, end, probability in words:
            index = window.index_at(start - origin_s)
            place = window.placements[index]
            a = place.to_absolute(start - origin_s)
            groups.setdefault(index, []).append(
                (text, a, max(a, place.to_absolute(end - origin_s)), probability)
            )
        whole = len(groups) == 1
        for index, group in groups.items():
            out[index].subs.append(
                _Sub(
                    text=sub.text if whole else "".join(w[0] for w in group),
                    n_tokens=(
                        sub.n_tokens if whole
                        else max(1, round(sub.n_tokens * len(group) / len(words)))
                    ),
                    avg_logprob=sub.avg_logprob,
                    no_speech_prob=sub.no_speech_prob,
                    # Split sub-segments keep no token ids: alignment ran on the window.
                    tokens=SubSegment(
                        sub.tokens.tokens if whole else [], group[0][1], group[-1][2], group
                    ),
                )
            )
    return out
