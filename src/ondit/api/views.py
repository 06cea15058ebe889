"""What the API and the pages show, shaped from the store's read methods.

Everything here is plain data (dicts, lists, dataclasses): the JSON API returns it, the Jinja templates
render it (autoescaped), and `ondit report` renders it into one file. Nothing here writes to the store.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import html
import itertools
import math
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ondit.model import ArticleExtraction
from ondit.store import Store
from ondit.store.keys import alias_fold
from ondit.track.lifecycle import STATES

CERTAINTY_ORDER = ("certain", "probable", "possible", "doubtful", "denied", "uncommitted")
# colours for the chart (the badges carry words; the chart's legend names each colour)
CERTAINTY_COLOURS = {
    "certain": "#1b7f3b",
    "probable": "#1f5fbf",
    "possible": "#c77800",
    "doubtful": "#7a3fb0",
    "denied": "#c0262d",
    "uncommitted": "#6b6b6b",
}
CERTAINTY_SYMBOLS = {
    "certain": "circle",
    "probable": "square",
    "possible": "diamond",
    "doubtful": "triangle-up",
    "denied": "x",
    "uncommitted": "circle-open",
}
NO_STATE = "unstated"  # a claim whose reports all leave it without a state (doubtful, uncommitted)


class NotFound(Exception):
    """An id the store does not know."""


class BadCursor(ValueError):
    """A pagination cursor this server did not hand out."""


def state_word(state: str | None) -> str:
    return state or NO_STATE


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) link, else None (javascript:, data: and the like are not links)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def source_chain(source: Sequence[Mapping[str, Any]] | None) -> str:
    """A source chain spelled out: 'La Tribune (outlet) → Bloomberg (agency)'."""
    links = []
    for link in source or ():
        who = str(link.get("name") or "unnamed")
        kind = link.get("kind") or "outlet"
        of = f", of {link['of']}" if link.get("of") else ""
        links.append(f"{who} ({kind}{of})")
    return " → ".join(links) or "the article itself (outlet unknown)"


def args_text(args: Mapping[str, Any] | None) -> str:
    parts = []
    for role, value in (args or {}).items():
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{role}: {shown}")
    return "; ".join(parts)


def find_cue(evidence: str, cue: str | None) -> tuple[int, int] | None:
    """Where the cue words sit in the evidence sentence (case-insensitive), when they do."""
    if not cue or not evidence:
        return None
    at = evidence.casefold().find(cue.casefold())
    if at < 0 or len(evidence.casefold()) != len(evidence):
        at = evidence.find(cue)
    if at < 0:
        return None
    return at, at + len(cue)


# --------------------------------------------------------------------------- annotated text


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "mention", "evidence" or "cue"
    label: str = ""  # a mention's entity type
    name: str = ""  # a mention's entity name
    ref: int | None = None  # a mention's entity id, an evidence's claim id
    number: int = 0  # an evidence's number in the page (its reference mark)


@dataclass
class Segment:
    text: str
    mention: Span | None = None
    mention_end: bool = False
    evidence: list[Span] = field(default_factory=list)
    evidence_end: list[Span] = field(default_factory=list)
    cue: bool = False

    @property
    def classes(self) -> str:
        out = []
        if self.mention is not None:
            out += ["ent", f"ent-{self.mention.label.lower()}"]
        if self.evidence:
            out.append("ev")
        if self.cue:
            out.append("cue")
        return " ".join(out)


def _non_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Longest first among those starting together, earlier first; a span overlapping a kept one goes."""
    kept: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and s.start < kept[-1].end:
            continue
        kept.append(s)
    return kept


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """Cut a text at every span boundary; each piece knows its mention, evidence sentences and cue."""
    n = len(text)
    clipped = [
        Span(max(0, s.start), min(n, s.end), s.kind, s.label, s.name, s.ref, s.number)
        for s in spans
        if s.end > s.start and s.end > 0 and s.start < n
    ]
    mentions = _non_overlapping(s for s in clipped if s.kind == "mention")
    cues = _non_overlapping(s for s in clipped if s.kind == "cue")
    evidence = sorted((s for s in clipped if s.kind == "evidence"), key=lambda s: (s.start, s.end))
    cuts = sorted({0, n, *(b for s in (*mentions, *cues, *evidence) for b in (s.start, s.end))})
    out: list[Segment] = []
    mi = ci = 0
    for a, b in itertools.pairwise(cuts):
        while mi < len(mentions) and mentions[mi].end <= a:
            mi += 1
        while ci < len(cues) and cues[ci].end <= a:
            ci += 1
        m = mentions[mi] if mi < len(mentions) and mentions[mi].start <= a else None
        c = ci < len(cues) and cues[ci].start <= a
        ev = [e for e in evidence if e.start <= a and e.end >= b]
        out.append(
            Segment(
                text=text[a:b],
                mention=m,
                mention_end=m is not None and m.end == b,
                evidence=ev,
                evidence_end=[e for e in ev if e.end == b],
                cue=c,
            )
        )
    return out


