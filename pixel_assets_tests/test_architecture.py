"""The shared plumbing: one decorator per per-video stage, the table contract, video_status,
and the one rule that keeps Dagster out of the stage logic."""

from __future__ import annotations

import ast
import tomllib
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path

import dagster as dg
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pytest
from pandera.typing import Series

from pixel_assets.catalog import TABLES, open_storage
from pixel_assets.errors import PipelineError
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import StorageResource
from pixel_assets.status.video_status import passing_videos, video_status
from pixel_assets.warehouse.contract import TableContractError, TableSpec
from pixel_assets.warehouse.storage import Storage
from pixel_assets.wiring import (
    PER_VIDEO_TAG,
    GateResult,
    QualityGate,
    StageOutput,
    per_video_asset,
    stamp_pipeline_layout,
    tables_written,
)

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- a toy stage
class ToyRow(pa.DataFrameModel):
    video_id: Series[str]
    value: Series[float] = pa.Field(ge=0)

    class Config:
        coerce = True


TOY = TableSpec("toy_rows", ToyRow, description="rows of the toy stage")
TOY_CHILD = TableSpec("toy_child_rows", ToyRow, description="rows of the stage after it")


class ToyStorage(StorageResource):
    """The real storage resource, with the toy tables declared next to the catalogue's."""

    def get_storage(self) -> Storage:
        return Storage(self.data_dir, tables={**TABLES, TOY.name: TOY, TOY_CHILD.name: TOY_CHILD})


class ToyThreshold(dg.ConfigurableResource):
    min_rows: int = 1


# The whole stage: read, compute, write, return metadata and the gate's result.
@per_video_asset(group="toy", tables=[TOY], gate=QualityGate("toy_has_rows", "enough rows"))
def toy(
    context: dg.AssetExecutionContext, storage: ToyStorage, toy_threshold: ToyThreshold
) -> StageOutput:
    """A toy per-video stage."""
    if context.partition_key == "broken":
        raise PipelineError("Video broken: the toy input is unreadable; fix the toy list.")
    rows = pd.DataFrame({"video_id": context.partition_key, "value": [1.0, 2.0, 3.0]})
    storage.get_storage().write_partition(TOY.name, context.partition_key, rows)
    enough = len(rows) >= toy_threshold.min_rows
    return StageOutput(
        metadata={"rows": len(rows)},
        gate=GateResult(enough, "toy_too_few_rows", f"Video {context.partition_key}: too few"),
    )


@per_video_asset(
    group="toy", tables=[TOY_CHILD], deps=[toy],
    warnings=[QualityGate("toy_child_value_large", "values above 10 (non-blocking)")],
)
def toy_child(context: dg.AssetExecutionContext, storage: ToyStorage) -> StageOutput:
    """The stage after the toy."""
    rows = pd.DataFrame({"video_id": context.partition_key, "value": [9.0]})
    storage.get_storage().write_partition(TOY_CHILD.name, context.partition_key, rows)
    large = bool((rows["value"] > 10).all())
    return StageOutput(
        metadata={"rows": 1},
        warnings={"toy_child_value_large": GateResult(large, message="values are small")},
    )


@pytest.fixture
def toy_setup(tmp_path, dagster_instance):
    dagster_instance.add_dynamic_partitions(videos_partitions.name, ["good", "broken", "flip"])
    resources = {"storage": ToyStorage(data_dir=str(tmp_path / "data")),
                 "toy_threshold": ToyThreshold()}
    return stamp_pipeline_layout([toy, toy_child]), resources, dagster_instance


def run_toy(assets, resources, instance, key, min_rows=1):
    return dg.materialize(
        assets, partition_key=key, instance=instance, resources=resources,
        run_config={"resources": {"toy_threshold": {"config": {"min_rows": min_rows}}}},
        raise_on_error=False,
    )


