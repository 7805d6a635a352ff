"""The transcription logic stays free of dagster (only assets/resources import it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "pixel_assets.transcription",
    "pixel_assets.transcription.asr",
    "pixel_assets.transcription.diarization",
    "pixel_assets.transcription.speakers",
    "pixel_assets.transcription.schemas",
    "pixel_assets.transcription.metrics",
    "pixel_assets.transcription.overlap",
    "pixel_assets.transcription.stage",
]


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_import_dagster(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m == 'dagster' or m.startswith('dagster.')); "
        "heavy = [m for m in ('faster_whisper', 'resemblyzer', 'torch') if m in sys.modules]; "
        "print(bad, heavy); sys.exit(1 if bad or heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, (
        f"{module} imports dagster or loads a model package at import: {done.stdout}{done.stderr}"
    )
