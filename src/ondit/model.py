"""Core types of ondit: frozen dataclasses, JSON-serialisable.

The JSON shapes follow the gold format of SPEC.md exactly; extra keys
(offsets, mention ids) are added where they help and never replace a SPEC key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Precision = Literal["year", "half", "quarter", "month", "week", "day", "minute"]
PRECISIONS: tuple[str, ...] = ("year", "half", "quarter", "month", "week", "day", "minute")

EntityTypeName = Literal["ORG", "PER", "BRAND", "PRODUCT", "PLACE", "SECTOR", "MEDIA"]
ENTITY_TYPES: tuple[str, ...] = get_args(EntityTypeName)
CERTAINTIES = ("certain", "probable", "possible", "doubtful", "denied", "uncommitted")
SOURCE_KINDS = ("outlet", "agency", "media", "party", "official", "analyst", "anonymous")
ClaimTypeName = Literal[
    "talks",
    "partnership",
    "merger",
    "acquisition",
    "investment",
    "market_entry",
    "product_launch",
    "manufacturing",
    "facility",
    "sales",
    "financials",
    "listing",
    "ownership",
    "appointment",
    "announcement",
]
CLAIM_TYPES: tuple[str, ...] = get_args(ClaimTypeName)

_PUB_RE = re.compile(
    r"^\s*(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$"
)


class BadDateError(ValueError):
    """A publication date that is not ISO 8601 (year, month, day or date-time)."""


@dataclass(frozen=True)
class PubDate:
    """A publication date known to a given precision (year, month, day or minute).

    Relative expressions resolve only as far as this precision allows:
    "aujourd'hui" needs a day, "à 13h30" a day, "le mois dernier" a month.
    """

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    @classmethod
    def parse(cls, text: str) -> PubDate:
        m = _PUB_RE.match(text)
        if not m:
            raise BadDateError(f"not an ISO 8601 date: {text!r}")
        y = int(m["y"])
        mo = int(m["m"]) if m["m"] else None
        d = int(m["d"]) if m["d"] else None
        hh = int(m["H"]) if m["H"] else None
        mm = int(m["M"]) if m["M"] else None
        try:
            dt.date(y, mo or 1, d or 1)
            if hh is not None and mm is not None:
                dt.time(hh, mm)
        except ValueError as e:
            raise BadDateError(f"not a valid date: {text!r} ({e})") from e
        return cls(y, mo, d, hh, mm)

    @property
    def precision(self) -> str:
        if self.minute is not None:
            return "minute"
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def date(self) -> dt.date | None:
        """The calendar day, when the precision is a day or finer."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        if self.hour is None or self.minute is None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}T{self.hour:02d}:{self.minute:02d}"

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True)
class Article:
    text: str
    title: str = ""
    id: str | None = None
    url: str | None = None
    published: PubDate | None = None
    outlet: str | None = None
    lang: str | None = None
    origin: str | None = None  # the file (and line) it was read from, for error messages


@dataclass(frozen=True)
class TimeRef:
    """A point in time attached to a claim (SPEC "time")."""

    value: str | None
    precision: str | None
    approximate: bool
    role: Literal["occurred", "expected"]
    text: str
    start: int = -1
    end: int = -1

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "precision": self.precision,
            "approximate": self.approximate,
            "role": self.role,
            "text": self.text,
        }
        if self.start >= 0:
            out["start"] = self.start
            out["end"] = self.end
        return out


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    period: str | None
    text: str = ""
    start: int = -1
    end: int = -1

    def to_json(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        out: dict[str, Any] = {"value": value, "unit": self.unit, "period": self.period}
        if self.text:
            out["text"] = self.text
        if self.start >= 0:
            out["start"] = self.start
            out["end"] = self.end
        return out


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    of: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.of:
            out["of"] = self.of
        return out


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Entity:
    id: str  # "e1", "e2"… within one article
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    kind: str | None = None  # for MEDIA: "agency" or "media"
    of: str | None = None  # for PER: the organisation they speak for

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [m.to_json() for m in self.mentions],
        }
        if self.of:
            out["of"] = self.of
        return out


ArgValue = str | tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    """One report of a claim in one article (the SPEC's per-article "claim" entry)."""

    type: str
    args: tuple[tuple[str, ArgValue], ...]
    certainty: str
    source: tuple[Source, ...]
    cue: str
    evidence: str
    start: int
    end: int
    time: TimeRef | None = None
    quantity: Quantity | None = None
    called_off: bool = False
    arg_ids: tuple[tuple[str, str], ...] = ()  # role -> entity id, for party roles

    def arg(self, role: str) -> ArgValue | None:
        for r, v in self.args:
            if r == role:
                return v
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "args": {r: (list(v) if isinstance(v, tuple) else v) for r, v in self.args},
            "certainty": self.certainty,
            "source": [s.to_json() for s in self.source],
            "time": self.time.to_json() if self.time else None,
            "quantity": self.quantity.to_json() if self.quantity else None,
            "cue": self.cue,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }
        if self.called_off:
            out["called_off"] = True
        if self.arg_ids:
            out["arg_ids"] = dict(self.arg_ids)
        return out


@dataclass(frozen=True)
class ArticleExtraction:
    id: str
    lang: str
    published: str | None
    outlet: str | None
    title: str
    text: str
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    url: str | None = None
    extractor_version: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "lang": self.lang,
            "published": self.published,
            "outlet": self.outlet,
            "title": self.title,
            "text": self.text,
            "entities": [e.to_json() for e in self.entities],
            "claims": [c.to_json() for c in self.claims],
        }
        if self.url:
            out["url"] = self.url
        if self.extractor_version:
            out["extractor_version"] = self.extractor_version
        return out
