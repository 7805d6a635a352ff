"""Outlier scores of utterances and speakers (flagged, never deleted).

One model per level, fitted over all passing videos and applied per video:

- ``utterance``: rows of ``utterance_features`` (one per kept transcript segment);
- ``speaker``: rows of ``speaker_profiles`` (one per speaker and video).

The scorer is sklearn's ``IsolationForest`` (tree-based, so feature scale does not matter and
cost is linear in rows; LOF would need neighbour searches over 500,000 utterances). Missing
values are filled with the column median before scoring, so a null F0 reads as "typical",
never as unusual. ``score`` is ``-score_samples`` (higher = more unusual, about 0.35-0.45 for
typical rows and above 0.6 for clear outliers); the flag threshold is the score at the
``1 - contamination`` quantile of the fitting corpus, applied as a
:class:`~pixel_assets.rules.Rule` (``max_outlier_score``). Each row names the features that
deviate most, as robust z-scores (median / IQR, so the outliers do not hide themselves by
inflating the spread they are measured in).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from pixel_assets.analysis.matrix import (
    as_matrix,
    dump_bytes,
    feature_columns,
    load_bytes,
    robust_center_scale,
    top_deviations,
    version_hash,
)
from pixel_assets.analysis.schemas import Outliers
from pixel_assets.rules import Rule, RuleSet

if TYPE_CHECKING:
    from sklearn.ensemble import IsolationForest

Level = Literal["utterance", "speaker"]


@dataclass(frozen=True)
class OutlierOptions:
    """Settings of one outlier model.

    Attributes:
        level: ``utterance`` (rows of utterance_features) or ``speaker`` (speaker_profiles).
        feature_columns: Columns scored; None = every numeric non-key column.
        exclude_columns: Numeric columns left out of the automatic choice.
        contamination: Share of the fitting corpus flagged; sets the score threshold.
        n_estimators: Trees in the forest.
        max_fit_rows: Rows sampled to fit and to set the threshold (each tree sees only 256
            rows anyway; the sample bounds the threshold's cost on big corpora).
        top_n: Deviating features named per row.
        random_state: Seed (same data → same model and version).
    """

    level: Level = "utterance"
    feature_columns: tuple[str, ...] | None = None
    exclude_columns: tuple[str, ...] = ()
    contamination: float = 0.01
    n_estimators: int = 100
    max_fit_rows: int = 100_000
    top_n: int = 3
    random_state: int = 0

    def __post_init__(self) -> None:
        if self.level not in ("utterance", "speaker"):
            raise ValueError(f"OutlierOptions.level={self.level!r}: use 'utterance' or 'speaker'.")
        if not 0 < self.contamination < 0.5:
            raise ValueError(
                f"OutlierOptions.contamination={self.contamination} must be in (0, 0.5)."
            )


@dataclass
class OutlierModel:
    """A fitted outlier model (serialise with :meth:`to_bytes`).

    Attributes:
        level: Which table it scores.
        feature_columns: Columns it reads, in order.
        center: Per-column median (fills missing values; centre of the robust z).
        scale: Per-column robust spread (IQR / 1.349).
        forest: The fitted IsolationForest.
        threshold: Scores above this are flagged.
        n_rows: Rows it was fitted on (after sampling).
        model_version: Hash of the fitted state; stored on every ``outliers`` row.
        options: The options it was fitted with.
    """

    level: Level
    feature_columns: list[str]
    center: np.ndarray
    scale: np.ndarray
    forest: IsolationForest
    threshold: float
    n_rows: int
    model_version: str
    options: OutlierOptions

    def to_bytes(self) -> bytes:
        """joblib bytes of the whole model (:meth:`from_bytes` reads them)."""
        return dump_bytes(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> OutlierModel:
        """Load a model saved with :meth:`to_bytes`."""
        return load_bytes(data, cls)

    def params(self) -> dict:
        """Fit figures for the model registry and asset metadata."""
        return {"threshold": round(self.threshold, 6), "n_rows": self.n_rows,
                "options": asdict(self.options)}

    def _filled(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        raw = as_matrix(frame, self.feature_columns)
        filled = np.where(np.isnan(raw), self.center, raw)
        return raw, filled

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """Outlier score per row (higher = more unusual)."""
        if frame.empty:
            return np.zeros(0)
        return -self.forest.score_samples(self._filled(frame)[1])

    def rules(self) -> RuleSet:
        """The flag rule: a row is kept as ordinary while ``score <= threshold``."""
        return RuleSet.of([Rule("max_outlier_score", "score", "le", self.threshold, digits=3)])


def fit_outlier_model(frame: pd.DataFrame, options: OutlierOptions | None = None) -> OutlierModel:
    """Fit an IsolationForest and its flag threshold on all passing videos' rows.

    Args:
        frame: ``utterance_features`` (level ``utterance``) or ``speaker_profiles`` rows.
        options: Level, features, contamination.

    Raises:
        ValueError: fewer than 10 rows (no meaningful "unusual"), or no numeric features.
    """
    options = options or OutlierOptions()
    if len(frame) < 10:
        raise ValueError(
            f"the {options.level} outlier model needs at least 10 rows, got {len(frame)}; "
            "process more videos first."
        )
    columns = feature_columns(frame, options.feature_columns, options.exclude_columns)
    raw = as_matrix(frame, columns)
    rng = np.random.default_rng(options.random_state)
    if len(raw) > options.max_fit_rows:
        raw = raw[np.sort(rng.choice(len(raw), size=options.max_fit_rows, replace=False))]
    center, scale = robust_center_scale(raw)
    filled = np.where(np.isnan(raw), center, raw)
    from sklearn.ensemble import IsolationForest  # lazily: see style_clusters.py

    forest = IsolationForest(n_estimators=options.n_estimators, contamination="auto",
                             random_state=options.random_state, n_jobs=1).fit(filled)
    scores = -forest.score_samples(filled)
    threshold = float(np.quantile(scores, 1.0 - options.contamination))
    trees = [np.concatenate([e.tree_.feature.astype("float64"), e.tree_.threshold])
             for e in forest.estimators_]
    version = version_hash(
        f"{options.level}_outliers",
        [columns, center, scale, np.array([threshold]), np.concatenate(trees)],
    )
    return OutlierModel(
        level=options.level,
        feature_columns=columns,
        center=center,
        scale=scale,
        forest=forest,
        threshold=threshold,
        n_rows=len(raw),
        model_version=version,
        options=options,
    )


def apply_outliers(model: OutlierModel, frame: pd.DataFrame) -> pd.DataFrame:
    """``outliers`` rows for one video's (or any) rows of the model's level.

    Args:
        model: A fitted model.
        frame: ``utterance_features`` rows (need ``video_id``, ``segment_id``, ``speaker``) or
            ``speaker_profiles`` rows (``video_id``, ``speaker``).

    Returns:
        One row per input row: ``score``, ``threshold``, ``is_outlier``, the ``top_features``
        deviating most with their robust ``top_z``, ``reasons`` (the failed rule, if any).
    """
    columns = list(Outliers.to_schema().columns)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    raw, _ = model._filled(frame)
    z = (raw - model.center) / model.scale
    names, values = top_deviations(z, model.feature_columns, model.options.top_n)
    rows = pd.DataFrame(
        {
            "video_id": frame["video_id"].to_numpy(),
            "level": model.level,
            "segment_id": frame["segment_id"].to_numpy() if model.level == "utterance"
            and "segment_id" in frame else None,
            "speaker": frame["speaker"].to_numpy() if "speaker" in frame else None,
            "score": model.score(frame),
            "threshold": model.threshold,
            "top_features": names,
            "top_z": values,
            "model_version": model.model_version,
        }
    )
    judged = model.rules().apply(rows)
    judged["is_outlier"] = ~judged["passed"]
    return judged[columns]


def video_outliers(
    video_id: str,
    utterance_model: OutlierModel | None,
    speaker_model: OutlierModel | None,
    utterances: pd.DataFrame,
    profiles: pd.DataFrame,
) -> pd.DataFrame:
    """Both levels' ``outliers`` rows of one video (a level without a model is skipped)."""
    parts = []
    for model, frame in ((utterance_model, utterances), (speaker_model, profiles)):
        if model is not None and not frame.empty:
            parts.append(apply_outliers(model, frame[frame["video_id"] == video_id]))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=list(Outliers.to_schema().columns))
    return pd.concat(parts, ignore_index=True)
