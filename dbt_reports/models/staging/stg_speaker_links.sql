{{ warehouse_table('speaker_links') }}
