"""Style/emotion clusters of speakers from their ``speaker_profiles`` features.

The model (fitted once over all passing videos, applied per video):

- numeric profile features (question/reflection rates, empathy, sentiment, emotion shares,
  F0, speech rate, ...), missing values filled with the column median, standardised
  (``StandardScaler``) so no unit dominates;
- **k-means with k chosen by silhouette** over ``k_min..k_max``, scored on a seeded sample of at
  most ``silhouette_sample`` profiles (so choosing k costs the same at any corpus size); the
  chosen k is then fitted on every profile. k-means rather than HDBSCAN because every speaker
  needs a cluster and a centroid distance (HDBSCAN labels sparse speakers as noise) and
  because centroids are what the descriptions name;
- a 2-D PCA projection of the standardised features for the scatter plot.

Each cluster is named by the features whose centroid lies furthest from the corpus mean, in
standard deviations (e.g. "high question rate, high empathy, low f0 std hz").
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from pixel_assets.analysis.matrix import (
    as_matrix,
    dump_bytes,
    feature_columns,
    load_bytes,
    version_hash,
)
from pixel_assets.analysis.schemas import CORPUS, ClusterDescriptions, SpeakerClusters

if TYPE_CHECKING:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.pipeline import Pipeline


@dataclass(frozen=True)
class ClusterOptions:
    """Settings of the style cluster model.

    Attributes:
        feature_columns: Profile columns to cluster on; None = every numeric non-key column.
        exclude_columns: Numeric columns to leave out of the automatic choice (e.g. talk time,
            which says how long a video is, not how someone speaks).
        k_min: Smallest number of clusters tried.
        k_max: Largest number tried (capped at rows - 1).
        silhouette_sample: Profiles used to choose k (silhouette is quadratic in rows).
        min_z: A feature names a cluster when its centroid is at least this many standard
            deviations from the corpus mean.
        max_description_features: Features named per cluster.
        random_state: Seed of k-means and the silhouette sample (same data → same model).
    """

    feature_columns: tuple[str, ...] | None = None
    exclude_columns: tuple[str, ...] = ("talk_s", "speech_s", "n_utterances", "n_words",
                                        "n_turns", "duration_s")
    k_min: int = 2
    k_max: int = 10
    silhouette_sample: int = 3000
    min_z: float = 0.5
    max_description_features: int = 3
    random_state: int = 0

    def __post_init__(self) -> None:
        if not 2 <= self.k_min <= self.k_max:
            raise ValueError(
                f"ClusterOptions k_min={self.k_min}, k_max={self.k_max}: need 2 <= k_min <= k_max."
            )


@dataclass
class StyleClusterModel:
    """A fitted style cluster model (serialise with :meth:`to_bytes`).

    Attributes:
        feature_columns: Columns the model reads, in order.
        preprocess: Median imputer + standard scaler.
        kmeans: The chosen k-means.
        projection: PCA to 2-D for plots and ``x``/``y``.
        silhouette_by_k: Silhouette score of each k tried.
        n_rows: Profiles it was fitted on.
        model_version: Hash of the fitted state; stored on every ``speaker_clusters`` row.
        options: The options it was fitted with.
    """

    feature_columns: list[str]
    preprocess: Pipeline
    kmeans: KMeans
    projection: PCA
    silhouette_by_k: dict[int, float]
    n_rows: int
    model_version: str
    options: ClusterOptions
    fit_labels: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, int))
    fit_xy: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 2)))

    @property
    def k(self) -> int:
        return int(self.kmeans.n_clusters)

    def to_bytes(self) -> bytes:
        """joblib bytes of the whole model (:meth:`from_bytes` reads them)."""
        return dump_bytes(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> StyleClusterModel:
        """Load a model saved with :meth:`to_bytes`."""
        return load_bytes(data, cls)

    def params(self) -> dict:
        """Fit figures for the model registry and asset metadata."""
        return {
            "k": self.k,
            "silhouette_by_k": {str(k): round(v, 4) for k, v in self.silhouette_by_k.items()},
            "n_rows": self.n_rows,
            "options": asdict(self.options),
        }


def fit_style_clusters(
    profiles: pd.DataFrame, options: ClusterOptions | None = None
) -> StyleClusterModel:
    """Fit the scaler, k-means (k by silhouette) and 2-D projection on speaker profiles.

    Args:
        profiles: ``speaker_profiles`` rows of every passing video (one row per speaker).
        options: Feature choice and k range.

    Returns:
        The fitted :class:`StyleClusterModel`.

    Raises:
        ValueError: fewer than 3 profiles (no k >= 2 can be scored), or no numeric features.
    """
    options = options or ClusterOptions()
    # k-means on a few thousand profiles is too small to gain from OpenMP threads, and when the
    # refresh shares its cores with other runs, OpenMP spin-waiting made the fit 8x slower
    # (measured: 40 s vs 4.7 s for 10,000 profiles on 2 busy cores).
    with threadpool_limits(limits=1, user_api="openmp"):
        return _fit(profiles, options)


def _fit(profiles: pd.DataFrame, options: ClusterOptions) -> StyleClusterModel:
    # sklearn (and scipy) take ~1.3 s to import; the definitions load this module, so it is
    # imported where a model is fitted, not in every process that loads the code location.
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.impute import SimpleImputer
    from sklearn.metrics import silhouette_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    columns = feature_columns(profiles, options.feature_columns, options.exclude_columns)
    if len(profiles) < 3:
        raise ValueError(
            f"style clusters need at least 3 speaker profiles, got {len(profiles)}; "
            "process more videos first."
        )
    raw = as_matrix(profiles, columns)
    preprocess = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                               StandardScaler())
    z = preprocess.fit_transform(raw)
    # k is chosen on a seeded sample (k-means per k plus silhouette, both bounded by the sample
    # size); only the chosen k is fitted on every profile.
    rng = np.random.default_rng(options.random_state)
    sample = np.sort(rng.choice(len(z), size=min(options.silhouette_sample, len(z)),
                                replace=False))
    scores: dict[int, float] = {}
    distinct = len(np.unique(np.round(z[sample], 9), axis=0))
    for k in range(options.k_min, min(options.k_max, len(sample) - 1, distinct) + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=options.random_state).fit_predict(
            z[sample])
        if len(np.unique(labels)) < 2:
            continue
        scores[k] = float(silhouette_score(z[sample], labels))
    if not scores:
        raise ValueError(
            f"no k in {options.k_min}..{options.k_max} could be scored on {len(z)} profiles "
            f"({distinct} distinct); process more videos or lower k_min."
        )
    best = max(scores, key=lambda k: (scores[k], -k))
    kmeans = KMeans(n_clusters=best, n_init=4, random_state=options.random_state).fit(z)
    projection = PCA(n_components=min(2, z.shape[1]), random_state=options.random_state).fit(z)
    scaler: StandardScaler = preprocess[-1]
    imputer: SimpleImputer = preprocess[0]
    version = version_hash(
        "style_clusters",
        [columns, imputer.statistics_, scaler.mean_, scaler.scale_, kmeans.cluster_centers_,
         np.abs(projection.components_)],
    )
    return StyleClusterModel(
        feature_columns=columns,
        preprocess=preprocess,
        kmeans=kmeans,
        projection=projection,
        silhouette_by_k=scores,
        n_rows=len(z),
        model_version=version,
        options=options,
        fit_labels=kmeans.labels_.copy(),
        fit_xy=_xy(projection, z),
    )


def _xy(projection: PCA, z: np.ndarray) -> np.ndarray:
    xy = projection.transform(z)
    return xy if xy.shape[1] == 2 else np.column_stack([xy[:, 0], np.zeros(len(xy))])


def _label(column: str) -> str:
    return column.replace("_", " ").strip()


def describe_clusters(model: StyleClusterModel) -> pd.DataFrame:
    """``cluster_descriptions``: size, share and distinctive features of each cluster.

    A cluster's centroid is already in standard deviations from the corpus mean (the model
    standardises), so its largest absolute coordinates are its most distinctive features.
    """
    centers = model.kmeans.cluster_centers_
    sizes = np.bincount(model.fit_labels, minlength=model.k)
    rows = []
    for cluster, center in enumerate(centers):
        order = np.argsort(-np.abs(center), kind="stable")
        top = [i for i in order[: model.options.max_description_features]
               if abs(center[i]) >= model.options.min_z]
        words = [f"{'high' if center[i] > 0 else 'low'} {_label(model.feature_columns[i])}"
                 for i in top]
        rows.append(
            {
                "corpus": CORPUS,
                "model_version": model.model_version,
                "cluster": cluster,
                "n_members": int(sizes[cluster]),
                "share": float(sizes[cluster] / max(sizes.sum(), 1)),
                "description": ", ".join(words) if words else "close to the corpus average",
                "top_features": [model.feature_columns[i] for i in top],
                "top_z": [round(float(center[i]), 3) for i in top],
            }
        )
    return pd.DataFrame(rows, columns=list(ClusterDescriptions.to_schema().columns))


def apply_style_clusters(
    model: StyleClusterModel,
    profiles: pd.DataFrame,
    links: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``speaker_clusters`` rows for one video's (or any) speaker profiles.

    Args:
        model: A fitted model (its ``model_version`` goes on every row).
        profiles: ``speaker_profiles`` rows (``video_id``, ``speaker`` + the model's features).
        links: ``speaker_links`` rows to fill ``global_speaker_id``; optional.

    Returns:
        One row per profile: cluster, Euclidean distance to its centroid in standardised
        units, and the 2-D projection ``x``, ``y``.
    """
    columns = list(SpeakerClusters.to_schema().columns)
    if profiles.empty:
        return pd.DataFrame(columns=columns)
    z = model.preprocess.transform(as_matrix(profiles, model.feature_columns))
    with threadpool_limits(limits=1, user_api="openmp"):  # see fit_style_clusters
        labels = model.kmeans.predict(z)
    distance = np.linalg.norm(z - model.kmeans.cluster_centers_[labels], axis=1)
    xy = _xy(model.projection, z)
    out = pd.DataFrame(
        {
            "video_id": profiles["video_id"].to_numpy(),
            "speaker": profiles["speaker"].to_numpy(),
            "cluster": labels.astype("int64"),
            "distance_to_centroid": distance,
            "x": xy[:, 0],
            "y": xy[:, 1],
            "model_version": model.model_version,
        }
    )
    out["global_speaker_id"] = _global_ids(out, links)
    return out[columns]


