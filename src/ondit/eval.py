"""Scoring extraction against gold articles, as SPEC.md says (`ondit eval`).

`load_gold(path)` reads a gold JSON Lines file, `score(gold, predicted)` compares
gold articles with predictions of the same shape (`ondit extract --format json`),
and `evaluate(path)` runs the extractor on the gold articles and scores it.

Matching rules (SPEC.md, "Gold data format"):

- A predicted claim matches a gold claim when the types are equal and every
  gold role (a role whose gold value is not null or empty) is filled by the
  same thing in the prediction; roles the prediction adds are ignored.
- Party roles hold entities: names are equal after folding case and accents
  and dropping legal prefixes and suffixes ("Renault SA", "groupe Renault"),
  and known aliases are equal: those of the gold article's `entities` and
  those of the packaged gazetteer.
- For `talks`, `partnership` and `merger`, `agent` and `partner` may be swapped.
- Phrase roles (`topic`, `object`, `sector`, `product`, `facility`, `metric`,
  `role`, `event`, and `target` when the gold target is not a known entity)
  match when one phrase's words contain the other's, after folding and
  dropping determiners and possessives ("la voiture électrique" matches
  "voiture électrique"). Words are not stemmed: "voitures électriques" does
  not match "voiture électrique".
- List values (`place`) match as sets; a single value matches a one-element list.
- Matching is one-to-one and maximises the number of matches (an assignment
  per article and type, by the Hungarian algorithm); among equally many
  matches it prefers pairs with the same certainty, the same innermost source,
  the same time and the same quantity.

Ratios with a zero denominator are 0.0, except that precision, recall and F1
are null when gold and prediction are both empty, and accuracies are null
when no matched claim has anything to measure. Every figure is rounded to 4
decimals.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ondit import lexicons
from ondit.errors import InputError
from ondit.extract.gazetteer import fold, gazetteer
from ondit.model import CLAIM_TYPES, Article, BadDateError, PubDate

SYMMETRIC_TYPES = frozenset({"talks", "partnership", "merger"})
PHRASE_ROLES = frozenset({"topic", "object", "sector", "product", "facility", "metric", "role", "event"})
# `target` is a party role when the gold value names a known entity, a phrase role otherwise.
MAYBE_PHRASE_ROLES = frozenset({"target"})

# Dropped before comparing phrases ("la voiture électrique" ~ "voiture électrique").
_DETERMINERS = "le la les l un une des du de d au aux son sa ses leur leurs ce cet cette ces"
DETERMINERS = frozenset(_DETERMINERS.split())

QUANTITY_TOLERANCE = 0.005  # relative

_DEFAULT_SUFFIXES = ("Co", "Corp", "Inc", "Ltd", "SA", "S.A.", "SE", "AG", "PLC", "Group", "Groupe")
_DEFAULT_PREFIXES = ("groupe", "société")


class GoldFormatError(InputError):
    """A gold file line that is not a gold article; `str()` is `path:line: reason`."""


# --------------------------------------------------------------------------- loading


def _read_gold(path: str | os.PathLike[str]) -> list[tuple[int, dict[str, Any]]]:
    out: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as fh:
            lines = list(fh)
    except OSError as e:
        raise GoldFormatError(name, f"cannot read gold file ({e.strerror or e})") from e
    except UnicodeDecodeError as e:
        raise GoldFormatError(name, f"not UTF-8 text ({e.reason} at byte {e.start})") from e
    for lineno, raw in enumerate(lines, 1):
        where = f"{name}:{lineno}"
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            raise GoldFormatError(where, f"not valid JSON ({e.msg} at column {e.colno})") from e
        if not isinstance(obj, dict):
            raise GoldFormatError(where, f"expected a JSON object, got {type(obj).__name__}")
        gid = obj.get("id")
        if not isinstance(gid, str) or not gid:
            raise GoldFormatError(where, 'missing "id" (a non-empty string)')
        if gid in seen:
            raise GoldFormatError(where, f"duplicate id {gid!r} (first on line {seen[gid]})")
        seen[gid] = lineno
        if not isinstance(obj.get("text"), str):
            raise GoldFormatError(where, f'article {gid!r}: missing "text" (a string)')
        for key in ("claims", "entities"):
            if obj.get(key) is not None and not isinstance(obj[key], list):
                raise GoldFormatError(where, f'article {gid!r}: "{key}" must be a list')
        for i, c in enumerate(obj.get("claims") or [], 1):
            if not isinstance(c, dict) or not isinstance(c.get("type"), str):
                raise GoldFormatError(where, f'article {gid!r}: claim {i} has no "type"')
            if not isinstance(c.get("args", {}), dict):
                raise GoldFormatError(where, f'article {gid!r}: claim {i}: "args" must be an object')
        pub = obj.get("published")
        if pub is not None:
            try:
                PubDate.parse(str(pub))
            except BadDateError as e:
                raise GoldFormatError(where, f"article {gid!r}: {e}") from e
        out.append((lineno, obj))
    return out


def load_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The gold articles of a JSON Lines file (blank lines skipped).

    Raises GoldFormatError naming `path:line` on a line that is not a JSON
    object with a string `id` (unique in the file) and `text`, on claims
    without a type, and on a publication date that is not ISO 8601.
    """
    return [obj for _, obj in _read_gold(path)]


