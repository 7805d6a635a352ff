"""Transcript quality thresholds: every failure is explained, nothing is dropped silently."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pandera.errors import SchemaError

from pixel_assets.transcription.schemas import (
    TranscriptThresholds,
    filter_transcripts,
    pass_rate,
    transcript_rules,
)

GOOD = {
    "video_id": "v",
    "parent_segment_id": None,
    "start_s": 0.0,
    "end_s": 5.0,
    "speaker": "SPEAKER_00",
    "text": "a perfectly normal sentence here",
    "avg_logprob": -0.3,
    "no_speech_prob": 0.1,
    "compression_ratio": 1.1,
    "language": "en",
    "confidence": 0.85,
    "model": "tiny.en-offline/int8",
    "n_words": 12,
    "wpm": 150.0,
}

# One row per threshold, violating only that one, with the reason it must get.
VIOLATIONS = {
    "low_logprob": ({"avg_logprob": -1.42}, "avg_logprob -1.42 < min_avg_logprob -1.00"),
    "no_speech": ({"no_speech_prob": 0.93}, "no_speech_prob 0.93 > max_no_speech_prob 0.60"),
    "repetitive": (
        {"compression_ratio": 3.1}, "compression_ratio 3.10 > max_compression_ratio 2.40"
    ),
    "french": ({"language": "fr"}, "language fr not in allowed_languages [en]"),
    "one_word": ({"n_words": 1, "text": "you"}, "n_words 1 < min_words 2"),
    "too_slow": ({"wpm": 37.0}, "wpm 37 < min_wpm 60"),
    "too_fast": ({"wpm": 340.0}, "wpm 340 > max_wpm 260"),
    "unsure": ({"confidence": 0.2}, "confidence 0.20 < min_confidence 0.40"),
}


def _frame() -> pd.DataFrame:
    rows = [{**GOOD, "segment_id": "good"}]
    rows += [{**GOOD, **change, "segment_id": name} for name, (change, _) in VIOLATIONS.items()]
    rows.append(
        {**GOOD, "segment_id": "many", "avg_logprob": -1.42, "wpm": 340.0, "confidence": 0.1}
    )
    rows.append(
        {
            **GOOD,
            "segment_id": "empty",
            "text": "",
            "avg_logprob": math.nan,
            "n_words": 0,
            "wpm": math.nan,
            "confidence": math.nan,
            "compression_ratio": math.nan,
        }
    )
    return pd.DataFrame(rows, index=range(100, 100 + len(rows)))  # a non-default index


def test_each_threshold_rejects_with_its_reason():
    df = _frame()
    passed, rejected = filter_transcripts(df)
    assert passed["segment_id"].tolist() == ["good"]
    reasons = dict(zip(rejected["segment_id"], rejected["reason_text"], strict=True))
    for name, (_, reason) in VIOLATIONS.items():
        assert reasons[name] == reason
    assert reasons["many"] == (
        "avg_logprob -1.42 < min_avg_logprob -1.00; wpm 340 > max_wpm 260; "
        "confidence 0.10 < min_confidence 0.40"
    )
    assert reasons["empty"] == "n_words 0 < min_words 2"
    assert len(passed) + len(rejected) == len(df)
    assert set(passed.index) | set(rejected.index) == set(df.index)
    assert pass_rate(passed, df) == pytest.approx(1 / len(df))


def test_changing_thresholds_changes_the_outcome():
    df = _frame()
    lenient = TranscriptThresholds(
        min_avg_logprob=-2.0,
        max_no_speech_prob=0.95,
        max_compression_ratio=3.5,
        allowed_languages=("en", "fr"),
        min_words=0,
        min_wpm=0.0,
        max_wpm=400.0,
        min_confidence=0.05,
    )
    passed, rejected = filter_transcripts(df, lenient)
    assert len(rejected) == 0 and len(passed) == len(df)
    strict = TranscriptThresholds(min_avg_logprob=-0.2)
    passed, rejected = filter_transcripts(df, strict)
    assert "good" in set(rejected["segment_id"])
    assert (
        "avg_logprob -0.30 < min_avg_logprob -0.20"
        in rejected.set_index("segment_id").loc["good", "reason_text"]
    )


def test_layout_errors_raise_instead_of_rejecting():
    with pytest.raises(SchemaError):
        filter_transcripts(_frame().drop(columns="avg_logprob"))


def test_quality_schema_and_pass_rate_helpers():
    rules = transcript_rules(TranscriptThresholds())
    assert {rule.column for rule in rules.rules} == {
        "avg_logprob",
        "no_speech_prob",
        "compression_ratio",
        "language",
        "n_words",
        "wpm",
        "confidence",
    }
    assert pass_rate(3, 4) == 0.75 and math.isnan(pass_rate(0, 0))
    passed, rejected = filter_transcripts(_frame().iloc[:0])
    assert passed.empty and rejected.empty and "reasons" in rejected.columns
