{{ warehouse_table('exchanges') }}
