"""Running the ``dbt_reports`` project: parse, build, docs, and publishing its marts.

dbt reads the warehouse where ``PIXEL_DATA_DIR`` says (``dbt_reports/profiles.yml``), so every
run here passes an explicit environment: an absolute data dir (dbt runs in the project folder,
where a relative path would point elsewhere), the target (= ``PIXEL_ENV``) and the DuckDB file
that holds staging tables and marts. dbt runs as a child process (its CLI keeps global state,
and the environment it reads is then exactly the one given). Results come from dbt's own
``run_results.json``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from pixel_assets.reports.schemas import MARTS
from pixel_assets.warehouse.contract import to_arrow
from pixel_assets.warehouse.storage import Storage

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_reports"
TARGETS = ("local", "ci", "prod")


class DbtRunError(RuntimeError):
    """A dbt command failed; the message names the failing nodes and the log to read."""


@dataclass(frozen=True)
class DbtOptions:
    """Where dbt reads and writes.

    Attributes:
        data_dir: The storage root (local folder or ``s3://bucket/prefix``) holding
            ``warehouse/``.
        target: The profile target, one per ``PIXEL_ENV``: ``local``, ``ci`` or ``prod``.
        duckdb_path: The DuckDB file for staging tables and marts (a local path, also for an
            S3 root); default ``<target_path>/pixel_reports_<target>.duckdb``.
        target_path: dbt's artifacts folder (manifest, run results, docs); default the
            project's ``target/``.
        project_dir: The dbt project (the profiles.yml is in it).
        s3_endpoint_url: S3-compatible endpoint (MinIO, moto) for an ``s3://`` root;
            credentials come from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` in the
            environment and are never stored here.
        aws_region: Region for the S3 client.
        threads: dbt threads (default: the target's).
    """

    data_dir: str
    target: str = "local"
    duckdb_path: str | None = None
    target_path: str | None = None
    project_dir: Path = DBT_PROJECT_DIR
    s3_endpoint_url: str | None = None
    aws_region: str | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise ValueError(
                f"dbt target {self.target!r} is not one of {', '.join(TARGETS)} "
                "(set PIXEL_ENV to one of them)."
            )

    @property
    def resolved_target_path(self) -> Path:
        return Path(self.target_path) if self.target_path else self.project_dir / "target"

    @property
    def resolved_duckdb_path(self) -> Path:
        if self.duckdb_path:
            return Path(self.duckdb_path)
        return self.resolved_target_path / f"pixel_reports_{self.target}.duckdb"

    @property
    def resolved_data_dir(self) -> str:
        if "://" in self.data_dir:
            return self.data_dir.rstrip("/")
        return str(Path(self.data_dir).expanduser().resolve())


@dataclass(frozen=True)
class DbtNodeResult:
    """One model or test of a run (from ``run_results.json``)."""

    unique_id: str
    status: str
    message: str | None
    failures: int | None


@dataclass
class DbtRun:
    """What a dbt command did."""

    args: list[str]
    returncode: int
    output: str
    results: list[DbtNodeResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def failed(self) -> list[DbtNodeResult]:
        """Nodes that errored or whose test failed."""
        return [r for r in self.results if r.status in ("error", "fail", "runtime error")]


def dbt_environment(options: DbtOptions, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a dbt child process needs for ``options`` (over ``base``/os.environ)."""
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "PIXEL_DATA_DIR": options.resolved_data_dir,
            "PIXEL_ENV": options.target,
            "PIXEL_DBT_DUCKDB_PATH": str(options.resolved_duckdb_path.resolve()),
            # dbt's usage tracking calls home; these machines (and CI) are offline.
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
    )
    if options.s3_endpoint_url:
        env["PIXEL_S3_ENDPOINT_URL"] = options.s3_endpoint_url
    if options.aws_region:
        env["AWS_REGION"] = options.aws_region
    return env


def _dbt_executable() -> list[str]:
    # The dbt next to this interpreter, so a virtualenv's dbt is used even when not activated.
    candidate = Path(sys.executable).with_name("dbt")
    if candidate.exists():
        return [str(candidate)]
    return [sys.executable, "-c", "from dbt.cli.main import cli; cli()"]


def run_dbt(
    command: list[str], options: DbtOptions, check: bool = True, timeout_s: float = 1800
) -> DbtRun:
    """Run ``dbt <command>`` on the reports project.

    Args:
        command: e.g. ``["build"]``, ``["parse"]``, ``["docs", "generate", "--static"]``.
        options: Where to read and write.
        check: Raise :class:`DbtRunError` when dbt exits non-zero.
        timeout_s: Kill dbt after this long.

    Returns:
        The exit code, dbt's output and each node's result.
    """
    target_path = options.resolved_target_path
    target_path.mkdir(parents=True, exist_ok=True)
    options.resolved_duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    args = [
        *command,
        "--project-dir", str(options.project_dir),
        "--profiles-dir", str(options.project_dir),
        "--target", options.target,
        "--target-path", str(target_path.resolve()),
        "--log-path", str((target_path / "logs").resolve()),
    ]
    if options.threads and command[0] in ("build", "run", "test"):
        args += ["--threads", str(options.threads)]
    results_file = target_path / "run_results.json"
    results_file.unlink(missing_ok=True)
    proc = subprocess.run(
        [*_dbt_executable(), *args],
        cwd=options.project_dir,
        env=dbt_environment(options),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    run = DbtRun(args=args, returncode=proc.returncode, output=proc.stdout + proc.stderr)
    if results_file.exists():
        payload = json.loads(results_file.read_text())
        run.results = [
            DbtNodeResult(r["unique_id"], r["status"], r.get("message"), r.get("failures"))
            for r in payload.get("results", [])
        ]
    if check and not run.ok:
        raise DbtRunError(describe_failure(run, options))
    return run


def describe_failure(run: DbtRun, options: DbtOptions) -> str:
    """What failed in ``run``, its last output lines and where the full log is."""
    failed = "; ".join(f"{r.unique_id}: {r.message}" for r in run.failed()[:10])
    tail = "\n".join(run.output.strip().splitlines()[-15:])
    return (
        f"dbt {run.args[0]} failed (exit {run.returncode}) on warehouse "
        f"{options.resolved_data_dir}: {failed or 'see output'}.\n{tail}\n"
        f"Full log: {options.resolved_target_path / 'logs' / 'dbt.log'}"
    )


def build(options: DbtOptions, check: bool = True) -> DbtRun:
    """``dbt build``: staging tables, marts and every dbt test."""
    return run_dbt(["build"], options, check=check)


def parse(options: DbtOptions) -> Path:
    """``dbt parse``: writes ``manifest.json`` (what dagster-dbt loads); returns its path."""
    run_dbt(["parse"], options)
    return options.resolved_target_path / "manifest.json"


def docs_generate(options: DbtOptions, compile_first: bool = True) -> Path:
    """``dbt docs generate --static``: one self-contained HTML page (it opens from disk,
    where the non-static site could not fetch its JSON). Returns its path.

    Args:
        options: Where dbt reads and writes.
        compile_first: Compile the project first; False reuses the manifest of the run just made
            in the same target path (saves a full compile).
    """
    run_dbt(["docs", "generate", "--static", *([] if compile_first else ["--no-compile"])], options)
    return options.resolved_target_path / "static_index.html"


def read_marts(options: DbtOptions) -> dict[str, pd.DataFrame]:
    """Every mart as a DataFrame, read from the run's DuckDB file."""
    with duckdb.connect(str(options.resolved_duckdb_path), read_only=True) as con:
        return {spec.name: con.execute(f"SELECT * FROM main.{spec.name}").df() for spec in MARTS}


def publish_marts(storage: Storage, options: DbtOptions) -> dict[str, int]:
    """Write each mart to ``warehouse/<mart>/corpus=all/part.parquet`` under ``storage``.

    Each frame is checked against its declaration (:mod:`pixel_assets.reports.schemas`) and
    written atomically, so ``pixel-voice query`` sees the marts by name like any table.

    Returns:
        Rows written per mart.
    """
    written = {}
    for name, frame in read_marts(options).items():
        spec = next(s for s in MARTS if s.name == name)
        frame = frame.assign(corpus="all")
        buffer = io.BytesIO()
        pq.write_table(to_arrow(spec, frame), buffer)
        storage.write_bytes(
            buffer.getvalue(), "warehouse", name, f"{spec.partition_column}=all", "part.parquet"
        )
        written[name] = len(frame)
    return written
