"""Across articles, inside one transaction: entities resolved, claims clustered into 365-day episodes,
near-duplicates counted once, novelty, and the cached lifecycle of each claim.

- `index_article` stores one article's entities, mentions and reports (resolved entity keys, claim key,
  resolved source, credited source) and returns the claim keys it touched.
- `recompute_keys` re-clusters every report of those keys into episodes, keeping claim ids where the
  reports stay together, then recomputes novelty and each claim's cached state and transitions. It
  depends only on the reports and their articles' dates, never on the order they were stored in.

Dates: a report is dated by its article's publication day (the first day of the month or year when the
date is coarser; the day it was stored when the article has no date). Reports of an article that is a
near-identical copy of another (`articles.duplicate_of`) are kept as evidence, but they do not count
in report counts, novelty, sources or the lifecycle (unless the key has no other reports).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ondit.model import BadDateError, PubDate
from ondit.store.keys import alias_fold, claim_key, is_phrase
from ondit.store.resolution import StoreResolver, context_of, kb_entry
from ondit.store.schema import (
    aliases,
    articles,
    claim_transitions,
    claims,
    entities,
    mentions,
    report_parties,
    reports,
)
from ondit.track.lifecycle import ReportView, Transition, period_end, transitions
from ondit.track.record import SourceLink, credited_source

EPISODE_GAP_DAYS = 365  # SPEC: a report 365 days or more after the claim's previous one starts a new claim
_TEMP_EPISODE = -2_000_000_000  # episodes are renumbered through negative values (unique key, episode)
_PARTY_SOURCE_TYPES = {
    "party": "ORG",
    "official": "ORG",
    "agency": "MEDIA",
    "media": "MEDIA",
    "outlet": "MEDIA",
}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def report_day(published: str | None, ingested_at: str | None) -> dt.date:
    """The day a report counts from: its article's publication day (start of a coarser period), else
    the day it was stored."""
    if published:
        try:
            pub = PubDate.parse(published)
            return dt.date(pub.year, pub.month or 1, pub.day or 1)
        except BadDateError:
            pass
    if ingested_at:
        return dt.date.fromisoformat(ingested_at[:10])
    return dt.date.today()


# --------------------------------------------------------------------------- entities


def ensure_entity(
    conn: Connection,
    sr: StoreResolver,
    key: str,
    name: str,
    type: str,
    forms: Iterable[str],
    kind: str | None = None,
    parent: str | None = None,
) -> int:
    """The id of the entity with this key, created when new; `forms` are added as its aliases."""
    forms = [f for f in dict.fromkeys(forms) if f and f.strip()]
    found = conn.execute(sa.select(entities.c.id).where(entities.c.key == key)).scalar()
    entry = kb_entry(key)
    if found is None:
        parent_id = None
        if parent:
            pkey = f"kb:{parent}"
            pentry = kb_entry(pkey)
            if pentry is not None and pkey != key:
                parent_id = ensure_entity(conn, sr, pkey, pentry.name, pentry.type, [pentry.name])
        values = {
            "key": key,
            "name": name,
            "type": type,
            "kind": kind or (entry.kind if entry and entry.kind else None),
            "country": entry.country if entry and entry.country else None,
            "parent_id": parent_id,
            "origin": "kb" if entry is not None else "text",
        }
        conn.execute(insert_ignore(conn, entities), values)
        found = conn.execute(sa.select(entities.c.id).where(entities.c.key == key)).scalar_one()
        if entry is not None:
            kb_forms = [f for f in (entry.name, *entry.aliases) if sr.user_target(f) in (None, key)]
            _add_aliases(conn, int(found), kb_forms, "kb")
    _add_aliases(conn, int(found), forms, "text")
    sr.add(key, name, type, forms)
    return int(found)


def _add_aliases(conn: Connection, entity_id: int, forms: Iterable[str], source: str) -> None:
    rows = [
        {"entity_id": entity_id, "alias": f, "alias_fold": alias_fold(f), "source": source}
        for f in dict.fromkeys(forms)
    ]
    if rows:
        conn.execute(insert_ignore(conn, aliases), rows)


def insert_ignore(conn: Connection, table: sa.Table) -> sa.Insert:
    from sqlalchemy.dialects import postgresql, sqlite

    if conn.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return postgresql.insert(table).on_conflict_do_nothing()


# --------------------------------------------------------------------------- one article


def extraction_record(extraction: Any) -> dict[str, Any]:
    """What the store keeps of an `ArticleExtraction` to rebuild it later: its JSON without the text."""
    out: dict[str, Any] = extraction.to_json()
    out.pop("text", None)
    for ent, ej in zip(extraction.entities, out["entities"], strict=True):
        if ent.kind:
            ej["kind"] = ent.kind
    return out


def index_article(
    conn: Connection, sr: StoreResolver, article_id: str, text: str, ex: Mapping[str, Any]
) -> set[str]:
    """Store the entities, mentions and reports of one stored article; returns the claim keys touched."""
    local: dict[str, tuple[int, str]] = {}  # the article's entity id -> (stored id, key)
    by_name: dict[str, tuple[int, str]] = {}
    mention_rows: list[dict[str, Any]] = []
    for ent in ex.get("entities", ()):
        ments = ent.get("mentions") or []
        context = context_of(text, ments[0]["start"]) if ments else ""
        res = sr.resolve(ent["name"], ent["type"], ent.get("aliases") or (), context)
        forms = [ent["name"], *(ent.get("aliases") or ())]
        eid = ensure_entity(conn, sr, res.key, res.name, res.type, forms, ent.get("kind"), res.parent)
        local[ent["id"]] = (eid, res.key)
        for form in forms:
            by_name.setdefault(alias_fold(form), (eid, res.key))
        for m in ments:
            mention_rows.append(
                {
                    "article_id": article_id,
                    "entity_id": eid,
                    "start_char": m["start"],
                    "end_char": m["end"],
                    "text": m["text"],
                }
            )
    if mention_rows:
        conn.execute(mentions.insert(), mention_rows)

    touched: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    for c in ex.get("claims", ()):
        parties = _parties(conn, sr, c, local, by_name)
        party_keys: dict[str, list[str]] = {}
        for role, _, key in parties:
            party_keys.setdefault(role, []).append(key)
        key = claim_key(c, party_keys)
        source = c.get("source") or []
        inner = source[-1] if source else None
        uniq = (key, c["certainty"], inner["name"] if inner else "")
        if uniq in seen:  # the same claim, certainty and source restated: the first one stands
            continue
        seen.add(uniq)
        touched.add(key)
        credit = _credit(sr, source)
        t = c.get("time")
        values = {
            "claim_id": _placeholder_claim(conn, key, c["type"]),
            "article_id": article_id,
            "certainty": c["certainty"],
            "cue": c.get("cue") or "",
            "called_off": bool(c.get("called_off")),
            "source_json": dumps(source),
            "innermost_name": inner["name"] if inner else "",
            "innermost_kind": inner["kind"] if inner else None,
            "time_value": t.get("value") if t else None,
            "time_precision": t.get("precision") if t else None,
            "time_role": t.get("role") if t else None,
            "time_json": dumps(t) if t else None,
            "quantity_json": dumps(c["quantity"]) if c.get("quantity") else None,
            "args_json": dumps(c.get("args") or {}),
            "evidence": c.get("evidence") or "",
            "start_char": c.get("start", -1),
            "end_char": c.get("end", -1),
            "extractor_version": ex.get("extractor_version") or "",
            "key": key,
            "source_key": _source_key(sr, source, credit),
            "credit": credit[0] if credit else None,
            "credit_kind": credit[1] if credit else None,
        }
        pk = conn.execute(reports.insert().values(**values)).inserted_primary_key
        assert pk is not None
        rows = {(role, eid) for role, eid, _ in parties}
        if rows:
            conn.execute(
                insert_ignore(conn, report_parties),
                [{"report_id": pk[0], "role": r, "entity_id": e} for r, e in sorted(rows)],
            )
    return touched


def _parties(
    conn: Connection,
    sr: StoreResolver,
    c: Mapping[str, Any],
    local: Mapping[str, tuple[int, str]],
    by_name: Mapping[str, tuple[int, str]],
) -> list[tuple[str, int, str]]:
    """(role, entity id, entity key) of each party role: by the extractor's entity id, else by name in
    the article, else the name resolved on its own (and stored as an entity)."""
    ids: Mapping[str, str] = c.get("arg_ids") or {}
    out: list[tuple[str, int, str]] = []
    for role, value in (c.get("args") or {}).items():
        if is_phrase(role, value, ids):
            continue
        values = value if isinstance(value, list) else [value]
        if len(values) == 1 and ids.get(role) in local:
            eid, key = local[ids[role]]
            out.append((role, eid, key))
            continue
        for name in values:
            if not isinstance(name, str) or not name.strip():
                continue
            hit = by_name.get(alias_fold(name))
            if hit is None:
                res = sr.resolve(name, "PLACE" if role == "place" else "ORG")
                hit = (
                    ensure_entity(conn, sr, res.key, res.name, res.type, [name], None, res.parent),
                    res.key,
                )
            out.append((role, hit[0], hit[1]))
    return out


def _links(sr: StoreResolver, source: Sequence[Mapping[str, Any]]) -> list[SourceLink]:
    out = []
    for link in source:
        kind = link.get("kind") or "outlet"
        name = link["name"]
        if kind in ("outlet", "agency", "media"):
            name = sr.canonical(name, "MEDIA")
        elif kind in ("party", "official"):
            name = sr.canonical(name, "ORG")
        out.append(SourceLink(name, kind, link.get("of")))
    return out


def _credit(sr: StoreResolver, source: Sequence[Mapping[str, Any]]) -> tuple[str, str] | None:
    return credited_source(_links(sr, source))


def _source_key(
    sr: StoreResolver, source: Sequence[Mapping[str, Any]], credit: tuple[str, str] | None
) -> str:
    """Who the innermost source is, across articles: a party or official by its entity key (so the
    lifecycle tells parties apart however they are written), an anonymous source by its credit."""
    if not source:
        return ""
    inner = source[-1]
    kind = inner.get("kind") or "outlet"
    if kind == "anonymous":
        return credit[0] if credit else "anonymous"
    type = _PARTY_SOURCE_TYPES.get(kind)
    if type is None:
        return str(inner["name"])
    return sr.resolve(inner["name"], type).key


def _placeholder_claim(conn: Connection, key: str, type: str) -> int:
    """A claim row for a new report until `recompute_keys` puts it in its episode."""
    found = conn.execute(sa.select(sa.func.min(claims.c.id)).where(claims.c.key == key)).scalar()
    if found is not None:
        return int(found)
    values = {"type": type, "key": key, "episode": 1, "args_json": "{}"}
    pk = conn.execute(claims.insert().values(**values)).inserted_primary_key
    assert pk is not None
    return int(pk[0])


# --------------------------------------------------------------------------- episodes and states


@dataclass
class ReportRow:
    id: int
    claim_id: int
    article_id: str
    day: dt.date
    published: str
    duplicate: bool
    certainty: str
    called_off: bool
    kind: str
    source_key: str
    time_value: str | None
    time_role: str | None
    credit: str | None
    credit_kind: str | None
    args: dict[str, Any]
    parties: dict[str, list[str]]  # role -> entity names

    @property
    def order(self) -> tuple[dt.date, str, str, int]:
        return (self.day, self.published, self.article_id, self.id)

    def view(self) -> ReportView:
        return ReportView(
            id=self.id,
            date=self.day,
            certainty=self.certainty,
            kind=self.kind,
            source=self.source_key,
            called_off=self.called_off,
            time_value=self.time_value,
            time_role=self.time_role,
        )


def load_reports(conn: Connection, where: sa.ColumnElement[bool]) -> list[ReportRow]:
    """Report rows (with their article's day and whether it is a copy), in date order."""
    query = (
        sa.select(
            reports.c.id,
            reports.c.claim_id,
            reports.c.article_id,
            reports.c.certainty,
            reports.c.called_off,
            reports.c.innermost_kind,
            reports.c.source_key,
            reports.c.time_value,
            reports.c.time_role,
            reports.c.credit,
            reports.c.credit_kind,
            reports.c.args_json,
            articles.c.published,
            articles.c.ingested_at,
            articles.c.duplicate_of,
        )
        .join(articles, articles.c.id == reports.c.article_id)
        .where(where)
    )
    rows = list(conn.execute(query).mappings())
    names: dict[int, dict[str, list[str]]] = {}
    ids = [r["id"] for r in rows]
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for rid, role, name in conn.execute(
            sa.select(report_parties.c.report_id, report_parties.c.role, entities.c.name)
            .join(entities, entities.c.id == report_parties.c.entity_id)
            .where(report_parties.c.report_id.in_(part))
            .order_by(report_parties.c.report_id, report_parties.c.role, entities.c.name)
        ):
            names.setdefault(rid, {}).setdefault(role, []).append(name)
    out = [
        ReportRow(
            id=r["id"],
            claim_id=r["claim_id"],
            article_id=r["article_id"],
            day=report_day(r["published"], r["ingested_at"]),
            published=r["published"] or "",
            duplicate=r["duplicate_of"] is not None,
            certainty=r["certainty"],
            called_off=bool(r["called_off"]),
            kind=r["innermost_kind"] or "",
            source_key=r["source_key"],
            time_value=r["time_value"],
            time_role=r["time_role"],
            credit=r["credit"],
            credit_kind=r["credit_kind"],
            args=loads(r["args_json"]) or {},
            parties=names.get(r["id"], {}),
        )
        for r in rows
    ]
    out.sort(key=lambda r: r.order)
    return out


def counted(rows: Sequence[ReportRow]) -> list[ReportRow]:
    """The reports that count (copies left out, unless there is nothing else)."""
    own = [r for r in rows if not r.duplicate]
    return own or list(rows)


def episodes(rows: Sequence[ReportRow]) -> list[list[ReportRow]]:
    """A key's reports split into episodes: sorted by date, a report 365 days or more after the previous
    counted one starts a new episode; copies join the episode they fall in."""
    own = counted(rows)
    groups: list[list[ReportRow]] = []
    for r in own:
        if not groups or (r.day - groups[-1][-1].day).days >= EPISODE_GAP_DAYS:
            groups.append([])
        groups[-1].append(r)
    own_ids = {r.id for r in own}
    for r in rows:
        if r.id in own_ids:
            continue
        at = 0
        for i, g in enumerate(groups):
            if g[0].day <= r.day:
                at = i
        groups[at].append(r)
    for g in groups:
        g.sort(key=lambda r: r.order)
    return groups


def display_args(rows: Sequence[ReportRow]) -> dict[str, Any]:
    """The claim's roles as its first counted report gives them (parties by their entity's name), with
    roles only later reports fill."""
    out: dict[str, Any] = {}
    for r in [*counted(rows), *rows]:
        for role, value in r.args.items():
            if role in out:
                continue
            names = r.parties.get(role)
            if names:
                out[role] = names[0] if len(names) == 1 else names
            else:
                out[role] = value
    return out


@dataclass
class Summary:
    state: str | None
    transitions: list[Transition]
    first_reported: str | None
    last_reported: str | None
    n_reports: int
    n_sources: int
    recheck_on: dt.date | None


def summarise(
    rows: Sequence[ReportRow], as_of: dt.date | None, grace_days: int, today: dt.date | None = None
) -> Summary:
    """A claim's state, transitions and counts from its reports, as of a day (None: now)."""
    own = counted(rows)
    if as_of is not None:
        own = [r for r in own if r.day <= as_of]
    views = [r.view() for r in own]
    if as_of is None and today is not None:
        horizon = max([today, *(r.day for r in own)])
        changes = transitions(views, as_of=horizon, grace_days=grace_days)
    else:
        changes = transitions(views, as_of=as_of, grace_days=grace_days)
    recheck = None
    expected = [r for r in own if r.time_role == "expected" and r.time_value]
    for r in reversed(expected):
        try:
            deadline = period_end(r.time_value or "") + dt.timedelta(days=grace_days)
        except ValueError:
            continue
        if deadline > (as_of or today or dt.date.today()):
            recheck = deadline
        break
    return Summary(
        state=changes[-1].state if changes else None,
        transitions=changes,
        first_reported=own[0].day.isoformat() if own else None,
        last_reported=own[-1].day.isoformat() if own else None,
        n_reports=len(own),
        n_sources=len({r.source_key for r in own}),
        recheck_on=recheck,
    )


def recompute_keys(conn: Connection, keys: Iterable[str], grace_days: int) -> None:
    """Re-cluster the reports of these claim keys into episodes and recompute their claims."""
    for key in sorted(set(keys)):
        _recompute_key(conn, key, grace_days)


def _recompute_key(conn: Connection, key: str, grace_days: int) -> None:
    rows = load_reports(conn, reports.c.key == key)
    existing = list(
        conn.execute(sa.select(claims.c.id, claims.c.type).where(claims.c.key == key).order_by(claims.c.id))
    )
    if not rows:
        if existing:
            conn.execute(sa.delete(claims).where(claims.c.key == key))
        return
    groups = episodes(rows)
    # keep claim ids: each group takes the existing claim most of its reports belong to
    overlaps = sorted(
        ((-n, gi, cid) for gi, g in enumerate(groups) for cid, n in Counter(r.claim_id for r in g).items()),
    )
    existing_ids = {cid for cid, _ in existing}
    chosen: dict[int, int] = {}
    for _, gi, cid in overlaps:
        if gi not in chosen and cid in existing_ids and cid not in chosen.values():
            chosen[gi] = cid
    conn.execute(sa.update(claims).where(claims.c.key == key).values(episode=-claims.c.id))
    ctype = json.loads(key)[0] if key.startswith("[") else existing[0][1]
    for gi in range(len(groups)):
        if gi not in chosen:
            values = {"type": ctype, "key": key, "episode": _TEMP_EPISODE - gi, "args_json": "{}"}
            pk = conn.execute(claims.insert().values(**values)).inserted_primary_key
            assert pk is not None
            chosen[gi] = int(pk[0])
    today = dt.date.today()
    for gi, group in enumerate(groups):
        cid = chosen[gi]
        moved = [r.id for r in group if r.claim_id != cid]
        for chunk in range(0, len(moved), 500):
            conn.execute(
                sa.update(reports).where(reports.c.id.in_(moved[chunk : chunk + 500])).values(claim_id=cid)
            )
        own = counted(group)
        first_article, first_day = own[0].article_id, own[0].day
        own_ids = {r.id for r in own}
        for r in group:
            conn.execute(
                sa.update(reports)
                .where(reports.c.id == r.id)
                .values(
                    is_first=r.id in own_ids and r.article_id == first_article,
                    days_after_first=(r.day - first_day).days,
                )
            )
        write_cache(conn, cid, group, grace_days, today, type=ctype, args=display_args(group))
    keep = set(chosen.values())
    gone = [cid for cid, _ in existing if cid not in keep]
    if gone:
        conn.execute(sa.delete(claims).where(claims.c.id.in_(gone)))
    for gi in range(len(groups)):
        conn.execute(sa.update(claims).where(claims.c.id == chosen[gi]).values(episode=gi + 1))


def write_cache(
    conn: Connection,
    claim_id: int,
    rows: Sequence[ReportRow],
    grace_days: int,
    today: dt.date,
    **extra: Any,
) -> Summary:
    """Recompute and store a claim's current state, summary and transitions."""
    s = summarise(rows, None, grace_days, today)
    values: dict[str, Any] = {
        "state": s.state,
        "first_reported": s.first_reported,
        "last_reported": s.last_reported,
        "n_reports": s.n_reports,
        "n_sources": s.n_sources,
        "grace_days": grace_days,
        "computed_on": today.isoformat(),
        "recheck_on": s.recheck_on.isoformat() if s.recheck_on else None,
    }
    if "args" in extra:
        values["args_json"] = dumps(extra["args"])
    if "type" in extra:
        values["type"] = extra["type"]
    conn.execute(sa.update(claims).where(claims.c.id == claim_id).values(**values))
    conn.execute(sa.delete(claim_transitions).where(claim_transitions.c.claim_id == claim_id))
    if s.transitions:
        conn.execute(
            claim_transitions.insert(),
            [
                {
                    "claim_id": claim_id,
                    "seq": i,
                    "state": t.state,
                    "date": t.date.isoformat(),
                    "report_id": t.report,
                }
                for i, t in enumerate(s.transitions)
            ],
        )
    return s


def party_names(rows: Sequence[ReportRow]) -> dict[str, list[str]]:
    """Every entity named in a party role of these reports, by role, in order of appearance."""
    out: dict[str, list[str]] = {}
    for r in rows:
        for role, names in r.parties.items():
            for n in names:
                if n not in out.setdefault(role, []):
                    out[role].append(n)
    return out


def counterpart(claim_type: str, parties: Mapping[str, Sequence[str]], entity_name: str) -> str | None:
    """The other party of a claim in its key roles, seen from one entity (None when it has none)."""
    from ondit.store.keys import KEY_ROLES

    names: list[str] = []
    for role in KEY_ROLES.get(claim_type, ()):
        names.extend(n for n in parties.get(role, ()) if n not in names)
    others = [n for n in names if n != entity_name]
    return ", ".join(others) if others else None
