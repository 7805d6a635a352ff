{{ warehouse_table('speaker_turns') }}
