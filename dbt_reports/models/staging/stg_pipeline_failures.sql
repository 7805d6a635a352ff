{{ warehouse_table('pipeline_failures') }}
