"""Transcription resources: the ASR model, the diarizer and the transcript filter.

Models load once per process and configuration (a cached loader), so the CLI's many
in-process runs, and every segment of a video, share one model.

GPU preset: :data:`ASR_GPU_PRESET` and :data:`DIARIZER_GPU_PRESET` are the settings for a large
GPU (H100/H200 class; see ``bench/gpu/``): float16, batch 32, beam 5 with words aligned in a
separate batched pass (on an H100 inline word timestamps cut beam-5 throughput ~10x), and the
voice encoder on CUDA. ``gpu_resources()`` builds both; the defaults (``device="auto"``) already
pick CUDA when there is one, the preset only adds the batch sizes.
"""

from __future__ import annotations

from functools import cache

import dagster as dg
from pydantic import Field

from pixel_assets.transcription.asr import (
    DEFAULT_ASR_MODEL,
    MAX_CLIP_S,
    AsrOptions,
    WhisperTranscriber,
)
from pixel_assets.transcription.coverage import DEFAULT_MIN_COVERAGE, MIN_GAP_S
from pixel_assets.transcription.diarization import DiarizationOptions, Diarizer, make_diarizer
from pixel_assets.transcription.schemas import TranscriptThresholds

_TT = TranscriptThresholds()
_DIA = DiarizationOptions()


@cache
def _transcriber(settings: tuple[tuple[str, object], ...]) -> WhisperTranscriber:
    return WhisperTranscriber(AsrOptions(**dict(settings)))


@cache
def _diarizer(backend: str, settings: tuple[tuple[str, object], ...]) -> Diarizer:
    return make_diarizer(backend, **dict(settings))


class AsrResource(dg.ConfigurableResource):
    """faster-whisper settings. ``model``: the offline tiny.en by default, or any
    faster-whisper name (``large-v3``…) or local CTranslate2 directory."""

    model: str = Field(DEFAULT_ASR_MODEL, description="model name or CTranslate2 directory")
    device: str = Field("auto", description="auto | cpu | cuda")
    compute_type: str = Field("auto", description="auto (int8 on CPU, float16 on CUDA), ...")
    beam_size: int = Field(5, description="beam width")
    batch_size: int = Field(8, description="BatchedInferencePipeline batch; 1 = sequential")
    language: str | None = Field(None, description="force a language; None detects")
    cpu_threads: int = Field(0, description="CTranslate2 CPU threads (0 = default)")
    word_alignment: str = Field(
        "auto",
        description="inline (words aligned while decoding) | pass (one batched alignment pass "
        "after decoding; fast on GPU) | auto (pass on CUDA, inline on CPU)",
    )
    alignment_batch_size: int = Field(0, description="clips per alignment batch; 0 = batch_size")
    min_gap_s: float = Field(
        MIN_GAP_S,
        description="speech without words from this length (s) is decoded again, and reported "
        "in rejected_transcripts if still empty; 0 turns re-decoding off",
    )
    pack_window_s: float = Field(
        MAX_CLIP_S,
        description="pack segments into decoding windows of up to this many seconds (<= 30) "
        "and map the words back; 0 decodes each segment as a clip of its own",
    )
    min_asr_coverage: float = Field(
        DEFAULT_MIN_COVERAGE,
        description="floor of the non-blocking asr_coverage check: share of VAD speech in the "
        "transcribed segments that got words",
    )

    @classmethod
    def from_options(cls, options: AsrOptions) -> AsrResource:
        """The resource for plain :class:`AsrOptions` (benchmarks, scripts)."""
        return cls(
            **{name: getattr(options, name) for name in cls.model_fields if hasattr(options, name)}
        )

    def options(self) -> AsrOptions:
        return AsrOptions(
            model=self.model,
            device=self.device,
            compute_type=self.compute_type,
            beam_size=self.beam_size,
            batch_size=self.batch_size,
            language=self.language,
            cpu_threads=self.cpu_threads,
            word_alignment=self.word_alignment,
            alignment_batch_size=self.alignment_batch_size,
            min_gap_s=self.min_gap_s,
            pack_window_s=self.pack_window_s,
        )

    def get_transcriber(self) -> WhisperTranscriber:
        return _transcriber(tuple(sorted(vars(self.options()).items())))


