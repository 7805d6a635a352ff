"""Stage 1: video lists in, standardised audio out."""
