{{ warehouse_table('speaker_id_changes') }}
