"""French temporal expressions (TIMEX3-style), resolved against a publication date.

Pure and regex/lexicon based: the word lists live in ``lexicons/time_fr.toml``
and are loaded once. Relative expressions are resolved only as far as the
publication date's precision allows ("aujourd'hui" needs a day, "le mois
dernier" a month); otherwise ``value`` is ``None`` and the words are kept.

``value`` follows TIMEX3 (ISO-TimeML): "2021", "2021-03", "2021-03-29",
"2021-03-29T13:30", "2021-03-29TMO" (part of a day), "2021-Q1", "2021-H1",
"2021-W14", "2021-W14-WE", "2021-SU" (season), "199X" (decade), "P3Y", "PT2H",
"XXXX-03-30", "XXXX-WXX-1", "PRESENT_REF", "PAST_REF", "FUTURE_REF".
``precision`` is one of the SPEC precisions for resolved points and ``None``
for durations, sets, references, seasons, decades and unresolved values.
Use :meth:`Timex.spec_value` for the SPEC-shaped value.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import Any

from ondit.model import PubDate

__all__ = ["Timex", "find_timexes", "parse_french_number"]


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str | None
    precision: str | None
    approximate: bool
    tense: str | None  # "past", "future" or None

    def spec_value(self) -> str | None:
        """The value as SPEC "time" wants it: ISO 8601 at ``precision``, else None."""
        if self.value is None or self.precision is None:
            return None
        v = self.value
        if self.precision == "day":
            return v[:10]
        if self.precision == "week":
            return v[:8]
        return v


# ---------------------------------------------------------------- lexicon


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data = (files("ondit") / "lexicons" / "time_fr.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def _alt(words: Any) -> str:
    """A regex alternation of words, longest first; apostrophes and spaces are flexible."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        p = re.escape(w)
        p = p.replace("'", "['’]").replace(r"\ ", r"\s+").replace(" ", r"\s+")
        out.append(p)
    return "(?:" + "|".join(out) + ")"


def _norm(word: str) -> str:
    return re.sub(r"\s+", " ", word.lower().replace("’", "'"))


_SP = r"[\s\u00a0\u202f]+"
_SPO = r"[\s\u00a0\u202f]*"
_Y4 = r"(?:19|20)\d{2}(?![\d,.]?\d)"
_APOS = "['’]"


class _Lex:
    """Compiled view of the TOML lexicon."""

    def __init__(self) -> None:
        lx = _lexicon()
        self.months: dict[str, int] = {_norm(k): v for k, v in lx["months"].items()}
        self.month_abbr: dict[str, int] = {_norm(k): v for k, v in lx["month_abbreviations"].items()}
        self.weekdays: dict[str, int] = {_norm(k): v for k, v in lx["weekdays"].items()}
        self.ordinals: dict[str, int] = {_norm(k): v for k, v in lx["ordinals"].items()}
        self.numbers: dict[str, int] = {_norm(k): v for k, v in lx["numbers"].items()}
        self.vague: list[str] = [_norm(w) for w in lx["vague_numbers"]["words"]]
        self.dur_units: dict[str, str] = {_norm(k): v for k, v in lx["duration_units"].items()}
        self.dur_phrases: dict[str, str] = {_norm(k): v for k, v in lx["duration_phrases"].items()}
        self.rel_past: list[str] = lx["relative"]["past"]
        self.rel_future: list[str] = lx["relative"]["future"]
        ap = lx["approximate"]
        self.approx_before: list[str] = ap["before"]
        self.part_start: list[str] = ap["start"]
        self.part_end: list[str] = ap["end"]
        self.part_mid: list[str] = ap["mid"]
        self.part_during: list[str] = ap["during"]
        self.horizon: list[str] = ap["horizon"]
        self.deadline: list[str] = ap["deadline"]
        self.day_words: dict[str, int] = {_norm(k): v for k, v in lx["day_words"].items()}
        self.day_parts: dict[str, str] = {_norm(k): v for k, v in lx["day_parts"].items()}
        self.seasons: dict[str, str] = {_norm(k): v for k, v in lx["seasons"].items()}
        self.refs: dict[str, str] = {}
        for ref, words in lx["refs"].items():
            for w in words:
                self.refs[_norm(w)] = ref
        self.set_every: list[str] = lx["sets"]["every"]
        self.set_per: list[str] = lx["sets"]["per"]
        self.set_adj: dict[str, str] = {_norm(k): v for k, v in lx["sets"]["adjectives"].items()}
        qlx = tomllib.loads((files("ondit") / "lexicons" / "quantity_fr.toml").read_text("utf-8"))
        self.qnouns: list[str] = [
            *lx["quantity_nouns"]["words"],
            *qlx["units"],
            *qlx["scales"],
            *(c for c in qlx["currencies"] if c.lower() == c),
        ]

        self.MONTH = "(?:" + _alt(self.months) + "|" + _alt(self.month_abbr) + r"\.)"
        self.WD = _alt(self.weekdays)
        num_word = _alt(self.numbers)
        self.NUMW = rf"{num_word}(?:(?:-et-|{_SP}et{_SP}|-|{_SP}){num_word})*"
        self.NUM = rf"(?:\d+(?:,\d+)?|{self.NUMW}|{_alt(self.vague)})(?:{_SP}et{_SP}demie?)?"
        self.DUNIT = _alt(self.dur_units)
        self.PAST = _alt(self.rel_past)
        self.FUT = _alt(self.rel_future)
        self.REL = "(?:" + self.PAST + "|" + self.FUT + ")"
        self.PART = _alt(self.day_parts)
        self.ORD = _alt(self.ordinals)
        self.QNOUN = _alt(self.qnouns)
        self.not_qty = rf"(?!{_SPO}(?:d{_APOS}|de{_SP})?{self.QNOUN}(?!\w))"
        self.YTAIL = (
            rf"(?:{_SP}(?:de{_SP}l{_APOS}(?:année|exercice){_SP}|de{_SP}|d{_APOS})?(?P<y>{_Y4})"
            rf"|{_SP}de{_SP}l{_APOS}(?:année|an){_SP}(?P<yrel>{self.REL})"
            rf"|{_SP}(?P<yrel2>{self.REL})"
            rf"|{_SP}de{_SP}(?:cette|l{_APOS}){_SPO}année(?:{_SP}en{_SP}cours)?(?P<ythis>))?"
        )

    def is_past(self, w: str | None) -> bool:
        return w is not None and _norm(w) in {_norm(x) for x in self.rel_past}

    def is_future(self, w: str | None) -> bool:
        return w is not None and _norm(w) in {_norm(x) for x in self.rel_future}

    def month(self, w: str) -> int:
        k = _norm(w).rstrip(".")
        return self.months.get(k) or self.month_abbr[k]


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    return _Lex()


