"""When the cross-video analysis runs: declarative automation, and the CLI's refresh after a run.

Two kinds of analysis assets (see :mod:`pixel_assets.analysis.assets`):

- **corpus models** (unpartitioned, tag ``pixel/scope=corpus``) refit over every passing video.
  Their condition, :func:`corpus_refresh_condition`, is *debounced*: the models refit at most
  once per tick of :data:`REFRESH_CRON` (every 10 minutes), and only when some per-video result
  landed since their last refit. A list of 500 videos finishing over an afternoon refits them
  every 10 minutes at most (and the first result after a quiet spell at once), not 500 times;
  the same when nothing lands, no refit at all. A video stopped by a blocking check materialises
  only the gate that stopped it, so the condition also listens to the gates upstream of the
  features (:data:`STOPPING_ASSETS`): the next refresh drops the video from every table.
- **per-video assignments** (``speaker_links``, ``speaker_clusters``, ``outliers``) use
  ``AutomationCondition.eager()``: a refit corpus model is an update of their parent, so every
  earlier video's assignment is requested again (the UI shows them as requested / stale until
  then); a video whose features change is re-scored with the current model.

The automation sensor (:data:`automation_sensor`, running by default) evaluates these under
``make dev`` (``dagster dev`` runs the daemon). ``pixel-voice run LIST`` does not wait for it:
:func:`refresh_analysis` runs the corpus models, then each passing video's assignments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from pixel_assets.warehouse.storage import Storage

AC = dg.AutomationCondition

REFRESH_CRON = "*/10 * * * *"
"""Cron of the corpus refits' debounce: at most one refit per tick (UTC)."""

STOPPING_ASSETS = ("audio_qc", "segments", "filtered_transcripts")
"""Per-video assets upstream of the features whose blocking check can stop a video."""

CORPUS_SCOPE = ("pixel/scope", "corpus")
"""Tag of every corpus-level analysis asset (selected by :func:`corpus_refresh_selection`)."""

ANALYSIS_GROUP = "analysis"

ASSIGNMENT_ASSETS = ("speaker_links", "speaker_clusters", "outliers")
"""The per-video analysis assets (they record ``stage_status`` rows like any per-video asset)."""


def chain_passing_videos(storage: Storage) -> set[str]:
    """Videos whose per-video chain passes, as ``video_status`` says, but ignoring the analysis
    assignments' own ``stage_status`` rows: a failed assignment (say, a missing input) must not
    drop the video from the corpus models, and a withdrawn one must not bring it back."""
    rows = storage.read_table("stage_status")
    rows = rows[~rows["asset"].isin(ASSIGNMENT_ASSETS)]
    blocked = set(rows.loc[rows["state"] != "passed", "video_id"])
    return set(rows.loc[rows["state"] == "passed", "video_id"]) - blocked


def corpus_refresh_condition(
    cron: str = REFRESH_CRON, watch: Sequence[str] = STOPPING_ASSETS
) -> dg.AutomationCondition:
    """Refit when per-video results landed since the last refit, at most once per cron tick.

    Args:
        cron: The debounce schedule (a tick must have passed since the last refit).
        watch: Further per-video assets whose updates count as "results landed" (the gates
            that can stop a video without any of the asset's own parents updating).
    """
    landed = AC.any_deps_match(AC.newly_updated())
    for key in watch:
        landed = landed | AC.asset_matches(key, AC.newly_updated())
    return (
        AC.cron_tick_passed(cron).since_last_handled().with_label(f"tick of {cron} since refit")
        & landed.since_last_handled().with_label("per-video results landed since refit")
        & ~AC.in_progress()
    ).with_label(f"debounced refresh ({cron})")


def assignment_condition() -> dg.AutomationCondition:
    """Per-video assignments follow their corpus model (and their own inputs): ``eager()``."""
    return AC.eager()


automation_sensor = dg.AutomationConditionSensorDefinition(
    "automation_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates every asset's automation condition: the debounced corpus refits of "
    "the cross-video analysis and the per-video assignments that follow them.",
)


def corpus_refresh_selection() -> dg.AssetSelection:
    """The corpus-level analysis assets (unpartitioned): run once after the per-video chain."""
    return dg.AssetSelection.tag(*CORPUS_SCOPE)