def title_and_body(
    title: str, text: str, mentions: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split stored mentions into the title's and the body's, each with offsets in its own string.

    The store keeps body offsets; the title was parsed in front of the body ('TITLE\\n\\n'), so its
    mentions have negative offsets."""
    head = len(title.strip()) + 2 if title.strip() else 0
    in_title, in_body = [], []
    for m in mentions:
        if m["start"] < 0:
            in_title.append({**m, "start": m["start"] + head, "end": m["end"] + head, "in_title": True})
        else:
            in_body.append({**m, "in_title": False})
    return in_title, in_body


def mention_spans(mentions: Iterable[Mapping[str, Any]]) -> list[Span]:
    return [
        Span(m["start"], m["end"], "mention", m["type"], m["name"], m.get("entity_id"))
        for m in mentions
        if m["end"] > m["start"]
    ]


def report_spans(reports: Sequence[Mapping[str, Any]]) -> list[Span]:
    """Evidence sentences (numbered by claim, in order of appearance) and their cue words."""
    out: list[Span] = []
    numbers: dict[Any, int] = {}
    for r in reports:
        start, end = r.get("start"), r.get("end")
        if start is None or end is None or start < 0 or end <= start:
            continue
        ref = r.get("claim_id")
        number = numbers.setdefault(ref if ref is not None else ("r", len(numbers)), len(numbers) + 1)
        out.append(Span(start, end, "evidence", ref=ref, number=number))
        if r.get("cue_start") is not None:
            out.append(Span(start + r["cue_start"], start + r["cue_end"], "cue"))
    return out


def with_cue(report: dict[str, Any]) -> dict[str, Any]:
    """A report with the offsets of its cue in its evidence (`cue_start`, `cue_end`; None when absent)."""
    found = find_cue(report.get("evidence") or "", report.get("cue"))
    report["cue_start"], report["cue_end"] = found if found else (None, None)
    return report


def evidence_segments(report: Mapping[str, Any]) -> list[Segment]:
    """A report's evidence sentence with its cue marked."""
    evidence = report.get("evidence") or ""
    spans = []
    if report.get("cue_start") is not None:
        spans.append(Span(report["cue_start"], report["cue_end"], "cue"))
    return segments(evidence, spans)


# --------------------------------------------------------------------------- articles


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """An article with its text, title, mentions (offsets in the title or the text), reports with their
    evidence and cue offsets."""
    art = store.article(article_id)
    if art is None:
        raise NotFound(f"no article {article_id!r}")
    title = (art.get("title") or "").strip()
    text = art.get("text") or ""
    in_title, in_body = title_and_body(art.get("title") or "", text, art["mentions"])
    reports = []
    for r in art["reports"]:
        item = {
            "id": r["id"],
            "claim_id": r["claim_id"],
            "type": r["type"],
            "certainty": r["certainty"],
            "cue": r["cue"],
            "called_off": r["called_off"],
            "source": r["source"] or [],
            "time": r["time"],
            "quantity": r["quantity"],
            "args": r["args"] or {},
            "evidence": r["evidence"] or "",
            "start": r["start"],
            "end": r["end"],
        }
        reports.append(with_cue(item))
    return {
        "id": art["id"],
        "title": title,
        "text": text,
        "url": art.get("url"),
        "published": art.get("published"),
        "outlet": art.get("outlet"),
        "lang": art.get("lang"),
        "duplicate_of": art.get("duplicate_of"),
        "ingested_at": art.get("ingested_at"),
        "mentions": [*in_title, *in_body],
        "reports": reports,
    }


def article_page(view: Mapping[str, Any], link: bool = True) -> dict[str, Any]:
    """The annotated title and body of an article view, for the template."""
    in_title = [m for m in view["mentions"] if m["in_title"]]
    in_body = [m for m in view["mentions"] if not m["in_title"]]
    spans = mention_spans(in_body) + report_spans(view["reports"])
    return {
        "title_segments": segments(view["title"], mention_spans(in_title)),
        "segments": segments(view["text"], spans),
        "link": link,
    }


def extraction_view(ex: ArticleExtraction) -> dict[str, Any]:
    """`POST /api/extract` and the try-it page: the extraction JSON with cue offsets on each claim."""
    out = ex.to_json()
    for c in out["claims"]:
        with_cue(c)
    return out


def extraction_page(ex: Mapping[str, Any]) -> dict[str, Any]:
    """The annotated text of an extraction (no ids: nothing is stored)."""
    mentions = [
        {"start": m["start"], "end": m["end"], "type": e["type"], "name": e["name"], "entity_id": None}
        for e in ex["entities"]
        for m in e.get("mentions", ())
        if m["start"] >= 0
    ]
    reports = [{**c, "claim_id": i + 1} for i, c in enumerate(ex["claims"])]
    return {"segments": segments(ex["text"], mention_spans(mentions) + report_spans(reports)), "link": False}


# --------------------------------------------------------------------------- entities


def entity_list(store: Store, q: str | None = None, type: str | None = None) -> list[dict[str, Any]]:
    """Entities (with their counts), those whose name or an alias contains `q` (case and accents ignored)
    or that the resolver finds for it; exact names first, then by number of claims."""
    items = store.entities(type=type)
    if not q or not q.strip():
        return items
    needle = alias_fold(q)
    exact = {e["id"] for e in store.find_entities(q)} if needle else set()
    out = []
    for e in items:
        folds = [alias_fold(n) for n in (e["name"], *e["aliases"])]
        if e["id"] in exact or (needle and any(needle in f for f in folds)):
            out.append(e)
    out.sort(key=lambda e: (e["id"] not in exact, -e["claims"], -e["mentions"], e["name"].casefold()))
    return out


def entity_view(store: Store, entity_id: int) -> dict[str, Any]:
    from ondit.store.store import EntityNotFound

    try:
        ent = store.entity(id=entity_id)
    except EntityNotFound as e:
        raise NotFound(str(e)) from e
    counts = next((e for e in store.entities(type=ent["type"]) if e["id"] == entity_id), None)
    return {
        "id": ent["id"],
        "name": ent["name"],
        "type": ent["type"],
        "kind": ent.get("kind"),
        "country": ent.get("country"),
        "parent": ent.get("parent"),
        "aliases": ent["aliases"],
        "mentions": counts["mentions"] if counts else 0,
        "claims": counts["claims"] if counts else 0,
    }


def story_view(store: Store, entity_id: int, as_of: dt.date | None = None) -> dict[str, Any]:
    from ondit.store.store import EntityNotFound

    try:
        story = store.story(entity_id, as_of=as_of)
    except EntityNotFound as e:
        raise NotFound(str(e)) from e
    story["as_of"] = as_of.isoformat() if as_of else None
    return story


def plotly_text(value: str) -> str:
    """Text for a Plotly label: Plotly reads a few HTML tags in labels, so '<' and '&' go as entities."""
    return html.escape(value, quote=False)


def row_label(claim: Mapping[str, Any], width: int = 34) -> str:
    what = claim.get("counterpart") or next(
        (str(v) for r, v in (claim.get("args") or {}).items() if r not in ("agent", "person", "owner")), ""
    )
    label = f"#{claim['id']} {claim['type']}" + (f" · {what}" if what else "")
    return label if len(label) <= width else label[: width - 1] + "…"


def timeline(story: Mapping[str, Any], details: Mapping[int, Mapping[str, Any]]) -> dict[str, Any]:
    """The story chart's data: each claim a row, each report a dot (by certainty), each state change a
    mark. `details` holds each claim's `claim_view` (its reports). `points` is how many marks it draws."""
    rows = [row_label(c) for c in story["claims"]]
    by_certainty: dict[str, dict[str, list[Any]]] = {}
    changes: dict[str, list[Any]] = {"x": [], "y": [], "text": []}
    for claim, row in zip(story["claims"], rows, strict=True):
        detail = details.get(claim["id"])
        for r in detail["reports"] if detail else ():
            trace = by_certainty.setdefault(r["certainty"], {"x": [], "y": [], "text": []})
            trace["x"].append(r["date"])
            trace["y"].append(plotly_text(row))
            who = r["source"][-1]["name"] if r["source"] else (r["outlet"] or "")
            trace["text"].append(plotly_text(f"{r['date']} · {r['certainty']} · {who}: {r['cue']}"))
        for t in claim["transitions"]:
            changes["x"].append(t["date"])
            changes["y"].append(plotly_text(row))
            changes["text"].append(plotly_text(f"{t['date']} → {t['state']}"))
    traces = []
    for cert in sorted(by_certainty, key=lambda c: CERTAINTY_ORDER.index(c) if c in CERTAINTY_ORDER else 99):
        t = by_certainty[cert]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": plotly_text(f"report: {cert}"),
                "x": t["x"],
                "y": t["y"],
                "text": t["text"],
                "hoverinfo": "text",
                "marker": {
                    "color": CERTAINTY_COLOURS.get(cert, "#333"),
                    "symbol": CERTAINTY_SYMBOLS.get(cert, "circle"),
                    "size": 11,
                    "line": {"width": 1, "color": "#fff"},
                },
            }
        )
    if changes["x"]:
        traces.insert(
            0,
            {
                "type": "scatter",
                "mode": "markers",
                "name": "state change",
                "x": changes["x"],
                "y": changes["y"],
                "text": changes["text"],
                "hoverinfo": "text",
                "marker": {"color": "#444", "symbol": "line-ns-open", "size": 24, "line": {"width": 1.5}},
            },
        )
    points = sum(len(t["x"]) for t in traces)
    return {
        "traces": traces,
        "rows": [plotly_text(r) for r in reversed(rows)],
        # on a phone the rows are named by claim number and type only
        "short": {plotly_text(r): plotly_text(r.split(" · ")[0]) for r in rows},
        "height": max(220, 34 * len(rows) + 110),
        "points": points,
        "reports": points - len(changes["x"]),
        "changes": len(changes["x"]),
    }


