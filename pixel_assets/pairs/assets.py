"""Pairs assets: ``therapeutic_pairs`` (per video) and ``training_dataset`` (corpus level).

- ``therapeutic_pairs`` (in the per-video chain, after ``exchange_scores``): the video's
  exchanges that passed validation and are not waiting in (or rejected by) crisis review,
  PII-scrubbed, with provenance; written to ``therapeutic_pairs``. The cross-video tables
  (``speaker_links``, ``outliers``, ``global_speakers``) are read when present, never required.
- ``training_dataset`` (unpartitioned): deduplication, balance caps and leak-free splits over
  the pairs of every video that currently passes (``video_status``); tables ``dataset_pairs``
  and ``dropped_pairs``. Its automation is the analysis stage's debounced corpus refresh
  (:func:`pixel_assets.analysis.automation.corpus_refresh_condition`): at most one rebuild per
  tick once pairs changed, or once a gate upstream stopped a video.

The dataset's metadata is also stored as ``datasets/training_dataset.json`` under the storage
root, so the export's dataset card reports the same figures whoever runs the export.
"""

# No `from __future__ import annotations` here: Dagster reads the resource types of the plain
# `@dg.asset` body (training_dataset) from its evaluated annotations.
import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
import pandas as pd

from pixel_assets.analysis.automation import STOPPING_ASSETS, corpus_refresh_condition
from pixel_assets.errors import MissingInputError
from pixel_assets.pairs.dataset import build_dataset, previous_splits
from pixel_assets.pairs.schemas import CORPUS
from pixel_assets.pairs.schemas import TABLES as PAIRS_TABLES
from pixel_assets.pairs.select import Provenance, select_pairs
from pixel_assets.resources import StorageResource
from pixel_assets.resources.features import EmbedderResource
from pixel_assets.resources.pairs import PairsResource
from pixel_assets.resources.transcription import DiarizerResource
from pixel_assets.rules import reason_counts
from pixel_assets.status.video_status import passing_videos
from pixel_assets.warehouse.storage import Storage
from pixel_assets.wiring import StageOutput, per_video_asset, stage_code_version, writes_tables

THERAPEUTIC_PAIRS, DATASET_PAIRS, DROPPED_PAIRS = PAIRS_TABLES
PAIRS_GROUP = "pairs"
# Where training_dataset keeps its metadata for the export's dataset card.
DATASET_METADATA_FILE = ("datasets", "training_dataset.json")
# Per-video gates that can stop a video without its pairs being re-materialised (the stop
# withdraws them): their updates also count as "pairs changed" for the dataset's refresh.
DATASET_WATCH = (*STOPPING_ASSETS, "exchange_scores")
_PREVIEW_ROWS = 8
_PREVIEW_CHARS = 90


# --------------------------------------------------------------------------- helpers
def _required(store: Storage, table: str, video_id: str, fix: str) -> pd.DataFrame:
    frame = store.read_partition(table, video_id)
    if frame is None:
        raise MissingInputError(f"Video {video_id}: {table} is missing, which therapeutic_pairs "
                                f"reads; {fix}")
    return frame


def _present(value: Any) -> bool:
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values
        return True


def _video_row(store: Storage, video_id: str) -> dict[str, Any]:
    videos = _required(store, "videos", video_id, "materialise raw_audio first (it records "
                       "the video).")
    if videos.empty:
        raise MissingInputError(f"Video {video_id}: the videos table has no row for it; "
                                "materialise raw_audio again.")
    return {k: v for k, v in videos.iloc[0].to_dict().items() if _present(v)}


def _optional(store: Storage, table: str, video_id: str) -> pd.DataFrame | None:
    """A cross-video table's rows for the video, or None (that stage has not run yet)."""
    return store.read_partition(table, video_id)


def _speaker_names(store: Storage, links: pd.DataFrame | None) -> list[str]:
    """``global_speakers.name`` of the video's linked speakers (names given in video lists)."""
    if links is None or links.empty:
        return []
    speakers = store.read_partition("global_speakers", CORPUS)
    if speakers is None or speakers.empty or "name" not in speakers:
        return []
    mine = speakers[speakers["global_speaker_id"].isin(set(links["global_speaker_id"]))]
    return sorted({str(n) for n in mine["name"] if _present(n) and str(n).strip()})


def _decisions_for(store: Storage, exchange_ids: pd.Series) -> pd.DataFrame | None:
    """This video's rows of ``review_decisions`` (partitioned by exchange; read as a table so
    that a rejection still holds if the exchange later leaves the queue)."""
    decisions = store.read_table("review_decisions")
    if decisions.empty:
        return None
    return decisions[decisions["exchange_id"].isin(set(exchange_ids))].reset_index(drop=True)


def _asr_models(transcripts: pd.DataFrame | None) -> str | None:
    if transcripts is None or transcripts.empty or "model" not in transcripts:
        return None
    models = sorted({str(m) for m in transcripts["model"].dropna()})
    return ", ".join(models) or None


def _clip(value: Any) -> str:
    text = str(value) if _present(value) else ""
    return text if len(text) <= _PREVIEW_CHARS else text[: _PREVIEW_CHARS - 1] + "…"


def _preview(pairs: pd.DataFrame) -> dg.MetadataValue:
    if pairs.empty:
        return dg.MetadataValue.md("_no pairs_")
    rows = pairs.head(_PREVIEW_ROWS)
    table = pd.DataFrame({
        "pair_id": rows["pair_id"].str[:10],
        "prompt": rows["prompt"].map(_clip),
        "response": rows["response"].map(_clip),
        "overall": rows["overall"].round(3),
        "pii": rows["pii_redactions"],
        "split": rows["split"].fillna("-"),
    })
    return dg.MetadataValue.md(table.to_markdown(index=False))


