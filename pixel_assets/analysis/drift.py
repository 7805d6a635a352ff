"""Data drift of utterance features: the newest batch of videos against all earlier ones.

Built on evidently's current API (0.7): ``Report([DataDriftPreset(...)], include_tests=True)
.run(current, reference)``; evidently's per-column test says whether a column drifted. The
default test is the normed Wasserstein distance (shift in units of the reference standard
deviation) at 0.2 for every column, not evidently's size-based choice (K-S p-value below 1,000
rows): utterances of one video are correlated, so row-level p-values flag ordinary
video-to-video variation, and an effect size means the same at any corpus size. 0.2 sits above
the sampling noise measured for identical normal samples (normed Wasserstein, 300 draws:
240 vs 480 rows median 0.09, 99th percentile 0.18; 1,000 vs 5,000 rows 99th percentile 0.10).
Each side is sampled to at most ``max_rows`` rows so the report's cost and size stay flat as the
corpus grows (evidently's cost is mostly building its plotly widgets, ~0.7 s per column here,
whatever the row count; 20,000 rows put the Wasserstein noise near 0.03).

The current batch is, by ``batch``:

- ``"list"``: the videos of the video list registered last (latest ``ingested_at`` of its
  videos), against every other video;
- ``"window"``: videos registered within ``window_days`` of the newest one, against older ones.

With fewer videos than ``min_reference_videos`` + ``min_current_videos`` (or a side with no
videos or too few rows) the result says "not enough data (N videos, need M)" instead of
failing, and the HTML is a one-paragraph page with that message.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from pixel_assets.analysis.matrix import feature_columns
from pixel_assets.analysis.schemas import CORPUS, DriftColumns, DriftSummary


@dataclass(frozen=True)
class DriftOptions:
    """Settings of the drift report.

    Attributes:
        batch: ``list`` (newest video list) or ``window`` (newest ``window_days``).
        window_days: Width of the current window for ``batch="window"``.
        time_column: ``videos`` column giving registration time (row order when absent).
        min_reference_videos: Earlier videos needed for a meaningful reference.
        min_current_videos: Videos needed in the newest batch.
        min_rows: Utterance rows needed on each side.
        max_rows: Rows sampled per side at most (seeded).
        feature_columns: Numeric columns compared; None = every numeric non-key column.
        categorical_columns: Extra text columns compared as categories (e.g. dominant_emotion).
        drift_share: Share of drifted columns at which evidently calls the dataset drifted.
        method: evidently stat test for every column (``wasserstein``; None lets evidently
            choose by sample size).
        threshold: Its threshold (None: the method's default); see the module docstring.
        random_state: Seed of the row sample.
    """

    batch: Literal["list", "window"] = "list"
    window_days: float = 7.0
    time_column: str = "ingested_at"
    min_reference_videos: int = 3
    min_current_videos: int = 1
    min_rows: int = 100
    max_rows: int = 20_000
    feature_columns: tuple[str, ...] | None = None
    categorical_columns: tuple[str, ...] = ()
    drift_share: float = 0.5
    method: str | None = "wasserstein"
    threshold: float | None = 0.2
    random_state: int = 0

    @property
    def min_videos(self) -> int:
        return self.min_reference_videos + self.min_current_videos


@dataclass
class DriftResult:
    """Outcome of :func:`drift_report`.

    Attributes:
        status: ``ok`` or ``not_enough_data``.
        message: One line for people (the "not enough data (N videos, need M)" reason).
        batch: How the current batch was chosen (e.g. ``list lists/new.csv``).
        reference_videos: Earlier videos compared against.
        current_videos: Videos of the newest batch.
        n_reference_rows: Utterance rows on the reference side (before sampling).
        n_current_rows: Utterance rows on the current side (before sampling).
        columns: ``column``, ``method``, ``threshold``, ``score``, ``drifted`` per feature.
        html: The evidently report as a standalone HTML page (UTF-8 bytes).
    """

    status: Literal["ok", "not_enough_data"]
    message: str
    batch: str | None = None
    reference_videos: list[str] = field(default_factory=list)
    current_videos: list[str] = field(default_factory=list)
    n_reference_rows: int = 0
    n_current_rows: int = 0
    columns: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["column", "method", "threshold", "score",
                                                      "drifted"])
    )
    html: bytes = b""

    @property
    def drifted_columns(self) -> list[str]:
        return self.columns.loc[self.columns["drifted"].astype(bool), "column"].tolist()

    @property
    def share_drifted(self) -> float | None:
        return len(self.drifted_columns) / len(self.columns) if len(self.columns) else None

    def summary_frame(self, report_path: str | None = None) -> pd.DataFrame:
        """The one ``drift_summary`` row."""
        row = {
            "corpus": CORPUS,
            "status": self.status,
            "message": self.message,
            "batch": self.batch,
            "n_reference_videos": len(self.reference_videos),
            "n_current_videos": len(self.current_videos),
            "n_reference_rows": self.n_reference_rows,
            "n_current_rows": self.n_current_rows,
            "n_columns": len(self.columns),
            "n_drifted": len(self.drifted_columns),
            "share_drifted": self.share_drifted,
            "drifted_columns": self.drifted_columns,
            "report_path": report_path,
        }
        return pd.DataFrame([row], columns=list(DriftSummary.to_schema().columns))

    def columns_frame(self) -> pd.DataFrame:
        """``drift_columns`` rows (empty when there was not enough data)."""
        frame = self.columns.copy()
        frame.insert(0, "corpus", CORPUS)
        return frame[list(DriftColumns.to_schema().columns)]

    def metadata(self) -> dict[str, object]:
        """Plain values for asset metadata."""
        return {
            "status": self.status,
            "message": self.message,
            "share_drifted": self.share_drifted,
            "drifted_columns": ", ".join(self.drifted_columns) or "none",
            "n_current_videos": len(self.current_videos),
            "n_reference_videos": len(self.reference_videos),
        }


def split_batches(
    videos: pd.DataFrame, with_rows: list[str], options: DriftOptions
) -> tuple[list[str], list[str], str]:
    """``(reference_ids, current_ids, label)``: the newest batch and the earlier videos.

    Args:
        videos: ``videos`` rows (``video_id``; ``list_file`` and ``time_column`` when present).
        with_rows: Videos that have feature rows (others are ignored).
        options: Batch mode and window.
    """
    present = set(with_rows)
    frame = videos[videos["video_id"].isin(present)].drop_duplicates("video_id").copy()
    # Videos with features but no videos row still count, as registered last-but-unknown.
    known = set(frame["video_id"])
    missing = [v for v in with_rows if v not in known]
    if missing:
        frame = pd.concat([frame, pd.DataFrame({"video_id": missing})], ignore_index=True)
    frame["_order"] = range(len(frame))
    if options.time_column in frame:
        frame["_t"] = pd.to_datetime(frame[options.time_column], utc=True, errors="coerce")
    else:
        frame["_t"] = pd.NaT
    if options.batch == "window" and frame["_t"].notna().any():
        newest = frame["_t"].max()
        current = frame["_t"] >= newest - pd.Timedelta(days=options.window_days)
        label = f"window {options.window_days:g} days to {newest.isoformat()}"
    elif options.batch == "list" and "list_file" in frame and frame["list_file"].notna().any():
        lists = frame.dropna(subset=["list_file"]).groupby("list_file").agg(
            t=("_t", "max"), order=("_order", "max"))
        newest_list = lists.sort_values(["t", "order"], na_position="first").index[-1]
        current = frame["list_file"] == newest_list
        label = f"list {newest_list}"
    else:
        # No lists or times: the last registered video alone is the newest batch.
        current = frame["_order"] == frame["_order"].max()
        label = "last registered video"
    ids = frame["video_id"].astype(str)
    return ids[~current].tolist(), ids[current].tolist(), label


def drift_report(
    features: pd.DataFrame, videos: pd.DataFrame, options: DriftOptions | None = None
) -> DriftResult:
    """Compare the newest batch's utterance features with all earlier videos' (evidently).

    Args:
        features: ``utterance_features`` rows of every passing video.
        videos: ``videos`` rows (for list membership and registration time).
        options: Batch choice, minimum sizes, stat test.

    Returns:
        A :class:`DriftResult`; ``status="not_enough_data"`` (never an exception) when there
        are too few videos or rows for a comparison.
    """
    options = options or DriftOptions()
    with_rows = (features["video_id"].drop_duplicates().astype(str).tolist()
                 if "video_id" in features else [])
    n = len(with_rows)
    if n < options.min_videos:
        return _not_enough(f"not enough data ({n} videos, need {options.min_videos})")
    reference_ids, current_ids, label = split_batches(videos, with_rows, options)
    if len(reference_ids) < options.min_reference_videos or len(current_ids) < \
            options.min_current_videos:
        return _not_enough(
            f"not enough data ({n} videos, need {options.min_videos}): the newest batch "
            f"({label}) has {len(current_ids)} videos (need {options.min_current_videos}) and "
            f"earlier batches {len(reference_ids)} (need {options.min_reference_videos})",
            label, reference_ids, current_ids,
        )
    numeric = feature_columns(features, options.feature_columns)
    columns = numeric + [c for c in options.categorical_columns if c not in numeric]
    reference = features[features["video_id"].isin(reference_ids)]
    current = features[features["video_id"].isin(current_ids)]
    if min(len(reference), len(current)) < options.min_rows:
        return _not_enough(
            f"not enough data ({n} videos, need {options.min_videos}): {len(current)} current "
            f"and {len(reference)} reference utterance rows (need {options.min_rows} each)",
            label, reference_ids, current_ids,
        )
    rng = np.random.default_rng(options.random_state)
    ref_sample = _sample(reference, columns, numeric, options.max_rows, rng)
    cur_sample = _sample(current, columns, numeric, options.max_rows, rng)
    table, page = _evidently(ref_sample, cur_sample, numeric, columns, options)
    result = DriftResult(
        status="ok",
        message="",
        batch=label,
        reference_videos=reference_ids,
        current_videos=current_ids,
        n_reference_rows=len(reference),
        n_current_rows=len(current),
        columns=table,
        html=page,
    )
    drifted = result.drifted_columns
    result.message = (
        f"{len(drifted)} of {len(table)} feature columns drifted in {label} "
        f"({len(current_ids)} videos) vs {len(reference_ids)} earlier videos"
        + (f": {', '.join(drifted)}" if drifted else "")
    )
    return result


def _sample(frame: pd.DataFrame, columns: list[str], numeric: list[str], limit: int,
            rng: np.random.Generator) -> pd.DataFrame:
    data = frame[columns]
    if len(data) > limit:
        data = data.iloc[np.sort(rng.choice(len(data), size=limit, replace=False))]
    data = data.reset_index(drop=True).copy()
    data[numeric] = data[numeric].astype("float64")  # booleans as 0/1
    return data


def _evidently(
    reference: pd.DataFrame, current: pd.DataFrame, numeric: list[str], columns: list[str],
    options: DriftOptions,
) -> tuple[pd.DataFrame, bytes]:
    # Imported here: evidently is heavy and only this step needs it.
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    categorical = [c for c in columns if c not in numeric]
    definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
    # A column with no values on one side cannot be tested: leave it out, do not fail.
    usable = [c for c in columns if reference[c].notna().any() and current[c].notna().any()]
    preset = DataDriftPreset(columns=usable, drift_share=options.drift_share,
                             method=options.method, threshold=options.threshold)
    snapshot = Report([preset], include_tests=True).run(
        Dataset.from_pandas(current, data_definition=definition),
        Dataset.from_pandas(reference, data_definition=definition),
    )
    scores: dict[str, dict] = {}
    for metric in snapshot.dict()["metrics"]:
        config = metric.get("config", {})
        if config.get("type", "").endswith("ValueDrift"):
            scores[config["column"]] = {
                "column": config["column"],
                "method": str(config.get("method")),
                "threshold": float(config.get("threshold")),
                "score": _float(metric.get("value")),
                "drifted": False,
            }
    for test in snapshot.tests_results:
        params = test.metric_config.params
        if str(params.get("type", "")).endswith("ValueDrift") and params["column"] in scores:
            scores[params["column"]]["drifted"] = test.status.name == "FAIL"
    table = pd.DataFrame([scores[c] for c in usable if c in scores],
                         columns=["column", "method", "threshold", "score", "drifted"])
    return table, snapshot.get_html_str(as_iframe=False).encode("utf-8")


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _not_enough(
    message: str,
    label: str | None = None,
    reference_ids: list[str] | None = None,
    current_ids: list[str] | None = None,
) -> DriftResult:
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Drift report</title></head>"
        f"<body><h1>Drift report</h1><p>{html.escape(message)}</p></body></html>"
    )
    return DriftResult(
        status="not_enough_data",
        message=message,
        batch=label,
        reference_videos=reference_ids or [],
        current_videos=current_ids or [],
        html=page.encode("utf-8"),
    )
