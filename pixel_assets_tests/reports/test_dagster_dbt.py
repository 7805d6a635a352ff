"""dbt models as Dagster assets: the manifest loads on a clean checkout and sources become edges
from the Python assets that write them (materialising them: ``test_reports_assets``)."""

# No `from __future__ import annotations`: dagster reads the context annotation at runtime.

import dagster as dg
import pytest
from dagster_dbt import DbtCliResource, dbt_assets

from pixel_assets.resources.reports import (
    REPORTS_GROUP,
    ReportsDbtTranslator,
    reports_dbt_cli,
    reports_dbt_project,
)

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
