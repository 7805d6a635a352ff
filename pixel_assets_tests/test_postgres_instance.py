"""Dagster's run, event-log and schedule storage on a real PostgreSQL (dagster-postgres).

Uses the server at ``PIXEL_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/
postgres``, trust auth); if none answers, starts a throwaway one as the ``postgres`` user. Each
session works in its own fresh database, dropped afterwards.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dagster as dg
import pytest

from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.registry import record_list
from pixel_assets.ingest.video_lists import parse_video_list
from pixel_assets.resources import IngestResource, StorageResource

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RAW_AUDIO = dg.AssetKey("raw_audio")


def _reachable(url: str) -> str | None:
    """None if ``url`` accepts connections, else the reason it does not."""
    import psycopg2

    try:
        psycopg2.connect(url, connect_timeout=3).close()
    except psycopg2.OperationalError as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin(name: str) -> str | None:
    found = shutil.which(name) or shutil.which(name, path="/usr/local/bin")
    if found:
        return found
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _start_own_server(work: Path) -> tuple[str, list[str]]:
    """Start a trust-auth server on a free loopback port; return its URL and the stop command.

    Raises:
        RuntimeError: with the reason it could not be started.
    """
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("initdb/pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin")
    prefix: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root; the distribution's `postgres` user can.
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise RuntimeError("running as root and there is no `postgres` user") from exc
        if not shutil.which("runuser"):
            raise RuntimeError("running as root and `runuser` is missing")
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(work, user="postgres")
    data, port = work / "data", _free_port()
    setup = [*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]
    options = f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [*prefix, pg_ctl, "-D", str(data), "-l", str(work / "log"), "-o", options, "-w"]
    for command in (setup, [*start, "start"]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise RuntimeError(f"{Path(command[len(prefix)]).name} failed: {detail[-1:]}")
    return (
        f"postgresql://postgres@127.0.0.1:{port}/postgres",
        [*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
    )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a reachable PostgreSQL maintenance database (``postgres``)."""
    url = _libpq_url(os.environ.get("PIXEL_TEST_POSTGRES_URL", DEFAULT_URL))
    why = _reachable(url)
    if why is None:
        yield url
        return
    work = Path(tempfile.mkdtemp(prefix="pixel-pg-"))
    try:
        own_url, stop = _start_own_server(work)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(work, ignore_errors=True)
        pytest.skip(
            f"no PostgreSQL reachable at {url} ({why}) and could not start one: {exc}; "
            "set PIXEL_TEST_POSTGRES_URL"
        )
    try:
        yield own_url
    finally:
        subprocess.run(stop, capture_output=True, timeout=60)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: str) -> Iterator[str]:
    """URL of a fresh database for this session, dropped afterwards."""
    import psycopg2
    from psycopg2 import sql

    name = f"pixel_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(postgres_server, connect_timeout=5)
    # CREATE/DROP DATABASE cannot run inside a transaction.
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        parts = urlsplit(postgres_server)
        yield urlunsplit(parts._replace(path=f"/{name}"))
        with admin.cursor() as cur:
            # Dagster's pooled connections may still be open; end them before dropping.
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    finally:
        admin.close()


def _dagster_url(url: str) -> str:
    """``url`` with the psycopg2 driver named for SQLAlchemy.

    SQLAlchemy 2.1 maps a bare ``postgresql://`` to psycopg 3, which is not installed here
    (dagster-postgres brings psycopg2), so the driver must be explicit; see
    :func:`test_bare_postgresql_url_works`.
    """
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg2://{rest}" if scheme in ("postgres", "postgresql") else url


