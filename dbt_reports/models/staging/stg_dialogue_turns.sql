{{ warehouse_table('dialogue_turns') }}
