"""Table schemas and the segment quality filter."""

from __future__ import annotations

import pandas as pd
import pytest

from pixel_assets.audio.qc import (
    QCThresholds,
    SegmentThresholds,
    evaluate,
    segment_rules,
)
from pixel_assets.audio.schemas import (
    SEGMENT_COLUMNS,
    AudioQCRow,
    SegmentRow,
    segments_frame,
    split_segments,
)
from pixel_assets.audio.segment_qc import measure_segments
from pixel_assets.audio.vad import Segment, make_segments

from .helpers import SR, load, regions


def sample_frame() -> pd.DataFrame:
    segments = [
        Segment(0, 0.5, 1.7),  # too short and noisy
        Segment(1, 2.0, 10.0),  # fine
        Segment(2, 11.0, 20.0),  # clipped and poor DNSMOS; SNR not measured
        Segment(3, 21.0, 60.0),  # too long; DNSMOS not measured
        Segment(4, 61.0, 70.0),  # fine
    ]
    metrics = [
        {"snr_db": 4.2, "loudness_lufs": -23.0, "clipping_ratio": 0.0, "dnsmos_ovrl": 2.5},
        {"snr_db": 30.0, "loudness_lufs": -22.0, "clipping_ratio": 0.0, "dnsmos_ovrl": 2.9},
        {"snr_db": None, "loudness_lufs": None, "clipping_ratio": 0.02, "dnsmos_ovrl": 1.5},
        {"snr_db": 20.0, "loudness_lufs": -23.0, "clipping_ratio": 0.0, "dnsmos_ovrl": None},
        {"snr_db": 25.0, "loudness_lufs": -24.0, "clipping_ratio": 0.0005, "dnsmos_ovrl": 3.1},
    ]
    return segments_frame("vid1", segments, metrics)


def test_split_segments_rejects_with_every_reason() -> None:
    df = sample_frame()
    kept, rejected = split_segments(df, SegmentThresholds())
    assert list(kept["segment_id"]) == ["vid1_0001", "vid1_0004"]
    assert kept["passed"].all() and kept["reason_text"].isna().all()
    assert not rejected["passed"].any()
    assert dict(zip(rejected["segment_id"], rejected["reason_text"], strict=True)) == {
        "vid1_0000": "duration_s 1.20 < min_duration_s 2.00; snr_db 4.2 < min_snr_db 10.0",
        "vid1_0002": "clipping_ratio 0.0200 > max_clipping_ratio 0.0010; "
        "dnsmos_ovrl 1.50 < min_dnsmos_ovrl 2.00",
        "vid1_0003": "duration_s 39.00 > max_duration_s 30.00",
    }
    # Nothing dropped, nothing duplicated, index and columns kept.
    assert sorted([*kept.index, *rejected.index]) == list(df.index)
    assert list(kept.columns) == list(rejected.columns) == SEGMENT_COLUMNS
    SegmentRow.validate(kept)
    SegmentRow.validate(rejected)


def test_split_segments_keeps_a_non_default_index() -> None:
    df = sample_frame()
    df.index = [10, 20, 30, 40, 50]
    kept, rejected = split_segments(df, SegmentThresholds())
    assert list(kept.index) == [20, 50] and list(rejected.index) == [10, 30, 40]


def test_relaxed_thresholds_keep_everything() -> None:
    relaxed = SegmentThresholds(
        min_duration_s=0.5,
        max_duration_s=60,
        min_snr_db=0,
        max_clipping_ratio=0.05,
        min_dnsmos_ovrl=1.0,
    )
    kept, rejected = split_segments(sample_frame(), relaxed)
    assert len(kept) == 5 and rejected.empty


def test_quality_schema_is_built_from_qc_thresholds() -> None:
    rules = segment_rules(QCThresholds(min_snr_db=3.0)).by_name()
    kept, rejected = split_segments(sample_frame(), QCThresholds(min_snr_db=3.0))
    assert rules["min_snr_db"].threshold == 3.0
    assert "snr_db" not in rejected.set_index("segment_id").at["vid1_0000", "reason_text"]
    assert [r["rule"] for r in rejected.set_index("segment_id").at["vid1_0000", "reasons"]] == [
        "min_duration_s"
    ]
    assert SegmentThresholds.from_qc(QCThresholds(min_dnsmos_ovrl=2.7)).min_dnsmos_ovrl == 2.7


def test_malformed_table_names_the_fix() -> None:
    with pytest.raises(ValueError, match="segments_frame"):
        split_segments(sample_frame().drop(columns=["snr_db"]), SegmentThresholds())
    bad_id = sample_frame()
    bad_id.loc[0, "segment_id"] = "other_0000"
    with pytest.raises(ValueError, match="stable_segment_id"):
        split_segments(bad_id, SegmentThresholds())


def test_empty_table() -> None:
    kept, rejected = split_segments(segments_frame("vid1", [], []), SegmentThresholds())
    assert kept.empty and rejected.empty


def test_pause_fixture_end_to_end() -> None:
    audio, source = load("pauses_en")
    segments = make_segments(regions("pauses_en"), min_s=2.0, max_s=8.0, merge_gap_s=2.0)
    metrics = measure_segments(audio, source, SR, segments, regions("pauses_en"), dnsmos=None)
    kept, rejected = split_segments(segments_frame("abc", segments, metrics), SegmentThresholds())
    assert len(kept) == len(segments) and rejected.empty
    tight = SegmentThresholds(min_duration_s=5.5)
    kept, rejected = split_segments(segments_frame("abc", segments, metrics), tight)
    assert len(kept) + len(rejected) == len(segments) and len(rejected) >= 1
    assert rejected["reason_text"].str.contains("< min_duration_s 5.50").all()


def test_audio_qc_row_validates_measured_metrics() -> None:
    from pixel_assets.audio.qc import measure_audio

    rows = []
    for name in ("clean_en", "silence", "clipped_en"):
        audio, source = load(name)
        metrics = measure_audio(audio, source, SR, regions(name), dnsmos=None)
        evaluate(metrics, QCThresholds())
        rows.append({"video_id": name, **metrics.to_row()})
    table = AudioQCRow.validate(pd.DataFrame(rows))
    assert list(table["passed"]) == [True, False, False]
