"""Audio-stage resources: quality thresholds (editable per run) and the language-ID model."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import dagster as dg
from pydantic import Field

from pixel_assets.audio.dnsmos import DnsmosScorer
from pixel_assets.audio.language import DEFAULT_LANGUAGE_MODEL, LanguageIdentifier
from pixel_assets.audio.qc import QCThresholds, SegmentThresholds
from pixel_assets.audio.vad import VadConfig

_QC = QCThresholds()
_SEG = SegmentThresholds()
_VAD = VadConfig()


class AudioQualityResource(dg.ConfigurableResource):
    """Thresholds for ``audio_qc`` (video level) and ``segments`` (segment level), and the
    VAD settings. Override per run in the launchpad or with ``pixel-voice run --set``."""

    min_snr_db: float = Field(_QC.min_snr_db, description="lowest estimated SNR (dB)")
    min_dnsmos_ovrl: float = Field(_QC.min_dnsmos_ovrl, description="lowest DNSMOS OVRL (1-5)")
    max_clipping_ratio: float = Field(
        _QC.max_clipping_ratio, description="highest share of clipped source samples"
    )
    min_speech_ratio: float = Field(_QC.min_speech_ratio, description="lowest VAD speech share")
    min_duration_s: float = Field(_QC.min_duration_s, description="shortest video (s)")
    max_duration_s: float = Field(_QC.max_duration_s, description="longest video (s)")
    allowed_languages: list[str] | None = Field(
        list(_QC.allowed_languages or []) or None,
        description="Whisper language codes to keep; null keeps every language",
    )
    min_language_probability: float = Field(
        _QC.min_language_probability, description="lowest language-ID probability"
    )
    min_segment_s: float = Field(_SEG.min_duration_s, description="shortest kept segment (s)")
    max_segment_s: float = Field(_SEG.max_duration_s, description="longest segment (s)")
    segment_min_snr_db: float | None = Field(
        None, description="segment SNR floor (dB); null uses min_snr_db"
    )
    segment_min_dnsmos_ovrl: float | None = Field(
        None, description="segment DNSMOS floor; null uses min_dnsmos_ovrl"
    )
    vad_threshold: float = Field(_VAD.threshold, description="Silero speech probability")
    vad_min_silence_ms: int = Field(
        _VAD.min_silence_duration_ms, description="silence that ends a speech region (ms)"
    )
    vad_speech_pad_ms: int = Field(_VAD.speech_pad_ms, description="padding around speech (ms)")
    detect_language: bool = Field(True, description="run Whisper language ID")
    dnsmos: bool = Field(True, description="compute DNSMOS P.835 scores")

    def qc_thresholds(self) -> QCThresholds:
        return QCThresholds(
            min_snr_db=self.min_snr_db,
            min_dnsmos_ovrl=self.min_dnsmos_ovrl,
            max_clipping_ratio=self.max_clipping_ratio,
            min_speech_ratio=self.min_speech_ratio,
            min_duration_s=self.min_duration_s,
            max_duration_s=self.max_duration_s,
            allowed_languages=tuple(self.allowed_languages) if self.allowed_languages else None,
            min_language_probability=self.min_language_probability,
        )

    def segment_thresholds(self) -> SegmentThresholds:
        return SegmentThresholds(
            min_duration_s=self.min_segment_s,
            max_duration_s=self.max_segment_s,
            min_snr_db=self.min_snr_db
            if self.segment_min_snr_db is None
            else self.segment_min_snr_db,
            max_clipping_ratio=self.max_clipping_ratio,
            min_dnsmos_ovrl=self.min_dnsmos_ovrl
            if self.segment_min_dnsmos_ovrl is None
            else self.segment_min_dnsmos_ovrl,
        )

    def vad_config(self) -> VadConfig:
        return VadConfig(
            threshold=self.vad_threshold,
            min_silence_duration_ms=self.vad_min_silence_ms,
            speech_pad_ms=self.vad_speech_pad_ms,
        )


@cache
def _language_identifier(
    model: str, cache_dir: str | None, device: str, compute_type: str, cpu_threads: int
) -> LanguageIdentifier:
    # One model per process and configuration: the CLI runs many videos in one process.
    return LanguageIdentifier(
        model=model,
        cache_dir=Path(cache_dir) if cache_dir else None,
        device=device,
        compute_type=compute_type,
        cpu_threads=cpu_threads,
    )


class LanguageIdResource(dg.ConfigurableResource):
    """Whisper language identification. ``model`` is the offline multilingual base model
    shipped in PyPI wheels by default, or any faster-whisper hub name / local directory."""

    model: str = DEFAULT_LANGUAGE_MODEL
    cache_dir: str | None = None
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0

    def get_identifier(self) -> LanguageIdentifier:
        return _language_identifier(
            self.model, self.cache_dir, self.device, self.compute_type, self.cpu_threads
        )


@cache
def _dnsmos_scorer(threads: int, providers: tuple[str, ...], workers: int) -> DnsmosScorer:
    # One ONNX session per process and configuration, shared by every step in the process.
    return DnsmosScorer(threads=threads, providers=providers, workers=workers)


class DnsmosResource(dg.ConfigurableResource):
    """The DNSMOS P.835 speech-quality model (ONNX, shipped in the speechmos wheel).

    ``device``: ``auto`` uses onnxruntime's CUDA provider when onnxruntime-gpu is installed,
    else the CPU. Segments are scored in batches on ``workers`` threads at once, each call
    with ``threads`` intra-op threads: the defaults (1 thread per call, one worker per core)
    keep every core busy without oversubscribing (onnxruntime's own default sizes its pool
    from the host and spins, which costs 2-3x on shared cores).
    """

    device: str = Field("auto", description="auto | cpu | cuda")
    threads: int = Field(0, description="onnxruntime intra-op threads per call; 0 = 1")
    workers: int = Field(
        0, description="calls at once (thread pool); 0 = available CPUs // threads (1 on CUDA)"
    )

    def get_scorer(self) -> DnsmosScorer:
        threads = self.threads or 1
        providers = {
            "cpu": ("CPUExecutionProvider",),
            "cuda": ("CUDAExecutionProvider", "CPUExecutionProvider"),
            "auto": ("CUDAExecutionProvider", "CPUExecutionProvider"),
        }.get(self.device)
        if providers is None:
            raise ValueError(f"dnsmos.device {self.device!r}: choose auto, cpu or cuda.")
        return _dnsmos_scorer(threads, providers, self.workers)
