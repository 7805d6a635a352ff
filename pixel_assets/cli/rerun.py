"""Up-to-date checks for ``pixel-voice run``: what a video still needs, and one run at a time.

An asset of a video is up to date when it was materialised by the same code version with
the same settings (the resources it uses and their run-config overrides), has no open
failure, and no upstream asset was materialised after it. ``pixel-voice run`` recomputes
only what is stale (and what lies downstream of it), so re-running an unchanged list does
nothing and writes nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

# The run tag carrying each asset's settings hash (JSON {asset: hash}). Runs launched
# elsewhere (UI, sensor) lack it, so what they materialised counts as stale for the CLI once.
CONFIG_HASH_TAG = "pixel/config_hashes"


def asset_config_hashes(
    assets: Sequence[dg.AssetsDefinition],
    resources: dict[str, Any],
    run_config: dict[str, Any],
) -> dict[str, str]:
    """A hash per asset of the settings it runs with: the resources it requires (their
    fields and their run-config overrides) and its own op config.

    Only what the asset uses counts, so changing ``audio_quality`` makes ``audio_qc`` and
    ``segments`` stale but not ``raw_audio``, and a resource that no per-video asset uses
    (e.g. ``dbt``) never makes anything stale.
    """
    overrides = run_config.get("resources") or {}
    ops = run_config.get("ops") or {}
    hashes = {}
    for asset in assets:
        names = sorted(asset.required_resource_keys)
        blob = json.dumps({
            "resources": {n: resources[n].model_dump(mode="json") for n in names
                          if hasattr(resources.get(n), "model_dump")},
            "overrides": {n: overrides[n] for n in names if n in overrides},
            "op": ops.get(asset.node_def.name),
        }, sort_keys=True, default=str)
        digest = hashlib.sha256(blob.encode()).hexdigest()[:12]
        for key in asset.keys:
            hashes[key.to_user_string()] = digest
    return hashes


class RerunPlanner:
    """Which selected assets of a video need materialising.

    Those never materialised, with an open failure or stop, materialised by another code
    version or with other settings (:func:`asset_config_hashes`), or older than an upstream
    materialisation (their input changed). Everything else is up to date.

    Args:
        instance: The Dagster instance whose event log holds the materialisations.
        assets: The per-video asset definitions, in chain order.
        selection: What this run asked for (e.g. everything up to ``--until``).
        resources: The resources of the run.
        run_config: The run config of the run.
    """

    def __init__(
        self,
        instance: dg.DagsterInstance,
        assets: Sequence[dg.AssetsDefinition],
        selection: dg.AssetSelection,
        resources: dict[str, Any],
        run_config: dict[str, Any],
    ) -> None:
        self.instance, self.selection = instance, selection
        graph = dg.Definitions(assets=assets, resources=resources).resolve_asset_graph()
        chosen = selection.resolve(graph)
        self.order = [k for a in assets for k in a.keys if k in chosen]
        self.parents = {k: [p for p in graph.get(k).parent_keys if p in chosen]
                        for k in self.order}
        self.code_versions = {k: graph.get(k).code_version for k in self.order}
        self.config_hashes = asset_config_hashes(assets, resources, run_config)

    def tags(self) -> dict[str, str]:
        """Run tags that let a later run recognise this one's settings."""
        return {CONFIG_HASH_TAG: json.dumps(self.config_hashes, separators=(",", ":"))}

    def _run_hashes(self, run_id: str, cache: dict[str, dict[str, str]]) -> dict[str, str]:
        if run_id not in cache:
            run = self.instance.get_run_by_id(run_id)
            try:
                cache[run_id] = json.loads(run.tags.get(CONFIG_HASH_TAG, "{}")) if run else {}
            except ValueError:
                cache[run_id] = {}
        return cache[run_id]

    def stale_selection(self, video_id: str, open_failures: set[str]) -> dg.AssetSelection | None:
        """The selection to run for ``video_id`` (stale assets and their descendants), or
        None when every selected asset is up to date."""
        records = {}
        for key in self.order:
            found = self.instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=key, asset_partitions=[video_id]), limit=1
            ).records
            records[key] = found[0] if found else None
        runs: dict[str, dict[str, str]] = {}
        stale = []
        for key in self.order:
            record, name = records[key], key.to_user_string()
            if record is None or name in open_failures:
                stale.append(key)
                continue
            tags = record.asset_materialization.tags or {}
            code_changed = (self.code_versions[key] is not None
                            and tags.get("dagster/code_version") != self.code_versions[key])
            config_changed = (self._run_hashes(record.run_id, runs).get(name)
                              != self.config_hashes.get(name))
            input_changed = any(records[p] is None or records[p].storage_id > record.storage_id
                                for p in self.parents[key])
            if code_changed or config_changed or input_changed:
                stale.append(key)
        if not stale:
            return None
        return dg.AssetSelection.assets(*stale).downstream() & self.selection


@contextmanager
def video_lock(video_id: str) -> Iterator[None]:
    """Hold this video's lock under ``$DAGSTER_HOME/locks``: a second CLI on the same video
    waits, then finds it up to date instead of running it twice."""
    folder = Path(os.environ["DAGSTER_HOME"]) / "locks"
    folder.mkdir(exist_ok=True)
    with open(folder / f"{video_id}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_failures(storage: Any, video_id: str) -> set[str]:
    """Assets of ``video_id`` with an open row in ``pipeline_failures``."""
    from pixel_assets.failures import TABLE

    failures = storage.read_table(TABLE)
    return set(failures.loc[failures["video_id"] == video_id, "asset"])
