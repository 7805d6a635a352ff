{{ warehouse_table('drift_summary') }}
