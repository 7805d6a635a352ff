"""Speech rate from real whisper word timestamps on the espeak rate sections."""

from __future__ import annotations

import pandas as pd
import pytest

from pixel_assets.features import speech_frame

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rate_words(transcriber, prosody_fixture, prosody_sections):
    sections = prosody_sections.loc[["rate_slow", "rate_fast"]]
    spans = [(r.segment_id, r.start_s, r.end_s) for r in sections.itertuples()]
    transcripts, words = transcriber.transcribe(
        prosody_fixture.audio, prosody_fixture.sample_rate, spans
    )
    segments = pd.DataFrame(
        {
            "segment_id": [t.segment_id for t in transcripts],
            "start_s": [t.start_s for t in transcripts],
            "end_s": [t.end_s for t in transcripts],
            "text": [t.text for t in transcripts],
            "n_words": [t.n_words for t in transcripts],
        }
    )
    word_rows = pd.DataFrame(
        [{"segment_id": w.segment_id, "start_s": w.start_s, "end_s": w.end_s} for w in words]
    )
    return segments, word_rows, sections


def test_faster_speech_gives_a_higher_rate_close_to_the_truth(rate_words):
    segments, words, sections = rate_words
    rates = speech_frame(segments, words).set_axis(segments["segment_id"])
    slow, fast = rates.loc[["rate_slow", "rate_fast"], "speech_rate_wps"]
    assert fast > 1.5 * slow  # espeak -s 220 vs -s 110
    for name in ("rate_slow", "rate_fast"):
        truth = sections.loc[name, "n_words"] / (sections.loc[name, "end_s"]
                                                 - sections.loc[name, "start_s"])
        assert rates.loc[name, "speech_rate_wps"] == pytest.approx(truth, rel=0.25), name
        assert rates.loc[name, "articulation_rate_wps"] >= rates.loc[name, "speech_rate_wps"]
