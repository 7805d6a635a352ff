"""Write a dataset export: a versioned, content-addressed directory, written atomically.

Layout (``exports/<version>/`` under the storage root, plus a ``latest`` symlink, or any
``--out`` folder)::

    train.jsonl validation.jsonl test.jsonl   chat records (see export.chat), non-empty splits
    pairs.csv pairs.parquet                   one row per pair
    pixel_voice.duckdb                        published tables passed in, plus ``pairs``
    README.md                                 dataset card (export.card)
    manifest.json                             version, checksums, row counts, empty splits

A split without pairs gets no JSONL file (``datasets`` fails on an empty JSON file, and a
``configs`` entry for a split without data fails too); the manifest's ``empty_splits`` and the
card say which splits are empty and why.

Everything is built in a temporary sibling folder and renamed into place, so readers see the
old export or the whole new one. Nothing time-dependent is written and rows are ordered by
(split, pair_id), so the same data gives the same bytes and the same version.

DuckDB files are not byte-reproducible: each file's header holds a random database identifier
(and a checksum over it), so two identical exports differ in ~30 header bytes. The version
therefore hashes the DuckDB tables' *contents* (Arrow IPC bytes of each table) instead of the
file, and the manifest records those content hashes, not a file checksum.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pixel_assets.export.card import CardInfo, empty_split_reasons, render_card
from pixel_assets.export.chat import DEFAULT_SYSTEM_PROMPT, chat_records, jsonl_line, plain
from pixel_assets.pairs.schemas import SPLITS

FORMATS = ("jsonl", "csv", "parquet", "duckdb")
DUCKDB_FILE = "pixel_voice.duckdb"
_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# Columns of the flat files, in order (``embedding`` is derived and left out).
PAIR_COLUMNS = (
    "pair_id", "split", "video_id", "prompt", "response", "context", "empathy",
    "appropriateness", "authenticity", "naturalness", "overall", "crisis", "review_status",
    "prompt_emotion", "mi_code", "source_url", "deep_link", "start_s", "end_s",
    "response_start_s", "title", "channel", "upload_date", "license", "asr_model", "diarizer",
    "scorer", "rubric_version", "pipeline_version", "prompt_speaker", "response_speaker",
    "client_global_speaker_id", "counsellor_global_speaker_id", "pii_redactions",
    "pii_entities", "exchange_id",
)


class ExportError(ValueError):
    """The export cannot be written as asked (names the input and the fix)."""


@dataclass(frozen=True)
class ExportOptions:
    """What to write.

    Attributes:
        formats: Any of ``jsonl``, ``csv``, ``parquet``, ``duckdb`` (README and manifest are
            always written).
        system_prompt: The system message of every chat record ("" for none).
    """

    formats: tuple[str, ...] = FORMATS
    system_prompt: str = DEFAULT_SYSTEM_PROMPT

    def __post_init__(self) -> None:
        unknown = sorted(set(self.formats) - set(FORMATS))
        if unknown:
            raise ExportError(
                f"unknown export format(s) {unknown}; choose from {', '.join(FORMATS)}."
            )


@dataclass
class ExportResult:
    """Where the export went and what it holds."""

    version: str
    path: Path
    files: dict[str, dict[str, Any]]
    split_counts: dict[str, int]
    reused: bool = False
    latest: Path | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    empty_splits: dict[str, str] = field(default_factory=dict)


def exported_pairs(therapeutic_pairs: pd.DataFrame, dataset_pairs: pd.DataFrame) -> pd.DataFrame:
    """The kept pairs with their split from ``dataset_pairs``, ordered (split, pair_id)."""
    kept = dataset_pairs.loc[dataset_pairs["kept"].astype(bool), ["pair_id", "split"]]
    pairs = therapeutic_pairs.drop(columns=["split"], errors="ignore").merge(
        kept, on="pair_id", how="inner")
    return order_pairs(pairs)


def order_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Rows in export order: split (train, validation, test), then pair_id."""
    missing = pairs["split"].isna() | ~pairs["split"].isin(SPLITS)
    if missing.any():
        example = pairs.loc[missing, "pair_id"].iloc[0]
        raise ExportError(
            f"{int(missing.sum())} pairs have no split (e.g. {example!r}); "
            "materialise training_dataset first, or join dataset_pairs with exported_pairs()."
        )
    rank = pairs["split"].map({s: i for i, s in enumerate(SPLITS)})
    return pairs.assign(_rank=rank).sort_values(["_rank", "pair_id"], kind="stable").drop(
        columns="_rank").reset_index(drop=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _flat(pairs: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame({c: pairs[c] if c in pairs else None for c in PAIR_COLUMNS})
    frame["context"] = [
        [{k: plain(v) for k, v in dict(turn).items()} for turn in list(ctx)]
        if ctx is not None and not isinstance(ctx, float) else [] for ctx in frame["context"]
    ]
    frame["pii_entities"] = [
        [str(e) for e in list(v)] if v is not None and not isinstance(v, float) else []
        for v in frame["pii_entities"]
    ]
    return frame


def _write_jsonl(pairs: pd.DataFrame, folder: Path, system_prompt: str) -> dict[str, int]:
    """One file per non-empty split (split -> rows written)."""
    counts = {}
    for split in SPLITS:
        rows = pairs[pairs["split"] == split]
        if rows.empty:
            continue
        with open(folder / f"{split}.jsonl", "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(jsonl_line(r) for r in chat_records(rows, system_prompt or None))
        counts[split] = len(rows)
    return counts


def _write_csv(flat: pd.DataFrame, path: Path) -> None:
    frame = flat.copy()
    for column in ("context", "pii_entities"):
        frame[column] = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in frame[column]]
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _arrow(frame: pd.DataFrame) -> pa.Table:
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    # pandas' schema metadata would only repeat what the columns say.
    return table.replace_schema_metadata(None)


def _arrow_digest(table: pa.Table) -> str:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue()).hexdigest()


def _write_duckdb(tables: Mapping[str, pa.Table], path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        for name in sorted(tables):
            con.register("_incoming", tables[name])
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
            con.unregister("_incoming")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def build_export_folder(
    pairs: pd.DataFrame,
    folder: Path,
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
    card: CardInfo | None = None,
    options: ExportOptions | None = None,
) -> dict[str, Any]:
    """Write every export file into ``folder`` (which must exist) and return the manifest.

    Args:
        pairs: Exported pairs with ``split`` (see :func:`exported_pairs`).
        folder: An empty folder.
        tables: Warehouse tables for the DuckDB file (name -> rows); ``pairs`` is added.
        card: Extra facts for the dataset card.
        options: Formats and system prompt.
    """
    options = options or ExportOptions()
    pairs = order_pairs(pairs)
    flat = _flat(pairs)
    files: dict[str, dict[str, Any]] = {}
    split_counts = {s: int((pairs["split"] == s).sum()) for s in SPLITS}
    card = card or CardInfo()
    empty_splits = empty_split_reasons(split_counts, card.dataset)
    if "jsonl" in options.formats:
        for split, count in _write_jsonl(pairs, folder, options.system_prompt).items():
            files[f"{split}.jsonl"] = {"rows": count}
    if "csv" in options.formats:
        _write_csv(flat, folder / "pairs.csv")
        files["pairs.csv"] = {"rows": len(flat)}
    if "parquet" in options.formats:
        pq.write_table(_arrow(flat), folder / "pairs.parquet")
        files["pairs.parquet"] = {"rows": len(flat)}
    duck_tables: dict[str, dict[str, Any]] = {}
    if "duckdb" in options.formats:
        arrow_tables = {"pairs": _arrow(flat)}
        for name, frame in (tables or {}).items():
            if not _TABLE_NAME.match(name) or name == "pairs":
                raise ExportError(
                    f"warehouse table name {name!r} cannot be a DuckDB table here; use "
                    "lower_snake_case names other than 'pairs'."
                )
            arrow_tables[name] = _arrow(frame)
        _write_duckdb(arrow_tables, folder / DUCKDB_FILE)
        duck_tables = {
            name: {"rows": t.num_rows, "content_sha256": _arrow_digest(t)}
            for name, t in sorted(arrow_tables.items())
        }
    split_files = [f"{s}.jsonl" for s in SPLITS if f"{s}.jsonl" in files]
    (folder / "README.md").write_text(
        render_card(pairs, split_counts, card, split_files=split_files),
        encoding="utf-8", newline="\n")
    files["README.md"] = {}
    for name in files:
        path = folder / name
        files[name].update({"bytes": path.stat().st_size, "sha256": _sha256(path)})
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{files[name]['sha256']}\n".encode())
    for name, info in duck_tables.items():
        digest.update(f"{DUCKDB_FILE}:{name}\0{info['content_sha256']}\n".encode())
    manifest: dict[str, Any] = {
        "version": digest.hexdigest()[:16],
        "pairs": len(pairs),
        "splits": split_counts,
        "empty_splits": empty_splits,
        "files": dict(sorted(files.items())),
    }
    if duck_tables:
        manifest["duckdb"] = {
            "file": DUCKDB_FILE,
            "tables": duck_tables,
            "note": "DuckDB writes a random database identifier into each file's header, so "
                    "the file's bytes differ between identical exports; the version hashes "
                    "the tables' contents instead.",
        }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8", newline="\n")
    return manifest


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.iterdir()):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def write_export(
    pairs: pd.DataFrame,
    exports_root: Path | None = None,
    *,
    out_dir: Path | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    card: CardInfo | None = None,
    options: ExportOptions | None = None,
) -> ExportResult:
    """Write the export atomically.

    Args:
        pairs: Exported pairs with ``split``.
        exports_root: Versioned mode: the export lands in ``exports_root/<version>`` and
            ``exports_root/latest`` points at it; an existing identical version is reused.
        out_dir: Plain mode: the export replaces ``out_dir``'s contents as a whole.
        tables, card, options: See :func:`build_export_folder`.

    Raises:
        ExportError: neither or both of ``exports_root`` and ``out_dir`` given.
    """
    if (exports_root is None) == (out_dir is None):
        raise ExportError("give exactly one of exports_root (versioned) or out_dir (--out).")
    target_parent = Path(exports_root) if exports_root is not None else Path(out_dir).parent
    target_parent.mkdir(parents=True, exist_ok=True)
    staging = target_parent / f".export-{uuid.uuid4().hex}.tmp"
    staging.mkdir()
    try:
        manifest = build_export_folder(pairs, staging, tables=tables, card=card, options=options)
        _fsync_tree(staging)
        version = manifest["version"]
        reused, latest = False, None
        if exports_root is not None:
            final = Path(exports_root) / version
            if (final / "manifest.json").is_file():
                reused = True  # same content hash: the same export is already there
                shutil.rmtree(staging)
            else:
                if final.exists():
                    shutil.rmtree(final)  # a half-written leftover without its manifest
                os.rename(staging, final)
            latest = _point_latest(Path(exports_root), version)
        else:
            final = Path(out_dir)  # type: ignore[arg-type]
            old = None
            if final.exists():
                old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex}")
                os.rename(final, old)
            os.rename(staging, final)
            if old is not None:
                shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = json.loads((final / "manifest.json").read_text(encoding="utf-8"))["files"]
    return ExportResult(
        version=version, path=final, files=files, split_counts=manifest["splits"],
        reused=reused, latest=latest, manifest=manifest, empty_splits=manifest["empty_splits"],
    )


def _point_latest(root: Path, version: str) -> Path:
    """Atomically point ``root/latest`` at ``version`` (a relative symlink)."""
    link = root / "latest"
    tmp = root / f".latest-{uuid.uuid4().hex}"
    os.symlink(version, tmp, target_is_directory=True)
    os.replace(tmp, link)
    return link


def formats_from(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """Parse ``--formats jsonl,csv`` (None: all formats)."""
    if text is None:
        return FORMATS
    items = text.split(",") if isinstance(text, str) else list(text)
    formats = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    ExportOptions(formats=formats)  # validates
    return formats


def example_record(folder: str | Path) -> dict[str, Any] | None:
    """The first chat record of an export folder (train first), or None without JSONL files."""
    for split in SPLITS:
        path = Path(folder) / f"{split}.jsonl"
        if path.is_file():
            with open(path, encoding="utf-8") as handle:
                line = handle.readline()
            if line.strip():
                return json.loads(line)
    return None
