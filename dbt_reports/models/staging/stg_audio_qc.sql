{{ warehouse_table('audio_qc') }}
