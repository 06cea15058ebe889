"""Who says so: source chains on sentences written for these tests (SPEC "Sources")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ondit.model import ArticleExtraction
from tests.conftest import claims_of

Run = Callable[..., ArticleExtraction]


def only(result: ArticleExtraction, type: str) -> dict[str, Any]:
    found = claims_of(result, type)
    assert len(found) == 1, [(c["args"], c["source"]) for c in claims_of(result)]
    return found[0]


def names(claim: dict[str, Any]) -> list[str]:
    return [s["name"] for s in claim["source"]]


def test_a_date_between_incise_verb_and_speaker_is_skipped(run: Run) -> None:
    r = run("Renault ouvrira une nouvelle usine au Maroc en 2026, a annoncé lundi Luca de Meo à Tanger.")
    c = only(r, "facility")
    assert names(c)[-1] == "Luca de Meo"


def test_source_cited_by_an_incise_covers_the_clause_before_it(run: Run) -> None:
    r = run(
        "Orange est en discussions avec Bouygues Telecom pour lui céder une partie de ses antennes, "
        "rapporte l'agence Reuters en citant deux sources proches du dossier."
    )
    c = only(r, "talks")
    assert names(c) == ["Les Echos", "Reuters", "deux sources proches du dossier"]
    assert c["certainty"] == "probable"


def test_media_noun_then_adjectives_then_name(run: Run) -> None:
    r = run(
        "Renault serait en discussions avec Geely pour une alliance dans les moteurs, "
        "affirme le quotidien italien Il Sole 24 Ore."
    )
    c = only(r, "talks")
    assert names(c)[-1] == "Il Sole 24 Ore"
    assert c["source"][-1]["kind"] == "media"
