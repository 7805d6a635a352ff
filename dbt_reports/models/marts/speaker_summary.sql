-- One row per global speaker: in how many videos, how long they talk, their usual dialogue role,
-- their style cluster and whether their profile drifted between videos.
with ids as (
    select global_speaker_id from {{ ref('stg_global_speakers') }}
    union
    select global_speaker_id from {{ ref('stg_speaker_links') }}
),

talk as (
    select
        links.global_speaker_id,
        count(distinct links.video_id) as n_videos,
        sum(coalesce(speakers.speech_s, 0)) as talk_s
    from {{ ref('stg_speaker_links') }} as links
    left join {{ ref('stg_speakers') }} as speakers using (video_id, speaker)
    group by links.global_speaker_id
),

roles as (
    select links.global_speaker_id, mode(turns.role) as main_role
    from {{ ref('stg_speaker_links') }} as links
    inner join {{ ref('stg_dialogue_turns') }} as turns using (video_id, speaker)
    group by links.global_speaker_id
),

clusters as (
    select global_speaker_id, mode(cluster) as cluster
    from {{ ref('stg_speaker_clusters') }}
    group by global_speaker_id
),

consistency as (
    select
        global_speaker_id,
        bool_or(coalesce(flagged, false)) as consistency_flag,
        count(*) filter (where flagged) as n_videos_flagged,
        max(distance) as max_profile_distance
    from {{ ref('stg_speaker_consistency') }}
    group by global_speaker_id
)

select
    ids.global_speaker_id,
    registry.name,
    coalesce(talk.n_videos, registry.n_videos, 0) as n_videos,
    coalesce(talk.talk_s, registry.total_talk_s, 0) / 60 as talk_minutes,
    roles.main_role,
    clusters.cluster,
    descriptions.description as cluster_description,
    coalesce(consistency.consistency_flag, false) as consistency_flag,
    coalesce(consistency.n_videos_flagged, 0) as n_videos_flagged,
    consistency.max_profile_distance
from ids
left join {{ ref('stg_global_speakers') }} as registry using (global_speaker_id)
left join talk using (global_speaker_id)
left join roles using (global_speaker_id)
left join clusters using (global_speaker_id)
left join {{ ref('stg_cluster_descriptions') }} as descriptions using (cluster)
left join consistency using (global_speaker_id)
where ids.global_speaker_id is not null