def _global_ids(rows: pd.DataFrame, links: pd.DataFrame | None) -> list:
    if links is None or links.empty:
        return [None] * len(rows)
    lookup = links.drop_duplicates(["video_id", "speaker"]).set_index(
        ["video_id", "speaker"])["global_speaker_id"]
    keys = pd.MultiIndex.from_frame(rows[["video_id", "speaker"]])
    return [g if isinstance(g, str) else None for g in lookup.reindex(keys).to_numpy()]


def scatter_png(
    model: StyleClusterModel,
    descriptions: pd.DataFrame | None = None,
    highlight: Sequence[tuple[float, float]] = (),
    max_points: int = 20_000,
) -> bytes:
    """A PNG scatter of the fitted profiles in the 2-D projection, coloured by cluster.

    Args:
        model: The fitted model (its own fit points are drawn).
        descriptions: :func:`describe_clusters` output for the legend; computed when None.
        highlight: Extra points to mark (e.g. one video's speakers), as ``(x, y)``.
        max_points: Points drawn at most (a seeded sample keeps big corpora readable).
    """
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; must precede pyplot
    import matplotlib.pyplot as plt

    descriptions = describe_clusters(model) if descriptions is None else descriptions
    xy, labels = model.fit_xy, model.fit_labels
    if len(xy) > max_points:
        keep = np.random.default_rng(0).choice(len(xy), size=max_points, replace=False)
        xy, labels = xy[keep], labels[keep]
    fig, ax = plt.subplots(figsize=(7, 5), dpi=100)
    try:
        cmap = plt.get_cmap("tab10")
        names = dict(zip(descriptions["cluster"], descriptions["description"], strict=True))
        for cluster in range(model.k):
            mask = labels == cluster
            ax.scatter(xy[mask, 0], xy[mask, 1], s=12, alpha=0.7, color=cmap(cluster % 10),
                       label=f"{cluster}: {names.get(cluster, '')}"[:80])
        centers = _xy(model.projection, model.kmeans.cluster_centers_)
        ax.scatter(centers[:, 0], centers[:, 1], marker="X", s=120, color="black",
                   label="centroids")
        if highlight:
            pts = np.asarray(highlight, dtype=float)
            ax.scatter(pts[:, 0], pts[:, 1], marker="*", s=200, color="red", label="this video")
        ax.set_xlabel("PC 1")
        ax.set_ylabel("PC 2")
        ax.set_title(f"Speaker style clusters (k={model.k}, {model.n_rows} profiles)")
        ax.legend(fontsize=7, loc="best")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)
