"""`make dev` for real: webserver + daemon answer, the sensor (running by default) turns a
dropped list into runs that write the video's audio and tables, and a video whose source keeps
failing prints one concise error line per try in the terminal (the traceback only at debug)."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime
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


class _Unavailable(http.server.BaseHTTPRequestHandler):
    """A source that is down for now (HTTP 503): transient, so the step is tried 3 times."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_dagster_dev_serves_ui_and_sensor_launches_runs(tmp_path):
    down = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    threading.Thread(target=down.serve_forever, daemon=True).start()
    down_url = f"http://127.0.0.1:{down.server_port}/down.mp3"
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(ROOT / "samples" / "audio" / "reflection.ogg", lists / "reflection.ogg")
    (lists / "new.txt").write_text(f"reflection.ogg\n{down_url}\n")
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
        # Waits of 0.5 s and 1.5 s between the 503 source's tries instead of 5 s and 15 s.
        "PIXEL_DOWNLOAD_RETRY_DELAY_S": "0.5",
    }
    dagster = str(Path(sys.executable).parent / "dagster")
    terminal = tmp_path / "terminal.log"  # what a user of `make dev` sees
    proc = subprocess.Popen(
        [dagster, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT, env=env, stdout=terminal.open("wb"), stderr=subprocess.STDOUT,
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

        # The unavailable source: three tries (retry delays 0.5 s, 1.5 s), then the final failure.
        wait_for(lambda: "failed after 3 tries" in terminal.read_text(errors="replace"), 120,
                 "the unavailable source's last try", proc)
        time.sleep(2)  # let the run worker flush its last lines
        output = terminal.read_text(errors="replace")
        errors = [line for line in output.splitlines() if " - ERROR - " in line]
        ours = [line for line in errors if "down.mp3" in line or "HTTP 503" in line]
        assert len(ours) == 3, "\n".join(errors)  # one line per try, not one per event
        assert "try 1 of 3" in ours[0] and "failed after 3 tries" in ours[-1], ours
        assert all("fix" in line.lower() or "check" in line.lower() for line in ours), ours
        # The retry delay came from the environment: the default waits 5 s, then 15 s, so 20 s
        # of waiting alone; with 0.5 s the three tries fit well inside that even on a slow CI
        # machine, where each try (a step start plus yt-dlp's request) took up to 4 s.
        stamps = [datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S") for line in ours]
        assert (stamps[-1] - stamps[0]).total_seconds() < 18, ours
        assert "Traceback" not in output and "Stack Trace" not in output, output[-4000:]
        assert "Not executing" not in output  # the steps after it are skipped quietly
        # Each run executes its steps in its own process, not one process per step (jobs.py).
        assert "STEP_WORKER_STARTED" not in output
    finally:
        down.shutdown()
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
