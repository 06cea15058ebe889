"""The story corpus (tests/data/stories) as hand-written extractions, and helpers to check a store against
its expected.json.

`hand_extractions()` turns every report that expected.json lists into the `ArticleExtraction` a perfect
extractor would give (type, parties, certainty, source chain, cue, called_off, time), so the store's
side (resolution, claim identity, episodes, lifecycle, track record) is tested on its own, whatever
the extractor gets right today.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ondit.model import ArticleExtraction, Claim, Entity, Mention, Source, TimeRef
from ondit.store import Store
from ondit.store.keys import claim_key

STORIES = Path(__file__).resolve().parent / "data" / "stories"
ARTICLES = STORIES / "articles.jsonl"
AGENCIES = {"Reuters", "AFP", "Bloomberg"}


def articles() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((STORIES / "expected.json").read_text(encoding="utf-8"))
    return data


def expected_claims() -> list[dict[str, Any]]:
    return [c for s in expected()["stories"] for c in s["claims"]]


def _mentions(text: str, name: str) -> tuple[Mention, ...]:
    out = []
    start = text.find(name)
    while start >= 0:
        out.append(Mention(start, start + len(name), name))
        start = text.find(name, start + 1)
    return tuple(out)


def _sentence(text: str, cue: str) -> tuple[str, int, int]:
    pos = text.find(cue)
    if pos < 0:
        return text[:80], 0, min(80, len(text))
    lo = max(text.rfind(". ", 0, pos) + 2, 0) if text.rfind(". ", 0, pos) >= 0 else 0
    hi = text.find(". ", pos)
    hi = len(text) if hi < 0 else hi + 1
    return text[lo:hi], lo, hi


def _chain(article: dict[str, Any], rep: dict[str, Any], speaker: str) -> tuple[Source, ...]:
    outlet = Source(article["outlet"], "outlet")
    kind = rep["source_kind"]
    if kind == "outlet":
        return (outlet,)
    if kind == "anonymous":
        via = rep["via"]
        via_link = (
            () if via == article["outlet"] else (Source(via, "agency" if via in AGENCIES else "media"),)
        )
        return (outlet, *via_link, Source(rep["source"], "anonymous"))
    return (outlet, Source(speaker, kind))


def hand_extraction(article: dict[str, Any], version: str = "hand") -> ArticleExtraction:
    """The extraction of one story article, written from expected.json."""
    text = article["text"]
    claims: list[Claim] = []
    names: list[str] = []
    for c in expected_claims():
        for rep in c["reports"]:
            if rep["article"] != article["id"]:
                continue
            speakers = [rep["source"]]
            if rep["source_kind"] == "party":  # "Valeo, BYD": each party's own report
                speakers = [s.strip() for s in rep["source"].split(",")]
            evidence, start, end = _sentence(text, rep["cue"])
            t = rep.get("time")
            time = TimeRef(t["value"], t["precision"], False, t["role"], t["value"]) if t else None
            for speaker in speakers:
                for name in c["parties"]:
                    if name not in names:
                        names.append(name)
                claims.append(
                    Claim(
                        type=c["type"],
                        args=tuple(c["args"].items()),
                        certainty=rep["certainty"],
                        source=_chain(article, rep, speaker),
                        cue=rep["cue"],
                        evidence=evidence,
                        start=start,
                        end=end,
                        time=time,
                        called_off=bool(rep.get("called_off")),
                        arg_ids=tuple(
                            (role, f"e{names.index(v) + 1}")
                            for role, v in c["args"].items()
                            if isinstance(v, str) and v in names
                        ),
                    )
                )
    entities = tuple(Entity(f"e{i + 1}", n, "ORG", (), _mentions(text, n)) for i, n in enumerate(names))
    return ArticleExtraction(
        id=article["id"],
        lang="fr",
        published=article["published"],
        outlet=article["outlet"],
        title=article["title"],
        text=text,
        entities=entities,
        claims=tuple(claims),
        url=article.get("url"),
        extractor_version=version,
    )


def hand_extractions(order: Iterable[dict[str, Any]] | None = None) -> list[ArticleExtraction]:
    return [hand_extraction(a) for a in (order if order is not None else articles())]


def key_of(c: dict[str, Any]) -> str:
    """The store's key of an expected claim (parties resolved against the knowledge base)."""
    return claim_key({"type": c["type"], "args": c["args"]})


def find_claim_id(store: Store, c: dict[str, Any]) -> int | None:
    """The id of an expected claim (its key and episode) in the store, None when absent."""
    key = key_of(c)
    for found in store.claims():
        if found["key"] == key and found["episode"] == c["episode"]:
            return int(found["id"])
    return None


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
