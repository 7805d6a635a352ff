{{ warehouse_table('analysis_models') }}
