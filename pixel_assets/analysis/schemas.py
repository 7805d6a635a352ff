"""Tables of the cross-video analysis stage (pandera models + warehouse TableSpecs).

Per-video tables (``speaker_links``, ``speaker_clusters``, ``outliers``) are partitioned by
``video_id``; corpus tables hold one partition, the constant ``corpus`` column = ``"all"``
(:data:`CORPUS`), rewritten whole on each refresh. Per-video rows carry the ``model_version``
of the corpus model that produced them, so rows made by an older model can be found.
"""

from __future__ import annotations

from typing import Optional

import pandera.pandas as pa
import pyarrow as pa_arrow
from pandera.typing import Series

from pixel_assets.warehouse.contract import (
    EMBEDDING_TYPE,
    REASONS_TYPE,
    STRING_LIST_TYPE,
    TableSpec,
)

CORPUS = "all"
"""Value of the ``corpus`` partition column of every corpus-level table."""

FLOAT_LIST_TYPE = pa_arrow.list_(pa_arrow.float64())


class GlobalSpeakers(pa.DataFrameModel):
    """``global_speakers``: one row per voice linked across videos."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    global_speaker_id: Series[str] = pa.Field(unique=True)
    n_videos: Series[int] = pa.Field(ge=1)
    total_talk_s: Series[float] = pa.Field(ge=0)
    voice_print: Series[object] = pa.Field(description="mean 256-d voice print, L2-normalised")
    name: Series[str] = pa.Field(nullable=True, description="from the video list's speaker")
    first_video_id: Series[str] = pa.Field(description="earliest video (upload/registration)")
    mean_link_similarity: Series[float] = pa.Field(nullable=True, ge=-1, le=1)

    class Config:
        coerce = True


class SpeakerLinks(pa.DataFrameModel):
    """``speaker_links``: which global speaker each diarized speaker of a video is."""

    video_id: Series[str]
    speaker: Series[str]
    global_speaker_id: Series[str]
    link_similarity: Series[float] = pa.Field(
        nullable=True, ge=-1, le=1,
        description="cosine to the mean print of the global speaker's other videos (null alone)",
    )

    class Config:
        coerce = True


class SpeakerIdChanges(pa.DataFrameModel):
    """``speaker_id_changes``: global ids that disappeared in the last refresh, and why."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    global_speaker_id: Series[str]
    change: Series[str] = pa.Field(isin=["merged", "retired"])
    into_global_speaker_id: Series[str] = pa.Field(nullable=True)
    n_speakers: Series[int] = pa.Field(ge=0)
    similarity: Series[float] = pa.Field(nullable=True, ge=-1, le=1)

    class Config:
        coerce = True


class ClusterDescriptions(pa.DataFrameModel):
    """``cluster_descriptions``: each style cluster named by its most distinctive features."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    model_version: Series[str]
    cluster: Series[int] = pa.Field(ge=0)
    n_members: Series[int] = pa.Field(ge=0)
    share: Series[float] = pa.Field(ge=0, le=1)
    description: Series[str]
    top_features: Series[object]
    top_z: Series[object] = pa.Field(description="centroid z-score of each top feature")

    class Config:
        coerce = True


class SpeakerClusters(pa.DataFrameModel):
    """``speaker_clusters``: one row per speaker of a video, assigned by the cluster model."""

    video_id: Series[str]
    speaker: Series[str]
    global_speaker_id: Series[str] = pa.Field(nullable=True)
    cluster: Series[int] = pa.Field(ge=0)
    distance_to_centroid: Series[float] = pa.Field(ge=0)
    x: Series[float]
    y: Series[float]
    model_version: Series[str]

    class Config:
        coerce = True


class SpeakerConsistency(pa.DataFrameModel):
    """``speaker_consistency``: per global speaker and video, the move from the running mean."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    global_speaker_id: Series[str]
    video_id: Series[str]
    speaker: Series[str]
    position: Series[int] = pa.Field(ge=1, description="1 = the speaker's first video")
    upload_date: Series[str] = pa.Field(nullable=True)
    distance: Series[float] = pa.Field(
        nullable=True, ge=0, description="RMS z-distance from the mean of earlier videos"
    )
    top_features: Series[object] = pa.Field(description="features that moved most")
    flagged: Series[bool]
    reasons: Series[object]

    class Config:
        coerce = True


class Outliers(pa.DataFrameModel):
    """``outliers``: utterance- and speaker-level outlier scores of one video (never deleted)."""

    video_id: Series[str]
    level: Series[str] = pa.Field(isin=["utterance", "speaker"])
    segment_id: Series[str] = pa.Field(nullable=True)
    speaker: Series[str] = pa.Field(nullable=True)
    score: Series[float] = pa.Field(description="higher = more unusual (IsolationForest)")
    threshold: Series[float]
    is_outlier: Series[bool]
    top_features: Series[object]
    top_z: Series[object] = pa.Field(description="robust z of each top feature")
    reasons: Series[object]
    model_version: Series[str]

    class Config:
        coerce = True


