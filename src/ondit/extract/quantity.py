"""French quantities: amounts, currencies, percentages and counted units.

Pure and regex/lexicon based (``lexicons/quantity_fr.toml``, loaded once).
"1,1 million de véhicules" is 1100000 vehicles, "3,5 Md€" 3.5e9 EUR, "15 %"
15 %. A number is reported only with a scale word or a unit, so years
("en 2020") and days ("le 30 mars") are never quantities.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from typing import Any

from ondit.extract.timex import parse_french_number

__all__ = ["QuantityMatch", "find_quantities"]


@dataclass(frozen=True)
class QuantityMatch:
    start: int
    end: int
    text: str
    value: float  # 1100000.0 for "1,1 million de véhicules"
    unit: str | None  # "vehicles", "units", "orders", "employees", "%", or ISO 4217


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data = (files("ondit") / "lexicons" / "quantity_fr.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def _alt(words: Any) -> str:
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        p = re.escape(w).replace("'", "['’]").replace(r"\ ", r"[\s\u00a0\u202f]+")
        out.append(p)
    return "(?:" + "|".join(out) + ")"


def _key(w: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", w.replace("’", "'")).lower()


_S = r"[\s\u00a0\u202f]"
_NUMBER_WORDS = (
    r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze"
    r"|seize|vingt|trente|quarante|cinquante|soixante|cent|quelques|plusieurs)"
)


class _Q:
    def __init__(self) -> None:
        lx = _lexicon()
        self.scales = {_key(k): float(v) for k, v in lx["scales"].items()}
        self.abbr = {k: float(v) for k, v in lx["scale_abbreviations"].items()}
        self.currencies = {_key(k): v for k, v in lx["currencies"].items()}
        self.units = {_key(k): v for k, v in lx["units"].items()}
        self.percent = [_key(w) for w in lx["percent"]["words"]]
        symbols = [k for k in lx["currencies"] if not re.match(r"\w", k) or k.isupper()]
        words = [k for k in lx["currencies"] if k not in symbols]
        num = (
            r"(?P<num>[-+−]?(?:\d{1,3}(?:(?:[\s\u00a0\u202f]\d{3})+|(?:\.\d{3})+)(?!\d)(?:,\d+)?"
            r"|\d+(?:[,.]\d+)?)"
            rf"|{_NUMBER_WORDS}(?:[-\s]{_NUMBER_WORDS})*)"
        )
        currency_ahead = rf"(?={_S}*(?:{_alt(symbols)}|(?:d['’]|de{_S}+)?{_alt(words)}(?!\w)))"
        scale = (
            rf"(?:{_S}*(?P<scale>{_alt(self.scales)})(?!\w)"
            rf"|{_S}*(?P<abbr>{_alt(self.abbr)}){currency_ahead})"
        )
        de = rf"{_S}*(?:(?:d['’]|de{_S}+))?"
        between = rf"(?:{_alt(lx['between']['words'])}{_S}+)?"
        unit = (
            rf"(?:{_S}*(?P<cur_sym>{_alt(symbols)})(?![^\W\d_])"
            rf"|{de}(?P<cur>{_alt(words)})(?!\w)"
            rf"|{_S}*(?P<pct>{_alt(self.percent)})"
            rf"|{de}{between}(?P<unit>{_alt(self.units)})(?!\w))"
        )
        self.pattern = re.compile(
            rf"(?<![\w,.])(?:(?P<pre>{_alt(symbols)}){_S}*)?(?<![\w,.]){num}(?:{scale})?(?:{unit})?",
            re.IGNORECASE,
        )
        self.case_sensitive_abbr = set(self.abbr)
        self.round_counts = {_key(k): float(v) for k, v in lx.get("round_counts", {}).items()}
        self.round_pattern = re.compile(
            rf"(?<!\w)(?:une?{_S}+)(?P<round>{_alt(self.round_counts)})s?{de}(?P<unit>{_alt(self.units)})(?!\w)",
            re.IGNORECASE,
        )


@lru_cache(maxsize=1)
def _q() -> _Q:
    return _Q()


def _number(text: str) -> Decimal | None:
    t = text.replace("−", "-").strip()
    sign = Decimal(-1) if t.startswith("-") else Decimal(1)
    t = t.lstrip("+-")
    digits = re.sub(r"[\s\u00a0\u202f]", "", t)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
        digits = digits.replace(".", "")
    if re.fullmatch(r"\d+(?:[,.]\d+)?", digits):
        return sign * Decimal(digits.replace(",", "."))
    if re.fullmatch(r"(?:quelques|plusieurs)", t, re.IGNORECASE):
        return None
    v = parse_french_number(t)
    return None if v is None else sign * Decimal(str(v))


def find_quantities(text: str, lang: str = "fr") -> list[QuantityMatch]:
    """Amounts with a scale word, a currency, a percent sign or a counted unit."""
    if lang != "fr":
        return []
    q = _q()
    out: list[QuantityMatch] = []
    for m in q.pattern.finditer(text):
        abbr = m["abbr"]
        if abbr is not None and abbr not in q.case_sensitive_abbr:
            continue
        has_scale = bool(m["scale"] or abbr)
        cur = m["pre"] or m["cur_sym"] or m["cur"]
        unit: str | None = None
        if cur:
            unit = q.currencies.get(_key(cur)) or q.currencies.get(cur)
        elif m["pct"]:
            unit = "%"
        elif m["unit"]:
            unit = q.units[_key(m["unit"])]
        if unit is None and not has_scale:
            continue
        num_text = m["num"]
        value = _number(num_text)
        if value is None:
            continue
        if m["scale"]:
            value *= Decimal(str(q.scales[_key(m["scale"])]))
        elif abbr:
            value *= Decimal(str(q.abbr[abbr]))
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        out.append(QuantityMatch(start, end, text[start:end], float(value), unit))
    # "une vingtaine d'emplois": an approximate count of a unit
    for m in q.round_pattern.finditer(text):
        if any(o.start < m.end() and m.start() < o.end for o in out):
            continue
        value_r = q.round_counts[_key(m["round"])]
        out.append(QuantityMatch(m.start(), m.end(), m.group(0), value_r, q.units[_key(m["unit"])]))
    out.sort(key=lambda o: o.start)
    return out
