"""The ``videos`` dynamic partitions: one partition per video, keyed by video ID."""

import dagster as dg

videos_partitions = dg.DynamicPartitionsDefinition(name="videos")
