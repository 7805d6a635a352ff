"""Word-to-speaker assignment and splitting transcript rows at speaker changes."""

from __future__ import annotations

import pandas as pd
import pytest
from transcription_helpers import vad_regions

from pixel_assets.transcription.asr import WordRow
from pixel_assets.transcription.diarization import SpeakerTurn
from pixel_assets.transcription.metrics import word_error_rate
from pixel_assets.transcription.schemas import (
    TranscriptSegments,
    Words,
    transcript_segments_frame,
    words_frame,
)
from pixel_assets.transcription.speakers import (
    assign_speakers,
    split_segments_at_speaker_changes,
    split_transcripts,
    talk_share,
)

TURNS = [
    SpeakerTurn("SPEAKER_00", 0.0, 2.0),
    SpeakerTurn("SPEAKER_01", 2.2, 4.0),
    SpeakerTurn("SPEAKER_00", 4.5, 6.0),
]


def _word(text: str, start: float, end: float, segment_id: str = "v_0000") -> WordRow:
    return WordRow(segment_id, text, start, end, 0.9)


def test_words_get_the_speaker_of_maximum_overlap_or_nearest_turn():
    words = [
        _word("hello", 0.5, 0.9),
        _word("straddles", 1.9, 2.5),  # 0.1 s in turn 0, 0.3 s in turn 1
        _word("gap", 4.1, 4.2),  # in a pause: nearest turn edge is turn 1 (4.0)
        _word("late", 6.5, 6.8),  # after the last turn
    ]
    out = assign_speakers(words, TURNS)
    assert [w.speaker for w in out] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_01", "SPEAKER_00"]
    assert words[0].speaker is None  # inputs are not mutated
    frame = assign_speakers(words_frame("v", words), TURNS)
    assert frame["speaker"].tolist() == [w.speaker for w in out]
    assert [w.speaker for w in assign_speakers(words, [])] == [None] * 4


def _segment_row(segment_id: str, start: float, end: float, text: str) -> dict:
    return {
        "video_id": "v",
        "segment_id": segment_id,
        "parent_segment_id": segment_id,
        "start_s": start,
        "end_s": end,
        "speaker": None,
        "text": text,
        "avg_logprob": -0.2,
        "no_speech_prob": 0.1,
        "compression_ratio": 1.0,
        "language": "en",
        "confidence": 0.9,
        "model": "m",
        "n_words": len(text.split()),
        "wpm": 150.0,
    }


def test_segment_spanning_changes_is_split_per_speaker_run():
    words = [
        _word("so", 0.2, 0.5),
        _word("how", 0.6, 0.9),
        _word("are", 1.0, 1.2),
        _word("fine", 2.4, 2.9),
        _word("thanks", 3.0, 3.6),
        _word("good", 4.6, 5.0),
        _word("alone", 7.0, 7.5, segment_id="v_0001"),
    ]
    segments = pd.DataFrame(
        [
            _segment_row("v_0000", 0.0, 5.2, "so how are fine thanks good"),
            _segment_row("v_0001", 6.9, 7.6, "alone"),
            _segment_row("v_0002", 1.0, 1.5, ""),
        ]
    )
    words_df = assign_speakers(words_frame("v", words), TURNS)
    out, new_words = split_transcripts(segments, words_df, TURNS)
    first = out[out["parent_segment_id"] == "v_0000"]
    assert first["segment_id"].tolist() == ["v_0000_a", "v_0000_b", "v_0000_c"]
    assert first["speaker"].tolist() == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"]
    assert first["text"].tolist() == ["so how are", "fine thanks", "good"]
    assert first["start_s"].tolist() == [0.2, 2.4, 4.6]
    assert first["end_s"].tolist() == [1.2, 3.6, 5.0]
    assert first["n_words"].tolist() == [3, 2, 1]
    # Whisper's clip-level scores are inherited; word-derived ones recomputed.
    assert (first["avg_logprob"] == -0.2).all()
    # A one-speaker segment keeps its id; a wordless one takes the overlapping turn's speaker.
    row = out.set_index("segment_id")
    assert row.loc["v_0001", "speaker"] == "SPEAKER_00" and row.loc["v_0001", "text"] == "alone"
    assert row.loc["v_0002", "speaker"] == "SPEAKER_00"
    # Words now point at the split rows.
    assert new_words["segment_id"].tolist() == (
        ["v_0000_a"] * 3 + ["v_0000_b"] * 2 + ["v_0000_c", "v_0001"]
    )
    TranscriptSegments.validate(out)
    Words.validate(new_words)
    assert split_segments_at_speaker_changes(segments, words_df, TURNS).equals(out)


def test_split_needs_speakers_on_words():
    with pytest.raises(ValueError, match="assign_speakers"):
        split_transcripts(pd.DataFrame(), words_frame("v", []).drop(columns="speaker"))


def test_talk_share():
    share = talk_share(TURNS)
    assert share == pytest.approx({"SPEAKER_00": 3.5 / 5.3, "SPEAKER_01": 1.8 / 5.3})
    assert talk_share([]) == {}


@pytest.mark.slow
def test_end_to_end_segment_spanning_a_turn_change(transcriber, diarizer, two_voices):
    turns = two_voices.truth["turns"]
    # Segment 0 spans turns 0 (voice A) and 1 (voice B), like a coarse QC segment would.
    segments = [
        ("two_0000", turns[0]["start_s"] - 0.2, turns[1]["end_s"] + 0.2),
        ("two_0001", turns[2]["start_s"] - 0.2, turns[2]["end_s"] + 0.2),
    ]
    transcripts, words = transcriber.transcribe(two_voices.audio, 16_000, segments)
    result = diarizer.diarize(two_voices.audio, 16_000, vad_regions(two_voices.audio))
    seg_df = transcript_segments_frame("two", transcripts, transcriber.model_label)
    words_df = assign_speakers(words_frame("two", words), result.turns)
    out = split_segments_at_speaker_changes(seg_df, words_df, result.turns)
    assert out["segment_id"].tolist() == ["two_0000_a", "two_0000_b", "two_0001"]
    speakers = out["speaker"].tolist()
    assert speakers[0] != speakers[1] and speakers[0] == speakers[2]
    for text, turn in zip(out["text"], turns[:3], strict=True):
        assert word_error_rate(turn["text"], text) < 0.35, text
    a, b = out.iloc[0], out.iloc[1]
    assert a["end_s"] <= turns[0]["end_s"] + 0.25 and b["start_s"] >= turns[1]["start_s"] - 0.25
