"""Cue words and reference data, per language, as TOML data files.

`load(name)` reads `<name>.toml` packaged beside this module, once.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Parse the packaged lexicon `name` (without `.toml`); cached for the process."""
    path = resources.files(__package__).joinpath(f"{name}.toml")
    with path.open("rb") as fh:
        return tomllib.load(fh)
