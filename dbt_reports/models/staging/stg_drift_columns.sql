{{ warehouse_table('drift_columns') }}
