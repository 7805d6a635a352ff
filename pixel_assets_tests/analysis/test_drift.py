"""Drift report (evidently): same distribution → none, a shifted column → that column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.analysis.drift import DriftOptions, drift_report, split_batches
from pixel_assets.analysis.schemas import DRIFT_COLUMNS, DRIFT_SUMMARY
from pixel_assets.warehouse.contract import to_arrow

COLUMNS = ["sentiment", "empathy", "f0_mean_hz", "speech_rate_wps"]


def corpus(shift: dict[str, float], seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """12 videos of 150 utterances: 8 from an old list, 4 from a newer one (optionally shifted)."""
    rng = np.random.default_rng(seed)
    frames, videos = [], []
    for v in range(12):
        newest = v >= 8
        values = {
            "sentiment": rng.normal(0.2, 0.3, 150),
            "empathy": rng.beta(2, 5, 150),
            "f0_mean_hz": rng.normal(160, 25, 150),
            "speech_rate_wps": rng.normal(2.6, 0.4, 150),
        }
        if newest:
            for column, delta in shift.items():
                values[column] = values[column] + delta
        frames.append(pd.DataFrame({"video_id": f"vid{v:02d}", "segment_id": [
            f"vid{v:02d}_{i}" for i in range(150)], "speaker": "SPEAKER_00", **values}))
        videos.append({"video_id": f"vid{v:02d}",
                       "list_file": "lists/new.csv" if newest else "lists/old.csv",
                       "ingested_at": pd.Timestamp("2024-03-01", tz="UTC")
                       + pd.Timedelta(days=30 if newest else v)})
    return pd.concat(frames, ignore_index=True), pd.DataFrame(videos)


@pytest.fixture(scope="module")
def same():
    return drift_report(*corpus({}))


@pytest.fixture(scope="module")
def shifted():
    return drift_report(*corpus({"f0_mean_hz": 40.0}))


def test_same_distribution_reports_no_drift(same):
    assert same.status == "ok"
    assert same.batch == "list lists/new.csv"
    assert len(same.current_videos) == 4 and len(same.reference_videos) == 8
    assert set(same.columns["column"]) == set(COLUMNS)
    assert same.drifted_columns == []
    assert same.share_drifted == 0.0


def test_a_shifted_column_is_reported(shifted):
    assert shifted.drifted_columns == ["f0_mean_hz"]
    assert shifted.share_drifted == pytest.approx(1 / len(COLUMNS))
    assert "f0_mean_hz" in shifted.message
    summary = shifted.summary_frame("reports/drift/latest.html")
    assert summary.loc[0, "drifted_columns"] == ["f0_mean_hz"]
    assert summary.loc[0, "n_current_rows"] == 600
    to_arrow(DRIFT_SUMMARY, summary)
    to_arrow(DRIFT_COLUMNS, shifted.columns_frame())


def test_html_report_is_a_real_page(shifted, tmp_path):
    path = tmp_path / "reports" / "drift" / "latest.html"
    path.parent.mkdir(parents=True)
    path.write_bytes(shifted.html)
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size > 100_000
    assert "<html" in text.lower() and "f0_mean_hz" in text


def test_too_few_videos_give_a_clear_result_not_an_error():
    features, videos = corpus({})
    few = features[features.video_id.isin(["vid00", "vid09"])]
    result = drift_report(few, videos)
    assert result.status == "not_enough_data"
    assert result.message == "not enough data (2 videos, need 4)"
    assert b"not enough data (2 videos, need 4)" in result.html
    assert result.share_drifted is None
    summary = result.summary_frame()
    assert summary.loc[0, "status"] == "not_enough_data"
    to_arrow(DRIFT_SUMMARY, summary)
    to_arrow(DRIFT_COLUMNS, result.columns_frame())
    # Enough videos, but all in the newest list: nothing earlier to compare with.
    only_new = features[features.video_id >= "vid06"]
    result = drift_report(only_new, videos.assign(list_file="lists/new.csv"))
    assert result.status == "not_enough_data"
    assert result.message.startswith("not enough data (6 videos, need 4): the newest batch")


def test_window_batches_by_registration_time():
    features, videos = corpus({})
    reference, current, label = split_batches(
        videos, features["video_id"].unique().tolist(), DriftOptions(batch="window",
                                                                     window_days=3))
    assert current == ["vid08", "vid09", "vid10", "vid11"]
    assert len(reference) == 8 and label.startswith("window 3 days")
