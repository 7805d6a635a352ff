"""The table contract: one declaration per warehouse table, checked at write time.

A :class:`TableSpec` names a table, its pandera model (columns, dtypes, ranges), its partition
column and any Arrow types pandera cannot express (lists, structs, embeddings). The Arrow
schema of the Parquet files is derived from the model, so the declaration lives in one place:
the stage's ``schemas.py``. :func:`to_arrow` validates a frame against the model and conforms
it to the Arrow schema; a wrong dtype or a missing column fails with the table and column named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
from pandera.errors import SchemaError, SchemaErrors

# Arrow types for the pandera dtypes our models use (anything else needs an ``arrow_types`` entry).
_ARROW_BY_DTYPE: dict[str, pa_arrow.DataType] = {
    "str": pa_arrow.string(),
    "string": pa_arrow.string(),
    "float64": pa_arrow.float64(),
    "float32": pa_arrow.float32(),
    "int64": pa_arrow.int64(),
    "int32": pa_arrow.int32(),
    "Int64": pa_arrow.int64(),
    "Float64": pa_arrow.float64(),
    "bool": pa_arrow.bool_(),
    "boolean": pa_arrow.bool_(),
    "datetime64[ns, UTC]": pa_arrow.timestamp("us", tz="UTC"),
    "datetime64[ns]": pa_arrow.timestamp("us", tz="UTC"),
}

# Reasons a rule-based filter rejected a row (see pixel_assets.rules): one struct per failed rule.
REASONS_TYPE = pa_arrow.list_(
    pa_arrow.struct(
        [
            ("rule", pa_arrow.string()),
            ("column", pa_arrow.string()),
            ("measured", pa_arrow.string()),
            ("threshold", pa_arrow.string()),
        ]
    )
)
EMBEDDING_TYPE = pa_arrow.list_(pa_arrow.float32())
STRING_LIST_TYPE = pa_arrow.list_(pa_arrow.string())


class TableContractError(ValueError):
    """A frame does not meet its table's declaration (names the table, column and fix)."""


@dataclass(frozen=True)
class TableSpec:
    """One warehouse table.

    Attributes:
        name: Table name (= asset or view name users query).
        model: pandera ``DataFrameModel`` with the table's columns; ``Optional`` columns may be
            absent (they are stored as nulls), extra columns are kept as written.
        partition_column: The column whose value names the partition folder.
        arrow_types: Arrow types for columns pandera stores as ``object`` (lists, structs).
        description: One sentence shown in the UI and README.
    """

    name: str
    model: type[pa.DataFrameModel]
    partition_column: str = "video_id"
    arrow_types: Mapping[str, pa_arrow.DataType] = field(default_factory=dict)
    description: str = ""

    @property
    def schema(self) -> pa.DataFrameSchema:
        return self.model.to_schema()

    @property
    def columns(self) -> list[str]:
        return list(self.schema.columns)

    def arrow_schema(self) -> pa_arrow.Schema:
        """The Parquet schema, derived from the pandera model (plus ``arrow_types``)."""
        fields = []
        for name, column in self.schema.columns.items():
            if name in self.arrow_types:
                arrow_type = self.arrow_types[name]
            else:
                dtype = str(column.dtype)
                if dtype not in _ARROW_BY_DTYPE:
                    raise TableContractError(
                        f"table {self.name!r}: column {name!r} has dtype {dtype!r} with no Arrow "
                        "type; add it to the TableSpec's arrow_types."
                    )
                arrow_type = _ARROW_BY_DTYPE[dtype]
            fields.append(pa_arrow.field(name, arrow_type))
        return pa_arrow.schema(fields)

    def empty_frame(self) -> pd.DataFrame:
        return self.arrow_schema().empty_table().to_pandas()


def _missing_optional(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Add declared-but-optional columns the frame lacks, as nulls."""
    absent = [
        name
        for name, column in spec.schema.columns.items()
        if name not in frame.columns and not column.required
    ]
    if not absent:
        return frame
    frame = frame.copy()
    for name in absent:
        frame[name] = None
    return frame


def validate(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` against the table's model (coercing dtypes as the model allows).

    Raises:
        TableContractError: naming the table, each failing column and what was wrong.
    """
    frame = _missing_optional(spec, frame)
    # pandas would coerce any non-empty string to True: a text in a flag column is a bug.
    for name, column in spec.schema.columns.items():
        if str(column.dtype) in ("bool", "boolean") and name in frame.columns:
            values = frame[name]
            if values.dtype == object and values.map(lambda v: isinstance(v, str)).any():
                example = next(v for v in values if isinstance(v, str))
                raise TableContractError(
                    f"table {spec.name!r} rejects this write: column {name!r} must be a "
                    f"boolean, got text (e.g. {example!r}). Fix the stage that builds it."
                )
    # Lists, structs and vectors: pandera sees only "object", Arrow knows the real type.
    for name, arrow_type in spec.arrow_types.items():
        if name in frame.columns:
            try:
                pa_arrow.array(frame[name], type=arrow_type, from_pandas=True)
            except (pa_arrow.ArrowInvalid, pa_arrow.ArrowTypeError, ValueError, TypeError) as exc:
                raise TableContractError(
                    f"table {spec.name!r} rejects this write: column {name!r} must be "
                    f"{arrow_type} ({exc}). Fix the stage that builds it."
                ) from exc
    try:
        return spec.model.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        problems = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            examples = ", ".join(repr(v) for v in group["failure_case"].head(3))
            problems.append(f"column {column!r}: {check} (e.g. {examples})")
        raise TableContractError(
            f"table {spec.name!r} rejects this write: " + "; ".join(problems)
            + f". Fix the stage that builds it, or the declaration of {spec.model.__name__}."
        ) from exc
    except SchemaError as exc:  # not lazy-collectable (e.g. a dataframe-level check)
        raise TableContractError(f"table {spec.name!r} rejects this write: {exc}") from exc


def to_arrow(spec: TableSpec, frame: pd.DataFrame) -> pa_arrow.Table:
    """Validate ``frame`` and conform it to the table's Arrow schema.

    Declared columns come first in declared order with declared types; undeclared columns are
    kept after them (an all-null undeclared column is stored as string, so every file of a
    table has one type per column).
    """
    frame = validate(spec, frame)
    schema = spec.arrow_schema()
    arrays, fields = [], []
    for declared in schema:
        values = frame[declared.name]
        if pa_arrow.types.is_timestamp(declared.type):
            values = pd.to_datetime(values, utc=True)
        try:
            array = pa_arrow.array(values, type=declared.type, from_pandas=True)
        except (pa_arrow.ArrowInvalid, pa_arrow.ArrowTypeError) as exc:
            raise TableContractError(
                f"table {spec.name!r}: column {declared.name!r} cannot be stored as "
                f"{declared.type} ({exc})."
            ) from exc
        arrays.append(array)
        fields.append(declared)
    for name in frame.columns:
        if name not in schema.names:
            array = pa_arrow.array(frame[name], from_pandas=True)
            if pa_arrow.types.is_null(array.type):
                array = array.cast(pa_arrow.string())
            arrays.append(array)
            fields.append(pa_arrow.field(name, array.type))
    return pa_arrow.Table.from_arrays(arrays, schema=pa_arrow.schema(fields))