def counterpart_graph(store: Store, story: Mapping[str, Any], size: int = 360) -> dict[str, Any]:
    """The entity and its counterparts on a circle around it, for an SVG drawn by the template."""
    me = story["entity"]
    edges: dict[str, dict[str, Any]] = {}
    for c in story["claims"]:
        for name in (c.get("counterpart") or "").split(", "):
            if not name:
                continue
            e = edges.setdefault(name, {"name": name, "types": [], "states": [], "claims": 0})
            if c["type"] not in e["types"]:
                e["types"].append(c["type"])
            e["states"].append(state_word(c["state"]))
            e["claims"] += 1
    cx = cy = size / 2
    radius = size / 2 - 70
    nodes = []
    for i, e in enumerate(sorted(edges.values(), key=lambda e: (-e["claims"], e["name"].casefold()))):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(edges))
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        found = store.find_entities(e["name"])
        nodes.append(
            {
                **e,
                "id": found[0]["id"] if len(found) == 1 else None,
                "x": round(x, 1),
                "y": round(y, 1),
                "lx": round(cx + 0.55 * (x - cx), 1),
                "ly": round(cy + 0.55 * (y - cy) + 3, 1),
                "label": e["name"] if len(e["name"]) <= 22 else e["name"][:21] + "…",
                "anchor": "middle",
            }
        )
    centre = me["name"] if len(me["name"]) <= 22 else me["name"][:21] + "…"
    return {"size": size, "cx": cx, "cy": cy, "centre": centre, "nodes": nodes}


