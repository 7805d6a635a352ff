-- Score distributions of the pairs in the dataset (kept by training_dataset, or every pair
-- before it runs), overall and per split, prompt emotion and counsellor.
with pairs as (
    select
        pairs.pair_id,
        coalesce(dataset.split, pairs.split, 'unassigned') as split,
        coalesce(pairs.prompt_emotion, 'unknown') as prompt_emotion,
        coalesce(pairs.counsellor_global_speaker_id, dataset.counsellor_global_speaker_id, 'unknown') as counsellor,
        pairs.empathy,
        pairs.appropriateness,
        pairs.authenticity,
        pairs.naturalness,
        pairs.overall
    from {{ ref('stg_therapeutic_pairs') }} as pairs
    left join {{ ref('stg_dataset_pairs') }} as dataset using (pair_id)
    where coalesce(dataset.kept, true)
),

scores as (
    unpivot pairs
    on empathy, appropriateness, authenticity, naturalness, overall
    into name metric value score
),

grouped as (
    select 'all' as dimension, 'all' as group_value, pair_id, metric, score from scores
    union all
    select 'split', split, pair_id, metric, score from scores
    union all
    select 'prompt_emotion', prompt_emotion, pair_id, metric, score from scores
    union all
    select 'counsellor', counsellor, pair_id, metric, score from scores
)

select
    dimension || ':' || group_value || ':' || metric as pair_quality_id,
    dimension,
    group_value,
    metric,
    count(distinct pair_id) as n_pairs,
    avg(score) as mean,
    stddev_samp(score) as std,
    min(score) as min,
    quantile_cont(score, 0.1) as p10,
    quantile_cont(score, 0.5) as p50,
    quantile_cont(score, 0.9) as p90,
    max(score) as max
from grouped
group by dimension, group_value, metric
