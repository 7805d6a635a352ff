"""How long ``pixel-voice status`` and ``pixel-voice query`` take from a cold process.

Usage: ``.venv/bin/python bench/cli_startup.py [--repeat 3]``. It writes a small warehouse
(one registered list, one failure, one stage state) under a temp folder, then times each
command as a fresh subprocess, as a user would run it. The target is under 3 s on a 2-core
machine.

Declared tables without files (``videos`` here) are answered from the declared-table cache
(see ``pixel_assets.warehouse.query``). The temp folder is the subprocesses' ``TMPDIR``, so
the cache starts absent: the first such query (``first query, no cache``) imports the
catalogue and writes it, as after an upgrade; every later one reads the cache.
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

FIRST = ("first query, no cache", ["query", "SELECT count(*) FROM videos"])
COMMANDS = {
    "--help": ["--help"],
    "status": ["status"],
    "query (table with files)": ["query", "SELECT video_id, error_type FROM pipeline_failures"],
    "query (declared, empty table)": ["query", "SELECT count(*) FROM videos"],
    "query video_status": ["query", "SELECT * FROM video_status"],
}


def prepare(root: Path) -> dict[str, str]:
    from pixel_assets.catalog import open_storage
    from pixel_assets.failures import record_failure
    from pixel_assets.ingest.registry import record_list
    from pixel_assets.ingest.video_lists import parse_video_list
    from pixel_assets.status.video_status import record_stage

    storage = open_storage(str(root / "data"))
    parsed = parse_video_list(str(root / "l.txt"), "https://youtu.be/dQw4w9WgXcQ\n")
    record_list(storage, parsed)
    record_failure(storage, video_id="dQw4w9WgXcQ", asset="raw_audio",
                   error_type="video_unavailable", message="Video dQw4w9WgXcQ: gone.")
    record_stage(storage, "dQw4w9WgXcQ", "raw_audio", 0, "failed",
                 error_type="video_unavailable", reason="gone")
    (root / "tmp").mkdir()
    return {**os.environ, "PIXEL_DATA_DIR": str(root / "data"),
            "DAGSTER_HOME": str(root / "home"), "TMPDIR": str(root / "tmp")}


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pixel_assets.cli", *argv], env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(Path(tmp))
        print(f"{'command':32} {'median s':>9} {'max s':>7}")
        first = timed(FIRST[1], env)
        print(f"{FIRST[0]:32} {first:9.2f} {first:7.2f}")
        for name, argv in COMMANDS.items():
            times = [timed(argv, env) for _ in range(args.repeat)]
            print(f"{name:32} {statistics.median(times):9.2f} {max(times):7.2f}")


if __name__ == "__main__":
    main()
