-- Where each candidate exchange got to: validated, held for crisis review, cleared, exported.
with scores as (
    select exchange_id, bool_and(coalesce(passed, false)) as passed, bool_or(coalesce(crisis, true)) as crisis
    from {{ ref('stg_exchange_scores') }}
    group by exchange_id
),

decisions as (
    -- The release rule of pixel_assets.validation.review (latest_decisions / review_state):
    -- a rejection counts in any case or spacing, only the exact `approve` that
    -- `pixel-voice review` writes releases, anything else (or a decision without a readable
    -- time, which sorts last) holds the exchange until a later decision.
    select
        exchange_id,
        arg_max(
            case
                when try_cast(decided_at as timestamptz) is null then 'unreadable'
                when lower(trim(cast(decision as varchar))) = 'reject' then 'reject'
                when cast(decision as varchar) = 'approve' then 'approve'
                else 'unreadable'
            end,
            coalesce(try_cast(decided_at as timestamptz), 'infinity'::timestamptz)
        ) as decision
    from {{ ref('stg_review_decisions') }}
    group by exchange_id
),

queued as (
    -- A queued exchange has crisis content whatever its flag says; only decisions release.
    select distinct exchange_id from {{ ref('stg_review_queue') }} where exchange_id is not null
),

review as (
    select
        exchanges.exchange_id,
        -- No score row: never validated, so not held for review either (passed is false).
        coalesce(scores.crisis, false) or queued.exchange_id is not null as crisis,
        decisions.decision
    from {{ ref('stg_exchanges') }} as exchanges
    left join scores using (exchange_id)
    left join decisions using (exchange_id)
    left join queued using (exchange_id)
),

state as (
    select
        exchange_id,
        crisis,
        coalesce(decision = 'reject', false) as rejected,
        not coalesce(decision = 'reject', false)
            and ((crisis and not coalesce(decision = 'approve', false))
                 or coalesce(decision = 'unreadable', false)) as pending
    from review
),

exported as (
    select distinct exchange_id from {{ ref('stg_therapeutic_pairs') }} where exchange_id is not null
)

select
    exchanges.exchange_id,
    exchanges.video_id,
    exchanges.prompt_turn_index,
    exchanges.response_turn_index,
    coalesce(scores.passed, false) as passed_validation,
    state.crisis,
    -- Held until a reviewer approves; a rejection removes it for good.
    state.pending as in_review,
    state.rejected as review_rejected,
    coalesce(scores.passed, false) and not state.pending and not state.rejected as cleared_review,
    exported.exchange_id is not null as exported
from {{ ref('stg_exchanges') }} as exchanges
left join scores using (exchange_id)
left join state using (exchange_id)
left join exported using (exchange_id)
