"""The warehouse catalogue: every table's declared columns and Arrow types.

Declaring types keeps per-partition Parquet files consistent (a column that is all null in
one video is still a string, not Arrow's null type), so DuckDB can read them as one table.
Columns a stage adds beyond these are kept as written.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

_STR = pa.string()
_F64 = pa.float64()
_I64 = pa.int64()
_BOOL = pa.bool_()
_TS = pa.timestamp("us", tz="UTC")

LIST_METADATA_COLUMNS = ("title", "speaker", "role", "tags", "language")

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    # Rows registered from video lists, one file per list (partition column list_id).
    "video_sources": pa.schema(
        [
            ("video_id", _STR),
            ("source_url", _STR),
            ("source_kind", _STR),
            ("list_file", _STR),
            ("list_id", _STR),
            ("line_number", _I64),
            *[(f"list_{name}", _STR) for name in LIST_METADATA_COLUMNS],
            ("registered_at", _TS),
        ]
    ),
    "ingest_rejections": pa.schema(
        [
            ("list_file", _STR),
            ("list_id", _STR),
            ("line_number", _I64),
            ("raw_text", _STR),
            ("reason", _STR),
            ("detected_at", _TS),
        ]
    ),
    "pipeline_failures": pa.schema(
        [
            ("video_id", _STR),
            ("asset", _STR),
            ("error_type", _STR),
            ("message", _STR),
            ("source_url", _STR),
            ("run_id", _STR),
            ("failed_at", _TS),
        ]
    ),
    "videos": pa.schema(
        [
            ("video_id", _STR),
            ("source_url", _STR),
            ("source_kind", _STR),
            ("title", _STR),
            ("channel", _STR),
            ("uploader", _STR),
            ("duration_s", _F64),
            ("upload_date", _STR),
            ("webpage_url", _STR),
            ("extractor", _STR),
            ("license", _STR),
            ("source_format", _STR),
            ("sample_rate", _I64),
            ("channels", _I64),
            ("audio_path", _STR),
            ("source_audio_path", _STR),
            ("loudness_lufs", _F64),
            ("source_loudness_lufs", _F64),
            ("gain_db", _F64),
            ("list_file", _STR),
            ("line_number", _I64),
            *[(f"list_{name}", _STR) for name in LIST_METADATA_COLUMNS],
            ("ingested_at", _TS),
        ]
    ),
    "audio_qc": pa.schema(
        [
            ("video_id", _STR),
            ("duration_s", _F64),
            ("loudness_lufs", _F64),
            ("peak_dbfs", _F64),
            ("source_peak_dbfs", _F64),
            ("clipping_ratio", _F64),
            ("silence_ratio", _F64),
            ("speech_ratio", _F64),
            ("snr_db", _F64),
            ("snr_method", _STR),
            ("language", _STR),
            ("language_probability", _F64),
            ("dnsmos_ovrl", _F64),
            ("dnsmos_sig", _F64),
            ("dnsmos_bak", _F64),
            ("dnsmos_windows", _I64),
            ("passed", _BOOL),
            ("reasons", _STR),
            ("measured_at", _TS),
        ]
    ),
    "speech_regions": pa.schema(
        [("video_id", _STR), ("region_index", _I64), ("start_s", _F64), ("end_s", _F64)]
    ),
    **{
        name: pa.schema(
            [
                ("video_id", _STR),
                ("segment_id", _STR),
                ("segment_index", _I64),
                ("start_s", _F64),
                ("end_s", _F64),
                ("duration_s", _F64),
                ("snr_db", _F64),
                ("loudness_lufs", _F64),
                ("clipping_ratio", _F64),
                ("dnsmos_ovrl", _F64),
                ("passed", _BOOL),
                ("reject_reason", _STR),
            ]
        )
        for name in ("segments", "rejected_segments")
    },
}


def conform(table: str, frame: pd.DataFrame) -> pa.Table:
    """Turn ``frame`` into an Arrow table with ``table``'s declared column types.

    Declared columns missing from the frame are added as nulls; undeclared columns are kept
    after the declared ones with the types Arrow infers.
    """
    schema = TABLE_SCHEMAS.get(table, pa.schema([]))
    arrays = []
    fields = []
    for declared in schema:
        if declared.name in frame.columns:
            values = frame[declared.name]
            if pa.types.is_timestamp(declared.type):
                values = pd.to_datetime(values, utc=True)
            array = pa.array(values, type=declared.type, from_pandas=True)
        else:
            array = pa.nulls(len(frame), type=declared.type)
        arrays.append(array)
        fields.append(declared)
    for name in frame.columns:
        if name not in schema.names:
            array = _undeclared(frame[name])
            arrays.append(array)
            fields.append(pa.field(name, array.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _undeclared(values: pd.Series) -> pa.Array:
    array = pa.array(values, from_pandas=True)
    # An all-null column would be Arrow's null type in this file and a real type in the
    # next; strings keep the files of one table readable together.
    return array.cast(pa.string()) if pa.types.is_null(array.type) else array
