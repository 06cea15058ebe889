"""The packaged knowledge base of companies, brands, products and media, as lookup tables."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from ondit import lexicons


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, with spacing and dots normalised."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("-", " ").replace(".", " ").replace(",", " ")
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class KBEntry:
    name: str
    type: str
    aliases: tuple[str, ...]
    country: str
    parent: str
    kind: str
    descriptors: tuple[str, ...]
    ambiguous: bool
    city: str = ""  # city of the headquarters, as French news names it ("Shenzhen", "Pékin", "Canton")


@dataclass(frozen=True)
class Gazetteer:
    entries: dict[str, KBEntry]  # canonical name -> entry
    by_fold: dict[str, str]  # folded alias or name -> canonical name

    def lookup(self, text: str) -> KBEntry | None:
        name = self.by_fold.get(fold(text))
        return self.entries.get(name) if name else None

    def surface_forms(self) -> list[tuple[str, str]]:
        """Every (surface form, canonical name) pair to look for in text."""
        out: list[tuple[str, str]] = []
        for e in self.entries.values():
            for form in (e.name, *e.aliases):
                out.append((form, e.name))
                if form.endswith("."):
                    out.append((form[:-1], e.name))
        return out


@cache
def gazetteer() -> Gazetteer:
    data = lexicons.load("gazetteer")
    entries: dict[str, KBEntry] = {}
    by_fold: dict[str, str] = {}
    for raw in data.get("entity", []):
        entry = KBEntry(
            name=raw["name"],
            type=raw.get("type", "ORG"),
            aliases=tuple(raw.get("aliases", [])),
            country=raw.get("country", ""),
            parent=raw.get("parent", ""),
            kind=raw.get("kind", ""),
            descriptors=tuple(raw.get("descriptors", [])),
            ambiguous=bool(raw.get("ambiguous", False)),
            city=raw.get("city", ""),
        )
        entries[entry.name] = entry
        for form in (entry.name, *entry.aliases):
            by_fold.setdefault(fold(form), entry.name)
    return Gazetteer(entries, by_fold)


@cache
def sectors() -> dict[str, str]:
    """Sector form, as written (lower case) -> canonical sector name."""
    out: dict[str, str] = {}
    for raw in lexicons.load("sectors_fr").get("sector", []):
        name = raw["name"]
        for form in (name, *raw.get("variants", [])):
            out.setdefault(form.lower(), name)
    return out
