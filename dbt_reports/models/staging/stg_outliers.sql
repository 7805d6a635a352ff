{{ warehouse_table('outliers') }}
