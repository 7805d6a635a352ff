"""dbt models as Dagster assets: the manifest loads on a clean checkout, sources become edges
from the Python assets that write them, and materialising the dbt assets runs ``dbt build``."""

# No `from __future__ import annotations`: dagster reads the context annotation at runtime.

from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_dbt import DbtCliResource, dbt_assets

from pixel_assets.reports.synthetic import SyntheticOptions, build_tables, write_warehouse
from pixel_assets.resources.reports import (
    REPORTS_GROUP,
    ReportsDbtTranslator,
    reports_dbt_cli,
    reports_dbt_project,
)
from pixel_assets.warehouse.storage import Storage

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reports_assets() -> dg.AssetsDefinition:
    project = reports_dbt_project()

    # What pixel_assets/reports/assets.py is expected to hold (wiring, not written here).
    @dbt_assets(manifest=project.manifest_path, project=project,
                dagster_dbt_translator=ReportsDbtTranslator())
    def dbt_reports(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    return dbt_reports


def test_dbt_assets_depend_on_the_python_assets(reports_assets: dg.AssetsDefinition) -> None:
    deps = {spec.key: {d.asset_key for d in spec.deps} for spec in reports_assets.specs}
    key = dg.AssetKey
    assert key("raw_audio") in deps[key("stg_videos")]
    assert key("filtered_transcripts") in deps[key("stg_filtered_transcripts")]
    assert key("transcripts") in deps[key("stg_words")]
    assert key("training_dataset") in deps[key("stg_dataset_pairs")]
    assert key("stg_therapeutic_pairs") in deps[key("pair_quality")]
    assert key("video_funnel") in deps[key("stage_yield")]
    assert {spec.group_name for spec in reports_assets.specs} == {REPORTS_GROUP}
    assert all(spec.automation_condition is not None for spec in reports_assets.specs)
    # dbt tests become asset checks, the custom funnel test among them.
    checks = {c.name for c in reports_assets.check_specs}
    assert any(name.startswith("funnel_never_grows") for name in checks)
    assert "unique_video_funnel_video_id" in checks

    upstream = [dg.AssetSpec(k) for k in ("raw_audio", "filtered_transcripts", "transcripts",
                                         "training_dataset")]
    dg.Definitions.validate_loadable(
        dg.Definitions(assets=[reports_assets, *upstream],
                       resources={"dbt": reports_dbt_cli("local")})
    )


def test_materialising_the_dbt_assets_runs_dbt_build(
    reports_assets: dg.AssetsDefinition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    tables = build_tables(SyntheticOptions(n_videos=4, segments_per_video=8, seed=4))
    write_warehouse(Storage(str(root)), tables)
    db = tmp_path / "reports.duckdb"
    monkeypatch.setenv("PIXEL_DATA_DIR", str(root))
    monkeypatch.setenv("PIXEL_DBT_DUCKDB_PATH", str(db))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

    result = dg.materialize([reports_assets], resources={"dbt": reports_dbt_cli("local")},
                            raise_on_error=False)

    assert result.success
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey("video_funnel") in materialised
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks)
    with duckdb.connect(str(db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM video_funnel").fetchone()[0]
    assert n == len(tables["video_sources"])
