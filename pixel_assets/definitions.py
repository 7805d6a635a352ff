"""The Pixel Voice code location: every stage's assets, the jobs, sensors and resources.

A new stage adds its ``assets`` module to ``STAGES`` (one line); its place in the per-video
chain, the tables downstream of each asset and the job's selection follow from the graph.
"""

from __future__ import annotations

import dagster as dg

from pixel_assets.analysis import assets as analysis_assets
from pixel_assets.analysis.automation import automation_sensor
from pixel_assets.audio import assets as audio_assets
from pixel_assets.dialogue import assets as dialogue_assets
from pixel_assets.export import assets as export_assets
from pixel_assets.features import assets as features_assets
from pixel_assets.ingest import assets as ingest_assets
from pixel_assets.ingest.sensors import video_list_sensor
from pixel_assets.jobs import per_video_job
from pixel_assets.loggers import concise_console_logger
from pixel_assets.pairs import assets as pairs_assets
from pixel_assets.reports import assets as reports_assets
from pixel_assets.resources import resources_for
from pixel_assets.transcription import assets as transcription_assets
from pixel_assets.validation import assets as validation_assets
from pixel_assets.wiring import per_video_order, stamp_pipeline_layout

# One line per stage; the order here does not matter (the asset graph orders them).
STAGES = (
    ingest_assets,
    audio_assets,
    transcription_assets,
    features_assets,
    dialogue_assets,
    validation_assets,
    analysis_assets,
    pairs_assets,
    export_assets,
    reports_assets,
)

_LOADED = [a for a in dg.load_assets_from_modules(STAGES) if isinstance(a, dg.AssetsDefinition)]
# ASSETS: the definitions of one asset each (looked up by `a.key` here, in the CLI and tests).
# MULTI_ASSETS: one definition for many assets (the dbt models: one `dbt build` for all).
ASSETS: list[dg.AssetsDefinition] = stamp_pipeline_layout(
    [a for a in _LOADED if len(a.keys) == 1]
)
MULTI_ASSETS: list[dg.AssetsDefinition] = [a for a in _LOADED if len(a.keys) > 1]
_BY_NAME = {a.key.to_user_string(): a for a in ASSETS}
# Pipeline order (from the asset graph): `pixel-voice run --until` and `status` follow it.
PER_VIDEO_ASSETS: list[dg.AssetsDefinition] = [_BY_NAME[n] for n in per_video_order(ASSETS)]


def chain_until(asset_name: str) -> list[dg.AssetsDefinition]:
    """The per-video chain from its start up to ``asset_name`` (included), in order."""
    names = [a.key.to_user_string() for a in PER_VIDEO_ASSETS]
    if asset_name not in names:
        raise ValueError(f"{asset_name!r} is not a per-video asset; choose one of {names}")
    return PER_VIDEO_ASSETS[: names.index(asset_name) + 1]


def build_definitions() -> dg.Definitions:
    """Definitions for the environment named by ``PIXEL_ENV`` (read now)."""
    return dg.Definitions(
        assets=[*ASSETS, *MULTI_ASSETS],
        jobs=[per_video_job],
        # automation_sensor: every asset's automation condition (runs under `make dev`).
        sensors=[video_list_sensor, automation_sensor],
        resources=resources_for(),
        # One concise line per failed try in `make dev`; stack traces at PIXEL_LOG_LEVEL=DEBUG.
        loggers={"console": concise_console_logger},
    )


defs = build_definitions()
