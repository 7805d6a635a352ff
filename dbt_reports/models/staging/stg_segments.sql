{{ warehouse_table('segments') }}
