{{ warehouse_table('speaker_clusters') }}
