{{ warehouse_table('speech_regions') }}
