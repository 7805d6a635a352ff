"""Word timestamps in one batched alignment pass over already-decoded tokens.

faster-whisper can align words inside its decoding pass (``word_timestamps=True``), but on a
GPU that pass with beam 5 ran at 57-61x real time against 606x without word timestamps (H100,
tiny.en, batch 16; ``shared/GPU.md``). Here the clips are decoded without word timestamps and
their final tokens are aligned afterwards: the clips are encoded again in batches and
``WhisperModel.add_word_timestamps`` (cross-attention DTW, the same code the decoding pass
uses) runs on each batch, so word timings equal the inline ones for the same tokens.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SAMPLE_RATE = 16_000

# faster-whisper's defaults for gluing punctuation to words (TranscriptionOptions).
PREPEND_PUNCTUATIONS = "\"'“¿([{-"
APPEND_PUNCTUATIONS = "\"'.。,，!！?？:：”)]}、"


@dataclass
class SubSegment:
    """One whisper sub-segment of a decoded clip (times absolute in the audio, seconds).

    Attributes:
        tokens: Decoded token ids (timestamp tokens included; they are dropped for alignment).
        start: Sub-segment start from whisper's timestamp tokens.
        end: Sub-segment end.
        words: Filled by :func:`align_clips`: ``(word, start, end, probability)`` tuples.
    """

    tokens: list[int]
    start: float
    end: float
    words: list[tuple[str, float, float, float]] = field(default_factory=list)


@dataclass
class ClipTokens:
    """The decoded sub-segments of one clip of the audio.

    Attributes:
        start_s: Clip start in the audio (seconds).
        end_s: Clip end.
        subs: The clip's sub-segments in time order.
    """

    start_s: float
    end_s: float
    subs: list[SubSegment]


def align_clips(
    model: Any,
    audio: np.ndarray,
    clips: Sequence[ClipTokens],
    language: str,
    batch_size: int = 16,
) -> None:
    """Fill ``SubSegment.words`` of every clip from one batched alignment pass.

    Args:
        model: A loaded ``faster_whisper.WhisperModel``.
        audio: The whole mono float32 waveform at 16 kHz the clips were cut from.
        clips: Decoded clips (each <= 30 s); clips without text tokens are skipped.
        language: The decoding language (selects the tokenizer's start-of-transcript sequence).
        batch_size: Clips encoded and aligned together.
    """
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import pad_or_trim

    tokenizer = Tokenizer(
        model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language
    )
    todo = [
        c for c in clips
        if c.subs and any(t < tokenizer.eot for s in c.subs for t in s.tokens)
    ]
    fps = model.frames_per_second
    last_speech = 0.0
    for i in range(0, len(todo), max(1, batch_size)):
        batch = todo[i : i + max(1, batch_size)]
        features = np.stack(
            [
                pad_or_trim(
                    model.feature_extractor(
                        audio[int(c.start_s * SAMPLE_RATE) : int(c.end_s * SAMPLE_RATE)]
                    )[..., :-1]
                )
                for c in batch
            ]
        )
        encoder_output = model.encode(features)
        # The layout BatchedInferencePipeline.forward hands to add_word_timestamps: per clip a
        # list of sub-segment dicts whose first "seek" gives the clip offset in frames.
        segmented = [
            [
                {
                    "tokens": list(s.tokens),
                    "start": s.start,
                    "end": s.end,
                    # As the pipeline computes it, so word times match the inline ones.
                    "seek": int(int(c.start_s * SAMPLE_RATE) / SAMPLE_RATE * fps),
                }
                for s in c.subs
            ]
            for c in batch
        ]
        sizes = [int(math.ceil(c.end_s - c.start_s) * fps) for c in batch]
        last_speech = model.add_word_timestamps(
            segmented,
            tokenizer,
            encoder_output,
            sizes,
            PREPEND_PUNCTUATIONS,
            APPEND_PUNCTUATIONS,
            last_speech,
        )
        for clip, subs in zip(batch, segmented, strict=True):
            for sub, out in zip(clip.subs, subs, strict=True):
                # add_word_timestamps moves sub-segment bounds to the first/last word, as the
                # inline pass does; sub-segment order and re-decode placement rely on them.
                sub.start, sub.end = float(out["start"]), float(out["end"])
                sub.words = [
                    (w["word"], float(w["start"]), float(w["end"]), float(w["probability"]))
                    for w in out.get("words", [])
                ]