class DiarizerResource(dg.ConfigurableResource):
    """Speaker diarization. ``resemblyzer`` (default) works offline; ``pyannote`` and
    ``whisperx`` need their extras (``pixel-voice[pyannote]`` / ``[whisperx]``)."""

    backend: str = Field(
        "resemblyzer", description="resemblyzer | pyannote | whisperx | none (one speaker)"
    )
    num_speakers: int | None = Field(None, description="fixed speaker count; None = automatic")
    min_speakers: int = Field(_DIA.min_speakers, description="lower bound when automatic")
    max_speakers: int = Field(_DIA.max_speakers, description="upper bound when automatic")
    threshold: float = Field(_DIA.threshold, description="cosine distance that merges voices")
    pitch_split_st: float | None = Field(
        _DIA.pitch_split_st,
        description="split a cluster whose voice-print halves differ by this many semitones of "
        "median pitch (similar voices); null turns the second pass off",
    )
    pipeline: str | None = Field(
        None,
        description="pyannote/whisperx pipeline: local directory or hub name (None: the "
        "backend's default, pyannote/speaker-diarization-community-1)",
    )
    hf_token: str | None = Field(None, description="Hugging Face token for gated pipelines")
    device: str = Field("auto", description="auto (CUDA when torch sees a GPU) | cpu | cuda")

    def get_diarizer(self) -> Diarizer:
        if self.backend == "resemblyzer":
            kwargs: dict[str, object] = {
                "num_speakers": self.num_speakers,
                "min_speakers": self.min_speakers,
                "max_speakers": self.max_speakers,
                "threshold": self.threshold,
                "pitch_split_st": self.pitch_split_st,
                "device": self.device,
            }
        elif self.backend in ("pyannote", "whisperx"):
            kwargs = {
                "hf_token": self.hf_token,
                "device": self.device,
                "num_speakers": self.num_speakers,
                "min_speakers": self.min_speakers,
                "max_speakers": self.max_speakers,
            }
            if self.pipeline:
                kwargs["pipeline" if self.backend == "pyannote" else "model_name"] = self.pipeline
        else:
            kwargs = {}
        return _diarizer(self.backend, tuple(sorted(kwargs.items(), key=lambda kv: kv[0])))


class TranscriptFilterResource(dg.ConfigurableResource):
    """Thresholds for ``filtered_transcripts`` and the pass-rate floor of its blocking check."""

    min_avg_logprob: float = Field(_TT.min_avg_logprob, description="Whisper avg log-prob")
    max_no_speech_prob: float = Field(_TT.max_no_speech_prob, description="no-speech prob")
    max_compression_ratio: float = Field(_TT.max_compression_ratio, description="repetition")
    allowed_languages: list[str] = Field(list(_TT.allowed_languages), description="languages")
    min_words: int = Field(_TT.min_words, description="fewest words in a segment")
    min_wpm: float = Field(_TT.min_wpm, description="slowest speech rate (words/min)")
    max_wpm: float = Field(_TT.max_wpm, description="fastest speech rate (words/min)")
    min_confidence: float = Field(_TT.min_confidence, description="mean word probability")
    min_pass_rate: float = Field(
        0.5, description="share of a video's segments that must pass, else downstream stops"
    )

    def thresholds(self) -> TranscriptThresholds:
        return TranscriptThresholds(
            min_avg_logprob=self.min_avg_logprob,
            max_no_speech_prob=self.max_no_speech_prob,
            max_compression_ratio=self.max_compression_ratio,
            allowed_languages=tuple(self.allowed_languages),
            min_words=self.min_words,
            min_wpm=self.min_wpm,
            max_wpm=self.max_wpm,
            min_confidence=self.min_confidence,
        )


ASR_GPU_PRESET: dict[str, object] = {
    "device": "cuda",
    "compute_type": "float16",
    "batch_size": 32,
    "beam_size": 5,
    "word_alignment": "pass",
    "alignment_batch_size": 64,
}
"""``AsrResource`` settings for a large GPU: float16 and batch 32 (the H100 ran beam 1 at 720x
real time with batch 16 and 949x with batch 64), beam 5 kept for WER, words aligned in one
pass of 64 clips per batch."""

DIARIZER_GPU_PRESET: dict[str, object] = {"device": "cuda"}
"""``DiarizerResource`` settings for a GPU: the voice encoder on CUDA."""


def gpu_resources() -> dict[str, dg.ConfigurableResource]:
    """The ASR and diarizer resources of the GPU preset (for ``resources_for("gpu")``)."""
    return {
        "asr": AsrResource(**ASR_GPU_PRESET),  # type: ignore[arg-type]
        "diarizer": DiarizerResource(**DIARIZER_GPU_PRESET),  # type: ignore[arg-type]
    }
