{#-
  The funnel never grows: for each row, every stage's value is at most the previous stage's
  (within `tolerance`, for float sums). `columns` lists the stages in funnel order. A failing row
  names the first stage that grew.
-#}
{% test funnel_never_grows(model, columns, tolerance=0.000001) %}
with checked as (
    select
        *,
        case
        {%- for i in range(1, columns | length) %}
            when coalesce({{ columns[i] }}, 0) > coalesce({{ columns[i - 1] }}, 0) + {{ tolerance }}
                then '{{ columns[i] }} > {{ columns[i - 1] }}'
        {%- endfor %}
        end as grew_at
    from {{ model }}
)
select * from checked where grew_at is not null
{% endtest %}
