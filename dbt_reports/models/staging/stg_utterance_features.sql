{{ warehouse_table('utterance_features') }}
