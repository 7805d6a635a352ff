{{ warehouse_table('rejected_segments') }}
