{{ warehouse_table('transcript_segments') }}
