{{ warehouse_table('videos') }}
