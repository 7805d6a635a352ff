"""One video's transcription stage, without Dagster: ASR beside diarization, words given
speakers, segments split at speaker changes, ASR coverage and the untranscribed stretches.

The ``transcripts`` asset reads the inputs, calls :func:`transcribe_video`, writes
:attr:`VideoTranscription.tables` and shows the figures; this module decides what they hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pixel_assets.transcription.coverage import (
    CoverageResult,
    Span,
    asr_coverage,
    check_coverage,
    coverage_frame,
    redecode_counts,
    untranscribed_rows,
    untranscribed_rules,
)
from pixel_assets.transcription.diarization.types import DiarizationResult, Diarizer
from pixel_assets.transcription.overlap import transcribe_while_diarizing
from pixel_assets.transcription.schemas import transcript_segments_frame, words_frame
from pixel_assets.transcription.speakers import assign_speakers, split_transcripts, talk_share

if TYPE_CHECKING:
    from pixel_assets.transcription.asr import WhisperTranscriber


@dataclass
class VideoTranscription:
    """What :func:`transcribe_video` made of one video.

    Attributes:
        tables: Rows for ``asr_coverage``, ``untranscribed_speech``, ``transcript_segments``,
            ``words``, ``speaker_turns`` and ``speakers``, in that (writing) order.
        coverage: Share of the VAD speech in the transcribed segments that got words.
        covered: ``coverage`` meets the floor (the non-blocking check's verdict).
        coverage_reasons: The failed coverage rules (empty when ``covered``).
        redecoded: Stretches without words that were decoded again.
        recovered: Of those, the ones that then produced words.
        model: The transcriber's model label.
    """

    tables: dict[str, pd.DataFrame]
    coverage: CoverageResult
    covered: bool
    coverage_reasons: list[dict[str, str]]
    redecoded: int
    recovered: int
    model: str


def transcribe_video(
    video_id: str,
    audio: np.ndarray,
    sample_rate: int,
    segments: Sequence[tuple[str, float, float]],
    speech_regions: Sequence[Span],
    transcriber: WhisperTranscriber,
    diarizer: Diarizer,
    *,
    max_no_speech_prob: float,
    min_avg_logprob: float,
    min_asr_coverage: float,
) -> VideoTranscription:
    """Transcribe and diarize one video's audio.

    Args:
        video_id: The video (the tables' ``video_id``).
        audio: The normalised audio, mono float32.
        sample_rate: Its sample rate.
        segments: ``(segment_id, start_s, end_s)`` of the segments that passed audio QC.
        speech_regions: The VAD speech regions of the whole video; the transcriber decodes
            again any stretch of speech left without words, the diarizer embeds only speech.
        transcriber: The loaded ASR model (``AsrResource.get_transcriber``).
        diarizer: The loaded diarizer (``DiarizerResource.get_diarizer``).
        max_no_speech_prob / min_avg_logprob: The transcript filter's thresholds, given as
            reasons on the stretches that yielded no words.
        min_asr_coverage: Floor of the coverage check.
    """
    (segment_transcripts, word_rows), diarization = transcribe_while_diarizing(
        lambda: transcriber.transcribe(
            audio, sample_rate, list(segments), speech_regions=list(speech_regions)
        ),
        lambda: diarizer.diarize(audio, sample_rate, list(speech_regions)),
    )
    model = transcriber.model_label
    segment_frame = transcript_segments_frame(video_id, segment_transcripts, model)
    words = assign_speakers(words_frame(video_id, word_rows), diarization.turns)
    segment_frame, words = split_transcripts(segment_frame, words, diarization.turns)
    turns = pd.DataFrame(
        [
            {"video_id": video_id, "speaker": t.speaker, "start_s": t.start_s, "end_s": t.end_s}
            for t in diarization.turns
        ],
        columns=["video_id", "speaker", "start_s", "end_s"],
    )
    coverage = asr_coverage(speech_regions, segments, words)
    redecoded, recovered, lost = redecode_counts(segment_transcripts)
    coverage_row = coverage_frame(video_id, coverage, model, redecoded, recovered)
    rules = untranscribed_rules(max_no_speech_prob, min_avg_logprob)
    untranscribed = untranscribed_rows(video_id, lost, model, rules=rules)
    untranscribed["reason_text"] = [rules.render(r) for r in untranscribed["reasons"]]
    covered, reasons = check_coverage(coverage_row, min_asr_coverage)
    return VideoTranscription(
        tables={
            "asr_coverage": coverage_row,
            "untranscribed_speech": untranscribed,
            "transcript_segments": segment_frame,
            "words": words,
            "speaker_turns": turns,
            "speakers": speakers_frame(video_id, diarization, turns),
        },
        coverage=coverage,
        covered=covered,
        coverage_reasons=reasons,
        redecoded=redecoded,
        recovered=recovered,
        model=model,
    )


def speakers_frame(
    video_id: str, result: DiarizationResult, turns: pd.DataFrame
) -> pd.DataFrame:
    """One row per diarized speaker: talk share, speech time, turns and mean voice print."""
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
