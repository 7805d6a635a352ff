"""Outlier models: planted outliers rank top, are flagged with the deviating features named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.analysis.outliers import (
    OutlierModel,
    OutlierOptions,
    apply_outliers,
    fit_outlier_model,
    video_outliers,
)
from pixel_assets.analysis.schemas import OUTLIERS
from pixel_assets.warehouse.contract import to_arrow

PLANTED = {  # row -> (column, value): far outside every group in one or two features
    17: {"f0_mean_hz": 420.0},
    123: {"speech_rate_wps": 9.5},
    260: {"sentiment": -1.0, "emotion_anger": 0.9},
    388: {"filler_rate": 0.6},
    451: {"f0_std_hz": 160.0, "speech_rate_wps": 0.4},
}


@pytest.fixture(scope="module")
def utterances() -> pd.DataFrame:
    """500 utterances of 20 videos from three speaking styles, with five planted outliers."""
    rng = np.random.default_rng(6)
    styles = np.array([[120.0, 20.0, 2.6, 0.3, 0.05, 0.02],
                       [210.0, 35.0, 3.2, -0.2, 0.15, 0.04],
                       [160.0, 25.0, 2.2, 0.5, 0.02, 0.08]])
    spread = np.array([10.0, 4.0, 0.25, 0.15, 0.04, 0.015])
    columns = ["f0_mean_hz", "f0_std_hz", "speech_rate_wps", "sentiment", "emotion_anger",
               "filler_rate"]
    values = styles[np.arange(500) % 3] + spread * rng.normal(size=(500, 6))
    frame = pd.DataFrame(values, columns=columns)
    frame.loc[rng.choice(500, size=40, replace=False), "f0_mean_hz"] = np.nan  # unvoiced
    for row, planted in PLANTED.items():
        for column, value in planted.items():
            frame.loc[row, column] = value
    frame.insert(0, "video_id", [f"vid{i // 25:02d}" for i in range(500)])
    frame.insert(1, "segment_id", [f"seg{i:04d}" for i in range(500)])
    frame.insert(2, "speaker", [f"SPEAKER_0{i % 2}" for i in range(500)])
    frame["start_s"] = np.arange(500) * 3.0  # a key, not a feature
    return frame


@pytest.fixture(scope="module")
def model(utterances) -> OutlierModel:
    return fit_outlier_model(utterances, OutlierOptions(level="utterance", contamination=0.01))


def test_planted_outliers_rank_top_and_are_flagged(utterances, model):
    rows = apply_outliers(model, utterances)
    top = rows.sort_values("score", ascending=False).head(len(PLANTED))
    assert set(top["segment_id"]) == {f"seg{i:04d}" for i in PLANTED}
    assert top["is_outlier"].all()
    assert rows["is_outlier"].sum() <= 2 * len(PLANTED)  # contamination 1 % of 500
    assert "start_s" not in model.feature_columns
    assert all(r[0]["rule"] == "max_outlier_score" for r in top["reasons"])
    assert rows.loc[~rows["is_outlier"], "reasons"].map(len).eq(0).all()


def test_top_features_name_what_was_planted(utterances, model):
    rows = apply_outliers(model, utterances).set_index("segment_id")
    for row, planted in PLANTED.items():
        named = rows.loc[f"seg{row:04d}", "top_features"][: len(planted)]
        assert set(named) == set(planted), (row, named)
    z = rows.loc["seg0017", "top_z"][0]
    assert z > 3  # robust z over the whole corpus (three styles widen its spread)


def test_apply_per_video_and_speaker_level(utterances, model):
    profiles = utterances.groupby(["video_id", "speaker"], as_index=False).mean(
        numeric_only=True)
    speaker_model = fit_outlier_model(profiles, OutlierOptions(level="speaker",
                                                               contamination=0.05))
    rows = video_outliers("vid00", model, speaker_model, utterances, profiles)
    assert (rows["video_id"] == "vid00").all()
    assert rows["level"].value_counts().to_dict() == {"utterance": 25, "speaker": 2}
    assert rows.loc[rows.level == "speaker", "segment_id"].isna().all()
    assert rows.loc[rows.level == "utterance", "model_version"].eq(model.model_version).all()
    assert speaker_model.model_version != model.model_version
    assert rows.set_index("segment_id").loc["seg0017", "is_outlier"]
    to_arrow(OUTLIERS, rows)


def test_model_round_trips_and_version_is_stable(utterances, model):
    loaded = OutlierModel.from_bytes(model.to_bytes())
    np.testing.assert_allclose(loaded.score(utterances), model.score(utterances))
    refit = fit_outlier_model(utterances, OutlierOptions(level="utterance", contamination=0.01))
    assert refit.model_version == model.model_version
    other = fit_outlier_model(utterances.iloc[:400], OutlierOptions(contamination=0.01))
    assert other.model_version != model.model_version


def test_too_little_data_fails_clearly(utterances):
    with pytest.raises(ValueError, match="at least 10 rows"):
        fit_outlier_model(utterances.head(5))
    with pytest.raises(ValueError, match="contamination"):
        OutlierOptions(contamination=0.7)
