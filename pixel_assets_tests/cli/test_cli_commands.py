"""The command registry: one line adds a command, only the command run is imported, and
the hooked-in ``review`` and ``export`` commands answer on an empty warehouse."""

from __future__ import annotations

import sys

import pytest

from pixel_assets import cli

TOY = '''
import argparse


def add_toy_parser(subparsers):
    parser = subparsers.add_parser("toy", help="say hello")
    parser.add_argument("--name", required=True)
    return parser


def run_toy(args, console):
    console.print(f"hello {args.name}")
    return 3
'''


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("PIXEL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    return tmp_path


def test_one_registration_adds_a_command_imported_only_when_run(tmp_path, monkeypatch, capsys):
    (tmp_path / "toy_command_module.py").write_text(TOY)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, cli.Command(
        "toy", "say hello", "toy_command_module", "add_toy_parser", "run_toy", markup=False)))

    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listing = capsys.readouterr().out
    assert "toy" in listing and "say hello" in listing
    for name in ("review", "export", "status", "query", "run"):
        assert name in listing
    assert "toy_command_module" not in sys.modules  # help lists it without importing it

    # markup=False: the user's text prints as typed, brackets included.
    assert cli.main(["toy", "--name", "[b]x[/b]"]) == 3
    assert capsys.readouterr().out.strip() == "hello [b]x[/b]"
    assert "toy_command_module" in sys.modules


def test_review_and_export_are_hooked_in(cli_env, capsys):
    assert cli.main(["review", "list"]) == 0
    assert "0 pending" in capsys.readouterr().out
    assert cli.main(["export", "--out", str(cli_env / "export")]) == 2
    assert "nothing to export" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["nonsense"])
    assert stopped.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
