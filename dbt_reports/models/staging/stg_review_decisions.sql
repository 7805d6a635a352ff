{{ warehouse_table('review_decisions') }}