# --------------------------------------------------------------------------- names and phrases


@cache
def _legal_forms() -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    data = lexicons.load("entities_fr")
    suffixes = data.get("legal_suffixes") or list(_DEFAULT_SUFFIXES)
    prefixes = data.get("legal_prefixes") or list(_DEFAULT_PREFIXES)

    def forms(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
        out = {tuple(fold(s).split()) for s in items}
        return tuple(sorted((f for f in out if f), key=lambda f: (-len(f), f)))

    return forms(suffixes), forms(prefixes)


def name_key(name: str) -> str:
    """A name folded (case, accents, punctuation) without legal prefixes and suffixes."""
    words = fold(name).split()
    suffixes, prefixes = _legal_forms()
    changed = True
    while changed:
        changed = False
        for s in suffixes:
            if len(words) > len(s) and tuple(words[-len(s) :]) == s:
                words = words[: -len(s)]
                changed = True
                break
        for p in prefixes:
            if len(words) > len(p) and tuple(words[: len(p)]) == p:
                words = words[len(p) :]
                changed = True
                break
    return " ".join(words)


def phrase_words(text: str) -> frozenset[str]:
    """The words of a phrase after folding, without determiners and possessives."""
    return frozenset(w for w in re.findall(r"\w+", fold(text)) if w not in DETERMINERS)


def phrases_match(a: str, b: str) -> bool:
    """True when one phrase's words contain the other's (no stemming)."""
    wa, wb = phrase_words(a), phrase_words(b)
    if not wa or not wb:
        return fold(a) == fold(b)
    return wa <= wb or wb <= wa


def _gazetteer_keys(name: str, key: str) -> set[str]:
    gaz = gazetteer()
    entry = gaz.lookup(name) or (gaz.lookup(key) if key else None)
    if entry is None:
        return set()
    return {name_key(n) for n in (entry.name, *entry.aliases)} - {""}


@dataclass
class _Names:
    """Entity names of one gold article: which names are the same entity."""

    groups: list[frozenset[str]] = field(default_factory=list)
    index: dict[str, list[int]] = field(default_factory=dict)
    _cache: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entities: Iterable[Any]) -> _Names:
        names = cls()
        for ent in entities:
            if not isinstance(ent, dict) or not isinstance(ent.get("name"), str):
                continue
            forms = [ent["name"], *(a for a in ent.get("aliases") or [] if isinstance(a, str))]
            group = frozenset(k for k in (name_key(f) for f in forms) if k)
            if not group:
                continue
            names.groups.append(group)
            for k in group:
                names.index.setdefault(k, []).append(len(names.groups) - 1)
        return names

    def keys(self, name: str) -> frozenset[str]:
        """Every key the name is known by: its own, its gold aliases', its gazetteer aliases'."""
        hit = self._cache.get(name)
        if hit is not None:
            return hit
        key = name_key(name)
        out = {key or fold(name)}
        for gi in self.index.get(key, ()):
            out |= self.groups[gi]
        out |= _gazetteer_keys(name, key)
        res = frozenset(out)
        self._cache[name] = res
        return res

    def known(self, name: str) -> bool:
        key = name_key(name)
        return key in self.index or bool(_gazetteer_keys(name, key))

    def same(self, a: str, b: str) -> bool:
        return bool(self.keys(a) & self.keys(b))


# --------------------------------------------------------------------------- assignment


