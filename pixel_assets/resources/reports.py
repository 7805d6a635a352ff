"""The dbt reports project for Dagster: the DbtProject, its manifest, its translator and CLI.

dagster-dbt builds one asset per dbt model from ``manifest.json``; a clean clone has none, so
:func:`reports_dbt_project` makes it: under ``dagster dev`` through
``DbtProject.prepare_if_dev()``, elsewhere (pytest, ``dagster definitions validate``, CI) with
one ``dbt parse`` (a few seconds, no warehouse needed) when the manifest is missing.
Deployments can instead run ``dagster-dbt project prepare-and-package --file
pixel_assets/resources/reports.py`` at build time.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
)
from filelock import FileLock

from pixel_assets.analysis.automation import REFRESH_CRON, corpus_refresh_condition
from pixel_assets.reports import dbt as dbt_runner

REPORTS_GROUP = "reports"


# What the manifest is parsed from: a change to any of them makes it stale.
_PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
_PROJECT_FOLDERS = ("models", "macros", "tests")


def manifest_is_stale(project_dir: Path, manifest_path: Path) -> bool:
    """True when ``manifest.json`` is missing or older than a file of the dbt project."""
    if not manifest_path.exists():
        return True
    built = manifest_path.stat().st_mtime
    files = [project_dir / name for name in _PROJECT_FILES]
    for folder in _PROJECT_FOLDERS:
        files += [p for p in (project_dir / folder).rglob("*") if p.is_file()]
    return any(p.exists() and p.stat().st_mtime > built for p in files)


@functools.cache
def reports_dbt_project() -> DbtProject:
    """The ``dbt_reports`` project, with a manifest ready to load.

    ``dbt parse`` runs only when the manifest is missing or older than a file of the project
    (a clean clone; a model edited under ``dagster dev``, on the next code reload), once per
    process, and one process at a time (a file lock; the others then find it fresh). Not
    ``DbtProject.prepare_if_dev``: under ``dagster dev`` it parses in every process that loads
    the definitions (each run and step), and it runs ``dbt`` from PATH, where the virtualenv
    may not be.
    """
    project = DbtProject(
        project_dir=dbt_runner.DBT_PROJECT_DIR, profiles_dir=dbt_runner.DBT_PROJECT_DIR
    )
    manifest = Path(project.manifest_path)
    if manifest_is_stale(Path(project.project_dir), manifest):
        manifest.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(manifest.with_suffix(".parse-lock"))):
            if manifest_is_stale(Path(project.project_dir), manifest):
                # Parsing reads no data: any data dir will do, the default target is enough.
                dbt_runner.parse(
                    dbt_runner.DbtOptions(
                        data_dir=str(dbt_runner.DBT_PROJECT_DIR / "target" / "parse_only"),
                        target_path=str(manifest.parent),
                    )
                )
    return project


def reports_refresh_condition() -> dg.AutomationCondition:
    """When the dbt models and ``reports`` refresh: debounced, then down the chain at once.

    - :func:`corpus_refresh_condition`: something they read landed since their last refresh,
      and a tick of ``REFRESH_CRON`` passed since (no extra ``watch``: each model's parents
      are exactly the tables it reads).
    - A parent in the ``reports`` group is requested in the same evaluation: the models below
      a refreshed staging model, and the page below the marts, join the same run instead of
      waiting one tick per level. Only reports parents: a per-video asset requested by its own
      eager condition must not bypass the debounce.
    """
    parent_refreshes = dg.AutomationCondition.any_deps_match(
        dg.AutomationCondition.will_be_requested()
    ).allow(
        dg.AssetSelection.groups(REPORTS_GROUP)
    )
    return (
        corpus_refresh_condition(watch=())
        | parent_refreshes.with_label("a reports parent refreshes now")
    ).with_label(f"debounced reports refresh ({REFRESH_CRON})")


class ReportsDbtTranslator(DagsterDbtTranslator):
    """dbt models as assets of group ``reports``, refreshed when what they read changes.

    Sources map to the Python assets that write them through ``meta.dagster.asset_key`` in
    ``dbt_reports/models/staging/_sources.yml`` (dagster-dbt's default reads it). The
    automation condition is :func:`reports_refresh_condition` (debounced: eager rebuilt every
    model, and through ``reports`` the page, after each per-video update).
    Several sources share one asset key (``segments`` and ``rejected_segments`` are both
    written by the ``segments`` asset), which dagster-dbt allows only when told to.
    """

    def __init__(self, settings: DagsterDbtTranslatorSettings | None = None) -> None:
        super().__init__(
            settings or DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
        )

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return REPORTS_GROUP

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        return reports_refresh_condition()


def reports_dbt_cli(target: str = "local") -> DbtCliResource:
    """The dbt CLI resource for the reports project and ``target`` (= ``PIXEL_ENV``).

    The dbt child process reads ``PIXEL_DATA_DIR`` (must be absolute: dbt runs in the project
    folder), ``PIXEL_DBT_DUCKDB_PATH`` and, for S3, ``PIXEL_S3_ENDPOINT_URL``, ``AWS_*`` from
    the environment (``pixel_assets.reports.dbt.dbt_environment`` lists them).
    """
    project = reports_dbt_project()
    # The dbt next to this interpreter: the virtualenv need not be on PATH (make, CI, cron).
    beside = Path(sys.executable).with_name("dbt")
    return DbtCliResource(
        project_dir=project,
        profiles_dir=str(dbt_runner.DBT_PROJECT_DIR),
        target=target,
        dbt_executable=str(beside) if beside.exists() else "dbt",
    )
