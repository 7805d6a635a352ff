{{ warehouse_table('global_speakers') }}
