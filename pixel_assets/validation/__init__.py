"""Exchange validation: offline scorer, LLM judge, crisis detection and the review queue.

Plain logic (no Dagster). :mod:`.offline` and :mod:`.judge` score exchanges, :mod:`.scoring`
picks the scorer and applies the pass/fail rules, :mod:`.crisis` finds risk disclosures,
:mod:`.review` keeps the human review queue and decisions, :mod:`.render` writes the dialogue
with verdicts as markdown.
"""
