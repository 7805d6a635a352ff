{{ warehouse_table('review_queue') }}
