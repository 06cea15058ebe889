"""Normalised names and keys: how the store decides that two things are the same.

For now a name is normalised by dropping legal forms and folding case, accents and punctuation
("Great Wall Motor Co." ~ "great wall motor"). The cross-article issue replaces `norm_name` in
`claim_key` with entity resolution; every key the store computes goes through this module.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from ondit.extract.gazetteer import fold
from ondit.ids import content_hash as content_hash  # the store's article key

SYMMETRIC_TYPES = frozenset({"talks", "partnership", "merger"})

# SPEC "Claim types and their roles": the key roles (★) of each type.
KEY_ROLES: dict[str, tuple[str, ...]] = {
    "talks": ("agent", "partner"),
    "partnership": ("agent", "partner"),
    "merger": ("agent", "partner"),
    "acquisition": ("agent", "target"),
    "investment": ("agent", "target"),
    "market_entry": ("agent", "sector"),
    "product_launch": ("agent", "product"),
    "manufacturing": ("agent", "client"),
    "facility": ("agent", "facility"),
    "sales": ("agent",),
    "financials": ("agent", "metric"),
    "listing": ("agent",),
    "ownership": ("owner", "owned"),
    "appointment": ("person", "org"),
    "announcement": ("agent", "event"),
}
PERIOD_KEY_TYPES = frozenset({"sales", "financials"})  # quantity★: its period is part of the key
TIME_KEY_TYPES = frozenset({"announcement"})  # time★
# Roles that hold a noun phrase rather than an entity name (`target` may be either).
PHRASE_ROLES = frozenset({"topic", "object", "sector", "product", "facility", "metric", "role", "event"})
_DETERMINERS = frozenset(
    {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "son", "sa", "ses"}
    | {"leur", "leurs", "ce", "cet", "cette", "ces"}
)


@cache
def _strip_legal() -> Callable[[str], str]:
    # imported late: ondit.extract.entities loads spaCy, which `ondit stats` does not need
    from ondit.extract.entities import strip_legal

    return strip_legal


def norm_name(name: str) -> str:
    """A name folded for comparison: legal forms dropped, case, accents and punctuation folded."""
    return fold(_strip_legal()(name))


def norm_phrase(phrase: str) -> str:
    """A noun phrase folded for comparison, without its leading determiners."""
    words = fold(phrase).replace("'", " ").split()
    while len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def entity_key(name: str, type: str) -> str:
    """The key of an entity in the store: its type and normalised name ("ORG:great wall motor")."""
    return f"{type}:{norm_name(name)}"


def _norm_value(role: str, value: Any, party_roles: Mapping[str, Any]) -> str:
    if isinstance(value, list | tuple):
        return ";".join(sorted(_norm_value(role, v, party_roles) for v in value))
    if value is None:
        return ""
    text = str(value)
    if role in PHRASE_ROLES or (role == "target" and role not in party_roles and _looks_like_phrase(text)):
        return norm_phrase(text)
    return norm_name(text)


def _looks_like_phrase(text: str) -> bool:
    first = fold(text).replace("'", " ").split()[:1]
    return bool(first) and first[0] in _DETERMINERS and not text[:1].isupper()


def key_args(claim_json: Mapping[str, Any]) -> dict[str, Any]:
    """The key roles of a claim as the article wrote them (for display)."""
    args: Mapping[str, Any] = claim_json.get("args") or {}
    return {r: args[r] for r in KEY_ROLES.get(str(claim_json["type"]), ()) if r in args}


def claim_key(claim_json: Mapping[str, Any]) -> str:
    """The SPEC's claim key: type and key roles over normalised names, as compact JSON.

    Symmetric types (talks, partnership, merger) list their two parties sorted under "parties";
    sales and financials add their quantity's period, announcements their time.
    """
    ctype = str(claim_json["type"])
    args: Mapping[str, Any] = claim_json.get("args") or {}
    party_roles: Mapping[str, Any] = claim_json.get("arg_ids") or {}
    roles = KEY_ROLES.get(ctype, tuple(sorted(args)))
    key: dict[str, Any] = {}
    if ctype in SYMMETRIC_TYPES:
        key["parties"] = sorted(_norm_value(r, args.get(r), party_roles) for r in roles)
    else:
        for r in roles:
            key[r] = _norm_value(r, args.get(r), party_roles)
    if ctype in PERIOD_KEY_TYPES:
        quantity = claim_json.get("quantity") or {}
        key["period"] = str(quantity.get("period") or "")
    if ctype in TIME_KEY_TYPES:
        time = claim_json.get("time") or {}
        key["time"] = str(time.get("value") or fold(str(time.get("text") or "")))
    return json.dumps([ctype, key], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