def test_decorator_gives_partitions_tables_check_and_failure_recording(toy_setup):
    assets, resources, instance = toy_setup
    spec = toy.specs_by_key[toy.key]
    assert toy.partitions_def == videos_partitions
    assert dict([PER_VIDEO_TAG]).items() <= spec.tags.items()
    assert tables_written(spec.metadata) == ["toy_rows"]
    [check] = toy.check_specs
    assert check.name == "toy_has_rows" and check.blocking
    stamped = {a.key.to_user_string(): a for a in assets}
    meta = stamped["toy"].specs_by_key[toy.key].metadata
    assert meta["pixel/stage_order"] == 0 and meta["pixel/downstream_tables"] == "toy_child_rows"

    store = resources["storage"].get_storage()
    ok = run_toy(assets, resources, instance, "good")
    assert ok.success  # a non-blocking check flags the video without stopping anything
    [warn] = [e.event_specific_data for e in ok.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION"
              and e.event_specific_data.check_name == "toy_child_value_large"]
    assert warn.passed is False and warn.severity == dg.AssetCheckSeverity.WARN
    materialization = ok.asset_materializations_for_node("toy")[-1]
    assert materialization.metadata["rows"].value == 3
    assert "stage_seconds" in materialization.metadata
    assert len(store.read_partition("toy_child_rows", "good")) == 1

    broken = run_toy(assets, resources, instance, "broken")
    assert not broken.success
    failures = store.read_table("pipeline_failures").set_index("video_id")
    assert failures.loc["broken", "asset"] == "toy"
    assert "fix the toy list" in failures.loc["broken", "message"]
    status = video_status(store).set_index("video_id")
    assert status.loc["broken", "state"] == "failed" and status.loc["broken", "stage"] == "toy"

    # The gate stops the video: blocking check failed, the next stage skipped, its old rows
    # withdrawn, the stop recorded with its reason.
    stopped = run_toy(assets, resources, instance, "good", min_rows=10)
    assert not stopped.success
    checks = [e.event_specific_data for e in stopped.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert [(c.check_name, c.passed) for c in checks] == [("toy_has_rows", False)]
    assert store.read_partition("toy_child_rows", "good") is None
    assert store.read_table("pipeline_failures").set_index("video_id").loc[
        "good", "error_type"] == "toy_too_few_rows"


def test_video_status_drops_a_stopped_video_and_takes_it_back(toy_setup):
    assets, resources, instance = toy_setup
    store = resources["storage"].get_storage()
    assert run_toy(assets, resources, instance, "flip").success
    assert run_toy(assets, resources, instance, "good").success
    assert passing_videos(store) == {"flip", "good"}

    assert not run_toy(assets, resources, instance, "flip", min_rows=10).success
    assert passing_videos(store) == {"good"}
    row = video_status(store).set_index("video_id").loc["flip"]
    assert row["state"] == "stopped" and row["stage"] == "toy" and "too few" in row["reason"]

    assert run_toy(assets, resources, instance, "flip").success
    assert passing_videos(store) == {"flip", "good"}


# --------------------------------------------------------------------------- table contract
def _plausible(spec: TableSpec) -> pd.DataFrame:
    """One row of plausible values for every declared column, by Arrow type."""
    row = {}
    for field in spec.arrow_schema():
        t = field.type
        if pa_arrow.types.is_string(t):
            row[field.name] = "passed" if field.name == "state" else "vad"
        elif pa_arrow.types.is_floating(t):
            row[field.name] = 0.5
        elif pa_arrow.types.is_integer(t):
            row[field.name] = 1
        elif pa_arrow.types.is_boolean(t):
            row[field.name] = True
        elif pa_arrow.types.is_timestamp(t):
            row[field.name] = datetime.now(UTC)
        else:
            row[field.name] = []
    return pd.DataFrame([row])


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_declared_table_rejects_a_wrong_dtype_and_a_missing_column(name, tmp_path):
    spec = TABLES[name]
    store = open_storage(str(tmp_path))
    schema = spec.schema
    # Prefer a number/flag/time column; a table of text and vectors gets text in a vector.
    typed = sorted(
        (c for c, col in schema.columns.items() if str(col.dtype) != "str" and col.required),
        key=lambda c: str(schema.columns[c].dtype) == "object",
    )
    required = [c for c, col in schema.columns.items() if col.required]
    assert typed and required, f"{name} declares no typed or required column"

    wrong = _plausible(spec)
    wrong[typed[0]] = "not-a-number"
    with pytest.raises(TableContractError) as err:
        store.write_partition(name, "v1", wrong)
    assert f"table {name!r}" in str(err.value) and f"column {typed[0]!r}" in str(err.value)

    missing = _plausible(spec).drop(columns=[required[-1]])
    with pytest.raises(TableContractError) as err:
        store.write_partition(name, "v1", missing)
    assert f"table {name!r}" in str(err.value) and repr(required[-1]) in str(err.value)


def test_undeclared_table_is_refused(tmp_path):
    with pytest.raises(TableContractError, match="not declared"):
        open_storage(str(tmp_path)).write_partition("no_such_table", "v1", pd.DataFrame())


def test_arrow_schema_is_derived_from_the_model():
    speakers = TABLES["speakers"].arrow_schema()
    assert speakers.field("embedding").type == pa_arrow.list_(pa_arrow.float32())
    assert speakers.field("talk_share").type == pa_arrow.float64()
    assert TABLES["segments"].arrow_schema().field("reasons").type.value_type.num_fields == 4


# --------------------------------------------------------------------------- purity
def _dagster_allowed() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["pixel_voice"]["dagster_allowed"]


def dagster_imports(package: Path, root: Path) -> tuple[int, list[str]]:
    """(modules checked, imports of dagster / dagster_* outside the allowed wiring files)."""
    allowed = _dagster_allowed()
    offenders = []
    checked = 0
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if any(fnmatch(relative, pattern) for pattern in allowed):
            continue
        checked += 1
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "dagster" or top.startswith("dagster_"):
                    offenders.append(f"{relative}:{node.lineno} imports {name}")
    return checked, offenders


def test_logic_modules_never_import_dagster():
    """One rule, written once (pyproject.toml [tool.pixel_voice] dagster_allowed): only the
    wiring layer imports dagster or any dagster_* package."""
    checked, offenders = dagster_imports(ROOT / "pixel_assets", ROOT)
    assert checked > 20
    assert not offenders, offenders


def test_purity_rule_catches_dagster_subpackages(tmp_path):
    """The rule is not fooled by dagster_aws / dagster_shared or a function-level import, and
    lets the wiring files through."""
    package = tmp_path / "pixel_assets"
    (package / "stage").mkdir(parents=True)
    (package / "stage" / "logic.py").write_text(
        "def f():\n    from dagster_shared.check import CheckError\n"
    )
    (package / "stage" / "helpers.py").write_text("import dagster_aws.s3\n")
    (package / "stage" / "assets.py").write_text("import dagster as dg\n")
    checked, offenders = dagster_imports(package, tmp_path)
    assert checked == 2
    assert offenders == [
        "pixel_assets/stage/helpers.py:1 imports dagster_aws.s3",
        "pixel_assets/stage/logic.py:2 imports dagster_shared.check",
    ]


def test_stage_code_version_follows_the_shared_logic_a_stage_imports(tmp_path):
    from pixel_assets.wiring import folder_code_version

    root = tmp_path / "pixel_assets"
    (root / "validation").mkdir(parents=True)
    (root / "audio").mkdir()
    (root / "validation" / "scoring.py").write_text(
        "from pixel_assets.counselling_language import INSULT\n")
    (root / "audio" / "qc.py").write_text("import numpy\n")
    (root / "counselling_language.py").write_text("INSULT = 'a'\n")
    (root / "settings.py").write_text("X = 1\n")
    before = {s: folder_code_version(root / s, root) for s in ("validation", "audio")}

    (root / "counselling_language.py").write_text("INSULT = 'b'\n")
    after = {s: folder_code_version(root / s, root) for s in ("validation", "audio")}
    assert after["validation"] != before["validation"]  # the lexicon changed what it computes
    assert after["audio"] == before["audio"]  # it does not import the lexicon

    (root / "settings.py").write_text("X = 2\n")  # plumbing: not part of any stage's version
    assert folder_code_version(root / "validation", root) == after["validation"]


def test_the_real_stages_that_read_the_lexicon_go_stale_with_it(tmp_path):
    """features, dialogue and validation read counselling_language (validation through
    dialogue.markers); audio does not. A copy of the package hashes like the original until
    the lexicon is edited."""
    import shutil

    import pixel_assets
    from pixel_assets.wiring import folder_code_version

    package = Path(pixel_assets.__file__).parent
    copy = tmp_path / "pixel_assets"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    stages = ("features", "dialogue", "validation", "audio")
    original = {s: folder_code_version(package / s, package) for s in stages}
    assert {s: folder_code_version(copy / s, copy) for s in stages} == original
    with open(copy / "counselling_language.py", "a") as handle:
        handle.write("\n# an edit\n")
    edited = {s: folder_code_version(copy / s, copy) for s in stages}
    for stage in ("features", "dialogue", "validation"):
        assert edited[stage] != original[stage], stage
    assert edited["audio"] == original["audio"]
