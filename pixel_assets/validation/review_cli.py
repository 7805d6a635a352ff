"""``pixel-voice review list | show ID | approve ID | reject ID [--note TEXT]``.

The main CLI hooks this in with::

    review = add_review_parser(sub)
    review.set_defaults(handler=lambda args, console: run_review(args, storage, console))

All user text (transcripts, notes) is printed through ``rich.markup.escape``, so a transcript
containing ``[red]`` prints as written.
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pixel_assets.validation.review import (
    ReviewError,
    decide,
    list_reviews,
    show_review,
)

EXIT_OK = 0
EXIT_USAGE = 2


def add_review_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``review`` command (with list/show/approve/reject) to ``subparsers``."""
    review = subparsers.add_parser(
        "review", help="crisis exchanges waiting for a person: list, show, approve, reject"
    )
    actions = review.add_subparsers(dest="review_action", required=True)
    listing = actions.add_parser("list", help="queued exchanges (pending by default)")
    listing.add_argument(
        "--status",
        choices=["pending", "approved", "rejected", "all"],
        default="pending",
        help="which items to list",
    )
    show = actions.add_parser("show", help="one exchange with context and decision history")
    show.add_argument("exchange_id", help="the id, or a unique prefix of 4+ characters")
    for name, verb in (("approve", "release it to the training pairs"),
                       ("reject", "keep it out of the training pairs")):
        action = actions.add_parser(name, help=f"{name} a queued exchange ({verb})")
        action.add_argument("exchange_id", help="the id, or a unique prefix of 4+ characters")
        action.add_argument("--note", help="why (kept with the decision)")
        action.add_argument("--by", dest="decided_by", help="reviewer name (default: $USER)")
    return review


def _cell(value: Any, limit: int = 80) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def run_review(args: argparse.Namespace, storage: Any, console: Console | None = None) -> int:
    """Carry out a parsed ``review`` command against ``storage``; returns the exit code."""
    console = console or Console()
    try:
        if args.review_action == "list":
            status = None if args.status == "all" else args.status
            items = list_reviews(storage, status=status)
            table = Table("exchange_id", "video_id", "status", "reason", "matched text", "link")
            for row in items.itertuples(index=False):
                table.add_row(
                    _cell(row.exchange_id), _cell(row.video_id), _cell(row.status),
                    _cell(row.reason), _cell(row.matched_text, 60), _cell(row.deep_link, 60),
                )
            console.print(table)
            console.print(f"{len(items)} {args.status} item(s)")
            return EXIT_OK
        if args.review_action == "show":
            item = show_review(storage, args.exchange_id)
            q = item.queue
            console.print(f"[bold]Exchange[/bold] {escape(str(q['exchange_id']))} "
                          f"(video {escape(str(q['video_id']))}) — status "
                          f"[bold]{escape(item.status)}[/bold]")
            console.print(f"Reason: {escape(str(q['reason']))}")
            console.print(f"Matched: [yellow]{escape(str(q['matched_text']))}[/yellow]")
            if q.get("deep_link"):
                console.print(f"Listen: {escape(str(q['deep_link']))}")
            for turn in item.context:
                console.print(f"[dim]{escape(str(turn.get('role')).capitalize())}: "
                              f"{escape(str(turn.get('text')))}[/dim]")
            console.print(f"[bold]Client:[/bold] {escape(str(q.get('prompt_text') or ''))}")
            console.print(f"[bold]Counsellor:[/bold] {escape(str(q.get('response_text') or ''))}")
            for row in item.history.itertuples(index=False):
                console.print(f"{_cell(row.decided_at)} {_cell(row.decided_by)}: "
                              f"{_cell(row.decision)} {_cell(row.note, 200)}")
            return EXIT_OK
        row = decide(storage, args.exchange_id, args.review_action, note=args.note,
                     decided_by=args.decided_by)
        done = {"approve": "Approved", "reject": "Rejected"}[row["decision"]]
        console.print(f"{done} {escape(row['exchange_id'])}"
                      + (f" — {escape(row['note'])}" if row["note"] else ""))
        return EXIT_OK
    except ReviewError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_USAGE
