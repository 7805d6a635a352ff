{{ warehouse_table('speaker_consistency') }}
