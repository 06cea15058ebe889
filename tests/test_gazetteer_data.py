"""Soundness checks for the packaged lexicon data (gazetteer and sectors)."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

# The loader's own normalisation (case, accents, apostrophes, "-", "." and ","), so a clash
# here is a clash in `Gazetteer.by_fold`.
from ondit.extract.gazetteer import fold

LEXICONS = Path(__file__).resolve().parents[1] / "src" / "ondit" / "lexicons"
GAZETTEER = LEXICONS / "gazetteer.toml"
SECTORS = LEXICONS / "sectors_fr.toml"

ALLOWED_TYPES = {"ORG", "BRAND", "PRODUCT", "MEDIA", "PER"}
ALLOWED_KINDS = {"", "agency", "media", "analyst", "official"}
ENTITY_FIELDS = {
    "name",
    "type",
    "aliases",
    "country",
    "parent",
    "kind",
    "descriptors",
    "ambiguous",
}
OPTIONAL_FIELDS = {"city"}
# Lowercase French words that must never be an alias on their own.
FRENCH_COMMON_WORDS = {
    "orange",
    "total",
    "libre",
    "le",
    "la",
    "les",
    "et",
    "un",
    "une",
    "groupe",
    "marque",
    "société",
    "capital",
    "point",
    "monde",
    "tribune",
    "échos",
}


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def entities() -> list[dict[str, Any]]:
    data = load(GAZETTEER)
    assert set(data) == {"entity"}
    items = data["entity"]
    assert isinstance(items, list)
    return items


@pytest.fixture(scope="module")
def sectors() -> list[dict[str, Any]]:
    data = load(SECTORS)
    assert set(data) == {"sector"}
    items = data["sector"]
    assert isinstance(items, list)
    return items


def test_entity_count(entities: list[dict[str, Any]]) -> None:
    assert len(entities) >= 350


def test_entity_fields_and_types(entities: list[dict[str, Any]]) -> None:
    for e in entities:
        assert ENTITY_FIELDS <= set(e) <= ENTITY_FIELDS | OPTIONAL_FIELDS, e.get("name")
        assert isinstance(e["name"], str)
        assert e["name"].strip() == e["name"] != "", e
        assert e["type"] in ALLOWED_TYPES, e["name"]
        assert e["kind"] in ALLOWED_KINDS, e["name"]
        assert isinstance(e["ambiguous"], bool), e["name"]
        assert isinstance(e["aliases"], list), e["name"]
        assert all(isinstance(a, str) and a.strip() == a != "" for a in e["aliases"]), e["name"]
        assert isinstance(e["descriptors"], list), e["name"]
        assert all(isinstance(d, str) and d.strip() for d in e["descriptors"]), e["name"]
        assert re.fullmatch(r"(?:[A-Z]{2})?", e["country"]), (e["name"], e["country"])


def test_names_unique(entities: list[dict[str, Any]]) -> None:
    seen: dict[str, str] = {}
    for e in entities:
        key = fold(e["name"])
        assert key not in seen, f"duplicate name {e['name']!r} / {seen[key]!r}"
        seen[key] = e["name"]


def test_media_kinds(entities: list[dict[str, Any]]) -> None:
    media = [e for e in entities if e["type"] == "MEDIA"]
    assert media
    for e in media:
        assert e["kind"] in {"agency", "media"}, e["name"]
    for e in entities:
        if e["kind"] in {"agency", "media"}:
            assert e["type"] == "MEDIA", e["name"]
    kinds = {e["kind"] for e in media}
    assert kinds == {"agency", "media"}


def test_expected_core_entries(entities: list[dict[str, Any]]) -> None:
    by_name = {e["name"]: e for e in entities}
    for name in ("AFP", "Reuters", "Bloomberg", "Xinhua", "Les Echos", "Le Monde"):
        assert by_name[name]["type"] == "MEDIA"
    assert by_name["AFP"]["kind"] == "agency"
    assert by_name["Les Echos"]["kind"] == "media"
    assert by_name["Haval"]["parent"] == "Great Wall Motor"
    assert by_name["Volvo Cars"]["parent"] == "Geely Holding"
    assert by_name["iPhone"]["type"] == "PRODUCT"
    assert by_name["Gartner"]["kind"] == "analyst"
    assert by_name["Commission européenne"]["kind"] == "official"


def test_parents_exist(entities: list[dict[str, Any]]) -> None:
    names = {e["name"] for e in entities}
    for e in entities:
        assert isinstance(e["parent"], str)
        if e["parent"]:
            assert e["parent"] in names, f"{e['name']}: unknown parent {e['parent']!r}"
            assert e["parent"] != e["name"], e["name"]


def test_no_parent_cycles(entities: list[dict[str, Any]]) -> None:
    parent = {e["name"]: e["parent"] for e in entities}
    for start in parent:
        seen = {start}
        node = parent[start]
        while node:
            assert node not in seen, f"parent cycle through {start!r}"
            seen.add(node)
            node = parent.get(node, "")


def test_no_shared_alias(entities: list[dict[str, Any]]) -> None:
    owner: dict[str, str] = {}
    clashes: list[str] = []
    for e in entities:
        keys = {fold(e["name"])} | {fold(a) for a in e["aliases"]}
        for key in keys:
            if key in owner:
                clashes.append(f"{key!r}: {owner[key]} / {e['name']}")
            else:
                owner[key] = e["name"]
    assert not clashes, "\n".join(clashes)


def test_no_lowercase_common_word_alias(entities: list[dict[str, Any]]) -> None:
    for e in entities:
        for alias in e["aliases"]:
            assert alias not in FRENCH_COMMON_WORDS, (e["name"], alias)


def test_sectors(sectors: list[dict[str, Any]]) -> None:
    assert len(sectors) >= 40
    owner: dict[str, str] = {}
    clashes: list[str] = []
    for s in sectors:
        assert set(s) == {"name", "variants"}, s.get("name")
        assert isinstance(s["name"], str)
        assert s["name"].strip() == s["name"] != ""
        assert isinstance(s["variants"], list)
        assert all(isinstance(v, str) and v.strip() == v != "" for v in s["variants"])
        for form in [s["name"], *s["variants"]]:
            key = fold(form)
            if key in owner and owner[key] != s["name"]:
                clashes.append(f"{form!r}: {owner[key]} / {s['name']}")
            owner.setdefault(key, s["name"])
    assert not clashes, "\n".join(clashes)


def test_sector_variants_unique_within_sector(sectors: list[dict[str, Any]]) -> None:
    for s in sectors:
        forms = [fold(v) for v in [s["name"], *s["variants"]]]
        counts: dict[str, int] = defaultdict(int)
        for f in forms:
            counts[f] += 1
        assert all(n == 1 for n in counts.values()), s["name"]


def test_cities(entities: list[dict[str, Any]]) -> None:
    """`city` (optional) is the headquarters' city as French news writes it: a capitalised name."""
    with_city = [e for e in entities if "city" in e]
    assert len(with_city) >= 100
    for e in with_city:
        city = e["city"]
        assert isinstance(city, str) and city.strip() == city != "", e["name"]
        assert city[0].isupper(), (e["name"], city)
        assert e["country"], f"{e['name']}: a city without a country"
    by_name = {e["name"]: e for e in entities}
    assert by_name["BYD"]["city"] == "Shenzhen"
    assert by_name["Xiaomi"]["city"] == "Pékin"
    assert by_name["Changan Automobile"]["city"] == "Chongqing"


def test_city_loaded() -> None:
    from ondit.extract.gazetteer import gazetteer

    kb = gazetteer()
    assert kb.entries["BYD"].city == "Shenzhen"
    assert all(isinstance(e.city, str) for e in kb.entries.values())
