{{ warehouse_table('cluster_descriptions') }}
