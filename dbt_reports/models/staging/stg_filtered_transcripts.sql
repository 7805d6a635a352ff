{{ warehouse_table('filtered_transcripts') }}
