"""Ingest assets: ``raw_audio`` per video."""

import dagster as dg
import pandas as pd

from pixel_assets.errors import INTERRUPTED, TransientDownloadError
from pixel_assets.failures import record_failure
from pixel_assets.ingest.raw_audio import ingest_video
from pixel_assets.ingest.registry import lookup_source
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import IngestResource, StorageResource
from pixel_assets.wiring import failures_recorded, writes_tables

# Only transient errors are retried: permanent ones raise Failure(allow_retries=False).
RAW_AUDIO_RETRY = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL)
MAX_TRIES = RAW_AUDIO_RETRY.max_retries + 1


@dg.asset(
    partitions_def=videos_partitions,
    group_name="ingest",
    kinds={"python", "parquet"},
    metadata=writes_tables("videos"),
    retry_policy=RAW_AUDIO_RETRY,
)
def raw_audio(
    context: dg.AssetExecutionContext, storage: StorageResource, ingest: IngestResource
) -> dg.MaterializeResult:
    """The video's best audio, downloaded with yt-dlp and standardised to 16 kHz mono FLAC at
    the target loudness (audio/<video_id>/audio.flac); one row in the `videos` table."""
    store = storage.get_storage()
    video_id = context.partition_key
    try:
        with failures_recorded(context, store, "raw_audio"):
            source = lookup_source(store, video_id)
            try:
                row = ingest_video(store, source, ingest.options(), context.log)
            except TransientDownloadError as exc:
                # Say which try this was; the last one is final and reads "failed after N".
                raise exc.with_tries(context.retry_number + 1, MAX_TRIES) from exc
            store.write_partition("videos", video_id, pd.DataFrame([row]))
    except (dg.DagsterExecutionInterruptedError, KeyboardInterrupt) as exc:
        # Dagster turns an interrupt inside a step with a retry policy into a retry; Ctrl-C
        # must end the run instead, with the video recorded as interrupted.
        message = f"Video {video_id}: raw_audio was interrupted (Ctrl-C or SIGTERM); re-run it."
        record_failure(
            store, video_id=video_id, asset="raw_audio", error_type=INTERRUPTED,
            message=message, run_id=context.run.run_id,
        )
        raise dg.Failure(
            description=message,
            metadata={"video_id": video_id, "error_type": INTERRUPTED},
            allow_retries=False,
        ) from exc
    return dg.MaterializeResult(
        metadata={
            "source_url": dg.MetadataValue.url(row["source_url"])
            if row["source_url"].startswith("http")
            else row["source_url"],
            "title": row["title"] or "",
            "duration_s": round(row["duration_s"], 2),
            "loudness_lufs": row["loudness_lufs"],
            "gain_db": round(row["gain_db"], 2),
            "audio_path": row["audio_path"],
            "extractor": row["extractor"] or "",
        }
    )
