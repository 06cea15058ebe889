"""Docs stay complete: docs/cli.md is what --help says, and README names every command."""

from __future__ import annotations

from pathlib import Path

from ondit._clidoc import _commands, render

ROOT = Path(__file__).resolve().parents[1]


def test_cli_md_is_up_to_date() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render(), "run `make docs`"


def test_readme_opens_with_the_two_commands_and_names_every_command() -> None:
    import typer

    from ondit.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = "\n".join(readme.splitlines()[:40])
    assert "make demo" in head and "make test" in head
    for path, cmd in _commands(typer.main.get_command(app), ["ondit"]):
        if not hasattr(cmd, "commands"):
            assert f"`{' '.join(path)}" in readme, f"README does not document {' '.join(path)}"
