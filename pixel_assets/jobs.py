"""Jobs: ``per_video_job`` runs every per-video stage for one video partition."""

import dagster as dg

from pixel_assets.partitions import videos_partitions

# The per-video stages, in pipeline order; later stages add their groups here.
PER_VIDEO_GROUPS = ("ingest", "audio", "transcription")

per_video_job = dg.define_asset_job(
    "per_video_job",
    selection=dg.AssetSelection.groups(*PER_VIDEO_GROUPS),
    partitions_def=videos_partitions,
    description="All per-video assets for one video (the sensor starts one run per new video).",
    # Lets dagster.yaml's tag_concurrency_limits cap how many runs hold a GPU at once.
    tags={"pixel/gpu": "true"},
)
