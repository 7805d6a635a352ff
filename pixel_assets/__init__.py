"""Pixel Voice: a Dagster code location that turns video lists into validated training data.

Import ``pixel_assets.definitions`` for the Dagster ``Definitions``; the stage packages
(``ingest``, ``audio``, ``transcription``, ...) hold plain-Python logic that knows nothing
of Dagster.
"""