def _hungarian(cost: Sequence[Sequence[int]]) -> list[int]:
    """Minimum-cost assignment of every row to a distinct column (rows <= columns)."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    out = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


def assign(weights: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Pairs (row, column) of a maximum-weight one-to-one matching; weight 0 means no pair."""
    if not weights or not weights[0]:
        return []
    n, m = len(weights), len(weights[0])
    if n <= m:
        rows = _hungarian([[-w for w in row] for row in weights])
        pairs = [(i, j) for i, j in enumerate(rows) if j >= 0]
    else:
        cols = _hungarian([[-weights[i][j] for i in range(n)] for j in range(m)])
        pairs = sorted((i, j) for j, i in enumerate(cols) if i >= 0)
    return [(i, j) for i, j in pairs if weights[i][j] > 0]


# --------------------------------------------------------------------------- claims


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None and str(v).strip()]
    return [str(value)] if str(value).strip() else []


def _values_match(gold: Any, pred: Any, same: Any) -> bool:
    gl, pl = _as_list(gold), _as_list(pred)
    if len(gl) != len(pl) or not gl:
        return False
    if len(gl) == 1:
        return bool(same(gl[0], pl[0]))
    return len(assign([[1 if same(g, p) else 0 for p in pl] for g in gl])) == len(gl)


def _args_match(claim_type: str, gargs: dict[str, Any], pargs: dict[str, Any], names: _Names) -> bool:
    def role_match(role: str, gval: Any, pval: Any) -> bool:
        phrase = role in PHRASE_ROLES or (
            role in MAYBE_PHRASE_ROLES and not any(names.known(v) for v in _as_list(gval))
        )
        if phrase:
            return _values_match(gval, pval, lambda a, b: phrases_match(a, b) or names.same(a, b))
        return _values_match(gval, pval, names.same)

    required = {r: v for r, v in gargs.items() if _as_list(v)}

    def all_match(pa: dict[str, Any]) -> bool:
        return all(role_match(r, v, pa.get(r)) for r, v in required.items())

    if all_match(pargs):
        return True
    if claim_type in SYMMETRIC_TYPES and ("agent" in pargs or "partner" in pargs):
        swapped = dict(pargs)
        swapped["agent"], swapped["partner"] = pargs.get("partner"), pargs.get("agent")
        return all_match(swapped)
    return False


def _innermost(claim: dict[str, Any]) -> dict[str, Any] | None:
    src = claim.get("source") or []
    last = src[-1] if isinstance(src, list) and src else None
    return last if isinstance(last, dict) else None


def _same_source(g: dict[str, Any], p: dict[str, Any], names: _Names) -> bool:
    gs, ps = _innermost(g), _innermost(p)
    if gs is None or ps is None:
        return gs is None and ps is None
    gn, pn = str(gs.get("name") or ""), str(ps.get("name") or "")
    if names.same(gn, pn):
        return True
    # two unnamed sources ("trois sources proches du dossier", "des sources") compare as phrases
    return gs.get("kind") == ps.get("kind") == "anonymous" and phrases_match(gn, pn)


def _same_time(g: Any, p: Any) -> bool:
    if not isinstance(g, dict) or not isinstance(p, dict):
        return not isinstance(g, dict) and not isinstance(p, dict)
    return bool(g.get("value") == p.get("value") and g.get("precision") == p.get("precision"))


def _number(x: Any) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _same_quantity(g: Any, p: Any) -> bool:
    if not isinstance(g, dict) or not isinstance(p, dict):
        return not isinstance(g, dict) and not isinstance(p, dict)
    gv, pv = _number(g.get("value")), _number(p.get("value"))
    if gv is None or pv is None:
        value_ok = gv is None and pv is None
    else:
        value_ok = abs(gv - pv) <= QUANTITY_TOLERANCE * max(abs(gv), abs(pv))
    unit_ok = str(g.get("unit") or "").strip().lower() == str(p.get("unit") or "").strip().lower()
    period_ok = (g.get("period") or None) == (p.get("period") or None)
    return value_ok and unit_ok and period_ok


def _claims_match(g: dict[str, Any], p: dict[str, Any], names: _Names) -> bool:
    if g.get("type") != p.get("type"):
        return False
    gargs, pargs = g.get("args") or {}, p.get("args") or {}
    return isinstance(pargs, dict) and _args_match(str(g.get("type")), gargs, pargs, names)


