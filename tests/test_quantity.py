"""Quantities: hand-written French business-news sentences."""

from __future__ import annotations

import pytest

from ondit.extract.quantity import QuantityMatch, find_quantities


def q(text: str) -> list[tuple[str, float, str | None]]:
    return [(m.text, m.value, m.unit) for m in find_quantities(text)]


def test_million_vehicles_and_offsets() -> None:
    text = "Selon Reuters, Xiaomi aurait écoulé 1,1 million de véhicules en 2020."
    found = find_quantities(text)
    assert len(found) == 1
    m = found[0]
    assert isinstance(m, QuantityMatch)
    assert (m.text, m.value, m.unit) == ("1,1 million de véhicules", 1100000.0, "vehicles")
    assert text[m.start : m.end] == m.text


def test_years_and_days_are_not_quantities() -> None:
    assert q("En 2020, le groupe a été fondé le 30 mars à Pékin.") == []
    assert q("Le rapport de 2021 sera publié le 1er avril 2022.") == []


@pytest.mark.parametrize("sep", [" ", "\u00a0", "\u202f"])
def test_thousands_separators(sep: str) -> None:
    assert q(f"Le site emploie 2{sep}000 salariés.") == [(f"2{sep}000 salariés", 2000.0, "employees")]


def test_currencies() -> None:
    assert q("La start-up a levé 10 milliards de dollars.") == [("10 milliards de dollars", 1e10, "USD")]
    assert q("Le plan atteint 3,5 Md€ et 200 M$.") == [
        ("3,5 Md€", 3.5e9, "EUR"),
        ("200 M$", 2e8, "USD"),
    ]
    assert q("Un investissement de 12,5 milliards d'euros.") == [("12,5 milliards d'euros", 12.5e9, "EUR")]
    assert q("Le contrat vaut 300 millions de yuans, soit 4 millions de livres sterling.") == [
        ("300 millions de yuans", 3e8, "CNY"),
        ("4 millions de livres sterling", 4e6, "GBP"),
    ]
    assert q("Une enveloppe de 2 milliards de dollars américains.")[0][2] == "USD"
    assert q("Un prix de 45 euros.") == [("45 euros", 45.0, "EUR")]


def test_percentages() -> None:
    assert q("Les ventes ont progressé de 15 % et la marge de 15%.") == [
        ("15 %", 15.0, "%"),
        ("15%", 15.0, "%"),
    ]
    assert q("Le titre a perdu 7,5 pour cent.") == [("7,5 pour cent", 7.5, "%")]


def test_unit_nouns() -> None:
    assert q("Le groupe a reçu 500 000 précommandes.") == [("500 000 précommandes", 5e5, "orders")]
    assert q("Il a livré 80 000 voitures et 2 millions de smartphones.") == [
        ("80 000 voitures", 80000.0, "vehicles"),
        ("2 millions de smartphones", 2e6, "units"),
    ]
    assert q("L'usine créera 3 000 nouveaux emplois.") == [("3 000 nouveaux emplois", 3000.0, "employees")]
    assert q("Il compte 1 200 collaborateurs.") == [("1 200 collaborateurs", 1200.0, "employees")]


def test_scale_without_unit() -> None:
    assert q("Le modèle s'est vendu à 2,9 millions l'an dernier.") == [("2,9 millions", 2.9e6, None)]


def test_bare_numbers_are_ignored() -> None:
    assert q("Le groupe compte 12 usines et 40 modèles.") == []


def test_approximate_counts_of_a_unit() -> None:
    got = [
        (q.text, q.value, q.unit)
        for q in find_quantities("la création d'une soixantaine d'emplois et d'un millier de postes")
    ]
    assert ("une soixantaine d'emplois", 60.0, "employees") in got
    assert find_quantities("une dizaine de jours") == []
