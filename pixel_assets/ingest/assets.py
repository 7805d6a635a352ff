"""Ingest assets: ``raw_audio`` per video."""

import dagster as dg
import pandas as pd

from pixel_assets.errors import TransientDownloadError
from pixel_assets.ingest.raw_audio import ingest_video
from pixel_assets.ingest.registry import lookup_source
from pixel_assets.ingest.schemas import VIDEOS
from pixel_assets.resources import IngestResource, StorageResource
from pixel_assets.settings import load_settings
from pixel_assets.wiring import StageOutput, per_video_asset


def download_retry_policy() -> dg.RetryPolicy:
    """Transient download faults (5xx, 408, 429, dropped connections) are tried again
    PIXEL_DOWNLOAD_RETRIES times (default 2), exponential backoff from PIXEL_DOWNLOAD_RETRY_DELAY_S
    (default 5: waits of 5 s, 15 s, 35 s...): longer for a rate-limited source, shorter on a
    local mirror. Read when the code location loads."""
    settings = load_settings()
    return dg.RetryPolicy(
        max_retries=settings.download_retries,
        delay=settings.download_retry_delay_s,
        backoff=dg.Backoff.EXPONENTIAL,
    )


@per_video_asset(
    group="ingest",
    tables=[VIDEOS],
    # Only transient errors are retried: permanent ones raise Failure(allow_retries=False).
    retry_policy=(RAW_AUDIO_RETRY := download_retry_policy()),
)
def raw_audio(
    context: dg.AssetExecutionContext, storage: StorageResource, ingest: IngestResource
) -> StageOutput:
    """The video's best audio, downloaded with yt-dlp and standardised to 16 kHz mono FLAC at
    the target loudness (audio/<video_id>/audio.flac); one row in the `videos` table."""
    store = storage.get_storage()
    video_id = context.partition_key
    source = lookup_source(store, video_id)
    try:
        row = ingest_video(store, source, ingest.options(), context.log)
    except TransientDownloadError as exc:
        # Say which try this was; the last one is final and reads "failed after N tries".
        raise exc.with_tries(context.retry_number + 1, RAW_AUDIO_RETRY.max_retries + 1) from exc
    store.write_partition("videos", video_id, pd.DataFrame([row]))
    return StageOutput(
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
