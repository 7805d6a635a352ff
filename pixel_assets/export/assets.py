"""Export asset: ``dataset_export``, the versioned training dataset users take away.

It writes ``exports/<version>/`` under the storage root (``latest`` points at it): chat JSONL
per split, ``pairs.csv``, ``pairs.parquet``, ``pixel_voice.duckdb``, the dataset card and the
manifest (see :mod:`pixel_assets.export.writer`). The version is a hash of the content, so
exporting unchanged data again gives the same version and the same bytes.

What leaves the warehouse is decided here, at export time, whatever the tables hold:

- **pairs** are the kept rows of the last ``training_dataset``, minus any whose exchange a
  reviewer has since rejected, that carry crisis content without a standing approval, or whose
  context quotes a turn of a crisis exchange not approved now (a review decision applies to
  the export at once, before the pairs are re-materialised);
- **the DuckDB file** holds only ``published.PUBLISHED_TABLES``, without the columns listed there.
  Transcripts, words, turns, exchanges, the review queue and raw judge answers are left out:
  they hold the unscrubbed text the pairs scrub or withhold (a pending crisis disclosure among
  it), and voice prints identify people.
"""

# No `from __future__ import annotations`: Dagster reads the resource types of the plain
# `@dg.asset` body from its evaluated annotations.
import dataclasses
from typing import Any

import dagster as dg

from pixel_assets.export.card import CardInfo
from pixel_assets.export.cli import export_from_storage, review_figures
from pixel_assets.export.published import PublishedWarehouse
from pixel_assets.export.writer import ExportError, example_record
from pixel_assets.pairs.assets import dataset_metadata
from pixel_assets.resources import StorageResource
from pixel_assets.resources.features import EmbedderResource
from pixel_assets.resources.pairs import PairsResource
from pixel_assets.resources.transcription import (
    AsrResource,
    DiarizerResource,
    TranscriptFilterResource,
)
from pixel_assets.resources.validation import ValidationResource
from pixel_assets.wiring import stage_code_version

EXPORT_GROUP = "export"

def processing_steps(
    asr: AsrResource,
    transcript_filter: TranscriptFilterResource,
    diarizer: DiarizerResource,
    validation: ValidationResource,
    embedder: EmbedderResource,
    pairs: PairsResource,
) -> dict[str, dict[str, Any]]:
    """The settings the dataset card lists under Processing (no secrets, nothing that varies
    between runs, so the same data keeps the same export version)."""
    thresholds = validation.scoring_options().thresholds
    return {
        "Speech recognition": {"model": asr.model, "beam_size": asr.beam_size,
                               "language": asr.language or "detected"},
        "Transcript filter": {**dataclasses.asdict(transcript_filter.thresholds()),
                              "min_pass_rate": transcript_filter.min_pass_rate},
        "Diarization": {"backend": diarizer.backend, "threshold": diarizer.threshold},
        "Validation": {"scorer": validation.scorer, **dataclasses.asdict(thresholds)},
        "Pair selection": {"exclude_outliers": pairs.exclude_outliers,
                           "min_overall": pairs.min_overall,
                           "pii_ner_model": pairs.pii_ner_model_path or "none (patterns only)",
                           "pii_min_score": pairs.pii_min_score},
        "Pair embeddings": {"model": embedder.model},
        "Splits": {"train": pairs.train, "validation": pairs.validation, "test": pairs.test},
    }


@dg.asset(
    group_name=EXPORT_GROUP,
    deps=["training_dataset"],
    kinds={"python", "json", "duckdb"},
    code_version=stage_code_version(example_record),
)
def dataset_export(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    pairs: PairsResource,
    asr: AsrResource,
    transcript_filter: TranscriptFilterResource,
    diarizer: DiarizerResource,
    validation: ValidationResource,
    embedder: EmbedderResource,
) -> dg.MaterializeResult:
    """The training dataset as files: `train/validation/test.jsonl` (chat messages; an empty
    split has none, and the card says why), `pairs.csv`, `pairs.parquet`, `pixel_voice.duckdb`
    (the pairs and the publishable warehouse tables), `README.md` (dataset card) and
    `manifest.json`, in `exports/<version>/` under the storage root with `exports/latest`
    pointing at it. The version is a content hash: unchanged data gives the same version and
    bytes. Crisis exchanges appear only once approved."""
    store = storage.get_storage()
    published = PublishedWarehouse(store)
    card = CardInfo(
        processing=processing_steps(asr, transcript_filter, diarizer, validation, embedder,
                                    pairs),
        dataset=dataset_metadata(store),
        review=review_figures({name: store.read_table(name)
                               for name in ("review_queue", "review_decisions")}),
    )
    try:
        result = export_from_storage(published, options=pairs.export_options(),  # type: ignore[arg-type]
                                     card=card)
    except ExportError as exc:
        raise dg.Failure(description=f"dataset_export: {exc}") from None
    if published.withheld_now:
        context.log.warning(
            f"{len(published.withheld_now)} pair(s) left out of the export because of a review "
            "decision taken after their video's therapeutic_pairs ran; materialise "
            "therapeutic_pairs and training_dataset again to bring the tables up to date."
        )
    for split, reason in result.empty_splits.items():
        context.log.info(f"dataset_export: split {split!r} is empty, no file written: {reason}.")
    example = example_record(result.path)
    manifest = result.manifest
    return dg.MaterializeResult(metadata={
        "version": result.version,
        "path": dg.MetadataValue.path(str(result.path)),
        "latest": dg.MetadataValue.path(str(result.latest)) if result.latest else "n/a",
        "unchanged": result.reused,
        "pairs": int(sum(result.split_counts.values())),
        "split_counts": dg.MetadataValue.json(result.split_counts),
        # split -> why it has no pairs (and no file); {} when every split has pairs.
        "empty_splits": dg.MetadataValue.json(result.empty_splits),
        "files": dg.MetadataValue.json({name: info.get("rows", info.get("bytes"))
                                        for name, info in result.files.items()}),
        "duckdb_tables": dg.MetadataValue.json(
            {name: info["rows"] for name, info in manifest.get("duckdb", {})
             .get("tables", {}).items()}),
        "withheld_by_review_now": len(published.withheld_now),
        "example_record": dg.MetadataValue.json(example) if example else "none",
    })
