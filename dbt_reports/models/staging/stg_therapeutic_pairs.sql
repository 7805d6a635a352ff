{{ warehouse_table('therapeutic_pairs') }}
