"""Entity resolution inside the store: the pure `Resolver`, fed with the store's entities and the
user's corrections.

User corrections live in `user_corrections` and are replayed, in the order they were made, into
the resolver's user aliases (its first rule) and into key redirects (a merged entity's key leads to
the entity it was merged into, whatever rule found it):

- `alias` `{"entity": key, "alias": ALIAS}`: ALIAS names that entity;
- `merge` `{"into": key A, "from": key B, "forms": [B's names]}`: B's names name A, and B's key
  leads to A;
- `split` `{"entity": key, "alias": ALIAS, "key": new key, "type": T}`: ALIAS names its own entity
  again (a later correction may undo an earlier one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ondit.extract.gazetteer import KBEntry, fold, gazetteer
from ondit.resolve.entities import Known, Resolution, Resolver
from ondit.store.schema import aliases, entities, user_corrections

_SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass
class Corrections:
    """The user's corrections, replayed: folded alias -> entity key, and merged key -> key."""

    user_aliases: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)

    @classmethod
    def replay(cls, rows: Iterable[tuple[str, Mapping[str, Any]]]) -> Corrections:
        out = cls()
        for kind, p in rows:
            if kind == "alias":
                out.user_aliases[fold(p["alias"])] = p["entity"]
            elif kind == "merge":
                for form in p.get("forms", ()):
                    out.user_aliases[fold(form)] = p["into"]
                out.redirects[p["from"]] = p["into"]
                out.redirects.pop(p["into"], None)
            elif kind == "split":
                out.user_aliases[fold(p["alias"])] = p["key"]
                out.redirects.pop(p["key"], None)
        return out

    def follow(self, key: str) -> str:
        seen = {key}
        while key in self.redirects:
            key = self.redirects[key]
            if key in seen:
                break
            seen.add(key)
        return key


def load_corrections(conn: Connection) -> Corrections:
    rows = conn.execute(
        sa.select(user_corrections.c.kind, user_corrections.c.payload_json).order_by(user_corrections.c.id)
    )
    return Corrections.replay((kind, json.loads(payload)) for kind, payload in rows)


def kb_entry(key: str) -> KBEntry | None:
    """The knowledge-base entry of a "kb:<name>" key."""
    if not key.startswith("kb:"):
        return None
    return gazetteer().entries.get(key[3:])


class StoreResolver:
    """The resolver over the packaged knowledge base, the store's entities and the user's corrections."""

    def __init__(self, conn: Connection) -> None:
        self.corrections = load_corrections(conn)
        forms: dict[str, list[str]] = {}
        for eid, alias in conn.execute(sa.select(aliases.c.entity_id, aliases.c.alias)):
            forms.setdefault(eid, []).append(alias)
        known: list[Known] = []
        self.names: dict[str, tuple[str, str]] = {}
        for eid, key, name, type in conn.execute(
            sa.select(entities.c.id, entities.c.key, entities.c.name, entities.c.type)
        ):
            self.names[key] = (name, type)
            if key in self.corrections.redirects:
                continue  # a merged entity still in the store (no extraction to rebuild it from)
            known.append(Known(key, name, type, tuple(forms.get(eid, ()))))
        self.resolver = Resolver(known, user_aliases=self.corrections.user_aliases)

    def add(self, key: str, name: str, type: str, forms: Iterable[str]) -> None:
        """Make an entity created during this transaction resolvable."""
        self.names.setdefault(key, (name, type))
        self.resolver.add(Known(key, name, type, tuple(forms)))

    def user_target(self, form: str) -> str | None:
        """The key the user's corrections give this name, if any."""
        key = self.corrections.user_aliases.get(fold(form))
        return None if key is None else self.corrections.follow(key)

    def resolve(self, name: str, type: str, aliases: Iterable[str] = (), context: str = "") -> Resolution:
        res = self.resolver.resolve(name, type, tuple(aliases), context)
        key = self.corrections.follow(res.key)
        if key == res.key:
            return res
        if key in self.names:
            cname, ctype = self.names[key]
        else:
            entry = kb_entry(key)
            cname, ctype = (entry.name, entry.type) if entry else (res.name, res.type)
        entry = kb_entry(key)
        return Resolution(key, cname, ctype, (entry.parent or None) if entry else None, "user")

    def canonical(self, name: str, type: str = "MEDIA") -> str:
        """A source's display name: the known entity's name, else the name as written."""
        res = self.resolve(name, type)
        return name if res.how == "new" else res.name


def context_of(text: str, start: int) -> str:
    """The sentence of `text` around character `start` (the resolver looks there for company cues)."""
    if not 0 <= start < len(text):
        return ""
    lo = 0
    for found in _SENTENCE_END.finditer(text, 0, start):
        lo = found.end()
    end = _SENTENCE_END.search(text, start)
    hi = end.end() if end else len(text)
    return text[lo:hi].strip()
