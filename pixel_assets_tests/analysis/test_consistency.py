"""Speaker consistency: a profile shift is flagged in the video where it happens."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.analysis.consistency import ConsistencyOptions, speaker_consistency
from pixel_assets.analysis.schemas import SPEAKER_CONSISTENCY
from pixel_assets.warehouse.contract import to_arrow
from pixel_assets_tests.analysis.synthetic import PROFILE_FEATURES, planted_profiles


@pytest.fixture(scope="module")
def corpus():
    """A population of one-video speakers plus a counsellor in five videos, whose style shifts
    (fewer questions, less empathy, more pitch variation) from the third video by upload date.
    The frames list the counsellor's videos out of date order."""
    population, _ = planted_profiles(n_per_group=30, seed=2)
    links = population[["video_id", "speaker"]].assign(
        global_speaker_id=[f"spk_pop{i}" for i in range(len(population))])
    rng = np.random.default_rng(9)
    base = population[PROFILE_FEATURES].iloc[0].to_numpy()
    spread = population[PROFILE_FEATURES].std().to_numpy()
    shift = np.array([-2.0, -2.0, 2.0, 0.0, 0.0, 0.0]) * spread
    dates = ["20240105", "20240301", "20240210", "20240120", "20240415"]  # positions 1,4,3,2,5
    rows = []
    for n, date in enumerate(dates):
        position = sorted(dates).index(date) + 1
        values = base + 0.1 * spread * rng.normal(size=len(base))
        if position >= 3:
            values = values + shift
        rows.append({"video_id": f"c{n}", "speaker": "SPEAKER_00", "talk_s": 100.0,
                     **dict(zip(PROFILE_FEATURES, values, strict=True))})
    counsellor = pd.DataFrame(rows)
    profiles = pd.concat([population, counsellor], ignore_index=True)
    links = pd.concat([links, counsellor[["video_id", "speaker"]].assign(
        global_speaker_id="spk_counsellor")], ignore_index=True)
    videos = pd.DataFrame({"video_id": counsellor["video_id"], "upload_date": dates})
    return profiles, links, videos


def test_shift_is_flagged_in_the_third_video_and_not_before(corpus):
    profiles, links, videos = corpus
    table = speaker_consistency(profiles, links, videos)
    assert set(table["global_speaker_id"]) == {"spk_counsellor"}  # others: one video each
    rows = table.set_index("position")
    assert rows.loc[1, "upload_date"] == "20240105" and rows.loc[3, "upload_date"] == "20240210"
    assert np.isnan(rows.loc[1, "distance"])
    assert not rows.loc[1, "flagged"] and not rows.loc[2, "flagged"]
    assert rows.loc[3, "flagged"]
    assert rows.loc[3, "distance"] > ConsistencyOptions().max_distance > rows.loc[2, "distance"]
    assert rows.loc[3, "reasons"][0]["rule"] == "max_profile_shift"
    assert set(rows.loc[3, "top_features"]) == {"question_rate", "empathy_mean", "f0_std_hz"}
    to_arrow(SPEAKER_CONSISTENCY, table)


def test_without_dates_registration_order_is_used(corpus):
    profiles, links, _ = corpus
    registered = pd.DataFrame({"video_id": [f"c{n}" for n in (0, 3, 2, 1, 4)],
                               "ingested_at": pd.date_range("2024-01-01", periods=5, tz="UTC")})
    table = speaker_consistency(profiles, links, registered).set_index("position")
    assert table.loc[3, "video_id"] == "c2" and table.loc[3, "flagged"]
    assert not table.loc[2, "flagged"]


def test_threshold_and_minimum_videos_are_configurable(corpus):
    profiles, links, videos = corpus
    strict = speaker_consistency(profiles, links, videos, ConsistencyOptions(max_distance=0.01))
    assert strict.set_index("position").loc[2, "flagged"]
    few = speaker_consistency(profiles, links, videos, ConsistencyOptions(min_videos=6))
    assert few.empty
    to_arrow(SPEAKER_CONSISTENCY, few)
