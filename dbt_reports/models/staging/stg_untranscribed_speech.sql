{{ warehouse_table('untranscribed_speech') }}