# --------------------------------------------------------------------------- claims


def claim_view(store: Store, claim_id: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """One claim with every report (with its evidence offsets in its article and its cue's in the
    evidence) and its transitions."""
    found = store.claim(claim_id, as_of=as_of)
    if found is None:
        raise NotFound(f"no claim {claim_id}")
    offsets: dict[int, tuple[int, int]] = {}
    if any("start" not in r for r in found["reports"]):
        for aid in dict.fromkeys(r["article_id"] for r in found["reports"]):
            art = store.article(aid)
            for r in art["reports"] if art else ():
                offsets[r["id"]] = (r["start"], r["end"])
    reports = []
    for r in found["reports"]:
        item = dict(r)
        if "start" not in item:
            item["start"], item["end"] = offsets.get(r["id"], (None, None))
        item["source"] = item.get("source") or []
        reports.append(with_cue(item))
    found["reports"] = reports
    return found


@dataclass(frozen=True)
class ClaimSummary:
    id: int
    type: str
    args: dict[str, Any]
    state: str | None
    first_reported: str | None
    last_reported: str | None
    reports: int
    sources: int
    days: tuple[str, ...]  # the days of its reports

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "args": self.args,
            "state": self.state,
            "first_reported": self.first_reported,
            "last_reported": self.last_reported,
            "reports": self.reports,
            "sources": self.sources,
        }

    @property
    def order(self) -> tuple[str, int]:
        return (self.last_reported or "", self.id)


