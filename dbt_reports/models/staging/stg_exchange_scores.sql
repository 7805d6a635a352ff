{{ warehouse_table('exchange_scores') }}
