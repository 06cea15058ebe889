"""ondit's store: articles, entities, claims and reports in SQLite or PostgreSQL.

`open_store(url)` opens (and, when new, creates) a database; `Store.add(extraction)` stores one
article's extraction in one transaction; `stats`, `claims`, `article` and `forget` read and prune.
"""

from __future__ import annotations

from ondit.store.db import DEFAULT_URL, ENV_VAR, StoreError, resolve_url
from ondit.store.keys import claim_key, content_hash
from ondit.store.store import STATS_KEYS, Store, open_store

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "STATS_KEYS",
    "Store",
    "StoreError",
    "claim_key",
    "content_hash",
    "open_store",
    "resolve_url",
]
