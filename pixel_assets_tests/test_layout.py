"""The code location loads, and stage logic stays free of Dagster (STYLE.md rule 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
def test_definitions_load_and_validate():
    import dagster as dg

    from pixel_assets.definitions import defs

    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("per_video_job")
    assert job.partitions_def.name == "videos"
    # One process per video run, not one per step (see jobs.py).
    assert job.executor_def.name == "in_process"
    assert defs.resolve_sensor_def("video_list_sensor")


def test_every_per_video_asset_declares_its_tables():
    """A quality stop withdraws downstream rows by these declarations, so none may be missing."""
    from pixel_assets.definitions import PER_VIDEO_ASSETS, defs
    from pixel_assets.wiring import tables_written

    graph = defs.resolve_asset_graph()
    declared = {a.key.to_user_string(): tables_written(graph.get(a.key).metadata)
                for a in PER_VIDEO_ASSETS}
    assert all(declared.values()), declared
    assert declared["segments"] == ["segments", "rejected_segments"]


@pytest.mark.slow
def test_dagster_cli_validates_workspace(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    out = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-w",
         "workspace.yaml"],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "All code locations passed validation" in out.stdout + out.stderr


def test_heavy_backends_are_optional_extras():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    required = " ".join(project["dependencies"]).lower()
    assert "whisperx" not in required and "pyannote" not in required
    assert set(project["optional-dependencies"]) >= {"whisperx", "pyannote"}


def test_loading_the_definitions_imports_no_model_or_fitting_package():
    """Every Dagster process (code server, run, CLI) loads the definitions: packages only a
    stage's work needs are imported by that work (each of these cost 0.5-1.5 s per process)."""
    heavy = ("sklearn", "pyloudnorm", "scipy.signal", "dagster_aws", "boto3", "torch",
             "transformers", "librosa", "faster_whisper", "onnxruntime", "evidently")
    code = (
        "import sys\n"
        "import pixel_assets.definitions\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout
