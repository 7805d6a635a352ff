"""The one way to declare a per-video stage: :func:`per_video_asset`.

A stage's asset body only reads its inputs and resources, calls the stage logic, writes its
tables and returns :class:`StageOutput`. The decorator adds everything else, the same for every
stage: the ``videos`` partitions, ``kinds``, the tables it writes (from their ``TableSpec``s),
a blocking check when the stage has a quality gate, failure recording into
``pipeline_failures``, the video's ``stage_status`` row, the quality stop that withdraws the
video's rows from every downstream per-video table, and timing metadata.

What the decorator needs to know about the graph (the stage's position in the chain, the
tables downstream of it) is stamped onto each asset's definition metadata by
:func:`stamp_pipeline_layout` when the definitions are composed, so a step never imports the
definitions module.
"""

from __future__ import annotations

import ast
import functools
import graphlib
import hashlib
import inspect
import time
import traceback
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

from pixel_assets.errors import INTERRUPTED, PipelineError
from pixel_assets.failures import clear_failure, record_failure
from pixel_assets.partitions import videos_partitions
from pixel_assets.status.video_status import clear_stage, record_stage
from pixel_assets.warehouse.contract import TableSpec
from pixel_assets.warehouse.storage import Storage, UnsafeKeyError

# Definition metadata keys. TABLES: the tables an asset writes (shown in the UI).
# STAGE_ORDER / DOWNSTREAM_TABLES: stamped by stamp_pipeline_layout from the asset graph.
TABLES_METADATA_KEY = "pixel/tables"
STAGE_ORDER_KEY = "pixel/stage_order"
DOWNSTREAM_TABLES_KEY = "pixel/downstream_tables"
DOWNSTREAM_ASSETS_KEY = "pixel/downstream_assets"
# Position in stage_status of a per-video asset outside the chain (after the chain's stages).
STATUS_ORDER_KEY = "pixel/status_order"
# Asset tag of every per-video asset; per_video_job selects by it.
PER_VIDEO_TAG = ("pixel/scope", "per_video")


@dataclass(frozen=True)
class QualityGate:
    """A check of a stage. Blocking (the ``gate``): a video that fails it stops there.
    Non-blocking (in ``warnings``): a failure is flagged (WARN) and the video goes on."""

    name: str
    description: str


@dataclass
class GateResult:
    """The outcome of a stage's quality gate for one video.

    Attributes:
        passed: False stops the video here (downstream steps are skipped).
        error_type: Short machine name of the stop (``audio_qc_failed``).
        message: Names the video, what failed and the fix; shown in the UI and the CLI.
        metadata: Measured values and thresholds for the check's metadata.
    """

    passed: bool
    error_type: str = ""
    message: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class StageOutput:
    """What a per-video asset body returns: its metadata and, with a gate, the gate's result."""

    metadata: dict[str, Any] = field(default_factory=dict)
    gate: GateResult | None = None
    warnings: dict[str, GateResult] = field(default_factory=dict)


def writes_tables(*tables: TableSpec | str) -> dict[str, str]:
    """Definition metadata for an asset that writes ``tables``."""
    names = [t.name if isinstance(t, TableSpec) else t for t in tables]
    return {TABLES_METADATA_KEY: ", ".join(names)}


def tables_written(metadata: Mapping[str, object]) -> list[str]:
    """The tables an asset declared with :func:`writes_tables` (none if it declared none)."""
    return _names(metadata.get(TABLES_METADATA_KEY))


def _names(value: object) -> list[str]:
    text = getattr(value, "value", value)  # a MetadataValue once Dagster has normalised it
    return [t.strip() for t in str(text).split(",") if t.strip()] if text else []


def png_markdown(png: bytes, alt: str) -> dg.MetadataValue:
    """A PNG shown inline in the asset's metadata."""
    import base64

    return dg.MetadataValue.md(f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})")


def per_video_asset(
    *,
    group: str,
    tables: Sequence[TableSpec],
    deps: Sequence[Any] = (),
    gate: QualityGate | None = None,
    warnings: Sequence[QualityGate] = (),
    pool: str | None = None,
    retry_policy: dg.RetryPolicy | None = None,
    automation_condition: dg.AutomationCondition | None = None,
    code_version: str | None = None,
    in_chain: bool = True,
) -> Callable[[Callable[..., StageOutput]], dg.AssetsDefinition]:
    """Declare a per-video asset whose body returns :class:`StageOutput`.

    The body's signature is ``(context, storage: StorageResource, <other resources>)``; its
    docstring is the asset's description. Everything a per-video stage shares (see the module
    docstring) is added here.

    ``in_chain=False`` is for per-video assets that apply a corpus-level model (cluster
    assignments, outlier scores): they are still partitioned by video and record failures,
    but they are not part of ``per_video_job`` or the chain's order; automation or a backfill
    runs them after the corpus model they read.

    Raises:
        TypeError: the body takes no ``storage`` resource (failures could not be recorded).
    """

    def decorate(body: Callable[..., StageOutput]) -> dg.AssetsDefinition:
        name = body.__name__
        if "storage" not in inspect.signature(body).parameters:
            raise TypeError(f"per-video asset {name!r} must take a `storage` resource parameter")

        @functools.wraps(body)
        def step(context: dg.AssetExecutionContext, **resources: Any) -> dg.MaterializeResult:
            store: Storage = resources["storage"].get_storage()
            layout = _layout(context)
            started = time.perf_counter()
            with stage_recorded(context, store, name, layout.order):
                output = body(context, **resources)
            metadata = dict(output.metadata)
            check_results = []
            if gate is not None:
                result = output.gate or GateResult(passed=True)
                if result.passed:
                    record_stage(store, context.partition_key, name, layout.order, "passed",
                                 run_id=context.run.run_id)
                else:
                    withdrawn = quality_stop(context, store, name, layout, result)
                    metadata["withdrawn_from_tables"] = ", ".join(withdrawn) or "none"
                check_results.append(
                    dg.AssetCheckResult(
                        check_name=gate.name,
                        passed=result.passed,
                        severity=dg.AssetCheckSeverity.ERROR,
                        metadata=result.metadata,
                    )
                )
            else:
                record_stage(store, context.partition_key, name, layout.order, "passed",
                             run_id=context.run.run_id)
            for check in warnings:
                flagged = output.warnings.get(check.name) or GateResult(passed=True)
                if not flagged.passed:
                    context.log.warning(flagged.message or f"{check.name} flagged this video")
                check_results.append(
                    dg.AssetCheckResult(
                        check_name=check.name,
                        passed=flagged.passed,
                        severity=dg.AssetCheckSeverity.WARN,
                        metadata=flagged.metadata,
                    )
                )
            metadata["stage_seconds"] = round(time.perf_counter() - started, 3)
            return dg.MaterializeResult(metadata=metadata, check_results=check_results)

        # Dagster reads resources from the body's parameters (annotations resolved in the
        # body's own module, which may use `from __future__ import annotations`); the step
        # returns the MaterializeResult.
        hints = {**typing.get_type_hints(body), "return": dg.MaterializeResult}
        signature = inspect.signature(body)
        step.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[
                p.replace(annotation=hints.get(p.name, p.annotation))
                for p in signature.parameters.values()
            ],
            return_annotation=dg.MaterializeResult,
        )
        step.__annotations__ = hints
        check_specs = [
            dg.AssetCheckSpec(gate.name, asset=name, blocking=True, description=gate.description)
        ] if gate else []
        check_specs += [
            dg.AssetCheckSpec(c.name, asset=name, blocking=False, description=c.description)
            for c in warnings
        ]
        return dg.asset(
            name=name,
            partitions_def=videos_partitions,
            group_name=group,
            deps=list(deps),
            kinds={"python", "parquet"},
            tags=dict([PER_VIDEO_TAG]) if in_chain else {},
            metadata=writes_tables(*tables),
            check_specs=check_specs or None,
            pool=pool,
            retry_policy=retry_policy,
            automation_condition=automation_condition,
            code_version=code_version or stage_code_version(body),
            description=inspect.getdoc(body),
        )(step)

    return decorate


# Modules that record or route a step rather than compute it: a change to them does not make
# a stage's results stale. Everything else a stage imports (another stage's logic, the rules
# engine, the counselling lexicon) is part of its code version.
_PLUMBING = frozenset(
    {"wiring", "settings", "errors", "failures", "loggers", "partitions", "catalog",
     "definitions", "jobs", "cpus", "warm_caches", "resources", "warehouse", "status", "cli"}
)
_WIRING_FILES = frozenset({"assets.py", "sensors.py", "checks.py", "automation.py"})


def _imported_files(path: Path, package_root: Path) -> set[Path]:
    """The package's module files that ``path`` imports (``pixel_assets.…`` imports only)."""
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            bases, names = [node.module], [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            bases, names = [a.name for a in node.names], []
        else:
            continue
        for base in bases:
            parts = base.split(".")
            if parts[0] != "pixel_assets" or len(parts) < 2 or parts[1] in _PLUMBING:
                continue
            module = package_root.joinpath(*parts[1:])
            candidates = [module.with_suffix(".py"), module / "__init__.py"]
            candidates += [module / f"{name}.py" for name in names]
            found.update(c for c in candidates if c.is_file())
    return found


def folder_code_version(folder: Path, package_root: Path) -> str:
    """A hash of every module in ``folder`` and of the package modules they import, directly
    or through each other (other stages' logic, the rules engine, the counselling lexicon),
    leaving out plumbing (:data:`_PLUMBING`) and other stages' wiring (``assets.py``...)."""
    own = sorted(folder.rglob("*.py"))
    seen, queue = set(own), list(own)
    while queue:
        for found in _imported_files(queue.pop(), package_root):
            if found not in seen and found.name not in _WIRING_FILES:
                seen.add(found)
                queue.append(found)
    digest = hashlib.sha256()
    for path in own:
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    for path in sorted(seen - set(own)):
        digest.update(path.relative_to(package_root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stage_code_version(body: Callable[..., Any]) -> str:
    """A hash of the stage's source: every module in the folder of its ``assets.py`` and the
    logic it imports from elsewhere in the package (:func:`folder_code_version`).

    A change to the stage's logic makes its materialisations stale in the UI, and
    ``pixel-voice run`` recomputes them instead of skipping.
    """
    return _stage_folder_version(Path(inspect.getfile(body)).parent)


@functools.cache
def _stage_folder_version(folder: Path) -> str:
    # Every asset of a stage asks; the files do not change while the code location runs.
    return folder_code_version(folder, Path(__file__).resolve().parent)


@dataclass(frozen=True)
class _Layout:
    order: int
    downstream_assets: tuple[str, ...]
    downstream_tables: tuple[str, ...]


def _layout(context: dg.AssetExecutionContext) -> _Layout:
    metadata = context.assets_def.specs_by_key[context.asset_key].metadata
    order = metadata.get(STAGE_ORDER_KEY, metadata.get(STATUS_ORDER_KEY))
    return _Layout(
        order=int(getattr(order, "value", order) or 0),
        downstream_assets=tuple(_names(metadata.get(DOWNSTREAM_ASSETS_KEY))),
        downstream_tables=tuple(_names(metadata.get(DOWNSTREAM_TABLES_KEY))),
    )


@contextmanager
def stage_recorded(
    context: dg.AssetExecutionContext, storage: Storage, asset: str, order: int = 0
) -> Iterator[None]:
    """Run a per-video step; on error record it in ``pipeline_failures`` and ``stage_status``.

    Only this partition fails: the message names the video and the fix. Retries happen only
    for errors a retry can fix (``PipelineError.retryable``); an interrupted step (Ctrl-C,
    SIGTERM) is recorded as ``interrupted`` and never retried.
    """
    video_id = context.partition_key
    try:
        yield
    except (PipelineError, UnsafeKeyError) as exc:
        error_type = getattr(exc, "error_type", "unsafe_partition_key")
        message = str(exc) if video_id in str(exc) else f"Video {video_id}: {exc}"
        _record(storage, context, asset, order, "failed", error_type, message)
        # The message already says what failed and the fix: one line per try in the logs,
        # the traceback only at debug level (a chained cause would print it again).
        context.log.debug(traceback.format_exc())
        raise dg.Failure(
            description=message,
            metadata={"video_id": video_id, "error_type": error_type},
            allow_retries=getattr(exc, "retryable", False),
        ) from None
    except (dg.DagsterExecutionInterruptedError, KeyboardInterrupt):
        message = f"Video {video_id}: {asset} was interrupted; run it again to finish."
        _record(storage, context, asset, order, "interrupted", INTERRUPTED, message)
        raise dg.Failure(
            description=message,
            metadata={"video_id": video_id, "error_type": INTERRUPTED},
            allow_retries=False,
        ) from None
    except Exception as exc:
        message = f"Video {video_id}: unexpected {type(exc).__name__} in {asset}: {exc}"
        _record(storage, context, asset, order, "failed", type(exc).__name__, message)
        raise
    else:
        clear_failure(storage, video_id=video_id, asset=asset)


def quality_stop(
    context: dg.AssetExecutionContext,
    storage: Storage,
    asset: str,
    layout: _Layout,
    result: GateResult,
) -> list[str]:
    """Record a video stopped by a blocking check (its own data was still stored).

    The video's rows in every downstream per-video table are withdrawn, and their stages go
    back to pending: a video that passed on an earlier run and fails now must not keep feeding
    later stages (or the training data) with rows from that earlier run. Cross-video stages do
    not rely on this: they read only videos that ``video_status`` says pass.
    Returns the tables the rows were removed from.
    """
    video_id = context.partition_key
    _record(
        storage, context, asset, layout.order, "stopped", result.error_type, result.message,
        log=context.log.warning,
    )
    for downstream in layout.downstream_assets:
        clear_failure(storage, video_id=video_id, asset=downstream)
        clear_stage(storage, video_id, downstream)
    withdrawn = [t for t in layout.downstream_tables if storage.delete_partition(t, video_id)]
    if withdrawn:
        context.log.warning(
            f"Video {video_id}: removed its rows from {', '.join(withdrawn)}, written by an "
            f"earlier run, because {asset} now stops it; they come back when it passes again."
        )
    return withdrawn


def _record(
    storage: Storage,
    context: dg.AssetExecutionContext,
    asset: str,
    order: int,
    state: str,
    error_type: str,
    message: str,
    log: Callable[[str], None] | None = None,
) -> None:
    (log or context.log.error)(message)
    video_id = context.partition_key
    try:
        record_failure(
            storage,
            video_id=video_id,
            asset=asset,
            error_type=error_type,
            message=message,
            run_id=context.run.run_id,
        )
        record_stage(
            storage, video_id, asset, order, state,
            error_type=error_type, reason=message, run_id=context.run.run_id,
        )
    except UnsafeKeyError:
        # A key that is unsafe as a path cannot be stored; the step still fails with it.
        context.log.error(f"Partition key {video_id!r} cannot be recorded in {asset} failures.")


def stamp_pipeline_layout(assets: Sequence[dg.AssetsDefinition]) -> list[dg.AssetsDefinition]:
    """Stamp each per-video asset with its place in the chain and what lies downstream of it.

    Called once when the definitions are composed: the per-video chain's order (for
    ``stage_status``, ``pixel-voice run --until`` and ``status``) and each asset's downstream
    per-video assets and tables (for the quality stop) come from the asset graph itself.
    """
    specs = {spec.key: spec for asset in assets for spec in asset.specs}
    in_chain = {
        key for key, spec in specs.items() if spec.tags.get(PER_VIDEO_TAG[0]) == PER_VIDEO_TAG[1]
    }
    children: dict[dg.AssetKey, list[dg.AssetKey]] = {key: [] for key in specs}
    parents = {key: [dep.asset_key for dep in spec.deps] for key, spec in specs.items()}
    for key, deps in parents.items():
        for dep in deps:
            children.setdefault(dep, []).append(key)
    topo = list(graphlib.TopologicalSorter(parents).static_order())
    per_video = [key for key in topo if key in in_chain]
    order = {key: i for i, key in enumerate(per_video)}
    # Per-video assets outside the chain (they apply corpus models) come after it in
    # stage_status / `pixel-voice status`, but are not part of the chain's order.
    after_chain = [
        key for key in topo
        if key in specs and key not in in_chain
        and specs[key].partitions_def == videos_partitions
    ]
    status_order = {key: len(per_video) + i for i, key in enumerate(after_chain)}

    def downstream(key: dg.AssetKey) -> list[dg.AssetKey]:
        seen: list[dg.AssetKey] = []
        pending = list(children.get(key, []))
        while pending:
            child = pending.pop()
            if child in seen or child not in order:
                continue  # cross-video assets recompute from what is left
            seen.append(child)
            pending.extend(children.get(child, []))
        return sorted(seen, key=order.__getitem__)

    stamped = []
    for asset in assets:
        if any(key in status_order for key in asset.keys):
            stamped.append(asset.map_asset_specs(
                lambda spec: spec.merge_attributes(
                    metadata={STATUS_ORDER_KEY: status_order[spec.key]}
                ) if spec.key in status_order else spec
            ))
            continue
        if not any(key in order for key in asset.keys):
            stamped.append(asset)
            continue

        def stamp(spec: dg.AssetSpec) -> dg.AssetSpec:
            below = downstream(spec.key)
            tables = [t for k in below for t in tables_written(specs[k].metadata)]
            return spec.merge_attributes(
                metadata={
                    STAGE_ORDER_KEY: order[spec.key],
                    DOWNSTREAM_ASSETS_KEY: ", ".join(k.to_user_string() for k in below),
                    DOWNSTREAM_TABLES_KEY: ", ".join(tables),
                }
            )

        stamped.append(asset.map_asset_specs(stamp))
    return stamped


def per_video_order(assets: Sequence[dg.AssetsDefinition]) -> list[str]:
    """Names of the per-video assets in pipeline order (as stamped)."""
    found = []
    for asset in assets:
        for key, spec in asset.specs_by_key.items():
            value = spec.metadata.get(STAGE_ORDER_KEY)
            if value is not None:
                found.append((int(getattr(value, "value", value)), key.to_user_string()))
    return [name for _, name in sorted(found)]
