"""``pixel-voice`` end to end on the bundled sample, then queried with DuckDB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pixel_assets import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("PIXEL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.delenv("PIXEL_ALLOW_LOCAL_FILES", raising=False)
    return tmp_path


def run_cli(args: list[str], capsys) -> tuple[int, str]:
    code = cli.main(args)
    return code, capsys.readouterr().out


def test_run_bundled_sample_then_query_and_status(cli_env, capsys):
    code, out = run_cli(
        ["run", str(ROOT / "samples" / "demo_videos.txt"), "--allow-local-files", "--quiet"],
        capsys,
    )
    assert code == 0
    assert "2 done, 0 failed, 1 rejected line in" in out
    assert "not-a-video-url" in out

    code, out = run_cli(
        ["query", "SELECT video_id, sample_rate, channels, list_file FROM videos ORDER BY 1",
         "--format", "json"],
        capsys,
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2
    assert all(r["sample_rate"] == 16000 and r["channels"] == 1 for r in rows)
    assert all(r["video_id"].startswith("file-") for r in rows)

    code, out = run_cli(["query", "SELECT count(*) AS n FROM ingest_rejections", "--format",
                         "csv"], capsys)
    assert out.splitlines() == ["n", "1"]
    code, out = run_cli(["query", "SELECT count(*) AS n FROM pipeline_failures", "--format",
                         "csv"], capsys)
    assert out.splitlines() == ["n", "0"]

    code, out = run_cli(["status"], capsys)
    assert code == 0
    assert all(r["video_id"] in out for r in rows)
    assert "failed" not in out

    video = rows[0]["video_id"]
    code, out = run_cli(["status", "--video", video], capsys)
    assert "loudness_lufs" in out and "duration_s" in out
    assert "base64" not in out and "data:image" not in out

    # The same list again: nothing is recomputed or rewritten.
    data = cli_env / "data"
    before = {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file()}
    code, out = run_cli(
        ["run", str(ROOT / "samples" / "demo_videos.txt"), "--allow-local-files", "--quiet"],
        capsys,
    )
    assert code == 0 and "0 done" in out and "2 skipped (already up to date" in out
    # Not even the list's own rows: they already say what the list says.
    assert {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file()} == before
    # --until a stage that is done is also up to date; --force recomputes.
    code, out = run_cli(
        ["run", str(ROOT / "samples" / "demo_videos.txt"), "--allow-local-files", "--quiet",
         "--until", "raw_audio", "--force"],
        capsys,
    )
    assert code == 0 and "2 done" in out


def test_failed_videos_still_exit_zero_with_reasons(cli_env, media_server, capsys):
    video_list = cli_env / "mixed.txt"
    video_list.write_text(f"{media_server}/speech.mp3\n{media_server}/gone.mp3\n")
    code, out = run_cli(["run", str(video_list), "--quiet"], capsys)
    assert code == 0
    assert "1 done, 1 failed, 0 rejected lines" in out
    assert "404" in out and "Fix:" in out

    # Only the asset that failed says so; the later ones never ran.
    code, out = run_cli(["query", "SELECT video_id FROM pipeline_failures", "--format", "csv"],
                        capsys)
    failed_video = out.splitlines()[1]
    code, out = run_cli(["status", "--video", failed_video], capsys)
    assert code == 0
    states = dict(
        [c.strip() for c in line.split("│") if c.strip()] for line in out.splitlines()
        if line.startswith("│") and len(line.split("│")) == 4
    )
    assert "raw_audio" in states and "transcripts" in states, out
    assert [a for a, s in states.items() if s == "failed"] == ["raw_audio"]
    assert {s for a, s in states.items() if a != "raw_audio"} == {"not run"}, states
    assert "source_url" not in out  # status shows messages, not raw columns
    code, out = run_cli(["status"], capsys)  # every name whole, however many assets
    assert failed_video in out and "filtered_transcripts" in out and "…" not in out


def test_usage_errors_exit_non_zero(cli_env, capsys):
    code, out = run_cli(["run", str(cli_env / "nope.txt")], capsys)
    assert code == 2 and "does not exist" in out
    bad = cli_env / "list.xlsx"
    bad.write_text("x")
    code, out = run_cli(["run", str(bad)], capsys)
    assert code == 2 and "unsupported list format" in out
    code, out = run_cli(["query", "SELECT * FROM no_such_table"], capsys)
    assert code == 2 and "no_such_table" in out
    good = cli_env / "l.txt"
    good.write_text("https://youtu.be/aaaaaaaaaaa\n")
    code, out = run_cli(["run", str(good), "--until", "nonsense"], capsys)
    assert code == 2 and "raw_audio" in out


def test_console_script_is_installed(cli_env):
    exe = Path(sys.executable).parent / "pixel-voice"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    for command in ("run", "status", "query"):
        assert command in out.stdout


def test_query_is_read_only_and_every_escape_writes_nothing(cli_env, capsys):
    from pixel_assets.catalog import open_storage
    from pixel_assets.ingest.registry import record_list_error

    storage = open_storage(str(cli_env / "data"))
    record_list_error(storage, str(cli_env / "l.csv"), "no url column")
    snapshot = {p: p.read_bytes() for p in cli_env.rglob("*") if p.is_file()}
    part = next(p for p in snapshot if p.name == "part.parquet")
    escapes = [
        f"COPY (SELECT 1 AS x) TO '{part}' (FORMAT parquet)",
        f"COPY ingest_rejections TO '{cli_env / 'out.csv'}'",
        "CREATE TABLE t AS SELECT 1",
        f"ATTACH '{cli_env / 'x.duckdb'}' AS x",
        "ATTACH ':memory:' AS m",
        "SELECT * FROM read_csv('/etc/passwd')",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "SELECT 1; DROP VIEW videos",
    ]
    for sql in escapes:
        code, out = run_cli(["query", sql], capsys)
        assert code == 2, sql
        assert "read-only" in out, (sql, out)
    assert {p: p.read_bytes() for p in cli_env.rglob("*") if p.is_file()} == snapshot
    code, out = run_cli(["query", "SELECT count(*) AS n FROM ingest_rejections", "--format",
                         "csv"], capsys)
    assert code == 0 and out.splitlines() == ["n", "1"]


def test_markup_in_lines_and_messages_prints_intact(cli_env, capsys):
    from pixel_assets.catalog import open_storage
    from pixel_assets.failures import record_failure

    video_list = cli_env / "odd.txt"
    video_list.write_text("bad[/b]line\n[bold]x[/bold]\n")
    code, out = run_cli(["run", str(video_list), "--quiet"], capsys)
    assert code == 0
    assert "bad[/b]line" in out and "[bold]x[/bold]" in out

    storage = open_storage(str(cli_env / "data"))
    message = "Video dQw4w9WgXcQ: [youtube] dQw4w9WgXcQ: Video unavailable [/red]"
    record_failure(storage, video_id="dQw4w9WgXcQ", asset="raw_audio",
                   error_type="video_unavailable", message=message)
    code, out = run_cli(["status"], capsys)
    assert code == 0 and "[youtube] dQw4w9WgXcQ" in out and "[/red]" in out


def test_floats_are_rounded_and_one_row_is_singular(cli_env, capsys):
    code, out = run_cli(["query", "SELECT 3.14159265 AS pi, 'a' AS s"], capsys)
    assert code == 0 and "3.142" in out and "3.14159" not in out
    assert "1 row\n" in out and "1 rows" not in out
    code, out = run_cli(["query", "SELECT 3.14159265 AS pi", "--format", "csv"], capsys)
    assert out.splitlines() == ["pi", "3.14159265"]


def test_list_level_errors_are_recorded_like_the_sensor(cli_env, capsys):
    bad = cli_env / "nourl.csv"
    bad.write_text("title,link\nx,https://example.com/a.mp3\n")
    code, out = run_cli(["run", str(bad)], capsys)
    assert code == 2 and "'url' column" in out
    code, out = run_cli(["query", "SELECT line_number, reason FROM ingest_rejections",
                         "--format", "json"], capsys)
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["line_number"] == 0 and "'url' column" in row["reason"]


def test_unwritable_storage_stops_with_one_line_and_rc_2(cli_env, monkeypatch, capsys):
    import os

    if os.geteuid() == 0:  # root writes through permissions; sysfs refuses even root
        monkeypatch.setenv("PIXEL_DATA_DIR", "/sys/pixel-voice-data")
    else:
        locked = cli_env / "locked"
        locked.mkdir(mode=0o555)
        monkeypatch.setenv("PIXEL_DATA_DIR", str(locked / "data"))
    video_list = cli_env / "l.txt"
    video_list.write_text("https://youtu.be/aaaaaaaaaaa\n")
    code, out = run_cli(["run", str(video_list), "--quiet"], capsys)
    assert code == 2
    assert "Traceback" not in out and len(out.strip().splitlines()) <= 2
    assert "cannot write" in out and "PIXEL_DATA_DIR" in out


def test_environment_problem_names_disk_full_and_read_only():
    import errno

    from pixel_assets.errors import environment_problem

    full = OSError(errno.ENOSPC, "No space left on device", "/data/audio/x.flac")
    assert environment_problem(full) == "cannot write /data/audio/x.flac: the disk is full"
    wrapped = RuntimeError("step failed")
    wrapped.__cause__ = OSError(errno.EROFS, "Read-only file system")
    assert "read-only" in environment_problem(wrapped)
    assert environment_problem(FileNotFoundError(errno.ENOENT, "gone")) is None


class _Drip(__import__("http.server").server.BaseHTTPRequestHandler):
    """A source that sends one byte every half second: a download that never ends."""

    started = __import__("threading").Event()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        import time

        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        type(self).started.set()
        try:
            for _ in range(100000):
                self.wfile.write(b"\0")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass


def test_sigint_during_a_slow_download_ends_the_run_and_records_the_video(cli_env):
    import http.server
    import os
    import signal
    import threading
    import time

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    video_list = cli_env / "drip.txt"
    video_list.write_text(f"http://127.0.0.1:{server.server_address[1]}/drip.mp3\n")
    env = {**os.environ, "PIXEL_DATA_DIR": str(cli_env / "data"),
           "DAGSTER_HOME": str(cli_env / "dagster_home"),
           # Its own temp folder: parallel test workers download into the shared one.
           "TMPDIR": str(cli_env / "tmp")}
    (cli_env / "tmp").mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pixel_assets.cli", "run", str(video_list), "--quiet"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert _Drip.started.wait(180), "the download never started"
        time.sleep(1)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, _ = proc.communicate(timeout=60)
        assert time.monotonic() - sent < 15, out
    finally:
        proc.kill()
        server.shutdown()
        server.server_close()
    assert proc.returncode == 130, out
    assert "interrupted" in out and "Traceback" not in out
    assert "retry" not in out.lower()
    from pixel_assets.catalog import open_storage

    failures = open_storage(str(cli_env / "data")).read_table("pipeline_failures")
    assert failures["error_type"].tolist() == ["interrupted"]
    scratch = cli_env / "tmp" / "pixel_voice_cache" / "scratch"
    assert not list(scratch.glob("ingest-url-*")), "the download's temp files were left"
