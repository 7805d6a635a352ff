"""evidently data-quality reports of the feature, score and pair tables, as HTML bytes.

Uses the current evidently API (0.7: ``Report([DataSummaryPreset()]).run(Dataset, None)``).
Each report summarises one table: per column counts, missing values, ranges and distributions.
The column roles are chosen here, not guessed by evidently: numbers are numerical, flags and
short vocabularies (emotion, MI code, split…) are categorical, and keys, free text and list
columns (reasons, embeddings, context) are left out — a histogram of ids or of embeddings says
nothing. The HTML is self-contained (evidently inlines its scripts), so it opens from disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd

# The tables the report page summarises, with a title.
QUALITY_TABLES: dict[str, str] = {
    "utterance_features": "Utterance features",
    "exchange_scores": "Exchange scores",
    "therapeutic_pairs": "Therapeutic pairs",
}


@dataclass(frozen=True)
class QualityOptions:
    """How tables are summarised.

    Attributes:
        max_rows: Rows summarised per table; larger tables are sampled (seeded) so the report
            stays fast and its HTML small. None summarises every row.
        max_categories: A text column with at most this many distinct values is categorical;
            above it, it is free text or an id and is left out.
        seed: Sampling seed (the same table gives the same report).
    """

    max_rows: int | None = 50_000
    max_categories: int = 50
    seed: int = 0


@dataclass(frozen=True)
class QualityReport:
    """One table's report."""

    table: str
    title: str
    n_rows: int
    n_rows_summarised: int
    numerical_columns: tuple[str, ...]
    categorical_columns: tuple[str, ...]
    html: bytes


def column_roles(
    frame: pd.DataFrame, max_categories: int = 50
) -> tuple[list[str], list[str]]:
    """``(numerical, categorical)`` columns of ``frame``; everything else is left out."""
    numerical, categorical = [], []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_bool_dtype(values):
            categorical.append(name)
        elif pd.api.types.is_numeric_dtype(values):
            numerical.append(name)
        elif pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            sample = values.dropna()
            if sample.empty or not all(isinstance(v, str | bool) for v in sample.head(200)):
                continue  # lists, structs, arrays
            if sample.nunique() <= max_categories and not name.endswith("_id"):
                categorical.append(name)
    return numerical, categorical


def _empty_page(table: str, title: str) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1><p>No rows in <code>{escape(table)}</code> yet: the "
        "stage has not produced data (or nothing has passed the stages before it).</p>"
        "</body></html>"
    ).encode()


def quality_report(
    frame: pd.DataFrame, table: str, title: str | None = None,
    options: QualityOptions | None = None,
) -> QualityReport:
    """An evidently data-summary report of ``frame``.

    Args:
        frame: The table's rows.
        table: Its name (shown in the report).
        title: Heading; default from :data:`QUALITY_TABLES` or the table name.
        options: Sampling and column-role options.

    Returns:
        The report with its self-contained HTML. A table with no rows, or no column worth
        summarising, gives a short page saying so instead of failing.
    """
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataSummaryPreset

    options = options or QualityOptions()
    title = title or QUALITY_TABLES.get(table, table)
    numerical, categorical = column_roles(frame, options.max_categories)
    if frame.empty or not (numerical or categorical):
        return QualityReport(table, title, len(frame), 0, tuple(numerical), tuple(categorical),
                             _empty_page(table, title))
    sample = frame
    if options.max_rows is not None and len(frame) > options.max_rows:
        sample = frame.sample(n=options.max_rows, random_state=options.seed)
    columns = numerical + categorical
    data = sample[columns].copy()
    for name in categorical:
        # evidently treats categories as labels; booleans and nulls as plain strings read best.
        data[name] = data[name].astype("string").fillna("(null)")
    dataset = Dataset.from_pandas(
        data.reset_index(drop=True),
        data_definition=DataDefinition(
            numerical_columns=numerical, categorical_columns=categorical
        ),
    )
    snapshot = Report([DataSummaryPreset()], metadata={"table": table}).run(dataset, None)
    html = snapshot.get_html_str(as_iframe=False)
    return QualityReport(table, title, len(frame), len(sample), tuple(numerical),
                         tuple(categorical), html.encode())
