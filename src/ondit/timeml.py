"""Score temporal expression recognition and normalisation on ISO-TimeML files.

TempEval-3 style: strict span F1 (exact offsets), relaxed span F1 (overlap),
and value / type F1 computed over relaxed-matched pairs (a correct attribute
on a matched pair counts; precision and recall divide by the system's and the
gold's number of expressions, i.e. attribute accuracy x relaxed F1).

The text of an article is the character content of its ``TEXT`` element with
the tags removed; the ``TIMEX3`` with ``functionInDocument="CREATION_TIME"``
is its publication date and is not scored.

    python -m ondit.timeml ../shared/corpora/fr-timebank/dev [ondit|dateparser]
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ondit.model import PubDate

__all__ = ["GoldTimex", "TimemlDoc", "read_timeml", "score_timeml"]


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str | None


@dataclass(frozen=True)
class TimemlDoc:
    name: str
    text: str
    dct: str | None
    timexes: tuple[GoldTimex, ...]


def _parse_xml(raw: bytes, name: str) -> Element:
    try:
        defused = importlib.import_module("defusedxml.ElementTree")
    except ImportError:  # pragma: no cover - depends on the environment
        # xml.etree never fetches external entities; refuse DTDs and entity
        # declarations outright so nothing can expand either
        if re.search(rb"<!DOCTYPE|<!ENTITY", raw):
            raise ValueError(f"{name}: DTDs and entity declarations are not accepted") from None
        from xml.etree.ElementTree import fromstring

        return fromstring(raw)
    root: Element = defused.fromstring(raw)
    return root


def read_timeml(path: Path) -> TimemlDoc:
    """One ISO-TimeML document: plain text of ``TEXT``, its DCT and gold TIMEX3 spans."""
    root = _parse_xml(path.read_bytes(), str(path))
    dct: str | None = None
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME":
            dct = t.get("value")
            break
    text_el = root.find(".//TEXT")
    parts: list[str] = []
    gold: list[GoldTimex] = []
    pos = 0

    def walk(el: Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el.get("functionInDocument") != "CREATION_TIME":
            gold.append(GoldTimex(start, pos, el.get("type") or "DATE", el.get("value")))

    if text_el is not None:
        walk(text_el)
    return TimemlDoc(path.stem, "".join(parts), dct, tuple(gold))


def _pubdate(value: str | None) -> PubDate | None:
    if not value:
        return None
    m = re.match(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?)?)?", value)
    if not m:
        return None
    try:
        return PubDate.parse(m.group(0))
    except ValueError:
        return None


Span = tuple[int, int, str, str | None]  # start, end, type, value


def _run_ondit(doc: TimemlDoc) -> list[Span]:
    from ondit.extract.timex import find_timexes

    return [(t.start, t.end, t.type, t.value) for t in find_timexes(doc.text, _pubdate(doc.dct))]


def _run_dateparser(doc: TimemlDoc) -> list[Span]:
    from dateparser.search import search_dates

    pub = _pubdate(doc.dct)
    base = dt.datetime(pub.year, pub.month or 1, pub.day or 1) if pub else dt.datetime.now()
    found = search_dates(doc.text, languages=["fr"], settings={"RELATIVE_BASE": base}) or []
    out: list[Span] = []
    pos = 0
    for sub, when in found:
        i = doc.text.find(sub, pos)
        if i < 0:
            i = doc.text.find(sub)
            if i < 0:
                continue
        pos = i + len(sub)
        if re.fullmatch(r"\s*(?:19|20)\d{2}\s*", sub):
            value, typ = f"{when.year:04d}", "DATE"
        elif re.search(r"\d\s*(?:h|:)\s*\d*|midi|minuit", sub, re.IGNORECASE):
            value, typ = when.strftime("%Y-%m-%dT%H:%M"), "TIME"
        else:
            value, typ = when.strftime("%Y-%m-%d"), "DATE"
        out.append((i, i + len(sub), typ, value))
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _prf(matched_sys: int, n_sys: int, matched_gold: int, n_gold: int) -> dict[str, float]:
    p = matched_sys / n_sys if n_sys else 0.0
    r = matched_gold / n_gold if n_gold else 0.0
    return {
        "precision": round(100 * p, 2),
        "recall": round(100 * r, 2),
        "f1": round(100 * _f1(p, r), 2),
    }


def _match(gold: list[Span], sys_: list[Span]) -> list[tuple[int, int]]:
    """One-to-one relaxed matching (overlap), exact matches first, then largest overlap."""
    pairs: list[tuple[int, int, int, int]] = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(sys_):
            ov = min(g[1], s[1]) - max(g[0], s[0])
            if ov > 0:
                exact = int(g[0] == s[0] and g[1] == s[1])
                pairs.append((exact, ov, gi, si))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_s: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, _, gi, si in pairs:
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            out.append((gi, si))
    return out


def score_timeml(dir: Path, system: str = "ondit") -> dict[str, Any]:
    """Score ``system`` ("ondit" or "dateparser") on the ``*.tml`` files of ``dir``."""
    folder = Path(dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"TimeML folder not found: {folder}")
    files = sorted(folder.glob("*.tml"))
    if not files:
        raise FileNotFoundError(f"no .tml files in TimeML folder: {folder}")
    runners: dict[str, Callable[[TimemlDoc], list[Span]]] = {
        "ondit": _run_ondit,
        "dateparser": _run_dateparser,
    }
    if system not in runners:
        raise ValueError(f"unknown system {system!r}; expected one of {sorted(runners)}")
    run = runners[system]
    docs = [read_timeml(f) for f in files]

    counts: dict[str, int] = {"gold": 0, "sys": 0, "strict": 0, "relaxed": 0, "value": 0, "type": 0}
    by_type: dict[str, dict[str, int]] = {}

    def bt(t: str) -> dict[str, int]:
        return by_type.setdefault(
            t,
            {
                "gold": 0,
                "sys": 0,
                "strict_g": 0,
                "strict_s": 0,
                "relaxed_g": 0,
                "relaxed_s": 0,
                "value_g": 0,
                "value_s": 0,
            },
        )

    t0 = time.perf_counter()
    for doc in docs:
        gold: list[Span] = [(g.start, g.end, g.type, g.value) for g in doc.timexes]
        pred = run(doc)
        counts["gold"] += len(gold)
        counts["sys"] += len(pred)
        for g in gold:
            bt(g[2])["gold"] += 1
        for s in pred:
            bt(s[2])["sys"] += 1
        for gi, si in _match(gold, pred):
            g, s = gold[gi], pred[si]
            strict = g[0] == s[0] and g[1] == s[1]
            value_ok = g[3] is not None and g[3] == s[3]
            counts["relaxed"] += 1
            counts["strict"] += int(strict)
            counts["value"] += int(value_ok)
            counts["type"] += int(g[2] == s[2])
            bg, bs = bt(g[2]), bt(s[2])
            bg["relaxed_g"] += 1
            bs["relaxed_s"] += 1
            bg["strict_g"] += int(strict)
            bs["strict_s"] += int(strict)
            bg["value_g"] += int(value_ok)
            bs["value_s"] += int(value_ok)
    seconds = time.perf_counter() - t0

    ng, ns = counts["gold"], counts["sys"]

    def f1(key: str) -> float:
        return _prf(counts[key], ns, counts[key], ng)["f1"]

    types: dict[str, Any] = {}
    for t, c in sorted(by_type.items()):
        types[t] = {
            "gold": c["gold"],
            "system": c["sys"],
            "strict": _prf(c["strict_s"], c["sys"], c["strict_g"], c["gold"]),
            "relaxed": _prf(c["relaxed_s"], c["sys"], c["relaxed_g"], c["gold"]),
            "value": _prf(c["value_s"], c["sys"], c["value_g"], c["gold"]),
        }
    return {
        "system": system,
        "strict_f1": f1("strict"),
        "relaxed_f1": f1("relaxed"),
        "value_f1": f1("value"),
        "type_f1": f1("type"),
        "strict": _prf(counts["strict"], ns, counts["strict"], ng),
        "relaxed": _prf(counts["relaxed"], ns, counts["relaxed"], ng),
        "gold": ng,
        "system_count": ns,
        "by_type": types,
        "articles": len(docs),
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(docs) / seconds, 1) if seconds > 0 else float("inf"),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m ondit.timeml DIR [ondit|dateparser]", file=sys.stderr)
        return 2
    result = score_timeml(Path(args[0]), args[1] if len(args) > 1 else "ondit")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
