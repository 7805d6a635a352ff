"""The analysis tables' declarations: Arrow schemas derive, partition columns exist."""

from __future__ import annotations

import pytest

from pixel_assets.analysis.schemas import CORPUS, TABLES
from pixel_assets.warehouse.contract import TableContractError, validate


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.name)
def test_every_table_has_an_arrow_schema_and_its_partition_column(spec):
    schema = spec.arrow_schema()
    assert spec.partition_column in schema.names
    assert spec.description
    if spec.partition_column == "corpus":
        assert list(spec.schema.columns["corpus"].checks[0].statistics["allowed_values"]) == [
            CORPUS]


def test_table_names_are_unique_and_as_the_issue_names_them():
    names = [s.name for s in TABLES]
    assert len(set(names)) == len(names)
    assert {"global_speakers", "speaker_links", "cluster_descriptions", "speaker_clusters",
            "speaker_consistency", "outliers", "drift_summary"} <= set(names)


def test_a_wrong_row_is_rejected_with_the_column_named():
    spec = {s.name: s for s in TABLES}["speaker_links"]
    frame = spec.empty_frame()
    frame.loc[0] = ["vid", "SPEAKER_00", "spk_x", 1.7]
    with pytest.raises(TableContractError, match="link_similarity"):
        validate(spec, frame)