def assignment_selection() -> dg.AssetSelection:
    """The per-video assets that apply the corpus models (run per passing video after them)."""
    return dg.AssetSelection.groups(ANALYSIS_GROUP) - corpus_refresh_selection()


@dataclass
class AnalysisRefresh:
    """What :func:`refresh_analysis` did.

    Attributes:
        corpus_success: The corpus models' run succeeded (True when skipped).
        videos: Passing videos whose assignments were run.
        failed: Videos whose assignment run failed (``pipeline_failures`` says why).
        skipped: Nothing was run: the corpus models were already up to date.
        message: One line for people.
    """

    corpus_success: bool
    videos: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: bool = False
    message: str = ""


def corpus_is_stale(
    assets: Sequence[dg.AssetsDefinition], instance: dg.DagsterInstance
) -> bool:
    """True when a corpus model was never materialised, or a per-video result it listens to
    (a parent, or a gate in :data:`STOPPING_ASSETS`) was materialised after its last refit."""
    for asset in assets:
        for spec in asset.specs:
            if spec.tags.get(CORPUS_SCOPE[0]) != CORPUS_SCOPE[1]:
                continue
            latest = instance.fetch_materializations(spec.key, limit=1).records
            if not latest:
                return True
            watched = [dep.asset_key for dep in spec.deps]
            watched += [dg.AssetKey(key) for key in STOPPING_ASSETS]
            for key in watched:
                newer = instance.fetch_materializations(
                    dg.AssetRecordsFilter(asset_key=key, after_storage_id=latest[0].storage_id),
                    limit=1,
                ).records
                if newer:
                    return True
    return False


def refresh_analysis(
    assets: Sequence[dg.AssetsDefinition],
    instance: dg.DagsterInstance,
    resources: Mapping[str, Any],
    *,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    only_if_stale: bool = False,
) -> AnalysisRefresh:
    """Refit the corpus models now, then apply them to every passing video.

    What ``pixel-voice run LIST`` calls after the per-video assets, so one command yields the
    whole result (the automation sensor would otherwise do it within ``REFRESH_CRON``).
    Every passing video's assignments are re-applied: a refit makes all of them stale.

    Args:
        assets: The code location's assets (``pixel_assets.definitions.ASSETS``).
        instance: The Dagster instance the per-video runs used.
        resources: The resources of those runs (``storage`` and ``analysis`` are read).
        run_config: The run config of those runs (``--set analysis.link_threshold=…``).
        tags: Run tags (e.g. ``{"pixel/launched_by": "cli"}``).
        only_if_stale: Do nothing when :func:`corpus_is_stale` says the models are up to date
            (a re-run of an unchanged list stays quick).

    Returns:
        :class:`AnalysisRefresh`; a failed corpus run skips the assignments.
    """
    if only_if_stale and not corpus_is_stale(assets, instance):
        return AnalysisRefresh(True, skipped=True,
                               message="cross-video analysis already up to date")
    common = {"instance": instance, "resources": dict(resources), "raise_on_error": False,
              "run_config": dict(run_config or {}), "tags": dict(tags or {})}
    corpus = dg.materialize(assets, selection=corpus_refresh_selection(), **common)
    if not corpus.success:
        return AnalysisRefresh(False, message="the corpus analysis failed; see the Dagster UI "
                               "(global_speakers, cluster_model, outlier_model, ...)")
    storage = resources["storage"].get_storage()
    # Every passing video with voice prints: a refit makes all earlier assignments stale.
    with_speakers = {
        part.parent.name.split("=", 1)[1] for part in storage.partition_files("speakers")
    }
    videos = sorted(chain_passing_videos(storage) & with_speakers)
    known = set(instance.get_dynamic_partitions("videos"))
    failed = []
    for video_id in videos:
        if video_id not in known:
            continue
        result = dg.materialize(assets, selection=assignment_selection(),
                                partition_key=video_id, **common)
        if not result.success:
            failed.append(video_id)
    done = [v for v in videos if v in known]
    return AnalysisRefresh(
        True, done, failed,
        message=f"cross-video analysis refreshed over {len(done)} passing videos"
        + (f"; assignments failed for {', '.join(failed)}" if failed else ""),
    )
