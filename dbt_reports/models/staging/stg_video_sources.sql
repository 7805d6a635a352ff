{{ warehouse_table('video_sources') }}
