"""One synthetic warehouse and one full report build, shared by the report tests.

Building the reports runs dbt (a child process) and evidently, which takes seconds even on a
small corpus, so the build happens once per test run (``shared_once``: one build for all
parallel workers) and each test reads what it produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from pixel_assets.reports.build import ReportOptions, ReportResult, build_reports
from pixel_assets.reports.dbt import DbtOptions
from pixel_assets.reports.quality import QualityOptions
from pixel_assets.reports.synthetic import SyntheticOptions, build_tables, write_warehouse
from pixel_assets.warehouse.storage import Storage
from pixel_assets_tests.conftest import shared_once

# Twelve videos: two fail to download, two fail audio QC, one is a monologue, one has a
# crisis exchange waiting for review, the rest go all the way (see synthetic._fate).
CORPUS = SyntheticOptions(n_videos=12, n_lists=2, segments_per_video=16, seed=3)


@dataclass
class BuiltReports:
    root: Path
    storage: Storage
    tables: dict[str, pd.DataFrame]
    dbt: DbtOptions
    result: ReportResult


def _build(folder: Path) -> BuiltReports:
    root = folder / "report_root"
    storage = Storage(str(root))
    tables = build_tables(CORPUS)
    write_warehouse(storage, tables)
    dbt = DbtOptions(data_dir=str(root), target_path=str(folder / "dbt_target"))
    result = build_reports(
        storage, ReportOptions(dbt=dbt, quality=QualityOptions(max_rows=5_000))
    )
    return BuiltReports(root, storage, tables, dbt, result)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltReports:
    return shared_once(tmp_path_factory, "built_reports", _build)
