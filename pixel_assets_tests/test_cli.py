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
    assert "2 done, 0 failed, 1 rejected lines" in out
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
    from pixel_assets.definitions import PER_VIDEO_ASSETS

    assert out.count("materialized") == 2 * len(PER_VIDEO_ASSETS)

    video = rows[0]["video_id"]
    code, out = run_cli(["status", "--video", video], capsys)
    assert "loudness_lufs" in out and "duration_s" in out


def test_failed_videos_still_exit_zero_with_reasons(cli_env, media_server, capsys):
    video_list = cli_env / "mixed.txt"
    video_list.write_text(f"{media_server}/speech.mp3\n{media_server}/gone.mp3\n")
    code, out = run_cli(["run", str(video_list), "--quiet"], capsys)
    assert code == 0
    assert "1 done, 1 failed, 0 rejected lines" in out
    assert "404" in out


def test_usage_errors_exit_non_zero(cli_env, capsys):
    code, out = run_cli(["run", str(cli_env / "nope.txt")], capsys)
    assert code == 2 and "does not exist" in out
    bad = cli_env / "list.xlsx"
    bad.write_text("x")
    code, out = run_cli(["run", str(bad)], capsys)
    assert code == 2 and "unsupported list format" in out
    code, out = run_cli(["query", "SELECT * FROM no_such_table"], capsys)
    assert code == 2 and "videos" in out
    good = cli_env / "l.txt"
    good.write_text("https://youtu.be/aaaaaaaaaaa\n")
    code, out = run_cli(["run", str(good), "--until", "nonsense"], capsys)
    assert code == 2 and "raw_audio" in out


def test_console_script_is_installed(cli_env):
    exe = Path(sys.executable).parent / "pixel-voice"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    for command in ("run", "status", "query"):
        assert command in out.stdout
