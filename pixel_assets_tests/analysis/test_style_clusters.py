"""Style clusters of speaker profiles: planted groups, descriptions, apply, serialisation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from pixel_assets.analysis.matrix import dump_bytes
from pixel_assets.analysis.schemas import CLUSTER_DESCRIPTIONS, SPEAKER_CLUSTERS
from pixel_assets.analysis.style_clusters import (
    ClusterOptions,
    StyleClusterModel,
    apply_style_clusters,
    describe_clusters,
    fit_style_clusters,
    scatter_png,
)
from pixel_assets.warehouse.contract import to_arrow
from pixel_assets_tests.analysis.synthetic import planted_profiles


@pytest.fixture(scope="module")
def planted():
    profiles, truth = planted_profiles(n_per_group=40, seed=4)
    return profiles, truth, fit_style_clusters(profiles)


def test_planted_groups_are_recovered(planted):
    profiles, truth, model = planted
    assert model.k == 3
    assert max(model.silhouette_by_k, key=model.silhouette_by_k.get) == 3
    assert adjusted_rand_score(truth, model.fit_labels) >= 0.9
    # Size columns are not style: talk time stays out of the features by default.
    assert "talk_s" not in model.feature_columns


def test_descriptions_name_the_distinctive_features(planted):
    profiles, truth, model = planted
    descriptions = describe_clusters(model)
    assert descriptions["n_members"].sum() == len(profiles)
    assert descriptions["share"].sum() == pytest.approx(1.0)
    # Group 0 was planted with the most questions and the most empathy.
    cluster = pd.Series(model.fit_labels[truth == 0]).mode().item()
    text = descriptions.set_index("cluster").loc[cluster, "description"]
    assert "high question rate" in text and "high empathy mean" in text, text
    other = descriptions[descriptions.cluster != cluster]["description"]
    assert not other.str.contains("high question rate").any()
    to_arrow(CLUSTER_DESCRIPTIONS, descriptions)


def test_apply_per_video_matches_the_fit_and_carries_links(planted):
    profiles, _, model = planted
    video = profiles[profiles.video_id == profiles.video_id.iloc[10]]
    links = video[["video_id", "speaker"]].assign(global_speaker_id=["spk_a", "spk_b"])
    rows = apply_style_clusters(model, video, links)
    assert rows["cluster"].tolist() == model.fit_labels[video.index].tolist()
    assert rows["global_speaker_id"].tolist() == ["spk_a", "spk_b"]
    assert (rows["model_version"] == model.model_version).all()
    np.testing.assert_allclose(rows[["x", "y"]].to_numpy(), model.fit_xy[video.index])
    # The distance is to the assigned centroid, hence the smallest to any centroid.
    z = model.preprocess.transform(video[model.feature_columns].to_numpy())
    every = np.linalg.norm(z[:, None, :] - model.kmeans.cluster_centers_[None], axis=2)
    np.testing.assert_allclose(rows["distance_to_centroid"], every.min(axis=1))
    to_arrow(SPEAKER_CLUSTERS, rows)


def test_model_round_trips_and_its_version_follows_the_data(planted):
    profiles, _, model = planted
    loaded = StyleClusterModel.from_bytes(model.to_bytes())
    assert loaded.model_version == model.model_version
    pd.testing.assert_frame_equal(apply_style_clusters(loaded, profiles),
                                  apply_style_clusters(model, profiles))
    assert fit_style_clusters(profiles).model_version == model.model_version
    more, _ = planted_profiles(n_per_group=41, seed=5)
    assert fit_style_clusters(more).model_version != model.model_version
    with pytest.raises(TypeError, match="StyleClusterModel"):
        StyleClusterModel.from_bytes(dump_bytes({"not": "a model"}))


def test_scatter_png_is_an_image(planted):
    _, _, model = planted
    png = scatter_png(model, highlight=[(0.0, 0.0)])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 10_000


def test_too_few_profiles_or_missing_features_fail_clearly(planted):
    profiles, _, model = planted
    with pytest.raises(ValueError, match="at least 3 speaker profiles"):
        fit_style_clusters(profiles.head(2))
    with pytest.raises(ValueError, match="not in the frame"):
        fit_style_clusters(profiles, ClusterOptions(feature_columns=("no_such_rate",)))
    with pytest.raises(ValueError, match="lacks"):
        apply_style_clusters(model, profiles.drop(columns=["empathy_mean"]))
