{{ warehouse_table('speakers') }}