def _libpq_url(url: str) -> str:
    """``url`` as libpq (psycopg2.connect) wants it: no SQLAlchemy driver suffix."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.startswith("postgresql+") else url


def _postgres_instance(url: str):
    return dg.instance_for_test(
        overrides={"storage": {"postgres": {"postgres_url": _dagster_url(url)}}}
    )


def test_runs_events_and_partitions_live_in_postgres(
    postgres_url: str, media_server: str, tmp_path: Path
) -> None:
    import psycopg2
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage

    storage_resource = StorageResource(data_dir=str(tmp_path / "data"))
    parsed = parse_video_list(
        "pg.txt", f"{media_server}/speech.wav\n{media_server}/does-not-exist.mp3\n"
    )
    good, missing = parsed.video_ids
    record_list(storage_resource.get_storage(), parsed)
    resources = {
        "storage": storage_resource,
        "ingest": IngestResource(
            video_lists_dir=str(tmp_path / "lists"), download_retries=0, socket_timeout_s=5
        ),
    }

    with _postgres_instance(postgres_url) as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        instance.add_dynamic_partitions("videos", [good, missing])
        ok = dg.materialize([raw_audio], partition_key=good, instance=instance, resources=resources)
        failed = dg.materialize(
            [raw_audio],
            partition_key=missing,
            instance=instance,
            resources=resources,
            raise_on_error=False,
        )
        assert ok.success and not failed.success

        # Through the instance: both runs, their outcomes and partitions.
        records = {r.dagster_run.run_id: r.dagster_run for r in instance.get_run_records()}
        assert records[ok.run_id].status == dg.DagsterRunStatus.SUCCESS
        assert records[failed.run_id].status == dg.DagsterRunStatus.FAILURE
        assert records[ok.run_id].tags["dagster/partition"] == good
        assert records[failed.run_id].tags["dagster/partition"] == missing
        assert instance.get_materialized_partitions(RAW_AUDIO) == {good}
        latest = instance.get_latest_materialization_event(RAW_AUDIO)
        assert latest is not None and latest.run_id == ok.run_id
        failures = instance.all_logs(failed.run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
        assert len(failures) == 1
        error = failures[0].dagster_event.step_failure_data.error
        assert "404" in error.message and "does-not-exist" in error.message

    # Directly in PostgreSQL: the rows are really there, not in a local SQLite file.
    with psycopg2.connect(postgres_url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT run_id, status FROM runs WHERE run_id IN (%s, %s)", (ok.run_id, failed.run_id)
        )
        assert dict(cur.fetchall()) == {ok.run_id: "SUCCESS", failed.run_id: "FAILURE"}
        cur.execute(
            "SELECT run_id, partition FROM event_logs "
            "WHERE dagster_event_type = 'ASSET_MATERIALIZATION' AND asset_key = %s",
            (RAW_AUDIO.to_string(),),
        )
        assert cur.fetchall() == [(ok.run_id, good)]
        cur.execute(
            "SELECT count(*) FROM event_logs "
            "WHERE run_id = %s AND dagster_event_type = 'STEP_FAILURE'",
            (failed.run_id,),
        )
        assert cur.fetchone() == (1,)
        cur.execute(
            "SELECT partition FROM dynamic_partitions WHERE partitions_def_name = 'videos' "
            "ORDER BY partition"
        )
        assert [row[0] for row in cur.fetchall()] == sorted([good, missing])

    # A fresh instance on the same URL (another process, in production) sees the same state.
    with _postgres_instance(postgres_url) as fresh:
        assert fresh.get_dynamic_partitions("videos") == [good, missing]
        assert fresh.get_run_by_id(ok.run_id) is not None
        assert fresh.get_materialized_partitions(RAW_AUDIO) == {good}


def test_bare_postgresql_url_works(postgres_url: str) -> None:
    """The plain postgresql:// URL users put in dagster.yaml works (SQLAlchemy < 2.1)."""
    with dg.instance_for_test(
        overrides={"storage": {"postgres": {"postgres_url": postgres_url}}}
    ) as instance:
        instance.add_dynamic_partitions("videos", ["bare-url-check"])
        assert "bare-url-check" in instance.get_dynamic_partitions("videos")
