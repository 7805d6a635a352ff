"""One corpus refresh: every cross-video model and table from the passing videos' frames.

The corpus-level assets can call :func:`refresh_corpus` once (or its parts one by one). It
keeps only videos whose chain currently passes, so a video stopped by a blocking check drops
out of every cross-video table on the next refresh, and a model that cannot be fitted yet (too
few profiles or utterances) is skipped with a note instead of failing the refresh.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from pixel_assets.analysis.consistency import ConsistencyOptions, speaker_consistency
from pixel_assets.analysis.drift import DriftOptions, DriftResult, drift_report
from pixel_assets.analysis.linking import LinkOptions, LinkResult, link_speakers
from pixel_assets.analysis.outliers import OutlierModel, OutlierOptions, fit_outlier_model
from pixel_assets.analysis.schemas import CORPUS, AnalysisModels
from pixel_assets.analysis.style_clusters import (
    ClusterOptions,
    StyleClusterModel,
    describe_clusters,
    fit_style_clusters,
)


@dataclass(frozen=True)
class AnalysisOptions:
    """Options of every cross-video step (each documented on its own dataclass)."""

    link: LinkOptions = field(default_factory=LinkOptions)
    clusters: ClusterOptions = field(default_factory=ClusterOptions)
    consistency: ConsistencyOptions = field(default_factory=ConsistencyOptions)
    utterance_outliers: OutlierOptions = field(
        default_factory=lambda: OutlierOptions(level="utterance", contamination=0.01))
    speaker_outliers: OutlierOptions = field(
        default_factory=lambda: OutlierOptions(level="speaker", contamination=0.02))
    drift: DriftOptions = field(default_factory=DriftOptions)


@dataclass
class CorpusInputs:
    """What a refresh reads (whole tables; rows of non-passing videos are dropped here).

    Attributes:
        speakers: ``speakers`` (video_id, speaker, embedding, speech_s).
        profiles: ``speaker_profiles`` (video_id, speaker, numeric profile features).
        utterances: ``utterance_features`` (video_id, segment_id, speaker, numeric features).
        videos: ``videos`` (upload_date, ingested_at, list_file, list_speaker).
        passing_video_ids: Videos whose chain currently passes; None = every video given.
        previous_links: The last ``speaker_links``, for stable ids; optional.
    """

    speakers: pd.DataFrame
    profiles: pd.DataFrame
    utterances: pd.DataFrame
    videos: pd.DataFrame
    passing_video_ids: Iterable[str] | None = None
    previous_links: pd.DataFrame | None = None


@dataclass
class CorpusModels:
    """Everything a refresh produced; ``None`` models were skipped (see ``notes``)."""

    links: LinkResult
    cluster_model: StyleClusterModel | None
    cluster_descriptions: pd.DataFrame
    consistency: pd.DataFrame
    utterance_outliers: OutlierModel | None
    speaker_outliers: OutlierModel | None
    drift: DriftResult
    video_ids: list[str]
    notes: list[str] = field(default_factory=list)

    def registry(self, paths: dict[str, str] | None = None) -> pd.DataFrame:
        """``analysis_models`` rows of the fitted models (``paths``: kind → stored bytes)."""
        rows = []
        for kind, model in (("style_clusters", self.cluster_model),
                            ("utterance_outliers", self.utterance_outliers),
                            ("speaker_outliers", self.speaker_outliers)):
            if model is None:
                continue
            rows.append({
                "corpus": CORPUS,
                "model_kind": kind,
                "model_version": model.model_version,
                "n_rows": model.n_rows,
                "feature_columns": list(model.feature_columns),
                "params": json.dumps(model.params(), sort_keys=True, default=str),
                "path": (paths or {}).get(kind),
            })
        return pd.DataFrame(rows, columns=list(AnalysisModels.to_schema().columns))


def _passing(frame: pd.DataFrame, keep: set[str] | None) -> pd.DataFrame:
    if keep is None or frame is None or frame.empty:
        return frame
    return frame[frame["video_id"].isin(keep)]


def refresh_corpus(inputs: CorpusInputs, options: AnalysisOptions | None = None) -> CorpusModels:
    """Link voices, fit the style and outlier models, build consistency and drift.

    Args:
        inputs: The tables, the passing videos and the previous links.
        options: Per-step options.

    Returns:
        :class:`CorpusModels`; per-video tables are then made with
        :func:`~pixel_assets.analysis.style_clusters.apply_style_clusters` and
        :func:`~pixel_assets.analysis.outliers.video_outliers`, links are in
        ``links.links`` (one partition per video).
    """
    options = options or AnalysisOptions()
    keep = None if inputs.passing_video_ids is None else set(inputs.passing_video_ids)
    speakers = _passing(inputs.speakers, keep)
    profiles = _passing(inputs.profiles, keep)
    utterances = _passing(inputs.utterances, keep)
    videos = _passing(inputs.videos, keep)
    notes: list[str] = []
    links = link_speakers(speakers, videos, inputs.previous_links, options.link)

    cluster_model, descriptions = None, pd.DataFrame()
    try:
        cluster_model = fit_style_clusters(profiles, options.clusters)
        descriptions = describe_clusters(cluster_model)
    except ValueError as exc:
        notes.append(f"cluster_model skipped: {exc}")
    outlier_models: dict[str, OutlierModel | None] = {}
    for level, frame, opts in (("utterance", utterances, options.utterance_outliers),
                               ("speaker", profiles, options.speaker_outliers)):
        try:
            outlier_models[level] = fit_outlier_model(frame, opts)
        except ValueError as exc:
            outlier_models[level] = None
            notes.append(f"{level} outlier_model skipped: {exc}")
    return CorpusModels(
        links=links,
        cluster_model=cluster_model,
        cluster_descriptions=descriptions,
        consistency=speaker_consistency(profiles, links.links, videos, options.consistency),
        utterance_outliers=outlier_models["utterance"],
        speaker_outliers=outlier_models["speaker"],
        drift=drift_report(utterances, videos, options.drift),
        video_ids=sorted(set(speakers["video_id"]) | set(profiles["video_id"])),
        notes=notes,
    )
