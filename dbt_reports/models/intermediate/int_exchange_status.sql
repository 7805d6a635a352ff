-- Where each candidate exchange got to: validated, held for crisis review, cleared, exported.
with scores as (
    select exchange_id, bool_and(coalesce(passed, false)) as passed, bool_or(coalesce(crisis, false)) as crisis
    from {{ ref('stg_exchange_scores') }}
    group by exchange_id
),

decisions as (
    select exchange_id, arg_max(lower(decision), decided_at) as decision
    from {{ ref('stg_review_decisions') }}
    group by exchange_id
),

queued as (
    select exchange_id, bool_or(lower(coalesce(status, 'pending')) = 'pending') as pending
    from {{ ref('stg_review_queue') }}
    group by exchange_id
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
    coalesce(scores.crisis, false) as crisis,
    -- Pending until a reviewer decides; an approval clears it, a rejection removes it for good.
    coalesce(queued.pending, false) and decisions.decision is null as in_review,
    coalesce(decisions.decision in ('reject', 'rejected'), false) as review_rejected,
    coalesce(scores.passed, false)
        and not (coalesce(queued.pending, false) and decisions.decision is null)
        and not coalesce(decisions.decision in ('reject', 'rejected'), false) as cleared_review,
    exported.exchange_id is not null as exported
from {{ ref('stg_exchanges') }} as exchanges
left join scores using (exchange_id)
left join decisions using (exchange_id)
left join queued using (exchange_id)
left join exported using (exchange_id)
