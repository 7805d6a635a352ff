-- How often each rule rejected something, per stage (a row failing two rules counts for both):
-- the "top rejection reasons" of the report page.
with rejected as (
    select 'audio_qc' as stage, video_id, unnest({{ rule_names(ref('stg_audio_qc'), 'reasons') }}) as rule
    from {{ ref('stg_audio_qc') }}
    where not coalesce(passed, true)
    union all
    select 'segments', video_id, unnest({{ rule_names(ref('stg_rejected_segments'), 'reasons') }})
    from {{ ref('stg_rejected_segments') }}
    union all
    select 'filtered_transcripts', video_id, unnest({{ rule_names(ref('stg_rejected_transcripts'), 'reasons') }})
    from {{ ref('stg_rejected_transcripts') }}
    union all
    select 'exchange_scores', video_id, unnest({{ rule_names(ref('stg_exchange_scores'), 'reasons') }})
    from {{ ref('stg_exchange_scores') }}
    where not coalesce(passed, true)
    union all
    select 'training_dataset', video_id, unnest(
        case
            when len(coalesce({{ rule_names(ref('stg_dropped_pairs'), 'reasons') }}, [])) > 0
                then {{ rule_names(ref('stg_dropped_pairs'), 'reasons') }}
            else [coalesce(stage, 'dropped') || ': ' || coalesce(reason, 'unspecified')]
        end)
    from {{ ref('stg_dropped_pairs') }}
)

select
    stage || ':' || rule as reason_id,
    stage,
    rule,
    count(*) as n_rows,
    count(distinct video_id) as n_videos,
    row_number() over (partition by stage order by count(*) desc, rule) as rank_in_stage
from rejected
where rule is not null and rule <> ''
group by stage, rule
