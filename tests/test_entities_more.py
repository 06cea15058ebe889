"""Entity mentions: furniture lines, brands and products named in passing, places of companies."""

from __future__ import annotations

from collections.abc import Callable

from ondit.model import ArticleExtraction

Run = Callable[..., ArticleExtraction]


def names(result: ArticleExtraction) -> dict[str, str]:
    return {e.name: e.type for e in result.entities}


def test_names_in_captions_bylines_and_datelines_are_not_entities(run: Run) -> None:
    r = run(
        "Lyon | Par la rédaction de Lyon Matin | 12/02/2024\n\n"
        "TOKYO/OSAKA, 12 février (Reuters) - Renault a signé un accord avec Nissan.\n\n"
        "Photo : le stand de Peugeot au salon de Genève. Lyon Matin\n\n"
        "À lire aussi : Toyota, Honda, Mazda… qui vend quoi ?\n\n"
        "(Rédaction de Tokyo, édité par la rédaction de Paris)"
    )
    found = names(r)
    assert found.get("Reuters") == "MEDIA"  # the agency of a dateline is named
    assert {"Renault Group", "Nissan"} <= set(found)
    for absent in ("Peugeot", "Toyota", "Honda", "Mazda", "Lyon Matin", "TOKYO", "OSAKA", "Paris"):
        assert not any(absent in n for n in found), (absent, found)