def parse_french_number(text: str) -> float | None:
    """Digits ("30,4", "2 000") or French number words ("dix-huit", "vingt et un")."""
    t = _norm(text).strip()
    half = 0.0
    m = re.search(r"\s+et\s+demie?$", t)
    if m:
        half = 0.5
        t = t[: m.start()]
    digits = re.sub(r"[\s\u00a0\u202f]", "", t)
    if re.fullmatch(r"\d+(?:[,.]\d+)?", digits):
        return float(digits.replace(",", ".")) + half
    nums = _lex().numbers
    total = 0
    current = 0
    for tok in re.split(r"[-\s]+", t):
        if not tok or tok == "et":
            continue
        if tok not in nums:
            return None
        v = nums[tok]
        if v == 100:
            current = (current or 1) * 100
        elif v == 1000:
            total += (current or 1) * 1000
            current = 0
        elif v == 20 and current % 100 == 4:
            current = current - 4 + 80
        else:
            current += v
    return float(total + current) + half


# ---------------------------------------------------------------- resolution


@dataclass
class _Cand:
    start: int
    end: int
    type: str
    value: str | None
    precision: str | None
    approximate: bool = False
    tense: str | None = None
    prio: int = 0
    hm: tuple[int, int] | None = None  # a clock time waiting for its day
    part: str | None = None  # a part of day waiting for its day
    day_word: bool = False  # aujourd'hui / hier / demain: may absorb a following time
    anchored: bool = False  # merged with its day word; anchor is that day's value
    same_day: bool = False  # "le même jour": the day last named
    anchor: str | None = None

    @property
    def pending(self) -> bool:
        return self.hm is not None or (self.part is not None and self.value is None)


