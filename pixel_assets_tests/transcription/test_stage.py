"""The transcription stage without Dagster (`transcription.stage.transcribe_video`): real
models on the two-voice fixture, every table it hands the asset, and the coverage verdict."""

from __future__ import annotations

import pytest
from transcription_helpers import vad_regions

from pixel_assets.transcription.metrics import word_error_rate
from pixel_assets.transcription.stage import transcribe_video

pytestmark = pytest.mark.slow


def test_transcribe_video_gives_every_table_with_speakers_and_coverage(
    two_voices, transcriber, diarizer
):
    regions = vad_regions(two_voices.audio)
    segments = [(f"seg_{i:03d}", a, b) for i, (a, b) in enumerate(regions)]

    def run(min_asr_coverage: float):
        return transcribe_video(
            "vid", two_voices.audio, two_voices.sample_rate, segments, regions,
            transcriber, diarizer, max_no_speech_prob=0.6, min_avg_logprob=-1.0,
            min_asr_coverage=min_asr_coverage,
        )

    result = run(0.9)
    tables = result.tables
    assert list(tables) == ["asr_coverage", "untranscribed_speech", "transcript_segments",
                            "words", "speaker_turns", "speakers"]
    assert all((frame["video_id"] == "vid").all() for frame in tables.values() if len(frame))
    text = " ".join(tables["transcript_segments"].sort_values("start_s")["text"])
    assert word_error_rate(two_voices.truth["text"], text) < 0.2
    # Two voices, every word given one of them, talk shares summing to one, voice prints kept.
    speakers = tables["speakers"]
    assert len(speakers) == 2 and speakers["talk_share"].sum() == pytest.approx(1.0)
    assert all(len(e) == 256 for e in speakers["embedding"])
    assert set(tables["words"]["speaker"]) == set(speakers["speaker"])
    assert set(tables["words"]["segment_id"]) <= set(tables["transcript_segments"]["segment_id"])
    assert set(tables["speaker_turns"]["speaker"]) == set(speakers["speaker"])
    # Clean speech: all of it got words, nothing left untranscribed, the check passes.
    assert result.coverage.coverage > 0.99 and result.covered and result.coverage_reasons == []
    assert tables["untranscribed_speech"].empty
    assert tables["asr_coverage"]["coverage"].iloc[0] == pytest.approx(result.coverage.coverage)
    assert result.model == transcriber.model_label

    # A floor above what any video can reach fails the (non-blocking) check, with its rule.
    strict = run(1.01)
    assert not strict.covered
    assert [r["rule"] for r in strict.coverage_reasons] == ["min_asr_coverage"]
