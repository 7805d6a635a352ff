-- The funnel summed over the corpus (scope 'corpus') and per video list (scope 'list'): videos
-- reaching each stage, rows, speech minutes, and the share of minutes kept from the previous
-- stage and from the download.
with long as (
    {%- for stage in var('funnel_stages') %}
    select
        list_file,
        '{{ stage }}' as stage,
        {{ loop.index }} as stage_order,
        n_{{ stage }} as n_rows,
        minutes_{{ stage }} as minutes
    from {{ ref('video_funnel') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

scoped as (
    select 'corpus' as scope, 'all' as list_file, stage, stage_order,
        count(*) filter (where n_rows > 0) as videos, sum(n_rows) as n_rows, sum(minutes) as minutes
    from long
    group by stage, stage_order
    union all
    select 'list' as scope, list_file, stage, stage_order,
        count(*) filter (where n_rows > 0) as videos, sum(n_rows) as n_rows, sum(minutes) as minutes
    from long
    group by list_file, stage, stage_order
)

select
    scope || ':' || list_file || ':' || stage as yield_id,
    scope,
    list_file,
    stage,
    stage_order,
    videos,
    n_rows,
    minutes,
    minutes / nullif(lag(minutes) over (partition by scope, list_file order by stage_order), 0)
        as yield_from_previous,
    minutes / nullif(first_value(minutes) over (partition by scope, list_file order by stage_order), 0)
        as yield_from_start
from scoped