def _ym_add(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _week(d: dt.date) -> str:
    iy, iw, _ = d.isocalendar()
    return f"{iy:04d}-W{iw:02d}"


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


class _Resolver:
    def __init__(self, dct: PubDate | None) -> None:
        self.dct = dct
        self.day = dct.date() if dct is not None else None

    def year(self, k: int = 0) -> str | None:
        return f"{self.dct.year + k:04d}" if self.dct is not None else None

    def month_rel(self, k: int) -> str | None:
        if self.dct is None or self.dct.month is None:
            return None
        y, m = _ym_add(self.dct.year, self.dct.month, k)
        return f"{y:04d}-{m:02d}"

    def day_rel(self, k: int) -> dt.date | None:
        return self.day + dt.timedelta(days=k) if self.day is not None else None

    def week_rel(self, k: int) -> str | None:
        return _week(self.day + dt.timedelta(weeks=k)) if self.day is not None else None

    def quarter_rel(self, k: int) -> str | None:
        if self.dct is None or self.dct.month is None:
            return None
        n = self.dct.year * 4 + (self.dct.month - 1) // 3 + k
        return f"{n // 4:04d}-Q{n % 4 + 1}"

    def half_rel(self, k: int) -> str | None:
        if self.dct is None or self.dct.month is None:
            return None
        n = self.dct.year * 2 + (self.dct.month - 1) // 6 + k
        return f"{n // 2:04d}-H{n % 2 + 1}"

    def month_of_year(self, month: int, rel: int) -> str | None:
        """A month name; rel -1 "dernier", +1 "prochain", 0 the dct's year."""
        if self.dct is None:
            return None
        y = self.dct.year
        if rel != 0:
            if self.dct.month is None:
                return None
            if rel < 0 and month >= self.dct.month:
                y -= 1
            if rel > 0 and month <= self.dct.month:
                y += 1
        return f"{y:04d}-{month:02d}"

    def day_of_year(self, month: int, day: int, rel: int) -> str | None:
        if self.dct is None:
            return None
        y = self.dct.year
        if rel != 0:
            if self.dct.month is None:
                return None
            ref = (self.dct.month, self.dct.day or 0)
            if self.dct.day is None and month == self.dct.month:
                return None
            if rel < 0 and (month, day) >= ref:
                y -= 1
            if rel > 0 and (month, day) <= ref:
                y += 1
        try:
            d = dt.date(y, month, day)
        except ValueError:
            return None
        if rel == 0 and self.day is not None:
            # a day without a year is the nearest such day (within half a year)
            for y2 in (y - 1, y + 1):
                try:
                    d2 = dt.date(y2, month, day)
                except ValueError:
                    continue
                if abs((d2 - self.day).days) < abs((d - self.day).days) and abs((d2 - self.day).days) < 183:
                    d = d2
        return d.isoformat()

    def weekday(self, wd: int, rel: int, this: bool) -> str | None:
        if self.day is None:
            return None
        cur = self.day.isoweekday()
        if rel < 0:
            delta = -((cur - wd) % 7 or 7)
        elif rel > 0:
            delta = (wd - cur) % 7 or 7
        elif this:
            delta = wd - cur  # "ce lundi": the nearest one
            if delta < -3:
                delta += 7
            elif delta > 3:
                delta -= 7
        else:
            delta = -((cur - wd) % 7)  # news default: the latest such day, today included
            if delta < -5:
                delta += 7
        return (self.day + dt.timedelta(days=delta)).isoformat()


def _rel_sign(lx: _Lex, word: str | None) -> int:
    if word is None:
        return 0
    if lx.is_past(word):
        return -1
    if lx.is_future(word):
        return 1
    return 0


def _tense(sign: int) -> str | None:
    return "past" if sign < 0 else "future" if sign > 0 else None


def _prec(value: str | None) -> str | None:
    if value is None:
        return None
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{4}-H\d", value):
        return "half"
    if re.fullmatch(r"\d{4}-Q\d", value):
        return "quarter"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}-W\d{2}(?:-WE)?", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T[A-Z]{2})?", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", value):
        return "minute"
    return None


# ---------------------------------------------------------------- rules

_Rule = Callable[[re.Match[str], _Resolver, _Lex], _Cand | None]


