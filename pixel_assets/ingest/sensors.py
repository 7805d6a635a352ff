"""``video_list_sensor``: new videos in watched lists become partitions and runs."""

import json
from pathlib import Path

import dagster as dg

from pixel_assets.ingest.list_watch import list_s3_lists, new_video_ids, scan_lists
from pixel_assets.jobs import per_video_job
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import IngestResource, StorageResource


@dg.sensor(
    job=per_video_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def video_list_sensor(
    context: dg.SensorEvaluationContext, storage: StorageResource, ingest: IngestResource
) -> dg.SensorResult:
    """Watches the video-list folder (and S3 prefix, if set): adds a partition and requests
    one run for each new video; unchanged lists are skipped by content hash."""
    previous = json.loads(context.cursor) if context.cursor else {}
    remote = (
        list_s3_lists(storage.s3_resource().get_client(), ingest.video_lists_s3_prefix)
        if ingest.video_lists_s3_prefix
        else []
    )
    scan = scan_lists(
        storage.get_storage(),
        Path(ingest.video_lists_dir),
        previous,
        local_files=ingest.local_file_policy(),
        remote=remote,
        logger=context.log,
    )
    existing = set(context.instance.get_dynamic_partitions(videos_partitions.name))
    fresh = new_video_ids(scan.parsed, existing)
    cursor = json.dumps(scan.cursor, sort_keys=True)
    if not fresh:
        detail = (
            f"{len(scan.parsed)} changed lists, {scan.rejected_lines} rejected lines, "
            f"{len(scan.unreadable)} unreadable"
            if scan.parsed or scan.unreadable
            else "no new or changed video lists"
        )
        return dg.SensorResult(skip_reason=f"No new videos ({detail}).", cursor=cursor)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=key, run_key=key) for key in fresh],
        dynamic_partitions_requests=[videos_partitions.build_add_request(fresh)],
        cursor=cursor,
    )
