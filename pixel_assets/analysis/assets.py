"""Cross-video analysis assets: corpus models over every passing video, applied per video.

Corpus level (unpartitioned, group ``analysis``, tag ``pixel/scope=corpus``, debounced
automation): ``global_speakers``, ``cluster_model``, ``outlier_model``,
``speaker_consistency``, ``drift_report``. They read only videos whose per-video chain
currently passes (``video_status``, ignoring the assignments' own rows:
:func:`~pixel_assets.analysis.automation.chain_passing_videos`), and each withdraws the rows
of videos that no longer pass from the per-video table its model feeds, so a stopped video
leaves every cross-video table on the next refresh.

Per video (partitioned, ``per_video_asset(in_chain=False)``, eager automation):
``speaker_links``, ``speaker_clusters``, ``outliers``; each row carries the corpus model's
``model_version`` (links: the version is in the metadata).

Fitted models live under the storage root (``models/<asset>/<model_version>.joblib``) and are
listed in ``analysis_models``; the corpus speaker links behind ``speaker_links`` are in
``models/global_speakers/links.parquet``.
"""

# No `from __future__ import annotations`: Dagster reads the context and resource types of the
# corpus asset bodies from their (evaluated) annotations.
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq

from pixel_assets.analysis.automation import (
    ANALYSIS_GROUP,
    CORPUS_SCOPE,
    assignment_condition,
    chain_passing_videos,
    corpus_refresh_condition,
)
from pixel_assets.analysis.consistency import speaker_consistency as build_consistency
from pixel_assets.analysis.drift import drift_report as build_drift_report
from pixel_assets.analysis.linking import link_speakers
from pixel_assets.analysis.outliers import OutlierModel, fit_outlier_model, video_outliers
from pixel_assets.analysis.schemas import (
    ANALYSIS_MODELS,
    CLUSTER_DESCRIPTIONS,
    CORPUS,
    DRIFT_COLUMNS,
    DRIFT_SUMMARY,
    GLOBAL_SPEAKERS,
    OUTLIERS,
    SPEAKER_CLUSTERS,
    SPEAKER_CONSISTENCY,
    SPEAKER_ID_CHANGES,
    SPEAKER_LINKS,
    AnalysisModels,
)
from pixel_assets.analysis.style_clusters import (
    StyleClusterModel,
    apply_style_clusters,
    describe_clusters,
    fit_style_clusters,
    scatter_png,
)
from pixel_assets.errors import MissingInputError
from pixel_assets.resources import StorageResource
from pixel_assets.resources.analysis import AnalysisResource
from pixel_assets.warehouse.contract import TableSpec, to_arrow
from pixel_assets.warehouse.storage import Storage
from pixel_assets.wiring import (
    StageOutput,
    per_video_asset,
    png_markdown,
    stage_code_version,
    writes_tables,
)

LINKS_FILE = ("models", "global_speakers", "links.parquet")
# Per-video inputs every corpus model reads (speakers' voice prints come with transcripts).
CORPUS_DEPS = ["transcripts", "utterance_features", "speaker_profiles"]
# cluster_model and outlier_model both rewrite the one analysis_models partition: one at a time.
REGISTRY_POOL = "analysis_models"


# --------------------------------------------------------------------------- shared helpers
def corpus_asset(
    *, deps: Sequence[str], tables: Sequence[TableSpec], pool: str | None = None
) -> Callable[[Callable[..., dg.MaterializeResult]], dg.AssetsDefinition]:
    """An unpartitioned corpus-level analysis asset with the debounced refresh condition."""

    def decorate(body: Callable[..., dg.MaterializeResult]) -> dg.AssetsDefinition:
        return dg.asset(
            name=body.__name__,
            group_name=ANALYSIS_GROUP,
            deps=list(deps),
            kinds={"python", "parquet"},
            tags=dict([CORPUS_SCOPE]),
            metadata=writes_tables(*tables),
            automation_condition=corpus_refresh_condition(),
            code_version=stage_code_version(body),
            pool=pool,
        )(body)

    return decorate


def _passing(frame: pd.DataFrame, keep: set[str]) -> pd.DataFrame:
    if frame is None or frame.empty or "video_id" not in frame:
        return frame
    return frame[frame["video_id"].isin(keep)].reset_index(drop=True)


