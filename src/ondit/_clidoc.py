"""Generate docs/cli.md from the commands' own --help (`make docs`); a test keeps them in sync."""

from __future__ import annotations

import os
from typing import Any

import typer

from ondit.cli import app

WIDTH = 100


def _commands(cmd: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    out = [(path, cmd)]
    if hasattr(cmd, "commands"):
        for name in sorted(cmd.commands):
            sub = cmd.commands[name]
            if not sub.hidden:
                out.extend(_commands(sub, [*path, name]))
    return out


def render() -> str:
    os.environ["COLUMNS"] = str(WIDTH)
    os.environ["TERMINAL_WIDTH"] = str(WIDTH)
    root = typer.main.get_command(app)
    parts = [
        "# ondit command line\n",
        "Generated from `--help` by `make docs` (`python -m ondit._clidoc`); "
        "`tests/test_docs.py` fails when it is out of date.\n",
    ]
    for path, cmd in _commands(root, ["ondit"]):
        ctx = cmd.context_class(cmd, info_name=" ".join(path), terminal_width=WIDTH, max_content_width=WIDTH)
        text = cmd.get_help(ctx)
        parts.append(f"\n## `{' '.join(path)}`\n\n```text\n{text.rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    print(render(), end="")
