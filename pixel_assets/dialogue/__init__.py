"""Dialogue construction: speaker turns, counselling roles, conversation type and exchanges.

Plain logic (no Dagster): :mod:`.turns` merges transcript segments into turns, :mod:`.roles`
decides who is the counsellor and the client, :mod:`.exchanges` pairs a client turn with the
counsellor's reply, :mod:`.render` writes the dialogue as markdown for the UI.
"""
