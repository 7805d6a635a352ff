{{ warehouse_table('utterance_embeddings') }}