class DriftSummary(pa.DataFrameModel):
    """``drift_summary``: one row for the latest drift report (newest batch vs earlier)."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    status: Series[str] = pa.Field(isin=["ok", "not_enough_data"])
    message: Series[str]
    batch: Series[str] = pa.Field(nullable=True, description="how the current batch was chosen")
    n_reference_videos: Series[int] = pa.Field(ge=0)
    n_current_videos: Series[int] = pa.Field(ge=0)
    n_reference_rows: Series[int] = pa.Field(ge=0)
    n_current_rows: Series[int] = pa.Field(ge=0)
    n_columns: Series[int] = pa.Field(ge=0)
    n_drifted: Series[int] = pa.Field(ge=0)
    share_drifted: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    drifted_columns: Series[object]
    report_path: Series[str] = pa.Field(nullable=True)

    class Config:
        coerce = True


class DriftColumns(pa.DataFrameModel):
    """``drift_columns``: the latest drift report's score per feature column."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    column: Series[str]
    method: Series[str]
    threshold: Series[float]
    score: Series[float] = pa.Field(nullable=True)
    drifted: Series[bool]

    class Config:
        coerce = True


class AnalysisModels(pa.DataFrameModel):
    """``analysis_models``: the fitted corpus models (registry; the bytes live in storage)."""

    corpus: Series[str] = pa.Field(isin=[CORPUS])
    model_kind: Series[str] = pa.Field(
        isin=["style_clusters", "utterance_outliers", "speaker_outliers"]
    )
    model_version: Series[str]
    n_rows: Series[int] = pa.Field(ge=0)
    feature_columns: Series[object]
    params: Series[str] = pa.Field(description="JSON of the fit options and fitted figures")
    path: Optional[Series[str]] = pa.Field(nullable=True)  # noqa: UP045 (pandera Optional)

    class Config:
        coerce = True


_LISTS = {"top_features": STRING_LIST_TYPE, "reasons": REASONS_TYPE}

GLOBAL_SPEAKERS = TableSpec(
    "global_speakers", GlobalSpeakers, partition_column="corpus",
    arrow_types={"voice_print": EMBEDDING_TYPE},
    description="One row per voice linked across videos (cannot-link within a video).",
)
SPEAKER_LINKS = TableSpec(
    "speaker_links", SpeakerLinks,
    description="Each diarized speaker of a video and its global speaker id.",
)
SPEAKER_ID_CHANGES = TableSpec(
    "speaker_id_changes", SpeakerIdChanges, partition_column="corpus",
    description="Global speaker ids merged into another or retired in the last refresh.",
)
CLUSTER_DESCRIPTIONS = TableSpec(
    "cluster_descriptions", ClusterDescriptions, partition_column="corpus",
    arrow_types={"top_features": STRING_LIST_TYPE, "top_z": FLOAT_LIST_TYPE},
    description="Style/emotion clusters of speakers, named by their most distinctive features.",
)
SPEAKER_CLUSTERS = TableSpec(
    "speaker_clusters", SpeakerClusters,
    description="Cluster, distance to centroid and 2-D projection of each speaker of a video.",
)
SPEAKER_CONSISTENCY = TableSpec(
    "speaker_consistency", SpeakerConsistency, partition_column="corpus",
    arrow_types=_LISTS,
    description="How far each video moves a global speaker's profile from its running mean.",
)
OUTLIERS = TableSpec(
    "outliers", Outliers,
    arrow_types={**_LISTS, "top_z": FLOAT_LIST_TYPE},
    description="Utterance- and speaker-level outlier scores with the top deviating features.",
)
DRIFT_SUMMARY = TableSpec(
    "drift_summary", DriftSummary, partition_column="corpus",
    arrow_types={"drifted_columns": STRING_LIST_TYPE},
    description="Share and names of drifted feature columns, newest batch vs earlier videos.",
)
DRIFT_COLUMNS = TableSpec(
    "drift_columns", DriftColumns, partition_column="corpus",
    description="Per-column drift score, method and threshold of the latest drift report.",
)
ANALYSIS_MODELS = TableSpec(
    "analysis_models", AnalysisModels, partition_column="corpus",
    arrow_types={"feature_columns": STRING_LIST_TYPE},
    description="Registry of fitted corpus models: kind, version, features, fit figures.",
)

TABLES: tuple[TableSpec, ...] = (
    GLOBAL_SPEAKERS,
    SPEAKER_LINKS,
    SPEAKER_ID_CHANGES,
    CLUSTER_DESCRIPTIONS,
    SPEAKER_CLUSTERS,
    SPEAKER_CONSISTENCY,
    OUTLIERS,
    DRIFT_SUMMARY,
    DRIFT_COLUMNS,
    ANALYSIS_MODELS,
)
