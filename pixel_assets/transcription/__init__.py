"""Transcription stage logic: ASR, speaker diarization, word-speaker join, transcript filter.

Pure Python (no dagster): the stage's ``assets.py`` wires these into the pipeline. Heavy models
are imported and loaded only when a transcriber or diarizer is constructed.
"""

from pixel_assets.transcription.asr import (
    DEFAULT_ASR_MODEL,
    AsrOptions,
    SegmentTranscript,
    WhisperTranscriber,
    WordRow,
    resolve_asr_model,
)
from pixel_assets.transcription.diarization import (
    DiarizationOptions,
    DiarizationResult,
    Diarizer,
    MissingBackendError,
    PyannoteDiarizer,
    ResemblyzerDiarizer,
    SpeakerTurn,
    WhisperXDiarizer,
    make_diarizer,
)
from pixel_assets.transcription.schemas import (
    TranscriptSegments,
    TranscriptThresholds,
    Words,
    filter_transcripts,
    pass_rate,
    transcript_rules,
    transcript_segments_frame,
    words_frame,
)
from pixel_assets.transcription.speakers import (
    assign_speakers,
    split_segments_at_speaker_changes,
    split_transcripts,
    talk_share,
)

__all__ = [
    "DEFAULT_ASR_MODEL",
    "AsrOptions",
    "DiarizationOptions",
    "DiarizationResult",
    "Diarizer",
    "MissingBackendError",
    "PyannoteDiarizer",
    "ResemblyzerDiarizer",
    "SegmentTranscript",
    "SpeakerTurn",
    "TranscriptSegments",
    "TranscriptThresholds",
    "WhisperTranscriber",
    "WhisperXDiarizer",
    "WordRow",
    "Words",
    "assign_speakers",
    "filter_transcripts",
    "make_diarizer",
    "pass_rate",
    "resolve_asr_model",
    "split_segments_at_speaker_changes",
    "split_transcripts",
    "talk_share",
    "transcript_rules",
    "transcript_segments_frame",
    "words_frame",
]
