-- Open failures (pipeline_failures keeps only the latest unresolved one per video and asset),
-- grouped by asset and error type, with the newest message to start from.
select
    asset || ':' || coalesce(error_type, 'unknown') as failure_group,
    asset,
    coalesce(error_type, 'unknown') as error_type,
    count(*) as n_failures,
    count(distinct video_id) as n_videos,
    min(failed_at) as first_failed_at,
    max(failed_at) as last_failed_at,
    arg_max(video_id, failed_at) as latest_video_id,
    arg_max(message, failed_at) as latest_message
from {{ ref('stg_pipeline_failures') }}
where asset is not null
group by asset, coalesce(error_type, 'unknown')
