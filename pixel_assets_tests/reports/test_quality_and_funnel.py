"""evidently quality reports and the funnel's text form, on frames built here."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from pixel_assets.reports.funnel import corpus_funnel, text_funnel
from pixel_assets.reports.quality import QualityOptions, column_roles, quality_report
from pixel_assets.reports.schemas import FUNNEL_STAGES
from pixel_assets.reports.synthetic import SyntheticOptions, build_tables


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return build_tables(SyntheticOptions(n_videos=20, segments_per_video=12, seed=5))


def test_column_roles_leave_out_ids_text_and_lists(tables: dict[str, pd.DataFrame]) -> None:
    frame = tables["exchange_scores"]
    numerical, categorical = column_roles(frame)
    assert {"empathy", "overall"} <= set(numerical)
    assert {"passed", "crisis", "scorer"} <= set(categorical)
    left_out = set(frame.columns) - set(numerical) - set(categorical)
    assert {"exchange_id", "video_id", "reasons"} <= left_out


@pytest.mark.slow
def test_quality_report_summarises_the_table(tables: dict[str, pd.DataFrame]) -> None:
    frame = tables["utterance_features"]
    report = quality_report(frame, "utterance_features", options=QualityOptions(max_rows=100))
    html = report.html.decode()
    assert report.n_rows == len(frame) and report.n_rows_summarised == 100
    assert html.lstrip().lower().startswith("<!doctype html") or "<html" in html[:500].lower()
    assert len(report.html) > 100_000  # evidently's page with its scripts inlined
    for column in ("sentiment", "empathy", "dominant_emotion"):
        assert column in report.numerical_columns + report.categorical_columns
        assert column in html
    # Self-contained: no script is fetched from elsewhere.
    assert re.search(r"<script[^>]*\bsrc=", html) is None


def test_quality_report_of_an_empty_table_says_so() -> None:
    empty = pd.DataFrame({"video_id": pd.Series([], dtype=str)})
    report = quality_report(empty, "therapeutic_pairs")
    assert report.n_rows == 0
    assert b"No rows in <code>therapeutic_pairs</code>" in report.html


def test_text_funnel_lists_every_stage_with_its_share() -> None:
    minutes = np.array([100.0, 80, 60, 59, 50, 50, 40, 30, 25, 20])
    stage_yield = pd.DataFrame(
        {"scope": "corpus", "list_file": "all", "stage": FUNNEL_STAGES,
         "stage_order": range(1, 11), "videos": [4, 3, 3, 3, 3, 3, 2, 2, 2, 2],
         "n_rows": [4, 3, 30, 31, 28, 14, 6, 5, 4, 4], "minutes": minutes}
    )
    steps = corpus_funnel(stage_yield)
    text = text_funnel(steps, width=20)
    lines = text.splitlines()
    assert len(lines) == 1 + len(FUNNEL_STAGES)
    assert lines[1].startswith("Downloaded") and "100.0%" in lines[1]
    assert lines[1].endswith("#" * 20)
    assert lines[-1].startswith("Exported pairs") and "20.0%" in lines[-1]
    assert lines[-1].endswith("#" * 4)
    # An empty warehouse gives ten zero rows, not an error.
    empty = corpus_funnel(stage_yield.iloc[0:0])
    assert [s.minutes for s in empty] == [0.0] * len(FUNNEL_STAGES)
