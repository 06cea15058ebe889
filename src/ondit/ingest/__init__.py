"""Reading inputs: files, folders and stdin turned into `Article`s, or one `InputError` each.

    from ondit.ingest import read_inputs
    for item in read_inputs(["articles/", "extra.jsonl"], lang="fr"):
        ...  # an Article, or an InputError naming the file (and line) and the reason

Formats and limits are described in `ondit.ingest.readers`.
"""

from __future__ import annotations

from ondit.ingest.readers import read_inputs

__all__ = ["read_inputs"]
