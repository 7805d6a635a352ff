-- Every video the warehouse knows of (registered, downloaded, measured or failed), with the list
-- it came from: the rows of the funnel. A video whose download failed is still here.
with ids as (
    select video_id from {{ ref('stg_video_sources') }}
    union
    select video_id from {{ ref('stg_videos') }}
    union
    select video_id from {{ ref('stg_pipeline_failures') }}
    union
    select video_id from {{ ref('stg_audio_qc') }}
),

listed as (
    select
        video_id,
        min(list_file) as list_file,
        min(list_title) as list_title
    from {{ ref('stg_video_sources') }}
    group by video_id
)

select
    ids.video_id,
    coalesce(videos.list_file, listed.list_file, 'unlisted') as list_file,
    coalesce(videos.title, videos.list_title, listed.list_title) as title,
    videos.channel
from ids
left join {{ ref('stg_videos') }} as videos using (video_id)
left join listed using (video_id)
where ids.video_id is not null
