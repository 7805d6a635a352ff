{{ warehouse_table('words') }}
