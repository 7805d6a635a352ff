"""Audio stage: quality control (qc), speech detection and segmentation (vad), language ID,
table schemas and plots. Only the wiring (assets.py, checks.py) imports Dagster."""
