{{ warehouse_table('rejected_transcripts') }}
