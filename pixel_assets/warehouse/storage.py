"""One storage root (a local folder or ``s3://bucket/prefix``) for audio files and tables.

Tables are Parquet files, one per partition (``warehouse/<table>/<column>=<value>/part.parquet``),
so runs of different videos never contend for a writer lock and re-materialising a video
replaces exactly that video's rows. DuckDB is the query engine over those files.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from upath import UPath

from pixel_assets.warehouse.contract import TableContractError, TableSpec, to_arrow

# Partition keys become folder names: only these characters, so no key can climb out of
# the root ("..", "/", "\\" and control characters are all impossible).
_SAFE_COMPONENT = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_SAFE_TABLE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class UnsafeKeyError(ValueError):
    """A partition key or file name that could escape the storage root."""


def safe_component(value: str, what: str = "partition key") -> str:
    """Return ``value`` if it can be used as one path component under the root.

    Raises:
        UnsafeKeyError: naming the value and what is allowed.
    """
    if not isinstance(value, str) or not _SAFE_COMPONENT.match(value):
        raise UnsafeKeyError(
            f"{what} {value!r} is not allowed as a storage path: use 1-128 characters from "
            "A-Z, a-z, 0-9, '_' and '-' (YouTube IDs and the url-/file- keys Pixel Voice "
            "derives always are)."
        )
    return value


def _object_version(info: dict[str, Any]) -> str:
    """A path-safe version tag of a remote object: its ETag, else its size and mtime."""
    tag = info.get("ETag") or info.get("etag") or info.get("md5Hash")
    if not tag:
        tag = f"{info.get('size')}-{info.get('LastModified') or info.get('mtime') or ''}"
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(tag))[:80] or "unknown"


def _safe_table(table: str) -> str:
    if not _SAFE_TABLE.match(table):
        raise UnsafeKeyError(f"table name {table!r} must be lower_snake_case.")
    return table


@dataclass
class Storage:
    """Files and tables under one root.

    Args:
        root: a local directory or ``s3://bucket/prefix``.
        storage_options: fsspec options for remote roots (``endpoint_url``, ``key``,
            ``secret``, ``client_kwargs``...).
        cache_dir: where remote audio is copied for local processing.
        tables: the table contract (``pixel_assets.catalog.TABLES``): every write is validated
            and conformed through its table's declaration; writing an undeclared table fails.
    """

    root: str
    storage_options: dict[str, Any] = field(default_factory=dict)
    cache_dir: str | None = None
    tables: Mapping[str, TableSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.is_local = "://" not in self.root or self.root.startswith("file://")
        if self.is_local:
            local_root = Path(self.root.removeprefix("file://")).expanduser().resolve()
            local_root.mkdir(parents=True, exist_ok=True)
            self._root = UPath(local_root)
        else:
            # s3fs caches directory listings forever per process by default; run workers,
            # the sensor and the CLI are separate processes writing the same prefix, so a
            # cached listing would hide their partitions (or list deleted ones). Callers can
            # still opt back in with ``use_listings_cache=True``.
            options = {"use_listings_cache": False, **self.storage_options}
            self._root = UPath(self.root, **options)
        if self.cache_dir is None:
            self.cache_dir = str(Path(tempfile.gettempdir()) / "pixel_voice_cache")

    # ------------------------------------------------------------------ paths
    def path(self, *parts: str) -> UPath:
        """The path of ``parts`` under the root; each part must be a safe component."""
        path = self._root
        for part in parts:
            for piece in part.split("/"):
                if piece in ("", ".", "..") or not re.match(r"^[A-Za-z0-9_.=-]{1,160}$", piece):
                    raise UnsafeKeyError(f"path part {piece!r} in {part!r} is not allowed.")
                path = path / piece
        return path

    def uri(self, *parts: str) -> str:
        """A string URI/path for display and for tables."""
        return str(self.path(*parts))

    def exists(self, *parts: str) -> bool:
        return self.path(*parts).exists()

    # ------------------------------------------------------------------ files
    def write_bytes(self, data: bytes, *parts: str) -> str:
        """Write ``data`` atomically: readers see the old file or the whole new one."""
        target = self.path(*parts)
        if self.is_local:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        else:
            # An S3 PUT is atomic: the object appears only once fully uploaded.
            target.write_bytes(data)
        return str(target)

    def put_file(self, local_file: Path, *parts: str) -> str:
        """Copy a finished local file to ``parts`` atomically."""
        target = self.path(*parts)
        if self.is_local:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
            shutil.copyfile(local_file, tmp)
            os.replace(tmp, target)
        else:
            target.fs.put_file(str(local_file), target.path)
        return str(target)

    def local_copy(self, *parts: str) -> Path:
        """A local filesystem path holding the file (remote files are cached locally)."""
        source = self.path(*parts)
        if self.is_local:
            return Path(str(source))
        # Key the cache on the root and the object's version (ETag), so a rewritten object
        # (a re-materialised video) or the same path under another root never serves stale
        # bytes; the file keeps its own name so tools that look at the suffix still work.
        version = _object_version(source.fs.info(source.path))
        root_id = hashlib.sha1(self.root.encode("utf-8")).hexdigest()[:12]
        relative = Path(*parts)
        cached = Path(self.cache_dir or ".", root_id, relative.parent, version, relative.name)
        if not cached.exists():
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f".{cached.name}.{uuid.uuid4().hex}.tmp")
            source.fs.get_file(source.path, str(tmp))
            os.replace(tmp, cached)
        return cached

    def delete_tree(self, *parts: str) -> bool:
        """Remove a folder and what it holds; False if there was nothing to remove."""
        target = self.path(*parts)
        if not target.exists():
            return False
        if self.is_local:
            shutil.rmtree(str(target))
        else:
            target.fs.rm(target.path, recursive=True)
        return True

    @contextmanager
    def scratch_dir(self, prefix: str) -> Iterator[Path]:
        """A local temporary folder for work in progress, removed afterwards."""
        base = Path(self.cache_dir or tempfile.gettempdir()) / "scratch"
        base.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f"{prefix}-", dir=base) as tmp:
            yield Path(tmp)

    # ----------------------------------------------------------------- tables
    def spec(self, table: str) -> TableSpec:
        """The declaration of ``table``.

        Raises:
            TableContractError: the table is not declared, naming where to declare it.
        """
        try:
            return self.tables[table]
        except KeyError:
            raise TableContractError(
                f"table {table!r} is not declared: add a TableSpec for it to its stage's "
                "schemas.py TABLES and list that module in pixel_assets/catalog.py."
            ) from None

    def _partition_dir(self, table: str, value: str, column: str | None) -> tuple[str, str]:
        declared = self.spec(table).partition_column
        if column is not None and column != declared:
            raise TableContractError(
                f"table {table!r} is partitioned by {declared!r}, not {column!r}."
            )
        return ("warehouse", _safe_table(table), f"{declared}={safe_component(value)}")

    def write_partition(
        self, table: str, value: str, frame: pd.DataFrame, column: str | None = None
    ) -> str:
        """Replace the rows of ``table`` for one partition with ``frame``.

        The frame is validated against the table's pandera model and conformed to its Arrow
        schema first, so a wrong dtype or a missing column fails here, naming both.
        """
        arrow = to_arrow(self.spec(table), frame)
        buffer = io.BytesIO()
        pq.write_table(arrow, buffer)
        return self.write_bytes(
            buffer.getvalue(), *self._partition_dir(table, value, column), "part.parquet"
        )

    def delete_partition(self, table: str, value: str, column: str | None = None) -> bool:
        """Remove one partition's rows of ``table``; False (no error) if there were none."""
        return self.delete_tree(*self._partition_dir(table, value, column))

    def partition_files(self, table: str) -> list[UPath]:
        folder = self.path("warehouse", _safe_table(table))
        if not folder.exists():
            return []
        return sorted(p for p in folder.glob("*/part.parquet"))

    def read_partition(
        self, table: str, value: str, column: str | None = None
    ) -> pd.DataFrame | None:
        """One partition's rows, or None if it was never written."""
        path = self.path(*self._partition_dir(table, value, column), "part.parquet")
        if not path.exists():
            return None
        with path.open("rb") as handle:
            return pq.read_table(handle).to_pandas()

    def read_table(self, table: str) -> pd.DataFrame:
        """All partitions of ``table`` as one DataFrame (empty with its columns if none)."""
        frames = []
        for path in self.partition_files(table):
            with path.open("rb") as handle:
                frames.append(pq.read_table(handle))
        if not frames:
            spec = self.tables.get(table)
            return spec.empty_frame() if spec is not None else pd.DataFrame()
        return pa.concat_tables(frames, promote_options="permissive").to_pandas()

    def table_names(self) -> list[str]:
        """Tables that have files, plus every declared table."""
        names = set(self.tables)
        warehouse = self.path("warehouse")
        if warehouse.exists():
            names.update(p.name for p in warehouse.iterdir() if _SAFE_TABLE.match(p.name))
        return sorted(names)
