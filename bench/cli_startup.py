"""How long ``pixel-voice status`` and ``pixel-voice query`` take from a cold process.

Usage: ``.venv/bin/python bench/cli_startup.py [--repeat 3]``. It writes a small warehouse
(one registered list, one failure) under a temp folder, then times each command as a fresh
subprocess, as a user would run it. The target is under 3 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "status": ["status"],
    "query": ["query", "SELECT video_id, error_type FROM pipeline_failures"],
    "query (declared, empty table)": ["query", "SELECT count(*) FROM videos"],
}


def prepare(root: Path) -> dict[str, str]:
    from pixel_assets.catalog import open_storage
    from pixel_assets.failures import record_failure
    from pixel_assets.ingest.registry import record_list
    from pixel_assets.ingest.video_lists import parse_video_list

    storage = open_storage(str(root / "data"))
    parsed = parse_video_list(str(root / "l.txt"), "https://youtu.be/dQw4w9WgXcQ\n")
    record_list(storage, parsed)
    record_failure(storage, video_id="dQw4w9WgXcQ", asset="raw_audio",
                   error_type="video_unavailable", message="Video dQw4w9WgXcQ: gone.")
    return {**os.environ, "PIXEL_DATA_DIR": str(root / "data"),
            "DAGSTER_HOME": str(root / "home")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "pixel_assets.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(Path(tmp))
        print(f"{'command':32} {'median s':>9} {'max s':>7}")
        for name, argv in COMMANDS.items():
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                subprocess.run([*exe, *argv], env=env, check=True, capture_output=True)
                times.append(time.perf_counter() - started)
            print(f"{name:32} {statistics.median(times):9.2f} {max(times):7.2f}")


if __name__ == "__main__":
    main()
