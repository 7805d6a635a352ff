"""Jobs: ``per_video_job`` runs every per-video stage for one video partition."""

import dagster as dg

from pixel_assets.partitions import videos_partitions
from pixel_assets.wiring import PER_VIDEO_TAG

# Dagster starts a job's loggers only when the run config names them, else its own console
# logger (every event at DEBUG, a stack trace per failed try). Naming "console" here makes runs of
# the job (the sensor's, the UI's) use the Definitions' concise logger (pixel_assets.loggers);
# other run config given at launch is merged with it.
CONCISE_CONSOLE = {"loggers": {"console": {"config": {}}}}

per_video_job = dg.define_asset_job(
    "per_video_job",
    # Every asset declared with wiring.per_video_asset carries this tag: no list to keep.
    selection=dg.AssetSelection.tag(*PER_VIDEO_TAG),
    partitions_def=videos_partitions,
    description="All per-video assets for one video (the sensor starts one run per new video).",
    # Lets dagster.yaml's tag_concurrency_limits cap how many runs hold a GPU at once.
    tags={"pixel/gpu": "true"},
    config=CONCISE_CONSOLE,
    # One process per video run. The per-video chain is a line of steps, so the default
    # multiprocess executor bought little parallelism and started a Python process for each of
    # its ~12 steps (importing the code location, ~4 CPU-s each on 2 cores) and for every retry;
    # runs of different videos still go side by side (dagster.yaml max_concurrent_runs), and
    # the gpu pool applies to in-process steps too.
    executor_def=dg.in_process_executor,
)
