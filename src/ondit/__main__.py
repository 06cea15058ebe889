"""`python -m ondit` is the `ondit` command."""

from ondit.cli import run

run()
