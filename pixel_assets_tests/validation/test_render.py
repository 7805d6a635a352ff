"""The markdown dialogue shown in asset metadata."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dialogue"))
from dialogue_helpers import segments  # noqa: E402

from pixel_assets.dialogue.exchanges import build_exchanges  # noqa: E402
from pixel_assets.dialogue.roles import assign_roles  # noqa: E402
from pixel_assets.dialogue.turns import build_turns  # noqa: E402
from pixel_assets.validation.render import render_dialogue_markdown  # noqa: E402
from pixel_assets.validation.scoring import score_exchanges  # noqa: E402


def test_dialogue_with_roles_and_verdicts():
    rows = segments()
    rows.loc[5, "text"] = "Most days I stay in bed. Everyone would be better off without me."
    rows.loc[6, "text"] = "Just get over it. *Everybody* has problems."
    turns, _ = assign_roles(build_turns(rows))
    exchanges = build_exchanges(turns, {"source_url": "https://example.org/v.mp4"})
    scores = score_exchanges(exchanges)
    md = render_dialogue_markdown(turns, exchanges, scores)
    lines = md.splitlines()
    assert lines[0] == "**Conversation type:** two-party"
    assert "**Counsellor (SPEAKER\\_00)** `0:00:00`: Welcome back." in md
    assert "**Client (SPEAKER\\_01)** `0:00:03`: I have been" in md
    assert "\\*Everybody\\*" in md  # transcript text cannot inject markdown
    verdicts = [line for line in lines if line.startswith("> **")]
    assert verdicts[0].startswith("> **PASS**") and verdicts[1].startswith("> **FAIL**")
    assert "no\\_invalidation" in md
    assert "> **CRISIS** (suicidal\\_ideation): pending review" in md
    released = pd.Series({exchanges["exchange_id"].iloc[1]: True})
    assert "): approved" in render_dialogue_markdown(turns, exchanges, scores, released=released)


def test_no_turns_and_truncation():
    assert "No turns" in render_dialogue_markdown(build_turns(segments().iloc[0:0]))
    turns, _ = assign_roles(build_turns(segments()))
    md = render_dialogue_markdown(turns, max_turns=2)
    assert "3 more turns not shown" in md and "> **" not in md
