"""Audio assets: ``audio_qc`` (video-level quality, blocking check) and ``segments``."""

import zipfile
from datetime import UTC, datetime

import dagster as dg
import numpy as np
import pandas as pd

from pixel_assets.audio.plots import waveform_png
from pixel_assets.audio.qc import AudioAnalysis, analyse_audio, evaluate, measure_audio
from pixel_assets.audio.schemas import (
    AUDIO_QC,
    REJECTED_SEGMENTS,
    SEGMENTS,
    SPEECH_REGIONS,
    AudioQCRow,
    segments_frame,
    split_segments,
)
from pixel_assets.audio.segment_qc import measure_segments
from pixel_assets.audio.vad import detect_speech, make_segments
from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.raw_audio import read_standardised_audio
from pixel_assets.ingest.standardise import SAMPLE_RATE
from pixel_assets.resources import StorageResource
from pixel_assets.resources.audio import (
    AudioQualityResource,
    DnsmosResource,
    LanguageIdResource,
)
from pixel_assets.rules import reason_counts
from pixel_assets.warehouse.storage import Storage
from pixel_assets.wiring import GateResult, QualityGate, StageOutput, per_video_asset, png_markdown

QC_CHECK = "audio_qc_passes_thresholds"
SEGMENTS_CHECK = "segments_has_usable_speech"
# Frame powers, speech mask and loudness hops of audio.flac, written by audio_qc for segments.
QC_ANALYSIS_FILE = "qc_analysis.npz"


@per_video_asset(
    group="audio",
    deps=[raw_audio],
    tables=[AUDIO_QC, SPEECH_REGIONS],
    gate=QualityGate(
        QC_CHECK, "The video meets every audio threshold; a failing video stops here."
    ),
)
def audio_qc(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    audio_quality: AudioQualityResource,
    language_id: LanguageIdResource,
    dnsmos: DnsmosResource,
) -> StageOutput:
    """Video-level audio quality: loudness, peak, clipping, silence, speech ratio (Silero VAD),
    SNR, language (Whisper) and DNSMOS; one row in `audio_qc`, VAD regions in `speech_regions`."""
    store = storage.get_storage()
    video_id = context.partition_key
    audio, source = read_standardised_audio(store, video_id)
    regions = detect_speech(audio, SAMPLE_RATE, audio_quality.vad_config())
    language, probability = (
        language_id.get_identifier().detect(audio, regions)
        if audio_quality.detect_language and regions
        else (None, None)
    )
    analysis = analyse_audio(audio, SAMPLE_RATE, regions)
    metrics = measure_audio(
        audio,
        source,
        SAMPLE_RATE,
        regions,
        language,
        probability,
        dnsmos=dnsmos.get_scorer() if audio_quality.dnsmos else None,
        analysis=analysis,
    )
    store.write_bytes(analysis.to_npz(), "audio", video_id, QC_ANALYSIS_FILE)
    evaluate(metrics, audio_quality.qc_thresholds())
    row = {"video_id": video_id, **metrics.to_row(), "measured_at": datetime.now(UTC)}
    store.write_partition("audio_qc", video_id, AudioQCRow.validate(pd.DataFrame([row])))
    store.write_partition(
        "speech_regions",
        video_id,
        pd.DataFrame(
            [
                {"video_id": video_id, "region_index": i, "start_s": s, "end_s": e}
                for i, (s, e) in enumerate(regions)
            ],
            columns=["video_id", "region_index", "start_s", "end_s"],
        ),
    )
    png = waveform_png(audio, SAMPLE_RATE, regions, [], title=f"{video_id}: speech (VAD)")
    store.write_bytes(png, "audio", video_id, "qc_waveform.png")
    measured = {
        k: (round(v, 3) if isinstance(v, float) else v)
        for k, v in metrics.to_row().items()
        if k not in ("passed", "reasons", "reason_text") and v is not None
    }
    return StageOutput(
        metadata={
            **measured,
            "passed": metrics.passed,
            "reasons": metrics.reason_text or "none",
            "speech_regions": len(regions),
            "waveform": png_markdown(png, "waveform with VAD speech regions"),
        },
        gate=GateResult(
            passed=metrics.passed,
            error_type="audio_qc_failed",
            message=(
                f"Video {video_id}: audio QC failed ({metrics.reason_text}); it stops before "
                "transcription. Relax the thresholds (audio_quality resource) if this is wrong."
            ),
            metadata={
                "failed_thresholds": metrics.reason_text or "none",
                **{f"measured_{k}": v for k, v in measured.items() if not isinstance(v, str)},
                "thresholds": dg.MetadataValue.json(audio_quality.model_dump()),
            },
        ),
    )


