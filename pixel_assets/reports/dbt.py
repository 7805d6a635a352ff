"""Running the ``dbt_reports`` project: parse, build, docs, and publishing its marts.

dbt reads the warehouse where ``PIXEL_DATA_DIR`` says (``dbt_reports/profiles.yml``), so every
run here passes an explicit environment: an absolute data dir (dbt runs in the project folder,
where a relative path would point elsewhere), the target (= ``PIXEL_ENV``) and the DuckDB file
that holds staging tables and marts. dbt runs as a child process (its CLI keeps global state,
and the environment it reads is then exactly the one given). Results come from dbt's own
``run_results.json``.

Each build that writes the DuckDB file also records its node results beside it
(:func:`record_build_results`), so the report page can list the failing dbt tests of the build
its marts came from without building again (:func:`load_build_results`).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from pixel_assets.reports.schemas import MARTS
from pixel_assets.warehouse.contract import to_arrow
from pixel_assets.warehouse.storage import Storage

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_reports"
TARGETS = ("local", "ci", "prod")
BUILD_RESULTS_FILE = "build_results.json"
"""Under the target path: the latest result of each node, from every build of the DuckDB file."""
FAILED_STATUSES = ("error", "fail", "runtime error")


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

    @classmethod
    def from_run_results(cls, payload: Mapping[str, Any]) -> list[DbtNodeResult]:
        """The node results of a ``run_results.json`` payload."""
        return [
            cls(r["unique_id"], r["status"], r.get("message"), r.get("failures"))
            for r in payload.get("results", [])
        ]


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
        return [r for r in self.results if r.status in FAILED_STATUSES]

    def model_errors(self) -> list[DbtNodeResult]:
        """Failed nodes that are not tests: a model (or seed, snapshot) that could not build."""
        return [r for r in self.failed() if not r.unique_id.startswith("test.")]


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
        run.results = DbtNodeResult.from_run_results(json.loads(results_file.read_text()))
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


def skipped_models(results: Iterable[DbtNodeResult]) -> list[str]:
    """Names of the models a build skipped (``dbt build`` skips what is downstream of a
    failing test)."""
    return [
        r.unique_id.split(".")[-1]
        for r in results
        if r.status == "skipped" and r.unique_id.startswith("model.")
    ]


def run_skipped_models(options: DbtOptions, results: Iterable[DbtNodeResult]) -> DbtRun | None:
    """``dbt run`` of the models a build skipped, so that every mart exists for the page even
    when a test failed; None when nothing was skipped.

    Raises:
        DbtRunError: A skipped model could not be built.
    """
    names = skipped_models(results)
    if not names:
        return None
    return run_dbt(["run", "--select", *names], options)


def build_results_path(options: DbtOptions) -> Path:
    """Where :func:`record_build_results` keeps the latest node results of ``options``' builds."""
    return options.resolved_target_path / BUILD_RESULTS_FILE


def record_build_results(
    options: DbtOptions,
    results: Iterable[DbtNodeResult],
    *,
    built_by: str,
    keep_earlier: Collection[str] = (),
) -> Path:
    """Record the node results of a build of ``options``' DuckDB file beside it.

    A build of some models only (automation selects what is downstream of a change) leaves
    the other nodes' last results standing: they still describe what the DuckDB file holds.

    Args:
        options: Where the build wrote.
        results: This build's node results (a later entry of a node wins).
        built_by: Who built, for people reading the file (``dagster-dbt run 1a2b3c4``).
        keep_earlier: Nodes whose earlier result is kept when this build did not run them:
            the project's current nodes (a deleted test must not stay failing). Empty keeps
            none (a full build).

    Returns:
        The file written.
    """
    path = build_results_path(options)
    nodes: dict[str, dict[str, Any]] = {}
    if keep_earlier and path.exists():
        earlier = json.loads(path.read_text()).get("nodes", [])
        nodes = {n["unique_id"]: n for n in earlier if n["unique_id"] in keep_earlier}
    for result in results:
        nodes[result.unique_id] = asdict(result)
    payload = {
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "built_by": built_by,
        "duckdb_path": str(options.resolved_duckdb_path),
        "nodes": [nodes[k] for k in sorted(nodes)],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(payload, indent=1))
    partial.replace(path)  # a reader never sees half a file
    return path


def load_build_results(options: DbtOptions) -> DbtRun | None:
    """The recorded results of the builds of ``options``' DuckDB file (as one run: exit code
    1 when a node failed), or None when no build recorded any."""
    path = build_results_path(options)
    if not path.exists() or not options.resolved_duckdb_path.exists():
        return None
    payload = json.loads(path.read_text())
    results = [DbtNodeResult(**node) for node in payload.get("nodes", [])]
    failed = any(r.status in FAILED_STATUSES for r in results)
    return DbtRun(
        args=["build"],
        returncode=1 if failed else 0,
        output=f"recorded in {path} by {payload.get('built_by')} at {payload.get('written_at')}",
        results=results,
    )


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
