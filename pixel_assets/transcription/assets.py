"""Transcription assets: ``transcripts`` (ASR + diarization, GPU pool) and
``filtered_transcripts`` (thresholds, blocking pass-rate check)."""

import math

import dagster as dg
import pandas as pd

from pixel_assets.audio.assets import segments
from pixel_assets.errors import MissingInputError
from pixel_assets.ingest.raw_audio import read_normalised_audio
from pixel_assets.ingest.standardise import SAMPLE_RATE
from pixel_assets.resources import StorageResource
from pixel_assets.resources.transcription import (
    AsrResource,
    DiarizerResource,
    TranscriptFilterResource,
)
from pixel_assets.rules import reason_counts
from pixel_assets.transcription.schemas import (
    ASR_COVERAGE,
    FILTERED_TRANSCRIPTS,
    REJECTED_TRANSCRIPTS,
    SPEAKER_TURNS,
    SPEAKERS,
    TRANSCRIPT_SEGMENTS,
    UNTRANSCRIBED_SPEECH,
    WORDS,
    filter_transcripts,
    pass_rate,
)
from pixel_assets.transcription.stage import transcribe_video
from pixel_assets.wiring import GateResult, QualityGate, StageOutput, per_video_asset

PASS_RATE_CHECK = "filtered_transcripts_pass_rate"
COVERAGE_CHECK = "transcripts_asr_coverage"


@per_video_asset(
    group="transcription",
    deps=[segments],
    tables=[
        TRANSCRIPT_SEGMENTS, WORDS, SPEAKER_TURNS, SPEAKERS, UNTRANSCRIBED_SPEECH, ASR_COVERAGE
    ],
    # One GPU step at a time across runs (limit with `dagster instance concurrency set gpu N`).
    pool="gpu",
    warnings=[
        QualityGate(
            COVERAGE_CHECK,
            "Share of VAD speech in the transcribed segments that got words is above the floor "
            "(asr.min_asr_coverage); non-blocking.",
        )
    ],
)
def transcripts(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    asr: AsrResource,
    diarizer: DiarizerResource,
    transcript_filter: TranscriptFilterResource,
) -> StageOutput:
    """faster-whisper transcripts of the video's passing segments with word timestamps and
    confidences, speakers from whole-video diarization (a segment spanning a speaker change is
    split); tables `transcript_segments`, `words`, `speaker_turns`, `speakers`."""
    store = storage.get_storage()
    video_id = context.partition_key
    table = store.read_partition("segments", video_id)
    if table is None or not table["passed"].any():
        raise MissingInputError(
            f"Video {video_id}: no passing segments to transcribe; materialise segments "
            "first (or relax the audio_quality thresholds)."
        )
    passing = table[table["passed"]].sort_values("start_s")
    audio = read_normalised_audio(store, video_id)
    spans = list(zip(passing["segment_id"], passing["start_s"], passing["end_s"], strict=True))
    regions_frame = store.read_partition("speech_regions", video_id)
    regions = list(zip(regions_frame["start_s"], regions_frame["end_s"], strict=True))
    thresholds = transcript_filter.thresholds()
    result = transcribe_video(
        video_id, audio, SAMPLE_RATE, spans, regions,
        asr.get_transcriber(), diarizer.get_diarizer(),
        max_no_speech_prob=thresholds.max_no_speech_prob,
        min_avg_logprob=thresholds.min_avg_logprob,
        min_asr_coverage=asr.min_asr_coverage,
    )
    for name, frame in result.tables.items():
        store.write_partition(name, video_id, frame)

    segment_frame, speakers = result.tables["transcript_segments"], result.tables["speakers"]
    coverage = result.coverage
    confidence = float(segment_frame["confidence"].mean()) if len(segment_frame) else math.nan
    wpm = float(segment_frame["wpm"].median()) if len(segment_frame) else math.nan
    preview = "\n".join(
        f"- **{row.speaker or '?'}** ({row.start_s:.1f}s): {row.text}"
        for row in segment_frame.head(8).itertuples()
    )
    return StageOutput(
        metadata={
            "model": result.model,
            "segments_transcribed": len(spans),
            "transcript_rows": len(segment_frame),
            "words": len(result.tables["words"]),
            "speakers": len(speakers),
            "talk_share": dg.MetadataValue.json(
                {r.speaker: round(r.talk_share, 3) for r in speakers.itertuples()}
            ),
            "mean_confidence": round(confidence, 3),
            "median_wpm": round(wpm, 1),
            "preview": dg.MetadataValue.md(preview or "no speech recognised"),
            "asr_coverage": round(coverage.coverage, 4) if coverage.speech_s else "n/a",
            "uncovered_s": round(coverage.uncovered_s, 2),
            "redecoded": result.redecoded,
            "recovered": result.recovered,
            "untranscribed_stretches": len(result.tables["untranscribed_speech"]),
        },
        warnings={
            COVERAGE_CHECK: GateResult(
                passed=result.covered,
                message=(
                    f"Video {video_id}: only {coverage.coverage:.0%} of its speech got words "
                    f"(asr_coverage < {asr.min_asr_coverage}); see untranscribed_speech and "
                    "rejected_transcripts for the stretches without words."
                ),
                metadata={
                    "asr_coverage": round(coverage.coverage, 4) if coverage.speech_s else -1.0,
                    "min_asr_coverage": asr.min_asr_coverage,
                    "uncovered_s": round(coverage.uncovered_s, 2),
                    "gaps": len(coverage.gaps),
                    "failed_rules": ", ".join(r["rule"] for r in result.coverage_reasons)
                    or "none",
                },
            )
        },
    )


