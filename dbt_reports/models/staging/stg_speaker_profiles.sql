{{ warehouse_table('speaker_profiles') }}
