"""The warehouse catalogue: every table's declaration, gathered from the stages.

Each stage declares its tables in its own ``schemas.py`` (``TABLES``); this module lists those
modules, so a new stage adds one line here. :func:`open_storage` gives a :class:`Storage`
that validates every write against these declarations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from pixel_assets.analysis import schemas as analysis_schemas
from pixel_assets.audio import schemas as audio_schemas
from pixel_assets.dialogue import schemas as dialogue_schemas
from pixel_assets.features import schemas as features_schemas
from pixel_assets.ingest import schemas as ingest_schemas
from pixel_assets.pairs import schemas as pairs_schemas
from pixel_assets.reports import schemas as reports_schemas
from pixel_assets.status import schemas as status_schemas
from pixel_assets.transcription import schemas as transcription_schemas
from pixel_assets.validation import schemas as validation_schemas
from pixel_assets.warehouse.contract import TableSpec
from pixel_assets.warehouse.storage import Storage

_STAGE_TABLES: tuple[Iterable[TableSpec], ...] = (
    ingest_schemas.TABLES,
    status_schemas.TABLES,
    audio_schemas.TABLES,
    transcription_schemas.TABLES,
    features_schemas.TABLES,
    analysis_schemas.TABLES,
    dialogue_schemas.TABLES,
    validation_schemas.TABLES,
    pairs_schemas.TABLES,
    reports_schemas.TABLES,
)


def _index(groups: Iterable[Iterable[TableSpec]]) -> Mapping[str, TableSpec]:
    tables: dict[str, TableSpec] = {}
    for group in groups:
        for spec in group:
            if spec.name in tables:
                raise ValueError(f"table {spec.name!r} is declared twice")
            tables[spec.name] = spec
    return MappingProxyType(tables)


TABLES: Mapping[str, TableSpec] = _index(_STAGE_TABLES)


def open_storage(
    root: str, storage_options: dict[str, Any] | None = None, cache_dir: str | None = None
) -> Storage:
    """Storage under ``root`` whose writes are checked against :data:`TABLES`."""
    return Storage(root, storage_options or {}, cache_dir=cache_dir, tables=TABLES)