def _partitions(store: Storage, table: str) -> set[str]:
    """Partition values (video ids) that hold rows of ``table``."""
    return {path.parent.name.split("=", 1)[1] for path in store.partition_files(table)}


def withdraw_others(store: Storage, table: str, keep: set[str]) -> list[str]:
    """Delete the per-video partitions of ``table`` whose video is not in ``keep``."""
    gone = sorted(_partitions(store, table) - keep)
    for video_id in gone:
        store.delete_partition(table, video_id)
    return gone


def _markdown(frame: pd.DataFrame, limit: int = 12) -> dg.MetadataValue:
    if frame.empty:
        return dg.MetadataValue.md("none")
    return dg.MetadataValue.md(frame.head(limit).to_markdown(index=False))


def _number(value: Any, digits: int = 4) -> float | str:
    """A float for metadata (Dagster cannot hold NaN or None there)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "n/a"
    return "n/a" if number != number else round(number, digits)


def _read_links(store: Storage) -> pd.DataFrame | None:
    path = store.path(*LINKS_FILE)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return pq.read_table(handle).to_pandas()


def _write_links(store: Storage, links: pd.DataFrame) -> str:
    """Store the corpus links (one file, atomically); returns their version."""
    buffer = io.BytesIO()
    pq.write_table(to_arrow(SPEAKER_LINKS, links), buffer)
    store.write_bytes(buffer.getvalue(), *LINKS_FILE)
    ordered = links.sort_values(["video_id", "speaker"])[["video_id", "speaker",
                                                          "global_speaker_id"]]
    digest = hashlib.sha256(ordered.to_csv(index=False).encode()).hexdigest()[:12]
    return f"links-{digest}"


def _register(store: Storage, kinds: Sequence[str], rows: pd.DataFrame) -> None:
    """Replace the ``analysis_models`` rows of ``kinds`` (others kept; see REGISTRY_POOL)."""
    current = store.read_partition(ANALYSIS_MODELS.name, CORPUS)
    columns = list(AnalysisModels.to_schema().columns)
    kept = (current[~current["model_kind"].isin(kinds)] if current is not None
            else pd.DataFrame(columns=columns))
    frame = pd.concat([kept[columns], rows[columns]], ignore_index=True) if len(rows) else kept
    store.write_partition(ANALYSIS_MODELS.name, CORPUS, frame.reset_index(drop=True))


_MODEL_CACHE: dict[tuple[str, str], Any] = {}


def current_model(store: Storage, kind: str, cls: type) -> Any | None:
    """The registered model of ``kind`` (loaded once per process and version), or None."""
    registry = store.read_partition(ANALYSIS_MODELS.name, CORPUS)
    if registry is None:
        return None
    rows = registry[registry["model_kind"] == kind]
    if rows.empty or not isinstance(rows["path"].iloc[0], str):
        return None
    relative = rows["path"].iloc[0]
    key = (store.root, relative)
    if key not in _MODEL_CACHE:
        if len(_MODEL_CACHE) > 16:
            _MODEL_CACHE.clear()
        _MODEL_CACHE[key] = cls.from_bytes(store.local_copy(relative).read_bytes())
    return _MODEL_CACHE[key]


def _save_model(store: Storage, asset: str, model: Any) -> str:
    relative = f"models/{asset}/{model.model_version}.joblib"
    store.write_bytes(model.to_bytes(), relative)
    return relative


# --------------------------------------------------------------------------- corpus assets
@corpus_asset(deps=["transcripts"], tables=[GLOBAL_SPEAKERS, SPEAKER_ID_CHANGES])
def global_speakers(
    context: dg.AssetExecutionContext, storage: StorageResource, analysis: AnalysisResource
) -> dg.MaterializeResult:
    """The same voice across videos: every passing video's diarized speakers linked by voice
    print (cosine ≥ `analysis.link_threshold`, never two speakers of one video), with stable
    ids; tables `global_speakers`, `speaker_id_changes` (merges, retirements). The per-video
    `speaker_links` assets apply the result."""
    store = storage.get_storage()
    options = analysis.options().link
    keep = chain_passing_videos(store)
    speakers = _passing(store.read_table("speakers"), keep)
    videos = _passing(store.read_table("videos"), keep)
    previous = _read_links(store)
    if previous is None:
        previous = store.read_table(SPEAKER_LINKS.name)
    result = link_speakers(speakers, videos, previous, options)
    table = result.global_speakers
    # An empty corpus: the declared empty frame (an empty voice_print column has no list type).
    store.write_partition(GLOBAL_SPEAKERS.name, CORPUS,
                          table if len(table) else GLOBAL_SPEAKERS.empty_frame())
    store.write_partition(SPEAKER_ID_CHANGES.name, CORPUS, result.id_changes)
    version = _write_links(store, result.links)
    withdrawn = withdraw_others(store, SPEAKER_LINKS.name, set(result.links["video_id"]))
    changes = result.id_changes
    multi = table[table["n_videos"] >= 2]
    return dg.MaterializeResult(
        metadata={
            "videos": int(result.links["video_id"].nunique()),
            "speakers": len(result.links),
            "global_speakers": len(table),
            "in_several_videos": len(multi),
            "link_threshold": options.threshold,
            "candidate_edges": result.n_edges,
            "blocked_by_cannot_link": result.n_blocked,
            "merged_ids": int((changes["change"] == "merged").sum()),
            "retired_ids": int((changes["change"] == "retired").sum()),
            "links_version": version,
            "withdrawn_videos": ", ".join(withdrawn) or "none",
            "preview": _markdown(
                table.sort_values(["n_videos", "total_talk_s"], ascending=False)[
                    ["global_speaker_id", "n_videos", "total_talk_s", "name",
                     "mean_link_similarity"]].round(3)),
        }
    )


@corpus_asset(
    deps=["speaker_profiles"], tables=[CLUSTER_DESCRIPTIONS, ANALYSIS_MODELS], pool=REGISTRY_POOL
)
def cluster_model(
    context: dg.AssetExecutionContext, storage: StorageResource, analysis: AnalysisResource
) -> dg.MaterializeResult:
    """Style/emotion clusters of speakers: standardised `speaker_profiles` features of every
    passing video, k-means with k chosen by silhouette; table `cluster_descriptions` (each
    cluster named by its most distinctive features), the model under
    `models/cluster_model/`, a row in `analysis_models`, and a scatter plot."""
    store = storage.get_storage()
    keep = chain_passing_videos(store)
    profiles = _passing(store.read_table("speaker_profiles"), keep)
    try:
        if profiles.empty:
            raise ValueError("no speaker profiles of passing videos yet; process videos first.")
        model = fit_style_clusters(profiles, analysis.options().clusters)
    except ValueError as exc:
        # Too few profiles yet: no model (and no assignments from an older, wider corpus).
        note = f"cluster_model skipped: {exc}"
        context.log.warning(note)
        store.write_partition(CLUSTER_DESCRIPTIONS.name, CORPUS,
                              CLUSTER_DESCRIPTIONS.empty_frame())
        _register(store, ["style_clusters"], pd.DataFrame())
        withdrawn = withdraw_others(store, SPEAKER_CLUSTERS.name, set())
        return dg.MaterializeResult(metadata={
            "status": "skipped", "message": note, "profiles": len(profiles),
            "withdrawn_videos": ", ".join(withdrawn) or "none",
        })
    descriptions = describe_clusters(model)
    path = _save_model(store, "cluster_model", model)
    store.write_partition(CLUSTER_DESCRIPTIONS.name, CORPUS, descriptions)
    _register(store, ["style_clusters"],
              _registry_rows([("style_clusters", model)], {"style_clusters": path}))
    withdrawn = withdraw_others(store, SPEAKER_CLUSTERS.name, keep)
    return dg.MaterializeResult(metadata={
        "status": "fitted",
        "model_version": model.model_version,
        "k": model.k,
        "silhouette": _number(model.silhouette_by_k[model.k]),
        "silhouette_by_k": dg.MetadataValue.json(
            {str(k): round(v, 4) for k, v in model.silhouette_by_k.items()}),
        "profiles": model.n_rows,
        "videos": int(profiles["video_id"].nunique()),
        "features": len(model.feature_columns),
        "model_path": path,
        "clusters": _markdown(descriptions[["cluster", "n_members", "share", "description"]]
                              .round(3)),
        "scatter": png_markdown(scatter_png(model, descriptions), "speaker style clusters"),
        "withdrawn_videos": ", ".join(withdrawn) or "none",
    })


def _registry_rows(models: Sequence[tuple[str, Any]], paths: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([
        {
            "corpus": CORPUS,
            "model_kind": kind,
            "model_version": model.model_version,
            "n_rows": model.n_rows,
            "feature_columns": list(model.feature_columns),
            "params": json.dumps(model.params(), sort_keys=True, default=str),
            "path": paths.get(kind),
        }
        for kind, model in models
    ], columns=list(AnalysisModels.to_schema().columns))


@corpus_asset(
    deps=["utterance_features", "speaker_profiles"], tables=[ANALYSIS_MODELS], pool=REGISTRY_POOL
)
def outlier_model(
    context: dg.AssetExecutionContext, storage: StorageResource, analysis: AnalysisResource
) -> dg.MaterializeResult:
    """Two IsolationForest outlier models over every passing video: utterance level
    (`utterance_features`) and speaker level (`speaker_profiles`), each with its flag threshold
    at the configured contamination; stored under `models/outlier_model/` and listed in
    `analysis_models`. The per-video `outliers` assets score each video with them."""
    store = storage.get_storage()
    options = analysis.options()
    keep = chain_passing_videos(store)
    frames = {
        "utterance_outliers": (_passing(store.read_table("utterance_features"), keep),
                               options.utterance_outliers),
        "speaker_outliers": (_passing(store.read_table("speaker_profiles"), keep),
                             options.speaker_outliers),
    }
    fitted: list[tuple[str, OutlierModel]] = []
    metadata: dict[str, Any] = {}
    for kind, (frame, opts) in frames.items():
        level = opts.level
        try:
            model = fit_outlier_model(frame, opts)
        except ValueError as exc:
            context.log.warning(f"{level} outlier model skipped: {exc}")
            metadata[f"{level}_status"] = f"skipped: {exc}"
            continue
        fitted.append((kind, model))
        metadata.update({
            f"{level}_status": "fitted",
            f"{level}_model_version": model.model_version,
            f"{level}_threshold": _number(model.threshold),
            f"{level}_rows": model.n_rows,
            f"{level}_contamination": opts.contamination,
        })
    paths = {kind: _save_model(store, "outlier_model", model) for kind, model in fitted}
    _register(store, list(frames), _registry_rows(fitted, paths))
    # Without an utterance or speaker model the other level still scores; with none, no rows.
    withdrawn = withdraw_others(store, OUTLIERS.name, keep if fitted else set())
    metadata["withdrawn_videos"] = ", ".join(withdrawn) or "none"
    return dg.MaterializeResult(metadata=metadata)


@corpus_asset(
    deps=["global_speakers", "speaker_profiles"], tables=[SPEAKER_CONSISTENCY]
)
def speaker_consistency(
    context: dg.AssetExecutionContext, storage: StorageResource, analysis: AnalysisResource
) -> dg.MaterializeResult:
    """Personality and emotion consistency: for each global speaker in at least
    `analysis.consistency_min_videos` videos, how far each video's profile moves from the
    speaker's earlier videos (upload date order), flagged above
    `analysis.consistency_max_distance`; table `speaker_consistency`."""
    store = storage.get_storage()
    keep = chain_passing_videos(store)
    links = _read_links(store)
    if links is None:
        raise MissingInputError(
            "speaker_consistency reads the corpus speaker links, which do not exist yet; "
            "materialise global_speakers first."
        )
    profiles = _passing(store.read_table("speaker_profiles"), keep)
    videos = _passing(store.read_table("videos"), keep)
    options = analysis.options().consistency
    table = build_consistency(profiles, _passing(links, keep), videos, options)
    store.write_partition(SPEAKER_CONSISTENCY.name, CORPUS, table)
    flagged = table[table["flagged"].astype(bool)]
    return dg.MaterializeResult(metadata={
        "global_speakers": int(table["global_speaker_id"].nunique()),
        "rows": len(table),
        "flagged": len(flagged),
        "max_distance": options.max_distance,
        "flagged_rows": _markdown(flagged[["global_speaker_id", "video_id", "position",
                                           "distance"]].round(3)),
    })


@corpus_asset(deps=["utterance_features"], tables=[DRIFT_SUMMARY, DRIFT_COLUMNS])
def drift_report(
    context: dg.AssetExecutionContext, storage: StorageResource, analysis: AnalysisResource
) -> dg.MaterializeResult:
    """evidently data-drift report of utterance features: the newest batch of passing videos
    (last video list, or a time window) against all earlier ones; the HTML under
    `reports/drift/`, tables `drift_summary` and `drift_columns`. Too few videos gives a
    "not enough data (N videos, need M)" result, not a failure."""
    store = storage.get_storage()
    keep = chain_passing_videos(store)
    utterances = _passing(store.read_table("utterance_features"), keep)
    videos = _passing(store.read_table("videos"), keep)
    result = build_drift_report(utterances, videos, analysis.options().drift)
    # Named by the comparison, so refreshes over the same batches rewrite one file instead of
    # piling up a multi-megabyte page per tick.
    compared = json.dumps([result.status, result.batch, sorted(result.reference_videos),
                           sorted(result.current_videos)])
    name = f"drift_{hashlib.sha256(compared.encode()).hexdigest()[:12]}.html"
    path = store.write_bytes(result.html, "reports", "drift", name)
    store.write_partition(DRIFT_SUMMARY.name, CORPUS, result.summary_frame(path))
    store.write_partition(DRIFT_COLUMNS.name, CORPUS, result.columns_frame())
    if result.status != "ok":
        context.log.info(result.message)
    meta = result.metadata()
    return dg.MaterializeResult(metadata={
        **meta,
        "share_drifted": _number(meta["share_drifted"]),
        "batch": result.batch or "n/a",
        "report": dg.MetadataValue.path(path),
        "columns": _markdown(result.columns.round(3)),
    })


# --------------------------------------------------------------------------- per-video assets
def _not_passing(store: Storage, video_id: str, table: str) -> StageOutput | None:
    """The output for a video whose chain does not pass: its rows are withdrawn."""
    if video_id in chain_passing_videos(store):
        return None
    store.delete_partition(table, video_id)
    return StageOutput(metadata={
        "status": "withdrawn",
        "message": f"Video {video_id} does not pass its per-video chain (see `pixel-voice "
                   f"status`); it has no {table} rows until it passes again.",
    })


def _waiting(store: Storage, video_id: str, table: str, why: str) -> StageOutput:
    store.delete_partition(table, video_id)
    return StageOutput(metadata={"status": "waiting", "message": f"Video {video_id}: {why}"})


@per_video_asset(
    group=ANALYSIS_GROUP,
    deps=["global_speakers", "transcripts"],
    tables=[SPEAKER_LINKS],
    automation_condition=assignment_condition(),
    in_chain=False,
)
def speaker_links(context: dg.AssetExecutionContext, storage: StorageResource) -> StageOutput:
    """This video's diarized speakers and the global speaker each one is, from the latest
    `global_speakers` refresh (cosine to the global speaker's other videos as
    `link_similarity`)."""
    store = storage.get_storage()
    video_id = context.partition_key
    if (withdrawn := _not_passing(store, video_id, SPEAKER_LINKS.name)) is not None:
        return withdrawn
    links = _read_links(store)
    if links is None:
        raise MissingInputError(
            f"Video {video_id}: no corpus speaker links yet, which speaker_links reads; "
            "materialise global_speakers first."
        )
    rows = links[links["video_id"] == video_id].reset_index(drop=True)
    if rows.empty:
        return _waiting(store, video_id, SPEAKER_LINKS.name,
                        "not linked yet; the next global_speakers refresh links it.")
    store.write_partition(SPEAKER_LINKS.name, video_id, rows)
    shared = rows["link_similarity"].notna()
    return StageOutput(metadata={
        "status": "linked",
        "speakers": len(rows),
        "linked_to_other_videos": int(shared.sum()),
        "links": _markdown(rows[["speaker", "global_speaker_id", "link_similarity"]].round(3)),
    })


@per_video_asset(
    group=ANALYSIS_GROUP,
    deps=["cluster_model", "speaker_profiles", "speaker_links"],
    tables=[SPEAKER_CLUSTERS],
    automation_condition=assignment_condition(),
    in_chain=False,
)
def speaker_clusters(context: dg.AssetExecutionContext, storage: StorageResource) -> StageOutput:
    """This video's speakers placed by the current `cluster_model`: cluster, distance to its
    centroid, 2-D projection, global speaker id, and the model version."""
    store = storage.get_storage()
    video_id = context.partition_key
    if (withdrawn := _not_passing(store, video_id, SPEAKER_CLUSTERS.name)) is not None:
        return withdrawn
    model = current_model(store, "style_clusters", StyleClusterModel)
    if model is None:
        return _waiting(store, video_id, SPEAKER_CLUSTERS.name,
                        "no style cluster model yet (too few speaker profiles in the corpus; "
                        "see cluster_model's metadata).")
    profiles = store.read_partition("speaker_profiles", video_id)
    if profiles is None:
        raise MissingInputError(
            f"Video {video_id}: speaker_profiles is missing, which speaker_clusters reads; "
            "materialise speaker_profiles for this video first."
        )
    rows = apply_style_clusters(model, profiles, store.read_partition(SPEAKER_LINKS.name,
                                                                      video_id))
    store.write_partition(SPEAKER_CLUSTERS.name, video_id, rows)
    highlight = list(zip(rows["x"], rows["y"], strict=True))
    return StageOutput(metadata={
        "status": "assigned",
        "model_version": model.model_version,
        "speakers": len(rows),
        "clusters": dg.MetadataValue.json(
            {str(r.speaker): int(r.cluster) for r in rows.itertuples()}),
        "assignments": _markdown(rows[["speaker", "global_speaker_id", "cluster",
                                       "distance_to_centroid"]].round(3)),
        "scatter": png_markdown(scatter_png(model, highlight=highlight),
                                "this video's speakers among the style clusters"),
    })


@per_video_asset(
    group=ANALYSIS_GROUP,
    deps=["outlier_model", "utterance_features", "speaker_profiles"],
    tables=[OUTLIERS],
    automation_condition=assignment_condition(),
    in_chain=False,
)
def outliers(context: dg.AssetExecutionContext, storage: StorageResource) -> StageOutput:
    """Utterance- and speaker-level outlier scores of this video from the current
    `outlier_model` (flagged above the corpus threshold, never deleted), each row naming the
    features that deviate most."""
    store = storage.get_storage()
    video_id = context.partition_key
    if (withdrawn := _not_passing(store, video_id, OUTLIERS.name)) is not None:
        return withdrawn
    utterance_model = current_model(store, "utterance_outliers", OutlierModel)
    speaker_model = current_model(store, "speaker_outliers", OutlierModel)
    if utterance_model is None and speaker_model is None:
        return _waiting(store, video_id, OUTLIERS.name,
                        "no outlier model yet (too few rows in the corpus; see "
                        "outlier_model's metadata).")
    frames = {name: store.read_partition(name, video_id)
              for name in ("utterance_features", "speaker_profiles")}
    missing = [name for name, frame in frames.items() if frame is None]
    if missing:
        raise MissingInputError(
            f"Video {video_id}: {', '.join(missing)} missing, which outliers reads; "
            "materialise the features for this video first."
        )
    rows = video_outliers(video_id, utterance_model, speaker_model,
                          frames["utterance_features"], frames["speaker_profiles"])
    store.write_partition(OUTLIERS.name, video_id, rows)
    flagged = rows[rows["is_outlier"].astype(bool)]
    metadata: dict[str, Any] = {"status": "scored", "rows": len(rows)}
    for level, model in (("utterance", utterance_model), ("speaker", speaker_model)):
        level_rows = rows[rows["level"] == level]
        metadata[f"{level}_model_version"] = model.model_version if model else "none"
        metadata[f"{level}_flagged"] = int(level_rows["is_outlier"].astype(bool).sum())
    metadata["flagged_rows"] = _markdown(
        flagged.sort_values("score", ascending=False)[
            ["level", "segment_id", "speaker", "score", "top_features"]].round(3))
    return StageOutput(metadata=metadata)