@lru_cache(maxsize=1)
def _rules() -> list[tuple[re.Pattern[str], _Rule]]:
    lx = _lex()
    rules: list[tuple[re.Pattern[str], _Rule]] = []

    def rule(pattern: str, flags: int = re.IGNORECASE) -> Callable[[_Rule], _Rule]:
        def deco(fn: _Rule) -> _Rule:
            rules.append((re.compile(r"(?<![\w])" + pattern + r"(?![\w])", flags), fn))
            return fn

        return deco

    S, A, SO = _SP, _APOS, r"[\s\u00a0\u202f]*"

    # le lundi 30 mars 2021, 1er avril, le 6 mai dernier, octobre 98
    @rule(
        rf"(?:(?:le|ce){S})?(?:(?P<wd>{lx.WD}){S})?(?P<d>1er|1re|[12]\d|3[01]|0?[1-9]){S}"
        rf"(?P<m>{lx.MONTH})(?:{S}(?P<y>{_Y4}|{A}?\d{{2}}(?!\d){lx.not_qty}))?"
        rf"(?:{S}(?P<rel>{lx.REL}))?"
    )
    def _full_date(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        day = 1 if m["d"].lower().startswith("1r") or m["d"].lower() == "1er" else int(m["d"])
        month = lx.month(m["m"])
        sign = _rel_sign(lx, m["rel"])
        if m["y"]:
            y = int(m["y"].lstrip("'’"))
            if y < 100:
                y += 1900 if y >= 50 else 2000
            try:
                value: str | None = dt.date(y, month, day).isoformat()
            except ValueError:
                value = None
        else:
            value = r.day_of_year(month, day, sign)
        return _Cand(m.start(), m.end(), "DATE", value, "day", tense=_tense(sign), prio=5)

    # août 2001, mois de juin, mars dernier, en janvier
    @rule(
        rf"(?:(?P<mois>(?:le{S})?mois{S}d(?:e{S}|{A})))?(?P<m>{lx.MONTH})"
        rf"(?:{S}(?P<y>{_Y4}|{A}\d{{2}}(?!\d)|\d{{2}}(?!\d){lx.not_qty}))?(?:{S}(?P<rel>{lx.REL}))?"
    )
    def _month(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        month = lx.month(m["m"])
        sign = _rel_sign(lx, m["rel"])
        word = m["m"]
        if not (m["y"] or m["rel"] or m["mois"]):
            before = m.string[max(0, m.start() - 12) : m.start()].lower()
            prep = re.search(
                r"(?:\ben|\bde|d['’]|depuis|dès|\bfin|début|mi-|courant|jusqu['’]en)\s*$", before
            )
            if word[0].isupper() and _norm(word) in ("mars", "mai") and not prep:
                return None
        if m["y"]:
            y = int(m["y"].lstrip("'’"))
            if y < 100:
                y += 1900 if y >= 50 else 2000
            value: str | None = f"{y:04d}-{month:02d}"
        else:
            value = r.month_of_year(month, sign)
        return _Cand(m.start(), m.end(), "DATE", value, "month", tense=_tense(sign), prio=4)

    # l'année 2020, l'an 2000
    @rule(rf"(?:l{A}ann[ée]e|l{A}an|ann[ée]e){S}(?P<y>{_Y4})")
    def _year_word(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        return _Cand(m.start(), m.end(), "DATE", m["y"], "year", prio=4)

    # 2023 (not "2020 salariés")
    @rule(rf"(?<![\d,.]\d)(?<![\d,.])(?<!n°)(?<!n°\s)(?P<y>{_Y4}){lx.not_qty}")
    def _year(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        return _Cand(m.start(), m.end(), "DATE", m["y"], "year", prio=1)

    # les années 90, années 2000
    @rule(rf"(?:les{S})?ann[ée]es{S}(?P<dec>(?:19|20)?\d0)(?!\d)")
    def _decade(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        d = m["dec"]
        if len(d) == 2:
            d = "19" + d
        return _Cand(m.start(), m.end(), "DATE", d[:3] + "X", None, prio=4)

    # cette année, l'année dernière, l'an prochain
    @rule(
        rf"(?:(?P<this>cette{S}ann[ée]e|l{A}ann[ée]e{S}en{S}cours)"
        rf"|l{A}(?:ann[ée]e|an){S}(?P<rel>{lx.REL}|pr[ée]c[ée]dente))"
    )
    def _year_rel(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        if m["this"]:
            sign = 0
        elif re.fullmatch(r"pr[ée]c[ée]dente", m["rel"], re.IGNORECASE):
            sign = -1
        else:
            sign = _rel_sign(lx, m["rel"])
        return _Cand(m.start(), m.end(), "DATE", r.year(sign), "year", tense=_tense(sign), prio=4)

    # ce mois-ci, le mois dernier
    @rule(rf"(?:(?P<this>ce{S}mois(?:-ci|{S}en{S}cours)?)|le{S}mois{S}(?P<rel>{lx.REL}))")
    def _month_rel(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        sign = 0 if m["this"] else _rel_sign(lx, m["rel"])
        return _Cand(m.start(), m.end(), "DATE", r.month_rel(sign), "month", tense=_tense(sign), prio=4)

    # cette semaine, la semaine dernière, ce week-end
    @rule(
        rf"(?:(?P<this>cette{S}semaine|ce{S}week-?end)"
        rf"|(?:la{S}semaine|le{S}week-?end){S}(?P<rel>{lx.REL}))"
    )
    def _week_rel(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        sign = 0 if m["this"] else _rel_sign(lx, m["rel"])
        v = r.week_rel(sign)
        if v is not None and "week" in m.group(0).lower():
            if sign == 0 and r.day is not None and r.day.isoweekday() <= 2:
                v = r.week_rel(-1)
            v = f"{v}-WE"
        return _Cand(m.start(), m.end(), "DATE", v, "week", tense=_tense(sign), prio=4)

    # ce trimestre, le trimestre dernier, ce semestre
    @rule(
        rf"(?:(?P<this>ce{S}(?P<u1>trimestre|semestre))|le{S}(?P<u2>trimestre|semestre){S}(?P<rel>{lx.REL}))"
    )
    def _qh_rel(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        sign = 0 if m["this"] else _rel_sign(lx, m["rel"])
        unit = (m["u1"] or m["u2"]).lower()
        v = r.quarter_rel(sign) if unit == "trimestre" else r.half_rel(sign)
        prec = "quarter" if unit == "trimestre" else "half"
        return _Cand(m.start(), m.end(), "DATE", v, prec, tense=_tense(sign), prio=4)

    # le premier trimestre 2021, au troisième trimestre, second semestre de l'année dernière
    @rule(rf"(?:le{S})?(?P<o>{lx.ORD}){S}(?P<u>trimestre|semestre){lx.YTAIL}")
    def _qh(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        n = lx.ordinals[_norm(m["o"])]
        unit = m["u"].lower()
        if unit == "semestre":
            if _norm(m["o"]).startswith("dernier"):
                n = 2
            if n > 2:
                return None
        year, sign = _ytail(m, r, lx)
        letter = "Q" if unit == "trimestre" else "H"
        prec = "quarter" if unit == "trimestre" else "half"
        v = f"{year}-{letter}{n}" if year else None
        return _Cand(m.start(), m.end(), "DATE", v, prec, tense=_tense(sign), prio=5)

    # T1 2021, T3, S1 2024, H2 2024, Q4
    @rule(rf"(?P<l>[TQSH])(?P<n>[1-4])(?:{S}(?P<y>{_Y4}))?", flags=0)
    def _qh_code(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        n = int(m["n"])
        half = m["l"] in "SH"
        if half and n > 2:
            return None
        before = m.string[max(0, m.start() - 12) : m.start()].lower()
        if not m["y"] and not re.search(r"(?:\bau|\bdu|\ble|\bce|\bsur|\bpour)\s+$", before):
            return None
        year = m["y"] or r.year()
        letter = "H" if half else "Q"
        v = f"{year}-{letter}{n}" if year else None
        return _Cand(m.start(), m.end(), "DATE", v, "half" if half else "quarter", prio=3)

    # fin d'année, début de l'année prochaine, fin du mois
    @rule(
        rf"(?:(?:la|le){S})?(?P<part>fin|d[ée]but|mi|milieu){SO}(?:de{S}l{A}|d{A}|du{S})"
        rf"(?P<u>ann[ée]e|exercice|mois)(?:{S}(?P<rel>{lx.REL}|en{S}cours))?"
    )
    def _part_rel(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        sign = _rel_sign(lx, m["rel"])
        if m["u"].lower() == "mois":
            return _Cand(m.start(), m.end(), "DATE", r.month_rel(sign), "month", True, _tense(sign), prio=4)
        return _Cand(m.start(), m.end(), "DATE", r.year(sign), "year", True, _tense(sign), prio=4)

    # aujourd'hui, hier soir, demain matin, aujourd'hui vendredi
    @rule(rf"(?P<w>{_alt(lx.day_words)})(?:{S}(?P<part>{lx.PART}))?(?:,?{S}(?P<wd>{lx.WD})(?!{S}\d))?")
    def _day_word(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        k = lx.day_words[_norm(m["w"])]
        d = r.day_rel(k)
        sign = -1 if k < 0 else 1 if k > 0 else 0
        if m["part"]:
            code = lx.day_parts[_norm(m["part"])]
            v = f"{d.isoformat()}T{code}" if d else None
            return _Cand(
                m.start(),
                m.end(),
                "TIME",
                v,
                "day" if v else None,
                tense=_tense(sign),
                prio=4,
                day_word=True,
            )
        return _Cand(
            m.start(),
            m.end(),
            "DATE",
            d.isoformat() if d else None,
            "day" if d else None,
            tense=_tense(sign),
            prio=4,
            day_word=True,
        )

    # le même jour, ce même jour, le jour même: the day just named
    @rule(rf"(?:(?:le|ce){S}même{S}jour|le{S}jour{S}même)(?!{S}que)")
    def _same_day(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        return _Cand(m.start(), m.end(), "DATE", None, None, prio=4, same_day=True)

    # ce matin, ce soir, cet après-midi, cette nuit
    @rule(rf"(?:ce|cet|cette){S}(?P<part>{lx.PART})")
    def _this_part(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        d = r.day
        code = lx.day_parts[_norm(m["part"])]
        v = f"{d.isoformat()}T{code}" if d else None
        return _Cand(m.start(), m.end(), "TIME", v, "day" if v else None, prio=3, day_word=True)

    # dans la soirée, pendant la nuit, en fin de matinée
    @rule(rf"(?:la{S}|l{A})(?P<part>{lx.PART})")
    def _the_part(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        before = m.string[max(0, m.start() - 16) : m.start()].lower()
        if not re.search(r"\b(?:dans|pendant|durant|de|en|au\s+cours\s+de)\s+$", before):
            return None
        code = lx.day_parts[_norm(m["part"])]
        return _Cand(m.start(), m.end(), "TIME", None, None, prio=2, part=code)

    # lundi, lundi dernier, ce mardi, mardi prochain, mardi soir
    @rule(
        rf"(?:(?P<det>le|ce){S})?(?:m[êe]me{S})?(?P<wd>{lx.WD})(?P<pl>s)?"
        rf"(?:{S}(?P<rel>{lx.REL}))?(?:{S}(?P<part>{lx.PART}))?(?!{S}\d)"
    )
    def _weekday(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        wd = lx.weekdays[_norm(m["wd"])]
        det = (m["det"] or "").lower()
        if m["pl"]:
            return None
        if det == "le" and not m["rel"] and not m["part"]:
            return _Cand(m.start(), m.end(), "SET", f"XXXX-WXX-{wd}", None, prio=2)
        sign = _rel_sign(lx, m["rel"])
        v = r.weekday(wd, sign, det == "ce")
        if m["part"]:
            code = lx.day_parts[_norm(m["part"])]
            tv = f"{v}T{code}" if v else None
            return _Cand(m.start(), m.end(), "TIME", tv, "day" if tv else None, tense=_tense(sign), prio=3)
        return _Cand(m.start(), m.end(), "DATE", v, "day" if v else None, tense=_tense(sign), prio=3)

    # 13h30, 13 h 30, 9 heures, midi, minuit
    @rule(
        rf"(?:(?P<h>[01]?\d|2[0-3]){SO}(?P<hu>h|heures?)(?:{SO}(?P<mi>[0-5]\d)(?:{SO}min(?:utes?)?)?)?"
        rf"|(?P<noon>midi|minuit)(?!-))"
    )
    def _clock(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        before = m.string[max(0, m.start() - 25) : m.start()].lower()
        if m["noon"]:
            if m["noon"][0].isupper() or before.endswith("-"):
                return None
            hh, mi = (12, 0) if m["noon"].lower() == "midi" else (0, 0)
        else:
            hh, mi = int(m["h"]), int(m["mi"] or 0)
            is_word = m["hu"].lower().startswith("heure")
            prep_time = re.search(
                r"(?:\bà|\bvers|\bdès|\bjusqu['’]à|\bavant|\baprès|\bentre|\bet|\bde|\bd['’]ici)\s+$",
                before,
            )
            prep_dur = re.search(
                r"(?:pendant|durant|\ben|plus\s+de|moins\s+de|\bles|\bdes|\bdepuis|\bfaut|\bprès\s+de)\s+$",
                before,
            )
            if is_word and not m["mi"] and not prep_time:
                return None  # "deux heures", "48 heures": a duration
            if not is_word and not m["mi"] and prep_dur:
                return None
        return _Cand(m.start(), m.end(), "TIME", None, None, prio=3, hm=(hh, mi))

    # récemment, actuellement, désormais, bientôt
    @rule(_alt(lx.refs))
    def _ref(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        ref = lx.refs[_norm(m.group(0))]
        tense = {"PAST_REF": "past", "FUTURE_REF": "future"}.get(ref)
        return _Cand(m.start(), m.end(), "TIME", ref, None, tense=tense, prio=2)

    # les prochains jours, les semaines à venir, ces derniers mois
    @rule(
        rf"(?:les|ces){S}(?:(?P<fut>prochain(?:e)?s)|(?P<past>derni[eè]re?s)){S}"
        rf"(?P<u>jours|semaines|mois|ann[ée]es|ans|heures|temps|d[ée]cennies)"
        rf"|(?:les|des){S}(?P<u2>jours|semaines|mois|ann[ée]es|heures){S}(?P<fut2>[àa]{S}venir)"
    )
    def _vague_rel(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        if m["fut"] or m["fut2"]:
            return _Cand(m.start(), m.end(), "TIME", "FUTURE_REF", None, tense="future", prio=4)
        u = m["u"].lower()
        if u == "temps":
            return _Cand(m.start(), m.end(), "TIME", "PAST_REF", None, tense="past", prio=4)
        code = lx.dur_units.get(u, "Y")
        v = f"PTX{code[1]}" if code.startswith("T") else f"PX{code}"
        return _Cand(m.start(), m.end(), "DURATION", v, None, tense="past", prio=4)

    # trois ans, 30,4 secondes, plusieurs années, un an et demi
    @rule(rf"(?P<n>{lx.NUM}){S}(?P<u>{lx.DUNIT})(?P<half>{S}et{S}demie?)?")
    def _duration(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        u = _norm(m["u"])
        code = lx.dur_units[u]
        n_text = _norm(m["n"])
        vague = n_text in lx.vague or n_text.split(" et ")[0] in lx.vague
        n = None if vague else parse_french_number(n_text)
        if not vague and n is None:
            return None
        if n_text == "des" and not re.search(
            r"\b(?:depuis|pendant|durant|a|après|pour|dans|en|fait)\s+$",
            m.string[max(0, m.start() - 12) : m.start()],
            re.IGNORECASE,
        ):
            return None
        if (
            n is not None
            and float(n).is_integer()
            and n > 1
            and u in ("an", "heure", "minute", "seconde", "jour", "semaine", "année", "journée")
        ):
            return None  # "deux an": not a duration
        if u in ("an", "ans") and _is_age(m):
            return None
        if n is not None and m["half"]:
            n += 0.5
        num = "X" if n is None else _fmt_num(n)
        v = f"PT{num}{code[1]}" if code.startswith("T") else f"P{num}{code}"
        return _Cand(m.start(), m.end(), "DURATION", v, None, prio=2)

    # il y a trois ans, dans deux semaines
    @rule(rf"(?P<pre>il{S}y{S}a|dans){S}(?P<n>{lx.NUMW}|\d+){S}(?P<u>ans?|ann[ée]es?|mois|semaines?|jours?)")
    def _ago(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        n = parse_french_number(m["n"])
        if n is None or not float(n).is_integer():
            return None
        k = int(n) * (-1 if m["pre"].lower().startswith("il") else 1)
        u = m["u"].lower()
        v: str | None
        if u.startswith("an"):
            v, prec = r.year(k), "year"
        elif u == "mois":
            v, prec = r.month_rel(k), "month"
        elif u.startswith("semaine"):
            v, prec = r.week_rel(k), "week"
        else:
            d = r.day_rel(k)
            v, prec = (d.isoformat() if d else None), "day"
        if m["pre"].lower() == "dans":
            return _Cand(m.start(), m.end(), "DATE", v, prec, tense="future", prio=1)
        return _Cand(m.start(), m.end(), "DATE", v, prec, tense="past", prio=5)

    # l'été 2020, cet hiver, l'automne dernier
    @rule(
        rf"(?:(?P<det>l{A}|le{S}|cet{S}|ce{S}|en{S}))?(?P<s>{_alt(lx.seasons)})"
        rf"(?:{S}(?P<y>{_Y4})|{S}(?P<rel>{lx.REL}))?"
    )
    def _season(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        code = lx.seasons[_norm(m["s"])]
        det = (m["det"] or "").strip().lower()
        if not det and not m["y"] and not m["rel"]:
            return None  # "été" is also the past participle of "être"
        sign = _rel_sign(lx, m["rel"])
        year = m["y"] or (r.year(sign) if (m["rel"] or det in ("cet", "ce")) else None) or "XXXX"
        start = m.start() if det not in ("en",) else m.start("s")
        return _Cand(start, m.end(), "DATE", f"{year}-{code}", None, tense=_tense(sign), prio=3)

    # chaque année, tous les mois, tous les lundis, par an
    @rule(
        rf"(?:{_alt(lx.set_every)}){S}(?:(?P<n>{lx.NUMW}|\d+){S})?"
        rf"(?:(?P<u>{lx.DUNIT})|(?P<wd>{lx.WD})s?)"
        rf"|(?:{_alt(lx.set_per)}){S}(?P<pu>an|ann[ée]e|mois|semaine|jour|heure|trimestre|semestre)"
        rf"|(?P<adj>{_alt(lx.set_adj)})"
    )
    def _set(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand | None:
        if m["adj"]:
            return _Cand(m.start(), m.end(), "SET", lx.set_adj[_norm(m["adj"])], None, prio=1)
        if m["wd"]:
            return _Cand(m.start(), m.end(), "SET", f"XXXX-WXX-{lx.weekdays[_norm(m['wd'])]}", None, prio=3)
        u = _norm(m["u"] or m["pu"])
        start = m.start("pu") if m["pu"] else m.start()
        if u in ("trimestre", "semestre"):
            return _Cand(start, m.end(), "SET", "P3M" if u == "trimestre" else "P6M", None, prio=3)
        code = lx.dur_units[u]
        n = parse_french_number(m["n"]) if m["n"] else 1.0
        if n is None:
            return None
        num = _fmt_num(n)
        v = f"PT{num}{code[1]}" if code.startswith("T") else f"P{num}{code}"
        return _Cand(start, m.end(), "SET", v, None, prio=3)

    # quinquennat, un quart de siècle, une demi-heure
    @rule(_alt(lx.dur_phrases))
    def _dur_phrase(m: re.Match[str], r: _Resolver, lx: _Lex) -> _Cand:
        return _Cand(m.start(), m.end(), "DURATION", lx.dur_phrases[_norm(m.group(0))], None, prio=3)

    return rules


_AGE_BEFORE = re.compile(
    r"(?:[âa]g[ée]e?s?\s+d['’e]\s*|\b(?:les|des)\s+(?:moins|plus)\s+de\s+|\d\s*[-–/]\s*)$",
    re.IGNORECASE,
)


def _is_age(m: re.Match[str]) -> bool:
    """ "âgé de 54 ans", "Alain Martin, 53 ans,", "les moins de 17 ans": ages, not durations."""
    before = m.string[max(0, m.start() - 20) : m.start()]
    after = m.string[m.end() : m.end() + 3]
    if _AGE_BEFORE.search(before):
        return True
    return bool(m["n"][0].isdigit() and re.search(r",\s*$", before) and re.match(r"\s*[,)]", after))


def _ytail(m: re.Match[str], r: _Resolver, lx: _Lex) -> tuple[str | None, int]:
    if m["y"]:
        return m["y"], 0
    rel = m["yrel"] or m["yrel2"]
    if rel:
        sign = _rel_sign(lx, rel)
        return r.year(sign), sign
    return r.year(), 0


# ---------------------------------------------------------------- post-processing

_GAP_MERGE = re.compile(r"^\s+à\s+$", re.IGNORECASE)
_GAP_MERGE_AFTER = re.compile(r"^\s*,\s*$")
_SENT_END = re.compile(r"[.!?;]\s")


@lru_cache(maxsize=1)
def _prefixes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lx = _lex()
    approx = lx.approx_before + lx.part_start + lx.part_end + lx.part_during
    mid = _alt(lx.part_mid)
    p_approx = re.compile(rf"(?<!\w)(?:{_alt(approx)}\s*|{mid}\s*)$", re.IGNORECASE)
    p_horizon = re.compile(rf"(?<!\w){_alt(lx.horizon)}\s*$", re.IGNORECASE)
    p_deadline = re.compile(rf"(?<!\w){_alt(lx.deadline)}\s*(?:la\s+)?$", re.IGNORECASE)
    return p_approx, p_horizon, p_deadline


def _select(cands: list[_Cand]) -> list[_Cand]:
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), -c.prio, c.start)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _iter_cands(text: str, r: _Resolver) -> Iterator[_Cand]:
    lx = _lex()
    for pattern, fn in _rules():
        for m in pattern.finditer(text):
            c = fn(m, r, lx)
            if c is not None and c.end > c.start:
                yield c


def find_timexes(text: str, dct: PubDate | None, lang: str = "fr") -> list[Timex]:
    """Temporal expressions of a French text, resolved against ``dct`` when possible."""
    if lang != "fr":
        return []
    r = _Resolver(dct)
    chosen = _select(list(_iter_cands(text, r)))

    # "aujourd'hui à 13h30", "vers 15 h 30, hier": one TIME
    merged: list[_Cand] = []
    for c in chosen:
        prev = merged[-1] if merged else None
        if prev is not None:
            gap = text[prev.end : c.start]
            if c.hm is not None and prev.day_word and prev.type == "DATE" and _GAP_MERGE.match(gap):
                merged[-1] = replace(c, start=prev.start, tense=prev.tense, anchored=True, anchor=prev.value)
                continue
            if prev.hm is not None and c.day_word and c.type == "DATE" and _GAP_MERGE_AFTER.match(gap):
                merged[-1] = replace(prev, end=c.end, tense=c.tense, anchored=True, anchor=c.value)
                continue
        merged.append(c)

    # anchor clock times and parts of a day to the day they belong to: the day just
    # merged, else the nearest day in the same sentence, else the last day mentioned,
    # else the publication date
    days = [(i, c) for i, c in enumerate(merged) if c.precision == "day" and c.value and not c.pending]
    for i, c in enumerate(merged):
        prior = [d for j, d in days if j < i]
        if c.same_day and prior and prior[-1].value:
            c.value, c.precision = prior[-1].value[:10], "day"
    for i, c in enumerate(merged):
        if not c.pending:
            continue
        day: str | None = None
        if c.anchored:
            day = c.anchor
        else:
            prior = [d for j, d in days if j < i]
            later = [d for j, d in days if j > i]
            if prior and not _SENT_END.search(text[prior[-1].end : c.start]):
                day = prior[-1].value
            elif later and not _SENT_END.search(text[c.end : later[0].start]):
                day = later[0].value
            elif prior:
                day = prior[-1].value
            elif r.day is not None:
                day = r.day.isoformat()
        day = day[:10] if day else None
        if day is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            if c.hm is not None:
                c.value = f"{day}T{c.hm[0]:02d}:{c.hm[1]:02d}"
                c.precision = "minute"
            else:
                c.value = f"{day}T{c.part}"
                c.precision = "day"

    # approximate markers, horizons and deadlines before an expression
    p_approx, p_horizon, p_deadline = _prefixes()
    out: list[Timex] = []
    prev_end = 0
    for c in merged:
        before = text[max(prev_end, c.start - 40) : c.start]
        m = p_horizon.search(before)
        if m:
            c.start -= len(before) - m.start()
            c.approximate = True
            c.tense = "future"
        else:
            m = p_approx.search(before)
            if m and c.hm is not None:
                c.approximate = True
            elif m and c.type != "SET":
                c.start -= len(before) - m.start()
                c.approximate = True
            if p_deadline.search(text[max(prev_end, c.start - 20) : c.start]):
                c.tense = "future"
        span = text[c.start : c.end]
        # strip a trailing apostrophe / punctuation that a lexicon word may have left
        while span and span[-1] in " ,.;:'’":
            if span[-1] == "." and re.search(rf"{_lex().MONTH}$", span, re.IGNORECASE):
                break
            span = span[:-1]
            c.end -= 1
        prec = c.precision
        if c.value is None or c.type in ("DURATION", "SET") or c.value.endswith("_REF"):
            prec = None
        elif prec is not None:
            prec = _prec(c.value) or None
        out.append(
            Timex(
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                type=c.type,
                value=c.value,
                precision=prec,
                approximate=c.approximate,
                tense=c.tense,
            )
        )
        prev_end = c.end
    return out
