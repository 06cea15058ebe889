"""Plants and sites as regional and industrial news writes them (sentences written for these tests)."""

from __future__ import annotations

from collections.abc import Callable

from ondit.model import ArticleExtraction
from tests.conftest import claims_of, entity_types

Run = Callable[..., ArticleExtraction]


def sites(r: ArticleExtraction) -> list[tuple[str, str, object, str]]:
    return [
        (str(c["args"]["agent"]), str(c["args"]["facility"]), c["args"].get("place"), c["certainty"])
        for c in claims_of(r, "facility")
    ]


def test_a_foundation_stone_laid_for_a_new_plant(run: Run) -> None:
    r = run("Le fabricant de tracteurs Kuhn a posé jeudi à Saverne la première pierre de sa nouvelle usine.")
    assert sites(r) == [("Kuhn", "sa nouvelle usine", "Saverne", "certain")]


def test_a_new_line_inaugurated_past_an_incise_in_an_existing_plant(run: Run) -> None:
    r = run(
        "Saupiquet inaugurera en novembre, dans son usine de Quimper, une nouvelle ligne de thon au naturel."
    )
    got = sites(r)
    assert len(got) == 1 and got[0][0] == "Saupiquet" and got[0][2] == "Quimper"
    assert got[0][1].startswith("une nouvelle ligne")
    types = entity_types(r)
    assert types.get("Saupiquet") == "ORG"


def test_a_building_rising_takes_its_company_from_the_speaker(run: Run) -> None:
    r = run(
        "Un nouveau bâtiment de 5 000 m² y sortira de terre d'ici 2026, a indiqué la direction de Sanofi."
    )
    got = claims_of(r, "facility")
    assert [c["args"]["agent"] for c in got] == ["Sanofi"]
    assert got[0]["time"]["value"] == "2026"


def test_a_site_project_abandoned_is_a_called_off_facility(run: Run) -> None:
    r = run("Amazon a abandonné son projet d'entrepôt à Fournès, faute d'accord avec la mairie.")
    got = claims_of(r, "facility")
    assert [(c["args"]["agent"], c["args"].get("place"), c["certainty"]) for c in got] == [
        ("Amazon", "Fournès", "denied")
    ]


def test_a_site_rising_is_not_a_product_launch(run: Run) -> None:
    r = run("Lidl va faire sortir de terre un entrepôt de 60 000 m² à Vendin-le-Vieil, a annoncé l'enseigne.")
    assert claims_of(r, "product_launch") == []
    assert [(a, p) for a, _f, p, _c in sites(r)] == [("Lidl", "Vendin-le-Vieil")]


def test_pronouns_and_common_words_opening_a_sentence_are_not_companies(run: Run) -> None:
    r = run("Orano a confirmé le projet. Elle a indiqué que le chantier démarrerait en mai.")
    names = {e["name"] for e in r.to_json()["entities"]}
    assert "Elle" not in names


def test_jobs_a_site_creates_belong_to_the_company_that_builds_it(run: Run) -> None:
    r = run(
        "Lhyfe construira une unité de production à Bouin. Le site créera une vingtaine d'emplois directs. "
        "Bonduelle a inauguré une nouvelle ligne à Rosporden. "
        "La nouvelle ligne s'accompagne de la création de 45 emplois en CDI."
    )
    got = {
        (c["args"]["agent"], c["args"]["metric"], c["quantity"]["value"]) for c in claims_of(r, "financials")
    }
    assert got == {("Lhyfe", "emplois", 20.0), ("Bonduelle", "emplois", 45.0)}
