"""Re-running an unchanged list: how long it takes and how many files it rewrites.

Usage: ``.venv/bin/python bench/rerun.py [--list samples/demo_videos.txt] [--until ASSET]``.

Runs ``pixel-voice run LIST`` twice as fresh subprocesses (as a user would) on a new data
folder and Dagster home under a temp folder, and prints both wall times, their ratio, and
the files under the data folder that the second run created, changed (content or mtime) or
deleted. An up-to-date re-run should rewrite nothing and cost little more than start-up.
Figures only, no asserts; the matching assertion lives in ``pixel_assets_tests/test_cli.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Each file's mtime and content hash, by path relative to ``folder``."""
    return {
        str(path.relative_to(folder)): (
            path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_list(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time and last summary line of one ``pixel-voice run``."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pixel_assets.cli", "run", *argv], env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"pixel-voice run failed (rc {done.returncode}):\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    summary = next((line for line in done.stdout.splitlines() if " done, " in line), "")
    return elapsed, summary.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", default=str(ROOT / "samples" / "demo_videos.txt"),
                        help="video list to run twice (local files are allowed)")
    parser.add_argument("--until", help="stop after this per-video asset (default: all)")
    args = parser.parse_args()
    argv = [args.list, "--allow-local-files", "--quiet"]
    if args.until:
        argv += ["--until", args.until]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {**os.environ, "PIXEL_DATA_DIR": str(data), "DAGSTER_HOME": str(Path(tmp) / "home"),
               "HF_HUB_OFFLINE": "1"}
        first, first_summary = run_list(argv, env)
        before = snapshot(data)
        second, second_summary = run_list(argv, env)
        after = snapshot(data)

    created = sorted(set(after) - set(before))
    deleted = sorted(set(before) - set(after))
    changed = sorted(p for p in set(before) & set(after) if before[p] != after[p])
    print(f"first run   {first:7.1f} s   {first_summary}")
    print(f"second run  {second:7.1f} s   {second_summary}")
    print(f"second / first: {second / first:.2f}")
    print(f"files under the data folder: {len(before)}; rewritten by the second run: "
          f"{len(changed)} changed, {len(created)} created, {len(deleted)} deleted")
    for label, paths in (("changed", changed), ("created", created), ("deleted", deleted)):
        for path in paths[:10]:
            print(f"  {label}: {path}")


if __name__ == "__main__":
    main()
