{{ warehouse_table('dropped_pairs') }}
