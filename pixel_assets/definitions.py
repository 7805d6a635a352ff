"""The Pixel Voice code location: every stage's assets, the jobs, sensors and resources."""

from __future__ import annotations

import dagster as dg

from pixel_assets.audio.assets import audio_qc, segments
from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.sensors import video_list_sensor
from pixel_assets.jobs import per_video_job
from pixel_assets.resources import resources_for
from pixel_assets.transcription.assets import filtered_transcripts, transcripts

# Pipeline order: `pixel-voice run --until` and `status` follow it.
PER_VIDEO_ASSETS = [raw_audio, audio_qc, segments, transcripts, filtered_transcripts]


def build_definitions() -> dg.Definitions:
    """Definitions for the environment named by ``PIXEL_ENV`` (read now)."""
    return dg.Definitions(
        assets=[*PER_VIDEO_ASSETS],
        jobs=[per_video_job],
        sensors=[video_list_sensor],
        resources=resources_for(),
    )


defs = build_definitions()
