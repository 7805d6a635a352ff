{{ warehouse_table('ingest_rejections') }}
