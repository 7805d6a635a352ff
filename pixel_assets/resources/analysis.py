"""Cross-video analysis settings: speaker linking, style clusters, outliers, consistency, drift.

The corpus assets (``global_speakers``, ``cluster_model``, ``outlier_model``,
``speaker_consistency``, ``drift_report``) read one :class:`AnalysisResource` and turn it into
the plain option dataclasses of :mod:`pixel_assets.analysis`. No model is loaded here: the
fitted corpus models live in storage (``models/…``) and the per-video assets load them from
there. Override per run in the launchpad or with ``pixel-voice run --set analysis.FIELD=V``.
"""

from __future__ import annotations

from typing import Literal

import dagster as dg
from pydantic import Field

from pixel_assets.analysis.consistency import ConsistencyOptions
from pixel_assets.analysis.drift import DriftOptions
from pixel_assets.analysis.linking import LinkOptions
from pixel_assets.analysis.outliers import OutlierOptions
from pixel_assets.analysis.refresh import AnalysisOptions
from pixel_assets.analysis.style_clusters import ClusterOptions

_L = LinkOptions()
_C = ClusterOptions()
_S = ConsistencyOptions()
_D = DriftOptions()
_A = AnalysisOptions()


class AnalysisResource(dg.ConfigurableResource):
    """Thresholds and sizes of the cross-video analysis (defaults: the logic's defaults)."""

    link_threshold: float = Field(
        _L.threshold,
        description="lowest cosine between voice prints (and group means) to call two "
        "speakers of different videos one voice; 0.85 from measured same/different-voice "
        "distributions (see analysis/linking.py)",
    )
    link_neighbors: int = Field(_L.n_neighbors, description="neighbours looked up per print")
    cluster_k_min: int = Field(_C.k_min, description="fewest style clusters tried")
    cluster_k_max: int = Field(_C.k_max, description="most style clusters tried (silhouette)")
    cluster_silhouette_sample: int = Field(
        _C.silhouette_sample, description="profiles sampled to choose k"
    )
    cluster_features: list[str] | None = Field(
        None, description="speaker_profiles columns to cluster on; null = every numeric one"
    )
    cluster_min_z: float = Field(
        _C.min_z, description="a feature names a cluster from this centroid z-score"
    )
    utterance_contamination: float = Field(
        _A.utterance_outliers.contamination,
        description="share of utterances flagged as outliers (sets the score threshold)",
    )
    speaker_contamination: float = Field(
        _A.speaker_outliers.contamination,
        description="share of speaker profiles flagged as outliers",
    )
    outlier_estimators: int = Field(
        _A.utterance_outliers.n_estimators, description="IsolationForest trees"
    )
    outlier_max_fit_rows: int = Field(
        _A.utterance_outliers.max_fit_rows, description="rows sampled to fit an outlier model"
    )
    consistency_max_distance: float = Field(
        _S.max_distance,
        description="flag a video whose profile moves more than this (RMS corpus SDs) from "
        "the speaker's earlier videos",
    )
    consistency_min_videos: int = Field(
        _S.min_videos, description="videos a global speaker needs to get consistency rows"
    )
    drift_batch: Literal["list", "window"] = Field(
        _D.batch, description="newest batch: the last video list, or the last window_days"
    )
    drift_window_days: float = Field(_D.window_days, description="window for drift_batch=window")
    drift_min_reference_videos: int = Field(
        _D.min_reference_videos, description="earlier videos needed for a drift report"
    )
    drift_min_current_videos: int = Field(
        _D.min_current_videos, description="newest-batch videos needed for a drift report"
    )
    drift_min_rows: int = Field(_D.min_rows, description="utterance rows needed on each side")
    drift_method: str | None = Field(
        _D.method, description="evidently stat test per column (null: evidently chooses)"
    )
    drift_threshold: float | None = Field(
        _D.threshold, description="the stat test's drift threshold (null: its default)"
    )
    drift_categorical: list[str] = Field(
        list(_D.categorical_columns), description="text columns compared as categories"
    )

    def options(self) -> AnalysisOptions:
        """The plain options the analysis logic takes.

        Raises:
            ValueError: a setting is out of range; the message names it and the bounds.
        """
        def outliers(level: Literal["utterance", "speaker"], share: float) -> OutlierOptions:
            return OutlierOptions(level=level, contamination=share,
                                  n_estimators=self.outlier_estimators,
                                  max_fit_rows=self.outlier_max_fit_rows)

        return AnalysisOptions(
            link=LinkOptions(threshold=self.link_threshold, n_neighbors=self.link_neighbors),
            clusters=ClusterOptions(
                feature_columns=tuple(self.cluster_features) if self.cluster_features else None,
                k_min=self.cluster_k_min,
                k_max=self.cluster_k_max,
                silhouette_sample=self.cluster_silhouette_sample,
                min_z=self.cluster_min_z,
            ),
            consistency=ConsistencyOptions(
                max_distance=self.consistency_max_distance,
                min_videos=self.consistency_min_videos,
            ),
            utterance_outliers=outliers("utterance", self.utterance_contamination),
            speaker_outliers=outliers("speaker", self.speaker_contamination),
            drift=DriftOptions(
                batch=self.drift_batch,
                window_days=self.drift_window_days,
                min_reference_videos=self.drift_min_reference_videos,
                min_current_videos=self.drift_min_current_videos,
                min_rows=self.drift_min_rows,
                method=self.drift_method,
                threshold=self.drift_threshold,
                categorical_columns=tuple(self.drift_categorical),
            ),
        )
