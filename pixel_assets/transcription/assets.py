"""Transcription assets: ``transcripts`` (ASR + diarization, GPU pool) and
``filtered_transcripts`` (thresholds, blocking pass-rate check)."""

import math

import dagster as dg
import numpy as np
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
from pixel_assets.transcription.coverage import (
    asr_coverage,
    check_coverage,
    coverage_frame,
    redecode_counts,
    untranscribed_rows,
    untranscribed_rules,
)
from pixel_assets.transcription.overlap import transcribe_while_diarizing
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
    transcript_segments_frame,
    words_frame,
)
from pixel_assets.transcription.speakers import assign_speakers, split_transcripts, talk_share
from pixel_assets.wiring import GateResult, QualityGate, StageOutput, per_video_asset

PASS_RATE_CHECK = "filtered_transcripts_pass_rate"
COVERAGE_CHECK = "transcripts_asr_coverage"


def _speakers_frame(video_id: str, result, turns: pd.DataFrame) -> pd.DataFrame:
    shares = talk_share(result.turns)
    return pd.DataFrame(
        [
            {
                "video_id": video_id,
                "speaker": speaker,
                "talk_share": shares.get(speaker, 0.0),
                "speech_s": float(
                    (turns.loc[turns["speaker"] == speaker, "end_s"]
                     - turns.loc[turns["speaker"] == speaker, "start_s"]).sum()
                ),
                "n_turns": int((turns["speaker"] == speaker).sum()),
                # Mean voice embedding (L2-normalised); links the same voice across videos.
                "embedding": None
                if (embedding := result.speaker_embeddings.get(speaker)) is None
                else np.asarray(embedding, dtype=np.float32).tolist(),
            }
            for speaker in sorted(result.speakers)
        ],
        columns=["video_id", "speaker", "talk_share", "speech_s", "n_turns", "embedding"],
    )


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
    transcriber = asr.get_transcriber()
    spans = list(zip(passing["segment_id"], passing["start_s"], passing["end_s"], strict=True))
    regions_frame = store.read_partition("speech_regions", video_id)
    regions = list(zip(regions_frame["start_s"], regions_frame["end_s"], strict=True))
    speaker_model = diarizer.get_diarizer()
    (segment_transcripts, word_rows), diarization = transcribe_while_diarizing(
        # Speech regions let the transcriber decode again any stretch of speech left without
        # words.
        lambda: transcriber.transcribe(audio, SAMPLE_RATE, spans, speech_regions=regions),
        lambda: speaker_model.diarize(audio, SAMPLE_RATE, regions),
    )

    segment_frame = transcript_segments_frame(
        video_id, segment_transcripts, transcriber.model_label
    )
    words = assign_speakers(words_frame(video_id, word_rows), diarization.turns)
    segment_frame, words = split_transcripts(segment_frame, words, diarization.turns)
    turns = pd.DataFrame(
        [
            {"video_id": video_id, "speaker": t.speaker, "start_s": t.start_s, "end_s": t.end_s}
            for t in diarization.turns
        ],
        columns=["video_id", "speaker", "start_s", "end_s"],
    )
    speakers = _speakers_frame(video_id, diarization, turns)
    coverage = asr_coverage(regions, spans, words)
    n_redecoded, n_recovered, lost = redecode_counts(segment_transcripts)
    coverage_row = coverage_frame(
        video_id, coverage, transcriber.model_label, n_redecoded, n_recovered
    )
    thresholds = transcript_filter.thresholds()
    rules = untranscribed_rules(thresholds.max_no_speech_prob, thresholds.min_avg_logprob)
    untranscribed = untranscribed_rows(video_id, lost, transcriber.model_label, rules=rules)
    untranscribed["reason_text"] = [rules.render(r) for r in untranscribed["reasons"]]
    covered, coverage_reasons = check_coverage(coverage_row, asr.min_asr_coverage)
    for name, frame in (
        ("asr_coverage", coverage_row),
        ("untranscribed_speech", untranscribed),
        ("transcript_segments", segment_frame),
        ("words", words),
        ("speaker_turns", turns),
        ("speakers", speakers),
    ):
        store.write_partition(name, video_id, frame)

    confidence = float(segment_frame["confidence"].mean()) if len(segment_frame) else math.nan
    wpm = float(segment_frame["wpm"].median()) if len(segment_frame) else math.nan
    preview = "\n".join(
        f"- **{row.speaker or '?'}** ({row.start_s:.1f}s): {row.text}"
        for row in segment_frame.head(8).itertuples()
    )
    return StageOutput(
        metadata={
            "model": transcriber.model_label,
            "segments_transcribed": len(spans),
            "transcript_rows": len(segment_frame),
            "words": len(words),
            "speakers": len(speakers),
            "talk_share": dg.MetadataValue.json(
                {r.speaker: round(r.talk_share, 3) for r in speakers.itertuples()}
            ),
            "mean_confidence": round(confidence, 3),
            "median_wpm": round(wpm, 1),
            "preview": dg.MetadataValue.md(preview or "no speech recognised"),
            "asr_coverage": round(coverage.coverage, 4) if coverage.speech_s else "n/a",
            "uncovered_s": round(coverage.uncovered_s, 2),
            "redecoded": n_redecoded,
            "recovered": n_recovered,
            "untranscribed_stretches": len(untranscribed),
        },
        warnings={
            COVERAGE_CHECK: GateResult(
                passed=covered,
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
                    "failed_rules": ", ".join(r["rule"] for r in coverage_reasons) or "none",
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