def _match_claims(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]], names: _Names
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), as many as possible."""
    pairs: list[tuple[int, int]] = []
    for t in sorted({str(c.get("type")) for c in gold}):
        gi = [i for i, c in enumerate(gold) if c.get("type") == t]
        pj = [j for j, c in enumerate(pred) if c.get("type") == t]
        if not pj:
            continue
        # a match is worth more than every tie-breaking bonus of a smaller matching together
        big = 16 * (min(len(gi), len(pj)) + 1)
        weights: list[list[int]] = []
        for i in gi:
            row = []
            for j in pj:
                g, p = gold[i], pred[j]
                if not _claims_match(g, p, names):
                    row.append(0)
                    continue
                bonus = (
                    8 * (g.get("certainty") == p.get("certainty"))
                    + 4 * _same_source(g, p, names)
                    + 2 * _same_time(g.get("time"), p.get("time"))
                    + _same_quantity(g.get("quantity"), p.get("quantity"))
                )
                row.append(big + bonus)
            weights.append(row)
        pairs.extend((gi[a], pj[b]) for a, b in assign(weights))
    return sorted(pairs)


# --------------------------------------------------------------------------- entities


def _entity_keys(ent: dict[str, Any]) -> frozenset[str]:
    forms = [ent.get("name"), *(ent.get("aliases") or [])]
    out: set[str] = set()
    for f in forms:
        if isinstance(f, str) and f.strip():
            k = name_key(f)
            out.add(k or fold(f))
            out |= _gazetteer_keys(f, k)
    return frozenset(out)


def _entity_list(entities: Any) -> list[tuple[str, str, frozenset[str]]]:
    """(canonical key, type, every key) per entity, without duplicates of (canonical key, type)."""
    out: list[tuple[str, str, frozenset[str]]] = []
    seen: set[tuple[str, str]] = set()
    for ent in entities or []:
        if not isinstance(ent, dict) or not isinstance(ent.get("name"), str):
            continue
        key = name_key(ent["name"]) or fold(ent["name"])
        typ = str(ent.get("type") or "")
        if (key, typ) in seen:
            continue
        seen.add((key, typ))
        out.append((key, typ, _entity_keys(ent)))
    return out


def _match_entities(
    gold: list[tuple[str, str, frozenset[str]]], pred: list[tuple[str, str, frozenset[str]]]
) -> list[tuple[int, int]]:
    weights = [
        [(2 + (gk == pk)) if gt == pt and gkeys & pkeys else 0 for pk, pt, pkeys in pred]
        for gk, gt, gkeys in gold
    ]
    return assign(weights)


# --------------------------------------------------------------------------- figures


def _r(x: float) -> float:
    return round(x, 4)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    if tp + fp + fn == 0:
        return {"precision": None, "recall": None, "f1": None}
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": _r(p), "recall": _r(r), "f1": _r(f)}


def _acc(right: int, total: int) -> float | None:
    return _r(right / total) if total else None


def _type_order(t: str) -> tuple[int, str]:
    return (CLAIM_TYPES.index(t) if t in CLAIM_TYPES else len(CLAIM_TYPES), t)


def _error(article_id: str, claim: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": article_id,
        "type": claim.get("type"),
        "args": claim.get("args") or {},
        "evidence": claim.get("evidence") or "",
    }


def score(
    gold: list[dict[str, Any]],
    predicted: list[dict[str, Any]],
    failures: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Score predicted articles against gold articles, paired by `id` (see the module docstring).

    A gold article without a prediction counts all its claims and entities as
    missed; predicted articles whose id is not in the gold are ignored.
    `failures` (article id -> error message) is reported in `errors.failed`.
    """
    by_id: dict[str, dict[str, Any]] = {}
    for art in predicted:
        by_id.setdefault(str(art.get("id")), art)
    seen: set[str] = set()

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    ent_tp: Counter[str] = Counter()
    ent_fp: Counter[str] = Counter()
    ent_fn: Counter[str] = Counter()
    cert = [0, 0]
    src = [0, 0]
    tim = [0, 0]
    qty = [0, 0]
    missed: list[dict[str, Any]] = []
    false: list[dict[str, Any]] = []

    for g_art in gold:
        aid = str(g_art.get("id"))
        if aid in seen:
            raise ValueError(f"duplicate gold article id {aid!r}")
        seen.add(aid)
        p_art = by_id.get(aid) or {}
        names = _Names.of(g_art.get("entities") or [])
        gclaims = [c for c in g_art.get("claims") or [] if isinstance(c, dict)]
        pclaims = [c for c in p_art.get("claims") or [] if isinstance(c, dict)]

        pairs = _match_claims(gclaims, pclaims, names)
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for i, j in pairs:
            g, p = gclaims[i], pclaims[j]
            tp[str(g.get("type"))] += 1
            cert[0] += g.get("certainty") == p.get("certainty")
            cert[1] += 1
            src[0] += _same_source(g, p, names)
            src[1] += 1
            if g.get("time") is not None or p.get("time") is not None:
                tim[0] += _same_time(g.get("time"), p.get("time"))
                tim[1] += 1
            if g.get("quantity") is not None or p.get("quantity") is not None:
                qty[0] += _same_quantity(g.get("quantity"), p.get("quantity"))
                qty[1] += 1
        for i, g in enumerate(gclaims):
            if i not in matched_g:
                fn[str(g.get("type"))] += 1
                missed.append(_error(aid, g))
        for j, p in enumerate(pclaims):
            if j not in matched_p:
                fp[str(p.get("type"))] += 1
                false.append(_error(aid, p))

        gents = _entity_list(g_art.get("entities"))
        pents = _entity_list(p_art.get("entities"))
        epairs = _match_entities(gents, pents)
        for i, _ in epairs:
            ent_tp[gents[i][1]] += 1
        eg = {i for i, _ in epairs}
        ep = {j for _, j in epairs}
        for i, e in enumerate(gents):
            if i not in eg:
                ent_fn[e[1]] += 1
        for j, e in enumerate(pents):
            if j not in ep:
                ent_fp[e[1]] += 1

    claims_prf: dict[str, Any] = dict(_prf(sum(tp.values()), sum(fp.values()), sum(fn.values())))
    claims_prf.update(tp=sum(tp.values()), fp=sum(fp.values()), fn=sum(fn.values()))
    by_type: dict[str, Any] = {}
    for t in sorted(set(tp) | set(fp) | set(fn), key=_type_order):
        by_type[t] = {**_prf(tp[t], fp[t], fn[t]), "tp": tp[t], "fp": fp[t], "fn": fn[t]}
    ent_types = sorted(set(ent_tp) | set(ent_fp) | set(ent_fn))
    return {
        "claims": claims_prf,
        "certainty_accuracy": _acc(*cert),
        "source_accuracy": _acc(*src),
        "entity_f1": _prf(sum(ent_tp.values()), sum(ent_fp.values()), sum(ent_fn.values()))["f1"],
        "entity_by_type": {t: _prf(ent_tp[t], ent_fp[t], ent_fn[t]) for t in ent_types},
        "time_accuracy": _acc(*tim),
        "quantity_accuracy": _acc(*qty),
        "by_type": by_type,
        "articles": len(gold),
        "errors": {
            "missed": missed,
            "false": false,
            "failed": [{"id": k, "error": v} for k, v in (failures or {}).items()],
        },
    }


