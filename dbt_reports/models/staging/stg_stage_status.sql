{{ warehouse_table('stage_status') }}
