"""A whole corpus refresh: stopped videos drop out of every table; thin corpora do not fail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pixel_assets.analysis.outliers import video_outliers
from pixel_assets.analysis.refresh import CorpusInputs, refresh_corpus
from pixel_assets.analysis.schemas import (
    ANALYSIS_MODELS,
    CLUSTER_DESCRIPTIONS,
    GLOBAL_SPEAKERS,
    SPEAKER_CONSISTENCY,
    SPEAKER_LINKS,
)
from pixel_assets.analysis.style_clusters import apply_style_clusters
from pixel_assets.warehouse.contract import to_arrow
from pixel_assets_tests.analysis.synthetic import (
    PROFILE_FEATURES,
    planted_prints,
    planted_profiles,
)


def _corpus(seed: int = 0) -> CorpusInputs:
    speakers, _ = planted_prints(n_identities=15, n_videos=30, per_video=2, seed=seed)
    profiles, _ = planted_profiles(n_per_group=20, seed=seed)  # 60 rows = 30 videos x 2
    profiles[["video_id", "speaker"]] = speakers[["video_id", "speaker"]].to_numpy()
    rng = np.random.default_rng(seed)
    utterances = profiles.loc[profiles.index.repeat(20)].reset_index(drop=True)
    utterances[PROFILE_FEATURES] += rng.normal(scale=0.05, size=(len(utterances),
                                                                 len(PROFILE_FEATURES)))
    utterances["segment_id"] = [f"seg{i:05d}" for i in range(len(utterances))]
    ids = speakers["video_id"].unique()
    videos = pd.DataFrame({
        "video_id": ids,
        "list_file": ["lists/a.csv"] * 24 + ["lists/b.csv"] * 6,
        "ingested_at": pd.date_range("2024-01-01", periods=len(ids), freq="D", tz="UTC"),
    })
    return CorpusInputs(speakers, profiles, utterances, videos)


@pytest.fixture(scope="module")
def refreshed():
    inputs = _corpus()
    first = refresh_corpus(inputs)
    stopped = "vid0005"
    inputs.passing_video_ids = [v for v in inputs.videos.video_id if v != stopped]
    inputs.previous_links = first.links.links
    return inputs, first, refresh_corpus(inputs), stopped


def test_a_stopped_video_leaves_every_cross_video_table(refreshed):
    inputs, first, second, stopped = refreshed
    assert stopped in set(first.links.links.video_id)
    assert stopped not in set(second.links.links.video_id)
    assert stopped not in set(second.consistency.video_id)
    assert stopped not in second.drift.reference_videos + second.drift.current_videos
    assert stopped not in second.video_ids
    assert second.links.global_speakers["n_videos"].sum() == len(second.links.links)
    assert second.cluster_descriptions["n_members"].sum() == len(inputs.profiles) - 2
    # Its speakers' ids survive through other videos or are logged as retired.
    gone = first.links.links.loc[first.links.links.video_id == stopped, "global_speaker_id"]
    alive = set(second.links.links.global_speaker_id)
    retired = set(second.links.id_changes.loc[
        second.links.id_changes.change == "retired", "global_speaker_id"])
    assert set(gone) <= alive | retired
    # Other videos keep their ids.
    both = first.links.links.merge(second.links.links, on=["video_id", "speaker"])
    assert (both.global_speaker_id_x == both.global_speaker_id_y).all()


def test_refresh_outputs_validate_and_feed_the_per_video_steps(refreshed):
    inputs, _, models, _ = refreshed
    to_arrow(SPEAKER_LINKS, models.links.links)
    to_arrow(GLOBAL_SPEAKERS, models.links.global_speakers)
    to_arrow(CLUSTER_DESCRIPTIONS, models.cluster_descriptions)
    to_arrow(SPEAKER_CONSISTENCY, models.consistency)
    registry = models.registry({"style_clusters": "models/style_clusters/x.joblib"})
    assert set(registry.model_kind) == {"style_clusters", "utterance_outliers",
                                        "speaker_outliers"}
    to_arrow(ANALYSIS_MODELS, registry)
    video = inputs.profiles[inputs.profiles.video_id == "vid0010"]
    clusters = apply_style_clusters(models.cluster_model, video, models.links.links)
    assert clusters["global_speaker_id"].notna().all()
    outliers = video_outliers("vid0010", models.utterance_outliers, models.speaker_outliers,
                              inputs.utterances, inputs.profiles)
    assert set(outliers.level) == {"utterance", "speaker"}
    assert models.drift.status == "ok" and models.drift.batch == "list lists/b.csv"


def test_a_thin_corpus_refreshes_with_notes_instead_of_failing():
    inputs = _corpus()
    inputs.passing_video_ids = ["vid0000"]
    models = refresh_corpus(inputs)
    assert models.cluster_model is None and models.speaker_outliers is None
    assert models.utterance_outliers is not None  # 40 utterances are enough for that one
    assert any("cluster_model skipped" in note for note in models.notes)
    assert models.drift.status == "not_enough_data"
    assert models.drift.message == "not enough data (1 videos, need 4)"
    assert len(models.links.links) == 2
