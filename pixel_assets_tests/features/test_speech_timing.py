"""Speech timing from word timestamps, on word tables with known gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.features import FeatureOptions, speech_frame


def words_for(segment_id: str, spans: list[tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "segment_id": segment_id,
            "word": [f"w{i}" for i in range(len(spans))],
            "start_s": [a for a, _ in spans],
            "end_s": [b for _, b in spans],
        }
    )


def segments(rows: list[tuple[str, float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "segment_id": [r[0] for r in rows],
            "start_s": [r[1] for r in rows],
            "end_s": [r[2] for r in rows],
            "text": [r[3] for r in rows],
            "n_words": [len(r[3].split()) for r in rows],
        }
    )


def test_rates_and_pauses_from_word_gaps():
    # Four 0.3 s words; gaps 0.05 (co-articulation), 0.4 (pause) and 1.2 s (long pause).
    spans = [(1.0, 1.3), (1.35, 1.65), (2.05, 2.35), (3.55, 3.85)]
    # Words of another segment, listed first and out of order, must not leak in.
    other = words_for("s2", [(10.3, 10.6), (10.0, 10.2)])
    words = pd.concat([other, words_for("s1", spans[::-1])], ignore_index=True)
    transcripts = segments([("s1", 0.8, 4.0, "a b c d"), ("s2", 9.9, 10.7, "e f")])
    out = speech_frame(transcripts, words, FeatureOptions(min_pause_s=0.15, long_pause_s=1.0))
    first = out.iloc[0]
    span = 3.85 - 1.0
    assert first["speech_rate_wps"] == pytest.approx(4 / span)
    assert first["articulation_rate_wps"] == pytest.approx(4 / (span - 0.4 - 1.2))
    assert first["n_pauses"] == 2
    assert first["mean_pause_s"] == pytest.approx(0.8)
    assert first["long_pauses"] == 1
    second = out.iloc[1]
    assert second["speech_rate_wps"] == pytest.approx(2 / 0.6)
    assert second["n_pauses"] == 0 and np.isnan(second["mean_pause_s"])
    assert second["articulation_rate_wps"] == pytest.approx(second["speech_rate_wps"])


def test_pause_threshold_is_configurable():
    words = words_for("s1", [(0.0, 0.3), (0.5, 0.8), (1.0, 1.3)])
    transcripts = segments([("s1", 0.0, 1.3, "a b c")])
    assert speech_frame(transcripts, words, FeatureOptions(min_pause_s=0.15))["n_pauses"][0] == 2
    assert speech_frame(transcripts, words, FeatureOptions(min_pause_s=0.25))["n_pauses"][0] == 0


def test_segment_without_words_falls_back_to_its_bounds():
    transcripts = segments([("s1", 2.0, 4.0, "one two three four five")])
    empty = pd.DataFrame(columns=["segment_id", "start_s", "end_s"])
    out = speech_frame(transcripts, empty).iloc[0]
    assert out["speech_rate_wps"] == pytest.approx(5 / 2.0)
    assert np.isnan(out["articulation_rate_wps"]) and np.isnan(out["mean_pause_s"])


def test_filler_rate_counts_words_and_phrases():
    transcripts = segments(
        [
            ("s1", 0.0, 3.0, "Um, I was, uh, you know, kind of tired."),
            ("s2", 3.0, 6.0, "Umbrellas are useful under a summer storm."),
        ]
    )
    out = speech_frame(transcripts, pd.DataFrame(columns=["segment_id", "start_s", "end_s"]))
    assert out.loc[0, "filler_rate"] == pytest.approx(4 / 9)  # um, uh, you know, kind of
    assert out.loc[1, "filler_rate"] == 0.0  # "Umbrellas", "summer" are not "um"


def test_missing_columns_are_named():
    with pytest.raises(KeyError, match="start_s"):
        speech_frame(pd.DataFrame({"segment_id": ["a"]}), pd.DataFrame())
