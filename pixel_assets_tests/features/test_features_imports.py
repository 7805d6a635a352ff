"""The feature logic stays free of dagster and loads no model package at import."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("dagster", "torch", "sentence_transformers", "transformers", "parselmouth", "sklearn",
         "librosa", "matplotlib")


def test_feature_modules_import_light():
    code = (
        "import importlib, pkgutil, sys\n"
        "import pixel_assets.features as f\n"
        "for m in pkgutil.walk_packages(f.__path__, 'pixel_assets.features.'):\n"
        "    if m.name.rsplit('.', 1)[-1] in ('assets', 'checks'):\n"
        "        continue  # the wiring layer imports dagster by design\n"
        "    importlib.import_module(m.name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, f"heavy imports at import time: {done.stdout}{done.stderr}"