# --------------------------------------------------------------------------- running


def _article(obj: dict[str, Any], origin: str) -> Article:
    pub = obj.get("published")
    return Article(
        text=obj["text"],
        title=str(obj.get("title") or ""),
        id=str(obj["id"]),
        published=PubDate.parse(str(pub)) if pub else None,
        outlet=obj.get("outlet") or None,
        lang=obj.get("lang") or None,
        origin=origin,
    )


def evaluate(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Run the extractor on every article of a gold file and score it (`score`'s dict).

    An article whose extraction raised counts all its gold claims and entities
    as missed, and is listed in `errors.failed` with its error.
    """
    from ondit.extract.run import extract_article, extract_many

    rows = _read_gold(path)
    gold = [obj for _, obj in rows]
    articles = [_article(obj, f"{os.fspath(path)}:{line}") for line, obj in rows]
    results: list[Any] = []
    try:
        for res in extract_many(articles):
            results.append(res)
    except Exception:  # a failure inside the batch: go on one article at a time
        for art in articles[len(results) :]:
            try:
                results.append(extract_article(art))
            except Exception as e:
                results.append(e)
    predicted: list[dict[str, Any]] = []
    failures: dict[str, str] = {}
    for art, res in zip(articles, results, strict=True):
        if isinstance(res, Exception):
            failures[str(art.id)] = str(res) or type(res).__name__
        else:
            predicted.append(res.to_json())
    return score(gold, predicted, failures)
