"""``pixel-voice query``: declared tables without files come from a cache (no schema
imports), and ``video_status`` is a view like any table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pixel_assets import cli
from pixel_assets.catalog import TABLES, open_storage
from pixel_assets.failures import record_failure
from pixel_assets.ingest.registry import record_list
from pixel_assets.ingest.video_lists import parse_video_list
from pixel_assets.status.video_status import record_stage, video_status
from pixel_assets.warehouse.query import (
    connect,
    connect_local,
    declaration_fingerprint,
    declared_columns,
    declared_tables_file,
    load_declared_tables,
    run_query,
)

ROOT = Path(__file__).resolve().parents[2]
A, B, C = "aaaaaaaaaaa", "bbbbbbbbbbb", "ccccccccccc"


@pytest.fixture(scope="module")
def declared() -> dict[str, list[tuple[str, str]]]:
    return declared_columns(TABLES)


def three_videos(data_dir: Path) -> None:
    """A passes two stages, B is stopped at audio_qc with a reason, C never ran."""
    storage = open_storage(str(data_dir))
    urls = "".join(f"https://youtu.be/{v}\n" for v in (A, B, C))
    record_list(storage, parse_video_list(str(data_dir.parent / "l.txt"), urls))
    record_stage(storage, A, "raw_audio", 0, "passed")
    record_stage(storage, A, "audio_qc", 1, "passed")
    record_stage(storage, B, "raw_audio", 0, "passed")
    record_stage(storage, B, "audio_qc", 1, "stopped", error_type="low_snr",
                 reason="snr_db 3.1 < 10")


def test_video_status_view_agrees_with_the_status_module(tmp_path, declared):
    data = tmp_path / "data"
    three_videos(data)
    storage = open_storage(str(data))
    expected = video_status(storage)[["video_id", "state", "stage", "reason", "passing"]]
    columns = "video_id, state, stage, reason, passing"
    for con in (connect_local(data, empty_tables=declared), connect(storage)):
        rows = run_query(con, f"SELECT {columns} FROM video_status ORDER BY video_id").rows
        assert rows == [tuple(r) for r in expected.itertuples(index=False)]
        assert rows == [(A, "passed", "audio_qc", None, True),
                        (B, "stopped", "audio_qc", "snr_db 3.1 < 10", False),
                        (C, "pending", None, None, False)]


def test_video_status_view_exists_before_any_stage_ran(tmp_path, declared):
    data = tmp_path / "data"
    storage = open_storage(str(data))
    record_list(storage, parse_video_list(str(tmp_path / "l.txt"), f"https://youtu.be/{A}\n"))
    con = connect_local(data, empty_tables=declared)  # stage_status has no files yet
    assert run_query(con, "SELECT video_id, state FROM video_status").rows == [(A, "pending")]


def test_every_declared_table_reads_as_its_parquet_would(tmp_path, declared):
    """The cached DuckDB type names give each empty view the columns and types DuckDB reads
    from that table's Parquet files (lists, structs, embeddings, UTC timestamps)."""
    con = duckdb.connect()
    for name, spec in TABLES.items():
        path = tmp_path / f"{name}.parquet"
        pq.write_table(spec.arrow_schema().empty_table(), path)
        from_file = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
        assert [(r[0], r[1]) for r in from_file] == declared[name], name
    empty = connect_local(tmp_path / "nothing", empty_tables=declared)
    for name in TABLES:
        described = empty.execute(f"DESCRIBE {name}").fetchall()
        assert [(r[0], r[1]) for r in described] == declared[name], name
        assert empty.execute(f"SELECT count(*) FROM {name}").fetchone() == (0,)


def test_fingerprint_follows_declarations_only(tmp_path):
    package = tmp_path / "pkg"
    (package / "stage").mkdir(parents=True)
    schemas = package / "stage" / "schemas.py"
    schemas.write_text("class Row: video_id: str\n")
    other = package / "stage" / "coverage.py"
    other.write_text("SPEC = TableSpec('coverage', Row)\n")
    logic = package / "stage" / "logic.py"
    logic.write_text("def f(): return 1\n")
    first = declaration_fingerprint(package)
    logic.write_text("def f(): return 2\n")
    assert declaration_fingerprint(package) == first
    schemas.write_text("class Row: video_id: str; n: int\n")
    second = declaration_fingerprint(package)
    assert second != first
    other.write_text("SPEC = TableSpec('coverage', Row, partition_column='x')\n")
    assert declaration_fingerprint(package) != second
    assert declared_tables_file(tmp_path, second).name == f"declared_tables-{second}.json"


_PROBE = textwrap.dedent("""
    import json, sys
    from pixel_assets.cli import main
    codes = [main(argv) for argv in json.loads(sys.argv[1])]
    heavy = sorted(m for m in ("pandas", "pandera", "dagster", "pyarrow") if m in sys.modules)
    print("PROBE", json.dumps({"codes": codes, "heavy": heavy}))
""")


def probe(env: dict[str, str], *commands: list[str]) -> tuple[dict, str]:
    """Run CLI commands in one fresh interpreter; which heavy modules did they import?"""
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(list(commands))], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE ")), done.stdout


def test_status_and_query_start_without_schemas_once_the_cache_exists(tmp_path):
    data = tmp_path / "data"
    three_videos(data)
    storage = open_storage(str(data))
    record_failure(storage, video_id=B, asset="audio_qc", error_type="low_snr",
                   message="Video bbbbbbbbbbb: [b]too noisy[/b]")
    cache = tmp_path / "tmp"
    cache.mkdir()
    env = {**os.environ, "PIXEL_DATA_DIR": str(data), "TMPDIR": str(cache),
           "DAGSTER_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    csv = ["--format", "csv"]

    # No cache for this code version: the first query of a table without files builds it.
    result, out = probe(env, ["query", "SELECT count(*) AS n FROM videos", *csv])
    assert result["codes"] == [0] and "n\n0\n" in out
    assert "pandera" in result["heavy"]
    cached = load_declared_tables(declared_tables_file(cache / "pixel_voice_cache"))
    assert cached is not None and set(cached) == set(TABLES)

    result, out = probe(
        env,
        ["query", "SELECT count(*) AS n FROM videos", *csv],
        ["query", "SELECT video_id, state FROM video_status ORDER BY 1", *csv],
        ["query", "SELECT * FROM no_such_table"],
        ["status"],
    )
    assert result == {"codes": [0, 0, 2, 0], "heavy": []}
    assert f"{A},passed\n{B},stopped\n{C},pending\n" in out
    assert "no_such_table" in out and "video_status" in out  # the error lists the tables
    assert "[b]too noisy[/b]" in out and "stopped by check" in out


def test_a_corrupt_cache_is_rebuilt(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # gettempdir() reads TMPDIR again
    monkeypatch.setenv("PIXEL_DATA_DIR", str(tmp_path / "data"))
    path = declared_tables_file(tmp_path / "pixel_voice_cache")
    path.parent.mkdir()
    path.write_text("{not json")
    assert cli.main(["query", "SELECT count(*) AS n FROM speakers", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "0"]
    assert load_declared_tables(path) == declared_columns(TABLES)
