"""``pixel-voice export [--out DIR] [--formats jsonl,csv,parquet,duckdb]``.

The main CLI adds this sub-command with :func:`add_export_parser` and calls :func:`run_export`
with its storage. Without ``--out`` the export goes to ``exports/<version>/`` under the storage
root (for a remote root it is built locally and uploaded, ``exports/latest`` then being a small
text object naming the version, since object stores have no symlinks).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from pixel_assets.export.card import CardInfo
from pixel_assets.export.published import PublishedWarehouse
from pixel_assets.export.writer import (
    FORMATS,
    ExportError,
    ExportOptions,
    ExportResult,
    example_record,
    exported_pairs,
    formats_from,
    write_export,
)
from pixel_assets.pairs.schemas import PLACEHOLDERS, SPLITS
from pixel_assets.validation.review import review_state
from pixel_assets.warehouse.storage import Storage

EXIT_OK = 0
EXIT_USAGE = 2


def add_export_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``export`` to the main CLI's sub-parsers."""
    parser = subparsers.add_parser(
        "export",
        help="write the training dataset (chat JSONL, CSV, Parquet, DuckDB, dataset card)",
        description="Export the kept pairs of the last training_dataset build.",
    )
    parser.add_argument("--out", type=Path, default=None,
                        help="write into DIR (replaced as a whole) instead of "
                             "exports/<version>/ under the storage root")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"comma-separated subset of {','.join(FORMATS)} (default: all)")
    parser.add_argument("--system-prompt", default=None,
                        help="system message of every chat record (default: the built-in one)")
    parser.set_defaults(command="export")
    return parser


def review_figures(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Crisis review counts for the card, from ``review_queue``/``review_decisions``."""
    queue = tables.get("review_queue")
    if queue is None or queue.empty:
        return {}
    ids = queue["exchange_id"].drop_duplicates()
    state = review_state(ids, pd.Series(True, index=ids.index), tables.get("review_decisions"))
    return {
        "flagged": int(len(state)),
        "approved": int(state["review_approved"].sum()),
        "rejected": int(state["review_rejected"].sum()),
        # Undecided, or a latest decision that cannot be read: both still wait for a person.
        "pending": int(state["review_pending"].sum()),
    }


def split_figures(dataset_pairs: pd.DataFrame) -> dict[str, Any]:
    """Kept pairs, their split counts and speaker groups, from ``dataset_pairs``: what the card
    needs to say why a split is empty when the build's own metadata is not at hand."""
    kept = dataset_pairs[dataset_pairs["kept"].astype(bool)]
    return {
        "kept": len(kept),
        "split_counts": {s: int((kept["split"] == s).sum()) for s in SPLITS},
        "split_groups": int(kept["split_group"].nunique()) if "split_group" in kept else None,
    }


def pii_figures(pairs: pd.DataFrame) -> dict[str, int]:
    """Placeholder -> replacements over the exported pairs."""
    counts: Counter[str] = Counter()
    for entities in pairs.get("pii_entities", []):
        if entities is not None and not isinstance(entities, float):
            counts.update(PLACEHOLDERS.get(str(e), str(e)) for e in list(entities))
    return dict(sorted(counts.items()))


def export_from_storage(
    storage: Storage,
    out: Path | None = None,
    options: ExportOptions | None = None,
    card: CardInfo | None = None,
) -> ExportResult:
    """Read the pairs and the published warehouse tables from ``storage``; write the export.

    Raises:
        ExportError: there is no ``dataset_pairs`` yet (run ``training_dataset`` first).
    """
    # Only what may leave: the published tables, and pairs under today's review decisions.
    if not isinstance(storage, PublishedWarehouse):
        storage = PublishedWarehouse(storage)
    tables = {name: storage.read_table(name) for name in storage.table_names()}
    therapeutic = tables.get("therapeutic_pairs", pd.DataFrame())
    dataset = tables.get("dataset_pairs", pd.DataFrame())
    if dataset.empty or therapeutic.empty:
        raise ExportError(
            "nothing to export: the warehouse has no dataset_pairs/therapeutic_pairs rows. "
            "Materialise therapeutic_pairs and training_dataset first (pixel-voice run LIST)."
        )
    pairs = exported_pairs(therapeutic, dataset)
    card = card or CardInfo()
    card.review = card.review or review_figures(
        {name: storage.source.read_table(name) for name in ("review_queue", "review_decisions")}
    )
    card.pii_counts = card.pii_counts or pii_figures(pairs)
    card.dataset = card.dataset or split_figures(dataset)
    # Embeddings are derived data; the DuckDB file keeps the tables' other columns.
    tables = {n: t.drop(columns=["embedding"], errors="ignore") for n, t in tables.items()}
    if out is not None:
        return write_export(pairs, out_dir=out, tables=tables, card=card, options=options)
    if storage.is_local:
        return write_export(pairs, Path(storage.uri("exports")), tables=tables, card=card,
                            options=options)
    with storage.scratch_dir("export") as scratch:
        result = write_export(pairs, scratch, tables=tables, card=card, options=options)
        for path in sorted(result.path.iterdir()):
            storage.put_file(path, "exports", result.version, path.name)
        storage.write_bytes(result.version.encode() + b"\n", "exports", "latest")
        result.path = Path(storage.uri("exports", result.version))
        return result


def run_export(args: argparse.Namespace, storage: Storage, console: Any = None) -> int:
    """Run ``pixel-voice export``; prints where the export is and one example record."""
    say = console.print if console is not None else print
    try:
        options = ExportOptions(
            formats=formats_from(args.formats),
            **({"system_prompt": args.system_prompt} if args.system_prompt is not None else {}),
        )
        result = export_from_storage(storage, out=args.out, options=options)
    except ExportError as exc:
        say(f"export failed: {exc}")
        return EXIT_USAGE
    counts = ", ".join(f"{k} {v}" for k, v in result.split_counts.items())
    say(f"Exported {sum(result.split_counts.values())} pairs ({counts}) to {result.path} "
        f"(version {result.version}{', unchanged' if result.reused else ''}).")
    for split, reason in result.empty_splits.items():
        say(f"Split {split!r} is empty, no file written: {reason}.")
    example = example_record(result.path)
    if example:
        say("Example record:")
        say(json.dumps(example, indent=2, ensure_ascii=False))
    return EXIT_OK
