"""`make dev` for real: webserver + daemon answer, and the sensor (running by default)
turns a dropped list into a run that writes the video's audio and tables."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout_s: float, what: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"dagster dev exited early while waiting for {what}")
        if predicate():
            return
        time.sleep(2)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


def test_dagster_dev_serves_ui_and_sensor_launches_runs(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(ROOT / "samples" / "audio" / "reflection.ogg", lists / "reflection.ogg")
    (lists / "new.txt").write_text("reflection.ogg\n")
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.local.yaml", home / "dagster.yaml")
    data = tmp_path / "data"
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PIXEL_DATA_DIR": str(data),
        "PIXEL_VIDEO_LISTS_DIR": str(lists),
        "PIXEL_ALLOW_LOCAL_FILES": "true",
        "HF_HUB_OFFLINE": "1",
    }
    dagster = str(Path(sys.executable).parent / "dagster")
    proc = subprocess.Popen(
        [dagster, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        def server_info() -> dict | None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as r:
                    return json.load(r)
            except OSError:
                return None

        wait_for(lambda: server_info() is not None, 120, "the webserver", proc)
        assert server_info()["dagster_version"].startswith("1.13")

        videos = data / "warehouse" / "videos"
        wait_for(lambda: any(videos.glob("*/part.parquet")), 240, "the sensor's run", proc)
        (audio,) = list((data / "audio").glob("file-*/audio.flac"))
        assert audio.stat().st_size > 0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
