"""Audio assets: ``audio_qc`` (video-level quality, blocking check) and ``segments``."""

import base64
from datetime import UTC, datetime

import dagster as dg
import pandas as pd

from pixel_assets.audio.plots import waveform_png
from pixel_assets.audio.qc import evaluate, measure_audio, measure_segments
from pixel_assets.audio.schemas import AudioQCRow, segments_frame, split_segments
from pixel_assets.audio.vad import detect_speech, make_segments
from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.raw_audio import read_standardised_audio
from pixel_assets.ingest.standardise import SAMPLE_RATE
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import StorageResource
from pixel_assets.resources.audio import (
    AudioQualityResource,
    DnsmosResource,
    LanguageIdResource,
)
from pixel_assets.wiring import failures_recorded, record_quality_stop, writes_tables

QC_CHECK = "audio_qc_passes_thresholds"
SEGMENTS_CHECK = "segments_has_usable_speech"


def _png_markdown(png: bytes, alt: str) -> dg.MetadataValue:
    return dg.MetadataValue.md(f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})")


@dg.asset(
    partitions_def=videos_partitions,
    group_name="audio",
    deps=[raw_audio],
    kinds={"python", "parquet"},
    metadata=writes_tables("audio_qc", "speech_regions"),
    check_specs=[
        dg.AssetCheckSpec(
            QC_CHECK,
            asset="audio_qc",
            blocking=True,
            description="The video meets every audio threshold; a failing video stops here.",
        )
    ],
)
def audio_qc(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    audio_quality: AudioQualityResource,
    language_id: LanguageIdResource,
    dnsmos: DnsmosResource,
) -> dg.MaterializeResult:
    """Video-level audio quality: loudness, peak, clipping, silence, speech ratio (Silero VAD),
    SNR, language (Whisper) and DNSMOS; one row in `audio_qc`, VAD regions in `speech_regions`."""
    store = storage.get_storage()
    video_id = context.partition_key
    thresholds = audio_quality.qc_thresholds()
    with failures_recorded(context, store, "audio_qc"):
        audio, source = read_standardised_audio(store, video_id)
        regions = detect_speech(audio, SAMPLE_RATE, audio_quality.vad_config())
        language, probability = (
            language_id.get_identifier().detect(audio, regions)
            if audio_quality.detect_language and regions
            else (None, None)
        )
        metrics = measure_audio(
            audio,
            source,
            SAMPLE_RATE,
            regions,
            language,
            probability,
            dnsmos=dnsmos.get_scorer() if audio_quality.dnsmos else None,
        )
        evaluate(metrics, thresholds)
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
    withdrawn: list[str] = []
    if not metrics.passed:
        message = (
            f"Video {video_id}: audio QC failed ({'; '.join(metrics.reasons)}); it stops before "
            "transcription. Relax the thresholds (audio_quality resource) if this is wrong."
        )
        withdrawn = record_quality_stop(context, store, "audio_qc", "audio_qc_failed", message)
    measured = {
        k: (round(v, 3) if isinstance(v, float) else v)
        for k, v in metrics.to_row().items()
        if k not in ("passed", "reasons") and v is not None
    }
    return dg.MaterializeResult(
        metadata={
            **measured,
            "passed": metrics.passed,
            "reasons": "; ".join(metrics.reasons) or "none",
            "speech_regions": len(regions),
            "withdrawn_from_tables": ", ".join(withdrawn) or "none",
            "waveform": _png_markdown(png, "waveform with VAD speech regions"),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=QC_CHECK,
                passed=metrics.passed,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={
                    "failed_thresholds": "; ".join(metrics.reasons) or "none",
                    **{f"measured_{k}": v for k, v in measured.items() if not isinstance(v, str)},
                    "thresholds": dg.MetadataValue.json(
                        {k: v for k, v in audio_quality.model_dump().items()}
                    ),
                },
            )
        ],
    )


@dg.asset(
    partitions_def=videos_partitions,
    group_name="audio",
    deps=[audio_qc],
    kinds={"python", "parquet"},
    metadata=writes_tables("segments", "rejected_segments"),
    check_specs=[
        dg.AssetCheckSpec(
            SEGMENTS_CHECK,
            asset="segments",
            blocking=True,
            description="At least one segment passes the segment thresholds.",
        )
    ],
)
def segments(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    audio_quality: AudioQualityResource,
    dnsmos: DnsmosResource,
) -> dg.MaterializeResult:
    """Speech segments of min..max seconds (split at the longest pause) with per-segment SNR,
    loudness, clipping and DNSMOS; all rows in `segments` (passed flag), failures also in
    `rejected_segments` with the reason. Offsets point into audio/<video_id>/audio.flac."""
    store = storage.get_storage()
    video_id = context.partition_key
    thresholds = audio_quality.segment_thresholds()
    with failures_recorded(context, store, "segments"):
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
        # dnsmos_gate skips DNSMOS (the slowest metric) for segments that already fail.
        metrics = measure_segments(
            audio,
            source,
            SAMPLE_RATE,
            found,
            regions,
            dnsmos=dnsmos.get_scorer() if audio_quality.dnsmos else None,
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
    withdrawn: list[str] = []
    if not usable:
        message = (
            f"Video {video_id}: none of its {len(table)} segments passes the segment thresholds; "
            "see rejected_segments for the reasons."
        )
        withdrawn = record_quality_stop(
            context, store, "segments", "no_usable_segments", message
        )
    reasons = rejected["reject_reason"].value_counts().head(5).to_dict() if len(rejected) else {}
    return dg.MaterializeResult(
        metadata={
            "segments": len(table),
            "kept": len(kept),
            "rejected": len(rejected),
            "withdrawn_from_tables": ", ".join(withdrawn) or "none",
            "kept_speech_s": round(float(kept["duration_s"].sum()), 2) if usable else 0.0,
            "top_reject_reasons": dg.MetadataValue.json(reasons),
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
        check_results=[
            dg.AssetCheckResult(
                check_name=SEGMENTS_CHECK,
                passed=usable,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"kept": len(kept), "rejected": len(rejected)},
            )
        ],
    )