@per_video_asset(
    group="transcription",
    deps=[transcripts],
    tables=[FILTERED_TRANSCRIPTS, REJECTED_TRANSCRIPTS],
    gate=QualityGate(
        PASS_RATE_CHECK, "Share of transcript rows passing the thresholds is above the floor."
    ),
)
def filtered_transcripts(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    transcript_filter: TranscriptFilterResource,
) -> StageOutput:
    """Transcript rows that meet every threshold (logprob, no-speech, compression, language,
    words, WPM, confidence); failing rows go to `rejected_transcripts` with their reasons."""
    store = storage.get_storage()
    video_id = context.partition_key
    table = store.read_partition("transcript_segments", video_id)
    if table is None:
        raise MissingInputError(
            f"Video {video_id}: transcript_segments is missing; materialise transcripts first."
        )
    passed, rejected = filter_transcripts(table, transcript_filter.thresholds())
    # Speech that yielded no words is rejected too, so every stretch of speech is accounted for.
    untranscribed = store.read_partition("untranscribed_speech", video_id)
    if untranscribed is not None and len(untranscribed):
        rejected = pd.concat([rejected, untranscribed[rejected.columns]], ignore_index=True)
    store.write_partition("filtered_transcripts", video_id, passed)
    if rejected.empty:
        store.delete_partition("rejected_transcripts", video_id)
    else:
        store.write_partition("rejected_transcripts", video_id, rejected)
    rate = pass_rate(passed, table)
    floor = transcript_filter.min_pass_rate
    ok = not math.isnan(rate) and rate >= floor
    return StageOutput(
        metadata={
            "rows": len(table),
            "passed": len(passed),
            "rejected": len(rejected),
            "pass_rate": round(rate, 3) if not math.isnan(rate) else "n/a",
            "rejections_by_threshold": dg.MetadataValue.json(reason_counts(rejected["reasons"]))
            if len(rejected)
            else dg.MetadataValue.json({}),
        },
        gate=GateResult(
            passed=ok,
            error_type="transcript_pass_rate_low",
            message=(
                f"Video {video_id}: only {len(passed)}/{len(table)} transcript rows pass the "
                f"thresholds (pass rate {rate:.2f} < min_pass_rate {floor:.2f}); see "
                "rejected_transcripts for the reasons."
            ),
            metadata={
                "pass_rate": round(rate, 3) if not math.isnan(rate) else -1.0,
                "min_pass_rate": floor,
                "passed": len(passed),
                "rejected": len(rejected),
            },
        ),
    )
