"""``pixel-voice``: run the pipeline on a list, see its state, query its tables, and more.

Each subcommand is one :class:`Command` in :data:`COMMANDS`: a module with a function that
adds its sub-parser and a function that runs it. Only the module of the command being run
is imported, so ``status`` and ``query`` start in about a second while ``run`` loads
Dagster and the pipeline. Adding a command is one line in :data:`COMMANDS`.

Every piece of user-supplied text (list lines, URLs, error messages) is escaped before rich
prints it; commands registered with ``markup=False`` get a console that never parses markup.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape

from pixel_assets.cli.common import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

__all__ = ["COMMANDS", "Command", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "build_parser",
           "main"]


@dataclass(frozen=True)
class Command:
    """One ``pixel-voice`` subcommand.

    Attributes:
        name: What the user types (``pixel-voice NAME``).
        help: One line for ``pixel-voice --help`` (the module is not imported to show it).
        module: The module holding both functions, imported only when this command runs.
        add_parser: ``add_parser(subparsers) -> ArgumentParser`` in ``module``: adds the
            sub-parser named ``name`` with its arguments.
        run: ``run(args, console) -> int`` in ``module`` (the exit code), or
            ``run(args, storage, console)`` when ``with_storage``.
        with_storage: Hand ``run`` the warehouse ``Storage`` of the environment.
        markup: False for modules that print user text without escaping it for rich.
    """

    name: str
    help: str
    module: str
    add_parser: str = "add_parser"
    run: str = "run"
    with_storage: bool = False
    markup: bool = True


COMMANDS: tuple[Command, ...] = (
    Command("run", "register a list's videos and materialise them in-process",
            "pixel_assets.cli.run"),
    Command("status", "each video's state per asset", "pixel_assets.cli.status"),
    Command("query", "run one read-only DuckDB SELECT over the tables", "pixel_assets.cli.query"),
    Command("clip", "export one segment's audio to a file", "pixel_assets.cli.clip"),
    Command("review", "crisis exchanges waiting for a person: list, show, approve, reject",
            "pixel_assets.validation.review_cli", "add_review_parser", "run_review",
            with_storage=True),
    Command("export", "write the training dataset (chat JSONL, CSV, Parquet, DuckDB, card)",
            "pixel_assets.export.cli", "add_export_parser", "run_export", with_storage=True,
            markup=False),
    Command("report", "build the dbt marts, evidently reports and reports/index.html",
            "pixel_assets.cli.report", "add_report_parser", "run_report", with_storage=True),
)


def _named(argv: Sequence[str]) -> Command | None:
    # The top-level parser has no options taking values, so the first word is the command.
    word = next((a for a in argv if not a.startswith("-")), None)
    return next((c for c in COMMANDS if c.name == word), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``pixel-voice`` parser with ``command``'s full sub-parser (others: name and help).

    Args:
        command: The subcommand whose module is imported to add its arguments; None lists
            every command without importing any.
    """
    parser = argparse.ArgumentParser(
        prog="pixel-voice", description="Pixel Voice: video lists to validated training data."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for entry in COMMANDS:
        if entry.name == command:
            getattr(importlib.import_module(entry.module), entry.add_parser)(sub)
        else:
            sub.add_parser(entry.name, help=entry.help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The ``pixel-voice`` entry point; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    named = _named(argv)
    args = build_parser(named.name if named else None).parse_args(argv)
    command = next(c for c in COMMANDS if c.name == args.command)
    console = Console(width=200 if not sys.stdout.isatty() else None, markup=command.markup)
    try:
        run = getattr(importlib.import_module(command.module), command.run)
        if command.with_storage:
            from pixel_assets.cli.common import open_cli_storage

            return int(run(args, open_cli_storage(), console))
        return int(run(args, console))
    except OSError as exc:
        from pixel_assets.errors import environment_problem

        problem = environment_problem(exc)
        if problem is None:
            raise
        # The machine, not the input: one clear line instead of a traceback.
        console.print(
            f"[red]pixel-voice {escape(command.name)}: {escape(problem)}.[/red] Fix: free "
            "disk space or make PIXEL_DATA_DIR and DAGSTER_HOME writable, then run it again.",
            markup=True,
        )
        return EXIT_USAGE
