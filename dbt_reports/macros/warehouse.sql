{#-
  Reading the warehouse: warehouse/<table>/<column>=<value>/part.parquet under var('warehouse_root').

  warehouse_table(table) compiles to a SELECT of the columns declared on the source (sources.yml,
  with data_type), so a staging model is one line. It is built for a warehouse that fills up
  stage by stage:
    - a table with no files yet is an empty relation with the declared column types (read_parquet
      fails on an empty glob, so the check runs at compile time, when dbt has a connection);
    - a declared column missing from the files (an older writer, a column added later) is null;
    - columns marked `meta: {flexible: true}` keep the type the files have (e.g. `reasons`, which
      older stages wrote as text and the rules engine writes as a list of structs).
  The source() call registers the lineage edge that dbt docs and dagster-dbt read.
-#}

{% macro warehouse_glob(table) -%}
  {{ var('warehouse_root').rstrip('/') }}/warehouse/{{ table }}/*/part.parquet
{%- endmacro %}

{% macro sql_string(text) -%}
  '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro warehouse_files_exist(table) %}
  {%- if not execute -%}{{ return(false) }}{%- endif -%}
  {%- set found = run_query("select count(*) from glob(" ~ sql_string(warehouse_glob(table)) ~ ")") -%}
  {{ return(found.columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro warehouse_file_columns(table) %}
  {#- Column name -> DuckDB type over all files of the table (union by name). -#}
  {%- set described = run_query(
      "describe select * from read_parquet(" ~ sql_string(warehouse_glob(table))
      ~ ", union_by_name=true, hive_partitioning=false)") -%}
  {%- set columns = {} -%}
  {%- for row in described.rows -%}
    {%- do columns.update({row[0]: row[1]}) -%}
  {%- endfor -%}
  {{ return(columns) }}
{% endmacro %}

{% macro warehouse_table(table, source_name='warehouse') %}
  {%- set relation = source(source_name, table) -%}
  {%- if not execute -%}
    select 1 as parse_only
  {%- else -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table] -%}
    {%- if node.columns | length == 0 -%}
      {{ exceptions.raise_compiler_error(
          "source " ~ source_name ~ "." ~ table ~ " declares no columns; add them with "
          ~ "data_type to models/staging/_sources.yml") }}
    {%- endif -%}
    {%- set has_files = warehouse_files_exist(table) -%}
    {%- set present = warehouse_file_columns(table) if has_files else {} -%}
    select
    {%- for name, column in node.columns.items() %}
      {%- set quoted = adapter.quote(name) %}
      {%- if name in present and (column.meta or {}).get('flexible') %}
      {{ quoted }}
      {%- elif name in present %}
      cast({{ quoted }} as {{ column.data_type }}) as {{ quoted }}
      {%- else %}
      cast(null as {{ column.data_type }}) as {{ quoted }}
      {%- endif %}{{ "," if not loop.last }}
    {%- endfor %}
    {%- if has_files %}
    from read_parquet({{ sql_string(warehouse_glob(table)) }}, union_by_name=true, hive_partitioning=false)
    {%- else %}
    where false
    {%- endif %}
  {%- endif -%}
{% endmacro %}

{% macro rule_names(relation, column) %}
  {#- A list of rule names from a reasons column, whichever form the files hold: the rules
      engine's list of {rule, column, measured, threshold} structs, a list of strings, or the
      older "a; b" text. -#}
  {%- if not execute -%}{{ return("[]::VARCHAR[]") }}{%- endif -%}
  {%- set ns = namespace(dtype='VARCHAR') -%}
  {%- for col in adapter.get_columns_in_relation(relation) -%}
    {%- if col.name == column -%}{%- set ns.dtype = col.dtype | upper -%}{%- endif -%}
  {%- endfor -%}
  {%- set quoted = adapter.quote(column) -%}
  {%- if ns.dtype.startswith('STRUCT') -%}
    {{ return("list_transform(" ~ quoted ~ ", lambda r: r.rule)") }}
  {%- elif ns.dtype.endswith('[]') -%}
    {{ return(quoted) }}
  {%- else -%}
    {{ return("list_filter(string_split(coalesce(" ~ quoted ~ ", ''), '; '), lambda s: s <> '')") }}
  {%- endif -%}
{% endmacro %}
