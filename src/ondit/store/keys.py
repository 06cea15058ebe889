"""Normalised names and keys: how the store decides that two things are the same.

A claim's key is its type and its key roles (SPEC ★): party roles by the key of the entity they
resolve to (`ondit.resolve.entities.Resolver`: "Great Wall Motor Co.", "GWM" and "Great Wall Motors"
are all "kb:Great Wall Motor"), phrase roles by the folded phrase without leading determiners.
Symmetric types sort their parties; sales and financials add their quantity's period, announcements
their time. Every key the store computes goes through this module.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
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


def alias_fold(name: str) -> str:
    """How the store looks a name up among aliases: the resolver's `normalise` ("le groupe BMW" ->
    "bmw", "Great Wall Motor Co., Ltd." -> "great wall motor")."""
    from ondit.resolve.entities import normalise

    return normalise(name)


@cache
def _default_resolver() -> Any:
    from ondit.resolve.entities import Resolver

    return Resolver()


def resolved_key(name: str, type: str = "ORG") -> str:
    """The key the packaged knowledge base alone gives a name (no store, no user corrections)."""
    return str(_default_resolver().resolve(name, type).key)


def norm_phrase(phrase: str) -> str:
    """A noun phrase folded for comparison, without its leading determiners."""
    words = fold(phrase).replace("'", " ").split()
    while len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def entity_key(name: str, type: str) -> str:
    """The key of an entity in the store: its type and normalised name ("ORG:great wall motor")."""
    return f"{type}:{norm_name(name)}"


def is_phrase(role: str, value: Any, party_roles: Mapping[str, Any]) -> bool:
    """Whether a role's value is a noun phrase rather than an entity (`target` may be either: a
    phrase when the extractor linked no entity to it and it reads like one, "des usines")."""
    if role in PHRASE_ROLES:
        return True
    if role == "target" and role not in party_roles:
        values = value if isinstance(value, list | tuple) else [value]
        return all(isinstance(v, str) and _looks_like_phrase(v) for v in values)
    return False


def _norm_value(
    role: str,
    value: Any,
    party_roles: Mapping[str, Any],
    keys: Mapping[str, str | Sequence[str]] | None,
) -> str:
    if value is None:
        return ""
    if not is_phrase(role, value, party_roles):
        given = keys.get(role) if keys is not None else None
        if given is not None:
            return given if isinstance(given, str) else ";".join(sorted(set(given)))
        values = value if isinstance(value, list | tuple) else [value]
        return ";".join(sorted({resolved_key(str(v)) for v in values}))
    if isinstance(value, list | tuple):
        return ";".join(sorted(norm_phrase(str(v)) for v in value))
    return norm_phrase(str(value))


def _looks_like_phrase(text: str) -> bool:
    first = fold(text).replace("'", " ").split()[:1]
    return bool(first) and first[0] in _DETERMINERS and not text[:1].isupper()


def key_args(claim_json: Mapping[str, Any]) -> dict[str, Any]:
    """The key roles of a claim as the article wrote them (for display)."""
    args: Mapping[str, Any] = claim_json.get("args") or {}
    return {r: args[r] for r in KEY_ROLES.get(str(claim_json["type"]), ()) if r in args}


def claim_key(
    claim_json: Mapping[str, Any], party_keys: Mapping[str, str | Sequence[str]] | None = None
) -> str:
    """The SPEC's claim key: type and key roles, as compact JSON.

    `party_keys` gives the resolved entity key of each party role (role -> key, or keys for a list of
    parties), as the store's resolver found them; a party role it does not give is resolved against
    the packaged knowledge base alone. Phrase roles are folded phrases. Symmetric types (talks,
    partnership, merger) list their two parties sorted under "parties"; sales and financials add their
    quantity's period, announcements their time.
    """
    ctype = str(claim_json["type"])
    args: Mapping[str, Any] = claim_json.get("args") or {}
    party_roles: Mapping[str, Any] = claim_json.get("arg_ids") or {}
    roles = KEY_ROLES.get(ctype, tuple(sorted(args)))
    key: dict[str, Any] = {}
    if ctype in SYMMETRIC_TYPES:
        key["parties"] = sorted(_norm_value(r, args.get(r), party_roles, party_keys) for r in roles)
    else:
        for r in roles:
            key[r] = _norm_value(r, args.get(r), party_roles, party_keys)
    if ctype in PERIOD_KEY_TYPES:
        quantity = claim_json.get("quantity") or {}
        key["period"] = str(quantity.get("period") or "")
    if ctype in TIME_KEY_TYPES:
        time = claim_json.get("time") or {}
        key["time"] = str(time.get("value") or fold(str(time.get("text") or "")))
    return json.dumps([ctype, key], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
