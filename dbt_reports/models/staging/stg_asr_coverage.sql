{{ warehouse_table('asr_coverage') }}
