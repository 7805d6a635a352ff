-- One row per video: rows (n_) and speech minutes (minutes_) at each stage of the funnel, the
-- first stage it did not reach and why. Minutes measure the same thing at every stage (speech
-- that is still in the data), so they can only shrink: the funnel_never_grows test holds us to it.
with universe as (
    select * from {{ ref('int_video_universe') }}
),

downloaded as (
    select video_id, count(*) as n, sum(coalesce(duration_s, 0)) / 60 as minutes
    from {{ ref('stg_videos') }}
    group by video_id
),

qc_passed as (
    select
        qc.video_id,
        count(*) as n,
        sum(coalesce(videos.duration_s, qc.duration_s, 0)) / 60 as minutes
    from {{ ref('stg_audio_qc') }} as qc
    left join {{ ref('stg_videos') }} as videos using (video_id)
    where qc.passed
    group by qc.video_id
),

qc_reasons as (
    select video_id, array_to_string({{ rule_names(ref('stg_audio_qc'), 'reasons') }}, ', ') as rules
    from {{ ref('stg_audio_qc') }}
    where not coalesce(passed, true)
),

segments_kept as (
    select video_id, count(*) as n, sum(coalesce(duration_s, greatest(end_s - start_s, 0))) / 60 as minutes
    from {{ ref('stg_segments') }}
    where coalesce(passed, true)
    group by video_id
),

transcribed as (
    select video_id, count(*) as n, sum(greatest(end_s - start_s, 0)) / 60 as minutes
    from {{ ref('stg_transcript_segments') }}
    group by video_id
),

kept_after_filtering as (
    select video_id, count(*) as n, sum(greatest(end_s - start_s, 0)) / 60 as minutes
    from {{ ref('stg_filtered_transcripts') }}
    group by video_id
),

turns as (
    select video_id, count(*) as n, sum(speech_s) / 60 as minutes
    from {{ ref('int_turn_speech') }}
    group by video_id
),

-- Each turn counted once per stage, even when it is the response of one exchange and the
-- prompt of the next.
exchange_turns as (
    select video_id, turn_index, bool_or(passed_validation) as passed_validation,
        bool_or(cleared_review) as cleared_review, bool_or(exported) as exported
    from (
        select video_id, prompt_turn_index as turn_index, passed_validation, cleared_review, exported
        from {{ ref('int_exchange_status') }}
        union all
        select video_id, response_turn_index, passed_validation, cleared_review, exported
        from {{ ref('int_exchange_status') }}
    )
    group by video_id, turn_index
),

exchange_minutes as (
    select
        exchange_turns.video_id,
        sum(speech.speech_s) / 60 as exchanges,
        sum(speech.speech_s) filter (where exchange_turns.passed_validation) / 60 as passed_validation,
        sum(speech.speech_s) filter (where exchange_turns.cleared_review) / 60 as cleared_review,
        sum(speech.speech_s) filter (where exchange_turns.exported) / 60 as exported_pairs
    from exchange_turns
    inner join {{ ref('int_turn_speech') }} as speech using (video_id, turn_index)
    group by exchange_turns.video_id
),

exchange_counts as (
    select
        video_id,
        count(*) as exchanges,
        count(*) filter (where passed_validation) as passed_validation,
        count(*) filter (where in_review) as in_review,
        count(*) filter (where cleared_review) as cleared_review
    from {{ ref('int_exchange_status') }}
    group by video_id
),

pairs as (
    select video_id, count(*) as n from {{ ref('stg_therapeutic_pairs') }} group by video_id
),

failures as (
    select video_id, arg_max(asset || ' failed (' || coalesce(error_type, 'error') || '): ' || coalesce(message, ''), failed_at) as reason
    from {{ ref('stg_pipeline_failures') }}
    group by video_id
),

statuses as (
    select video_id, string_agg(asset || ' ' || state || coalesce(': ' || reason, ''), '; ' order by stage_order, asset) as reason
    from {{ ref('stg_stage_status') }}
    where state <> 'passed'
    group by video_id
),

counted as (
    select
        universe.video_id,
        universe.list_file,
        universe.title,
        universe.channel,
        coalesce(downloaded.n, 0) as n_downloaded,
        coalesce(downloaded.minutes, 0) as minutes_downloaded,
        coalesce(qc_passed.n, 0) as n_qc_passed,
        coalesce(qc_passed.minutes, 0) as minutes_qc_passed,
        coalesce(segments_kept.n, 0) as n_segments_kept,
        coalesce(segments_kept.minutes, 0) as minutes_segments_kept,
        coalesce(transcribed.n, 0) as n_transcribed,
        coalesce(transcribed.minutes, 0) as minutes_transcribed,
        coalesce(kept_after_filtering.n, 0) as n_kept_after_filtering,
        coalesce(kept_after_filtering.minutes, 0) as minutes_kept_after_filtering,
        coalesce(turns.n, 0) as n_turns,
        coalesce(turns.minutes, 0) as minutes_turns,
        coalesce(exchange_counts.exchanges, 0) as n_exchanges,
        coalesce(exchange_minutes.exchanges, 0) as minutes_exchanges,
        coalesce(exchange_counts.passed_validation, 0) as n_passed_validation,
        coalesce(exchange_minutes.passed_validation, 0) as minutes_passed_validation,
        coalesce(exchange_counts.in_review, 0) as n_in_review,
        coalesce(exchange_counts.cleared_review, 0) as n_cleared_review,
        coalesce(exchange_minutes.cleared_review, 0) as minutes_cleared_review,
        coalesce(pairs.n, 0) as n_exported_pairs,
        coalesce(exchange_minutes.exported_pairs, 0) as minutes_exported_pairs,
        qc_reasons.rules as qc_rules,
        failures.reason as failure_reason,
        statuses.reason as status_reason
    from universe
    left join downloaded using (video_id)
    left join qc_passed using (video_id)
    left join qc_reasons using (video_id)
    left join segments_kept using (video_id)
    left join transcribed using (video_id)
    left join kept_after_filtering using (video_id)
    left join turns using (video_id)
    left join exchange_counts using (video_id)
    left join exchange_minutes using (video_id)
    left join pairs using (video_id)
    left join failures using (video_id)
    left join statuses using (video_id)
),

stopped as (
    select
        *,
        case
        {%- for stage in var('funnel_stages') %}
            when n_{{ stage }} = 0 then '{{ stage }}'
        {%- endfor %}
        end as stopped_at
    from counted
)

select
    * exclude (qc_rules, failure_reason, status_reason),
    case
        when stopped_at is null then null
        else coalesce(
            failure_reason,
            status_reason,
            case when stopped_at = 'qc_passed' and qc_rules <> '' then 'audio QC failed: ' || qc_rules end,
            case when stopped_at = 'cleared_review' and n_in_review > 0
                then n_in_review || ' exchange(s) waiting for crisis review' end,
            'no rows reached ' || stopped_at
        )
    end as stop_reason
from stopped