class ClaimIndex:
    """Every claim's current summary, newest first, recomputed when the store changes (or after `ttl`
    seconds: corrections made from the command line do not change the counts)."""

    def __init__(self, store: Store, ttl: float = 30.0) -> None:
        self.store = store
        self.ttl = ttl
        self._lock = threading.Lock()
        self._stamp: tuple[Any, ...] | None = None
        self._at = 0.0
        self._items: list[ClaimSummary] = []

    def invalidate(self) -> None:
        with self._lock:
            self._stamp = None

    def all(self) -> list[ClaimSummary]:
        stamp = (tuple(self.store.stats().values()), dt.date.today())
        with self._lock:
            if self._stamp == stamp and time.monotonic() - self._at < self.ttl:
                return self._items
            items = []
            for cid in self.store.claim_ids():
                c = self.store.claim(cid)
                if c is None:
                    continue
                items.append(
                    ClaimSummary(
                        id=c["id"],
                        type=c["type"],
                        args=c["args"] or {},
                        state=c["state"],
                        first_reported=c["first_reported"],
                        last_reported=c["last_reported"],
                        reports=c["counted_reports"],
                        sources=c["sources"],
                        days=tuple(sorted({r["date"] for r in c["reports"]})),
                    )
                )
            items.sort(key=lambda s: s.order, reverse=True)
            self._items, self._stamp, self._at = items, stamp, time.monotonic()
            return items

    def page(
        self,
        entity: str | None = None,
        type: str | None = None,
        state: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> tuple[list[ClaimSummary], str | None]:
        """One page of claims, newest last report first, and the cursor of the next page (None at the end).

        `entity` is an entity id or a name (or alias); `state` one of the lifecycle states or
        'unstated'; `since`/`until` keep claims with a report on a day in that range."""
        after = decode_cursor(cursor) if cursor else None
        lo = since.isoformat() if since else ""
        hi = until.isoformat() if until else "9999-99"
        ids: set[int] | None = None
        if entity is not None and entity.strip():
            ids = self._entity_claims(entity.strip())
        out = []
        for s in self.all():
            if after is not None and s.order >= after:
                continue
            if ids is not None and s.id not in ids:
                continue
            if type and s.type != type:
                continue
            if state and state_word(s.state) != state:
                continue
            if (since or until) and not any(lo <= d <= hi for d in s.days):
                continue
            out.append(s)
            if len(out) > limit:
                break
        if len(out) > limit:
            out = out[:limit]
            return out, encode_cursor(out[-1].order)
        return out, None

    def _entity_claims(self, entity: str) -> set[int]:
        from ondit.store.store import EntityNotFound

        if entity.isdigit() and len(entity) < 12:
            try:
                return {c["id"] for c in self.store.story(int(entity))["claims"]}
            except EntityNotFound:
                return set()
        return {c["id"] for c in self.store.claims(entity=entity)}


def encode_cursor(order: tuple[str, int]) -> str:
    raw = f"{order[0]}|{order[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, _, cid = raw.rpartition("|")
        if day:
            dt.date.fromisoformat(day)
        if not cid.isdigit() or len(cid) > 18:
            raise ValueError(cid)
        return day, int(cid)
    except (ValueError, binascii.Error, UnicodeDecodeError) as e:
        raise BadCursor("not a cursor this server gave") from e


STATE_WORDS = (*STATES, NO_STATE)