def _json_safe(value: Any) -> Any:
    """Metadata values as plain JSON (numpy scalars, tuples, NaN → None)."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def dataset_metadata(store: Storage) -> dict[str, Any]:
    """The last ``training_dataset`` build's metadata (empty before the first build)."""
    path = store.path(*DATASET_METADATA_FILE)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- per video
@per_video_asset(group=PAIRS_GROUP, deps=["exchange_scores"], tables=[THERAPEUTIC_PAIRS])
def therapeutic_pairs(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    pairs: PairsResource,
    embedder: EmbedderResource,
    diarizer: DiarizerResource,
) -> StageOutput:
    """The video's training pairs: exchanges that passed validation and are not pending or
    rejected in crisis review (optionally not outliers), PII scrubbed (names from the video's
    metadata and the list, phones, e-mails, URLs, addresses, dates of birth) before anything is
    stored, with scores, provenance, global speaker ids and the split of the last dataset."""
    store = storage.get_storage()
    video_id = context.partition_key
    exchanges = _required(store, "exchanges", video_id, "materialise exchanges first.")
    scores = _required(store, "exchange_scores", video_id, "materialise exchange_scores first.")
    links = _optional(store, "speaker_links", video_id)
    previous = store.read_partition(DATASET_PAIRS.name, CORPUS)
    selection = select_pairs(
        exchanges,
        scores,
        pairs.get_scrubber(),
        review_queue=store.read_partition("review_queue", video_id),
        review_decisions=_decisions_for(store, exchanges["exchange_id"]),
        outliers=_optional(store, "outliers", video_id),
        speaker_links=links,
        video=_video_row(store, video_id),
        extra_names=_speaker_names(store, links),
        provenance=Provenance(
            asr_model=_asr_models(store.read_partition("filtered_transcripts", video_id)),
            diarizer=diarizer.backend,
        ),
        options=pairs.pair_options(),
        embed=embedder.get_embedder().encode,
        splits=previous_splits(previous),
    )
    store.write_partition(THERAPEUTIC_PAIRS.name, video_id, selection.pairs)
    withheld = reason_counts(selection.withheld["reasons"]) if len(selection.withheld) else {}
    held_for_review = withheld.get("review_pending", 0) + withheld.get(
        "context_review_pending", 0)
    if held_for_review:
        context.log.info(
            f"Video {video_id}: {held_for_review} exchange(s) wait for crisis review "
            "(`pixel-voice review list`); approved ones join the pairs when this asset runs "
            "again."
        )
    return StageOutput(metadata={
        "pairs": len(selection.pairs),
        "exchanges": len(exchanges),
        "withheld": len(selection.withheld),
        "withheld_by_reason": dg.MetadataValue.json(withheld),
        "held_for_review": held_for_review,
        "approved_crisis_pairs": int(selection.pairs["crisis"].sum()),
        "pii_redactions": int(selection.pairs["pii_redactions"].sum()),
        "pii_counts": dg.MetadataValue.json(selection.pii_counts),
        "exclude_outliers": pairs.exclude_outliers,
        "preview": _preview(selection.pairs),
    })


# --------------------------------------------------------------------------- corpus
@dg.asset(
    group_name=PAIRS_GROUP,
    deps=["therapeutic_pairs"],
    kinds={"python", "parquet"},
    metadata=writes_tables(DATASET_PAIRS, DROPPED_PAIRS),
    automation_condition=corpus_refresh_condition(watch=DATASET_WATCH),
    code_version=stage_code_version(dataset_metadata),
)
def training_dataset(
    context: dg.AssetExecutionContext, storage: StorageResource, pairs: PairsResource
) -> dg.MaterializeResult:
    """The training dataset over every passing video's pairs (`video_status`): exact and
    near-duplicate pairs dropped (best-scored copy kept), caps per video, counsellor and prompt
    emotion, then train/validation/test splits grouped by global speaker (no speaker in two
    splits; a kept pair keeps its split). Tables `dataset_pairs` (every candidate, kept with
    its split or dropped) and `dropped_pairs` (why, and the kept duplicate)."""
    store = storage.get_storage()
    keep = passing_videos(store)
    every = store.read_table(THERAPEUTIC_PAIRS.name)
    candidates = every[every["video_id"].isin(keep)].reset_index(drop=True)
    left_out = sorted(set(every["video_id"]) - keep)
    previous = store.read_partition(DATASET_PAIRS.name, CORPUS)
    result = build_dataset(candidates, pairs.dataset_options(), previous=previous)
    store.write_partition(DATASET_PAIRS.name, CORPUS, result.dataset_pairs)
    store.write_partition(DROPPED_PAIRS.name, CORPUS, result.dropped_pairs)
    meta = _json_safe(result.metadata)
    meta["videos"] = int(candidates["video_id"].nunique())
    store.write_bytes(
        (json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n").encode(),
        *DATASET_METADATA_FILE,
    )
    kept_before = previous_splits(previous)
    moved = sum(1 for p, s in result.kept_splits().items() if p in kept_before
                and kept_before[p] != s)
    for warning in meta.get("warnings", []):
        context.log.warning(warning)
    metadata: dict[str, Any] = {
        key: (dg.MetadataValue.json(value) if isinstance(value, dict | list) else value)
        for key, value in meta.items()
    }
    metadata.update({
        "videos_left_out": ", ".join(left_out) or "none",
        "splits_changed": moved,
        "dropped_preview": dg.MetadataValue.md(
            result.dropped_pairs[["pair_id", "stage", "reason", "kept_pair_id", "similarity"]]
            .head(_PREVIEW_ROWS).round(3).to_markdown(index=False)
            if len(result.dropped_pairs) else "_none_"),
    })
    return dg.MaterializeResult(metadata=metadata)
