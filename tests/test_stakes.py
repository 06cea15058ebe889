"""Shareholdings written the ways French business news writes them (sentences written for these tests)."""

from __future__ import annotations

from collections.abc import Callable

from ondit.model import ArticleExtraction
from tests.conftest import claims_of, entity_types

Run = Callable[..., ArticleExtraction]


def owned_by(r: ArticleExtraction) -> set[tuple[str, str]]:
    return {(str(c["args"]["owner"]), str(c["args"]["owned"])) for c in claims_of(r, "ownership")}


def owners_of(r: ArticleExtraction, owned: str) -> set[str]:
    return {o for o, d in owned_by(r) if d == owned}


def test_a_participle_with_two_owners_and_their_shares(run: Run) -> None:
    r = run(
        "Leapmotor International, la coentreprise détenue à 51 % par Stellantis et à 49 % par "
        "Leapmotor, assurera la distribution des modèles en Europe."
    )
    assert owned_by(r) == {
        ("Stellantis", "Leapmotor International"),
        ("Leapmotor", "Leapmotor International"),
    }


def test_a_fronted_participle_owns_the_subject_after_the_comma(run: Run) -> None:
    r = run(
        "Détenus à 84,3 % par l'État français et à 11,7 % par Naval Group, les Chantiers de "
        "l'Atlantique emploient 3 500 salariés à Saint-Nazaire."
    )
    assert owners_of(r, "Chantiers de l'Atlantique") == {"État français", "Naval Group"}


def test_shareholders_named_in_several_ways(run: Run) -> None:
    r = run(
        "Geely est en outre actionnaire à 34 % de Renault Korea. "
        "Les fonds KKR et TowerBrook figurent parmi les actionnaires minoritaires d'OVHcloud. "
        "Alstom, dont la Caisse des dépôts est le premier actionnaire, prépare un plan d'économies."
    )
    got = owned_by(r)
    assert {("Geely Holding", "Renault Korea"), ("KKR", "OVHcloud"), ("TowerBrook", "OVHcloud")} <= got
    assert ("Caisse des dépôts", "Alstom") in got


def test_a_stake_kept_in_a_relative_clause(run: Run) -> None:
    r = run("LG Electronics a pris le contrôle de Bear Robotics, dont il détient désormais 51 %.")
    assert ("LG Electronics", "Bear Robotics") in owned_by(r)


def test_a_lone_name_never_introduced_as_a_person_is_a_company(run: Run) -> None:
    r = run(
        "L'italien Leonardo, deuxième actionnaire de Hensoldt avec 22,8 % du capital, a écarté toute cession."
    )
    assert ("Leonardo", "Hensoldt") in owned_by(r)
    types = entity_types(r)
    assert types.get("Hensoldt") == "ORG" and types.get("Leonardo") == "ORG"


def test_a_passive_holding_with_three_owners(run: Run) -> None:
    r = run(
        "NHIndustries, qui produit l'hélicoptère NH90, est détenue à 62,5 % par Airbus Helicopters, "
        "à 32 % par Leonardo et à 5,5 % par le néerlandais Fokker."
    )
    assert owners_of(r, "NHIndustries") == {"Airbus Helicopters", "Leonardo", "Fokker"}


def test_shareholders_of_the_company_that_raises_or_is_named_before(run: Run) -> None:
    r = run(
        "Pour financer sa croissance, Ledger lève 300 millions de dollars auprès de ses actionnaires "
        "historiques Kima Ventures et Molten Ventures. "
        "Deezer a gagné des abonnés. Son premier actionnaire reste le fonds américain Access Industries."
    )
    got = owned_by(r)
    assert {
        ("Kima Ventures", "Ledger"),
        ("Molten Ventures", "Ledger"),
        ("Access Industries", "Deezer"),
    } <= got
