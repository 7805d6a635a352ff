{{ warehouse_table('dataset_pairs') }}