@per_video_asset(
    group="audio",
    deps=[audio_qc],
    tables=[SEGMENTS, REJECTED_SEGMENTS],
    gate=QualityGate(SEGMENTS_CHECK, "At least one segment passes the segment thresholds."),
)
def segments(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    audio_quality: AudioQualityResource,
    dnsmos: DnsmosResource,
) -> StageOutput:
    """Speech segments of min..max seconds (split at the longest pause) with per-segment SNR,
    loudness, clipping and DNSMOS; all rows in `segments` (passed flag), failures also in
    `rejected_segments` with the reasons. Offsets point into audio/<video_id>/audio.flac."""
    store = storage.get_storage()
    video_id = context.partition_key
    thresholds = audio_quality.segment_thresholds()
    audio, source = read_standardised_audio(store, video_id)
    regions_frame = store.read_partition("speech_regions", video_id)
    regions = (
        []
        if regions_frame is None
        else list(zip(regions_frame["start_s"], regions_frame["end_s"], strict=True))
    )
    found = make_segments(
        regions,
        min_s=thresholds.min_duration_s,
        max_s=thresholds.max_duration_s,
        audio=audio,
        sample_rate=SAMPLE_RATE,
    )
    analysis, analysis_source = _stored_analysis(store, video_id, audio, regions)
    if analysis is None:
        context.log.info(f"Video {video_id}: {analysis_source}; analysing the audio again.")
    # dnsmos_gate skips DNSMOS (the slowest metric) for segments that already fail.
    metrics = measure_segments(
        audio,
        source,
        SAMPLE_RATE,
        found,
        regions,
        dnsmos=dnsmos.get_scorer() if audio_quality.dnsmos else None,
        analysis=analysis,
        dnsmos_gate=thresholds,
    )
    kept, rejected = split_segments(segments_frame(video_id, found, metrics), thresholds)
    table = pd.concat([kept, rejected]).sort_values("segment_index")
    store.write_partition("segments", video_id, table)
    if rejected.empty:
        store.delete_partition("rejected_segments", video_id)
    else:
        store.write_partition("rejected_segments", video_id, rejected)
    usable = len(kept) > 0
    return StageOutput(
        metadata={
            "segments": len(table),
            "kept": len(kept),
            "rejected": len(rejected),
            "kept_speech_s": round(float(kept["duration_s"].sum()), 2) if usable else 0.0,
            "audio_analysis": analysis_source,
            "top_reject_reasons": dg.MetadataValue.json(reason_counts(rejected["reasons"])),
            "preview": dg.MetadataValue.md(
                table.head(20)[
                    ["segment_id", "start_s", "end_s", "snr_db", "dnsmos_ovrl", "passed"]
                ]
                .round(2)
                .to_markdown(index=False)
            )
            if len(table)
            else "no segments",
        },
        gate=GateResult(
            passed=usable,
            error_type="no_usable_segments",
            message=(
                f"Video {video_id}: none of its {len(table)} segments passes the segment "
                "thresholds; see rejected_segments for the reasons."
            ),
            metadata={"kept": len(kept), "rejected": len(rejected)},
        ),
    )


def _stored_analysis(
    store: Storage, video_id: str, audio: np.ndarray, regions: list[tuple[float, float]]
) -> tuple[AudioAnalysis | None, str]:
    """audio_qc's analysis of this audio, if stored and still matching; else why not."""
    if not store.exists("audio", video_id, QC_ANALYSIS_FILE):
        return None, f"no {QC_ANALYSIS_FILE} (audio_qc ran before it was stored)"
    data = store.local_copy("audio", video_id, QC_ANALYSIS_FILE).read_bytes()
    try:
        analysis = AudioAnalysis.from_npz(data)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        return None, f"{QC_ANALYSIS_FILE} could not be read ({type(exc).__name__}: {exc})"
    if not analysis.describes(audio, SAMPLE_RATE, regions):
        return None, f"{QC_ANALYSIS_FILE} is of other audio or VAD regions"
    return analysis, f"reused from audio_qc ({QC_ANALYSIS_FILE})"
