"""Scoring against gold (`ondit.eval`): matching rules, one-to-one matching, the figures, and `evaluate`.

All but one test build gold and predictions by hand and need no spaCy model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ondit.eval import GoldFormatError, evaluate, load_gold, phrases_match, score
from ondit.extract import run as extract_run
from ondit.model import Article, ArticleExtraction, Claim, Source

J = dict[str, Any]


def src(*links: str | tuple[str, str]) -> list[J]:
    out = [{"name": "Les Echos", "kind": "outlet"}]
    for link in links:
        name, kind = link if isinstance(link, tuple) else (link, "agency")
        out.append({"name": name, "kind": kind})
    return out


def claim(
    type: str,
    certainty: str = "probable",
    source: list[J] | None = None,
    time: J | None = None,
    quantity: J | None = None,
    evidence: str = "",
    **args: Any,
) -> J:
    return {
        "type": type,
        "args": args,
        "certainty": certainty,
        "source": src("Reuters") if source is None else source,
        "time": time,
        "quantity": quantity,
        "cue": "",
        "evidence": evidence,
    }


def ent(name: str, type: str = "ORG", *aliases: str) -> J:
    return {"name": name, "type": type, "aliases": list(aliases)}


def art(id: str, claims: list[J], entities: Iterable[J] = ()) -> J:
    return {
        "id": id,
        "lang": "fr",
        "published": "2023-10-20",
        "outlet": "Les Echos",
        "title": "",
        "text": "…",
        "entities": list(entities),
        "claims": claims,
    }


def one(gold_claim: J, pred_claim: J, entities: Iterable[J] = ()) -> J:
    """Score one gold claim against one predicted claim in one article."""
    return score([art("a", [gold_claim], entities)], [art("a", [pred_claim])])


def matched(gold_claim: J, pred_claim: J, entities: Iterable[J] = ()) -> bool:
    return bool(one(gold_claim, pred_claim, entities)["claims"]["tp"] == 1)


# --------------------------------------------------------------------------- matching claims


def test_exact_match_scores_one_everywhere() -> None:
    c = claim(
        "sales",
        certainty="certain",
        time={"value": "2020", "precision": "year", "approximate": False, "role": "occurred"},
        quantity={"value": 1100000, "unit": "vehicles", "period": "2020"},
        agent="Xiaomi",
        product="smartphones",
    )
    r = one(c, dict(c))
    assert r["claims"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert r["certainty_accuracy"] == r["source_accuracy"] == 1.0
    assert r["time_accuracy"] == r["quantity_accuracy"] == 1.0
    assert r["by_type"] == {"sales": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}}
    assert r["articles"] == 1
    assert r["errors"] == {"missed": [], "false": [], "failed": []}


def test_types_must_be_equal() -> None:
    assert not matched(
        claim("talks", agent="Xiaomi", partner="BYD"), claim("merger", agent="Xiaomi", partner="BYD")
    )


def test_aliases_of_the_gold_article() -> None:
    gold = claim("talks", agent="Xiaomi", partner="Great Wall Motor")
    assert matched(
        gold, claim("talks", agent="Xiaomi", partner="GWM"), [ent("Great Wall Motor", "ORG", "GWM")]
    )
    # a name the gazetteer does not know matches only through the gold article's aliases
    gold = claim("partnership", agent="Compagnie Fictive des Batteries", partner="Renault")
    pred = claim("partnership", agent="CFB", partner="Renault")
    assert matched(gold, pred, [ent("Compagnie Fictive des Batteries", "ORG", "CFB")])
    assert not matched(gold, pred, [])


def test_gazetteer_aliases_case_accents_and_legal_suffixes() -> None:
    gold = claim("acquisition", agent="Renault Group", target="Nissan")
    assert matched(gold, claim("acquisition", agent="Renault", target="Nissan"))
    # only the packaged gazetteer knows that "Régie Renault" is Renault Group
    assert matched(gold, claim("acquisition", agent="RÉGIE RENAULT", target="nissan"))
    assert matched(gold, claim("acquisition", agent="groupe Renault", target="Nissan Motor Co., Ltd."))
    assert not matched(gold, claim("acquisition", agent="Renault Trucks", target="Nissan"))
    assert not matched(gold, claim("acquisition", agent="Stellantis", target="Nissan"))
    assert matched(
        claim("talks", agent="Great Wall Motor Co., Ltd.", partner="Xiaomi"),
        claim("talks", agent="great wall motor", partner="Xiaomi Corp."),
    )


@pytest.mark.parametrize("type", ["talks", "partnership", "merger"])
def test_symmetric_parties_may_be_swapped(type: str) -> None:
    assert matched(
        claim(type, agent="Xiaomi", partner="GWM"), claim(type, agent="Great Wall", partner="Xiaomi")
    )
    assert not matched(claim(type, agent="Xiaomi", partner="GWM"), claim(type, agent="GWM", partner="BYD"))


def test_acquisition_parties_may_not_be_swapped() -> None:
    gold = claim("acquisition", agent="Airbus", target="Spirit AeroSystems")
    assert matched(gold, claim("acquisition", agent="Airbus", target="Spirit AeroSystems"))
    assert not matched(gold, claim("acquisition", agent="Spirit AeroSystems", target="Airbus"))


def test_missing_gold_role_is_no_match_but_extra_predicted_roles_are_ignored() -> None:
    assert not matched(claim("talks", agent="Xiaomi", partner="BYD"), claim("talks", agent="Xiaomi"))
    assert matched(
        claim("talks", agent="Xiaomi", partner="BYD"),
        claim("talks", agent="Xiaomi", partner="BYD", topic="batteries"),
    )
    # a null or empty gold role asks for nothing
    assert matched(
        claim("market_entry", agent="Xiaomi", sector="voiture", place=[]),
        claim("market_entry", agent="Xiaomi", sector="voiture"),
    )


def test_phrase_roles_match_by_contained_words_without_stemming() -> None:
    assert phrases_match("la voiture électrique", "voiture électrique")
    assert phrases_match("Voiture Electrique", "le marché de la voiture électrique")
    assert phrases_match("l’usine de cellules", "une usine de cellules de batteries")
    assert phrases_match("ses smartphones", "smartphones")
    # no stemming: singular and plural are different words
    assert not phrases_match("la voiture électrique", "voitures électriques")
    assert not phrases_match("voiture électrique", "camion électrique")

    gold = claim("market_entry", agent="Xiaomi", sector="la voiture électrique")
    assert matched(gold, claim("market_entry", agent="Xiaomi", sector="voiture électrique"))
    assert not matched(gold, claim("market_entry", agent="Xiaomi", sector="voitures électriques"))
    assert not matched(gold, claim("market_entry", agent="Xiaomi", sector="smartphones"))


def test_target_is_a_phrase_only_when_it_is_not_an_entity() -> None:
    # assets: a phrase
    gold = claim("acquisition", agent="Renault", target="des usines")
    assert matched(gold, claim("acquisition", agent="Renault", target="trois usines"))
    # a company: an entity, so "Renault Trucks" is not "Renault Group" even though the words overlap
    gold = claim("acquisition", agent="Volvo", target="Renault Group")
    assert not matched(gold, claim("acquisition", agent="Volvo", target="Renault Trucks"))
    assert matched(gold, claim("acquisition", agent="Volvo", target="Renault"))
    # a company known only from the gold entities is an entity too
    gold = claim("investment", agent="Volvo", target="Voltaris Énergie")
    pred = claim("investment", agent="Volvo", target="Voltaris Énergie Services")
    assert matched(gold, pred)  # unknown: compared as a phrase
    assert not matched(gold, pred, [ent("Voltaris Énergie")])


def test_place_lists_match_as_sets() -> None:
    gold = claim("partnership", agent="Renault", partner="Geely", place=["Chine", "Corée du Sud"])
    assert matched(
        gold, claim("partnership", agent="Renault", partner="Geely", place=["corée du sud", "Chine"])
    )
    assert not matched(gold, claim("partnership", agent="Renault", partner="Geely", place=["Chine"]))
    assert not matched(
        gold, claim("partnership", agent="Renault", partner="Geely", place=["Chine", "Corée du Sud", "Inde"])
    )
    single = claim("facility", agent="Tesla", facility="une usine", place="Allemagne")
    assert matched(single, claim("facility", agent="Tesla", facility="usine", place=["Allemagne"]))
    assert matched(claim("facility", agent="Tesla", facility="usine", place=["Allemagne"]), single)


# --------------------------------------------------------------------------- one-to-one


def test_two_identical_predictions_for_one_gold_claim() -> None:
    gold = claim("talks", agent="Xiaomi", partner="BYD")
    r = score([art("a", [gold])], [art("a", [dict(gold), dict(gold)])])
    assert (r["claims"]["tp"], r["claims"]["fp"], r["claims"]["fn"]) == (1, 1, 0)
    assert r["claims"]["precision"] == 0.5
    assert r["claims"]["recall"] == 1.0
    assert r["claims"]["f1"] == 0.6667
    assert len(r["errors"]["false"]) == 1


def test_matching_maximises_the_number_of_matches() -> None:
    # a greedy pass on "same certainty first" would pair g1 with p1 and leave g2 unmatched
    g1 = claim("talks", certainty="probable", agent="Xiaomi", partner="BYD")
    g2 = claim("talks", certainty="certain", agent="Xiaomi", partner="BYD", topic="batteries")
    p1 = claim("talks", certainty="probable", agent="Xiaomi", partner="BYD", topic="batteries")
    p2 = claim("talks", certainty="certain", agent="Xiaomi", partner="BYD")
    r = score([art("a", [g1, g2])], [art("a", [p1, p2])])
    assert (r["claims"]["tp"], r["claims"]["fp"], r["claims"]["fn"]) == (2, 0, 0)
    assert r["certainty_accuracy"] == 0.0


def test_matching_prefers_same_certainty_then_same_source_among_equal_matchings() -> None:
    # the same claim twice in gold; predictions listed in the other order
    def talks(certainty: str, source: str | tuple[str, str]) -> J:
        return claim("talks", certainty=certainty, source=src(source), agent="Xiaomi", partner="BYD")

    same_source = [talks("probable", "Reuters"), talks("denied", "Reuters")]
    r = score([art("a", same_source)], [art("a", same_source[::-1])])
    assert (r["claims"]["tp"], r["certainty_accuracy"], r["source_accuracy"]) == (2, 1.0, 1.0)

    same_certainty = [talks("probable", "Reuters"), talks("probable", ("BYD", "party"))]
    r = score([art("a", same_certainty)], [art("a", same_certainty[::-1])])
    assert (r["claims"]["tp"], r["certainty_accuracy"], r["source_accuracy"]) == (2, 1.0, 1.0)


def test_parties_of_other_types_are_never_swapped() -> None:
    gold = claim("manufacturing", agent="Foxconn", client="Apple")
    assert matched(gold, claim("manufacturing", agent="Hon Hai", client="Apple"))
    assert not matched(gold, claim("manufacturing", agent="Apple", client="Foxconn"))
    gold = claim("ownership", owner="Geely", owned="Volvo Cars")
    assert not matched(gold, claim("ownership", owner="Volvo Cars", owned="Geely"))


# --------------------------------------------------------------------------- accuracies on matched claims


def test_certainty_and_source_accuracy_only_on_matched_claims() -> None:
    gold = [
        claim("talks", certainty="probable", source=src("Reuters"), agent="Xiaomi", partner="BYD"),
        claim("merger", certainty="possible", source=src("AFP"), agent="Renault", partner="Nissan"),
        claim(
            "listing",
            certainty="certain",
            source=src(("trois sources proches du dossier", "anonymous")),
            agent="Xiaomi",
        ),
        claim("ownership", certainty="certain", source=[], owner="Geely", owned="Volvo Cars"),
    ]
    pred = [
        claim("talks", certainty="certain", source=src("agence Reuters"), agent="Xiaomi", partner="BYD"),
        claim("merger", certainty="possible", source=src("Bloomberg"), agent="Nissan", partner="Renault"),
        claim(
            "listing",
            certainty="certain",
            source=src(("des sources proches du dossier", "anonymous")),
            agent="Xiaomi",
        ),
        claim("ownership", certainty="certain", source=[], owner="Geely", owned="Volvo Cars"),
        # unmatched: its certainty and source count for nothing
        claim("acquisition", certainty="denied", source=src("Le Monde"), agent="Apple", target="Disney"),
    ]
    r = score([art("a", gold)], [art("a", pred)])
    assert r["claims"]["tp"] == 4
    assert r["certainty_accuracy"] == 0.75
    assert r["source_accuracy"] == 0.75  # Bloomberg is not AFP; an empty chain equals an empty chain

    nothing = score([art("a", gold)], [art("a", [pred[-1]])])
    assert nothing["claims"]["tp"] == 0
    assert nothing["certainty_accuracy"] is None
    assert nothing["source_accuracy"] is None
    assert nothing["time_accuracy"] is None
    assert nothing["quantity_accuracy"] is None


def t(value: str | None, precision: str | None) -> J:
    return {"value": value, "precision": precision, "approximate": False, "role": "expected"}


def test_time_accuracy() -> None:
    def pair(gold_time: J | None, pred_time: J | None, n: int) -> tuple[J, J]:
        return (
            claim("announcement", time=gold_time, agent="Xiaomi", event=f"conférence {n}"),
            claim("announcement", time=pred_time, agent="Xiaomi", event=f"conférence {n}"),
        )

    pairs = [
        pair(None, None, 1),  # nothing to measure
        pair(t("2021-03-29T13:30", "minute"), t("2021-03-29T13:30", "minute"), 2),  # right
        pair(t("2021-03-29T13:30", "minute"), t("2021-03-29", "day"), 3),  # wrong precision
        pair(t("2023", "year"), None, 4),  # missed time
        pair(None, t("2023", "year"), 5),  # invented time
        pair(t(None, None), t(None, None), 6),  # both unresolved ("la semaine prochaine", no date): right
        pair(t("2023", "year"), t("2023", None), 7),  # same value, no precision
    ]
    r = score([art("a", [g for g, _ in pairs])], [art("a", [p for _, p in pairs])])
    assert r["claims"]["tp"] == 7
    assert r["time_accuracy"] == round(2 / 6, 4)
    assert r["quantity_accuracy"] is None


def test_quantity_accuracy() -> None:
    def q(value: float, unit: str = "vehicles", period: str | None = "2020") -> J:
        return {"value": value, "unit": unit, "period": period}

    def pair(gold_q: J | None, pred_q: J | None, n: int) -> tuple[J, J]:
        return (
            claim("sales", quantity=gold_q, agent=f"Marque {n}"),
            claim("sales", quantity=pred_q, agent=f"Marque {n}"),
        )

    pairs = [
        pair(q(1_100_000), q(1_100_000), 1),  # right
        pair(q(1_100_000), q(1_104_000), 2),  # within 0.5%: right
        pair(q(1_100_000), q(1_110_000), 3),  # 0.9% off
        pair(q(25e9, "USD", "2023-Q3"), q(25e9, "EUR", "2023-Q3"), 4),  # wrong unit
        pair(q(25e9, "USD", "2023-Q3"), q(25e9, "USD", "2023"), 5),  # wrong period
        pair(q(12.5, "%", None), None, 6),  # missed
        pair(None, None, 7),  # nothing to measure
    ]
    r = score([art("a", [g for g, _ in pairs])], [art("a", [p for _, p in pairs])])
    assert r["claims"]["tp"] == 7
    assert r["quantity_accuracy"] == round(2 / 6, 4) == 0.3333
    assert r["time_accuracy"] is None


# --------------------------------------------------------------------------- entities


def test_entity_f1_by_name_alias_and_type() -> None:
    gold = [
        ent("Great Wall Motor", "ORG", "Great Wall", "GWM"),
        ent("Xiaomi", "ORG"),
        ent("Reuters", "MEDIA"),
        ent("voiture électrique", "SECTOR"),
    ]
    pred = [
        ent("GWM", "ORG"),  # an alias of the gold name: right
        ent("Xiaomi", "BRAND"),  # wrong type: a false entity and a missed one
        ent("Reuters", "MEDIA"),
        ent("agence Reuters", "MEDIA"),  # the same entity twice: one-to-one, so a false one
        ent("Pékin", "PLACE"),
    ]
    r = score([art("a", [], gold)], [art("a", [], pred)])
    # tp 2, fp 3, fn 2
    assert r["entity_f1"] == round(2 * (2 / 5) * (2 / 4) / (2 / 5 + 2 / 4), 4)
    assert r["entity_by_type"] == {
        "BRAND": {"precision": 0.0, "recall": 0.0, "f1": 0.0},
        "MEDIA": {"precision": 0.5, "recall": 1.0, "f1": 0.6667},
        "ORG": {"precision": 1.0, "recall": 0.5, "f1": 0.6667},
        "PLACE": {"precision": 0.0, "recall": 0.0, "f1": 0.0},
        "SECTOR": {"precision": 0.0, "recall": 0.0, "f1": 0.0},
    }
    # no claims anywhere: nothing to measure
    assert r["claims"] == {"precision": None, "recall": None, "f1": None, "tp": 0, "fp": 0, "fn": 0}
    assert r["by_type"] == {}


def test_entity_aliases_on_either_side_and_from_the_gazetteer() -> None:
    gold = [ent("Compagnie Fictive des Batteries", "ORG", "CFB"), ent("Renault Group", "ORG")]
    pred = [ent("Batteries Fictives", "ORG", "CFB"), ent("Régie Renault", "ORG")]
    assert score([art("a", [], gold)], [art("a", [], pred)])["entity_f1"] == 1.0
    assert score([art("a", [], [])], [art("a", [], [])])["entity_f1"] is None


# --------------------------------------------------------------------------- by type, errors, articles


def test_by_type_errors_and_pairing_by_id() -> None:
    gold = [
        art(
            "a",
            [
                claim(
                    "talks", agent="Xiaomi", partner="BYD", evidence="Xiaomi serait en discussion avec BYD."
                ),
                claim("listing", agent="Xiaomi", market="Hong Kong", evidence="Xiaomi vise Hong Kong."),
            ],
        ),
        art(
            "b",
            [claim("merger", agent="Renault", partner="Nissan", evidence="Renault et Nissan fusionnent.")],
        ),
        art("c", [claim("sales", agent="BYD", evidence="BYD a vendu 3 millions de voitures.")]),
    ]
    pred = [
        art(
            "b",
            [
                claim("merger", agent="Nissan", partner="Renault"),
                claim("acquisition", agent="Renault", target="Dacia", evidence="Renault rachète Dacia."),
            ],
        ),
        art("a", [claim("talks", agent="BYD", partner="Xiaomi")]),
        art("zzz", [claim("talks", agent="Apple", partner="Disney")]),  # not in the gold: ignored
        # "c" has no prediction: its claims are all missed
    ]
    r = score(gold, pred)
    assert r["articles"] == 3
    assert (r["claims"]["tp"], r["claims"]["fp"], r["claims"]["fn"]) == (2, 1, 2)
    assert r["claims"]["precision"] == 0.6667
    assert r["claims"]["recall"] == 0.5
    assert r["claims"]["f1"] == round(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5), 4)
    assert list(r["by_type"]) == ["talks", "merger", "acquisition", "sales", "listing"]  # SPEC order
    assert r["by_type"]["talks"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert r["by_type"]["listing"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    assert r["by_type"]["acquisition"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "tp": 0,
        "fp": 1,
        "fn": 0,
    }
    assert r["errors"]["missed"] == [
        {
            "id": "a",
            "type": "listing",
            "args": {"agent": "Xiaomi", "market": "Hong Kong"},
            "evidence": "Xiaomi vise Hong Kong.",
        },
        {
            "id": "c",
            "type": "sales",
            "args": {"agent": "BYD"},
            "evidence": "BYD a vendu 3 millions de voitures.",
        },
    ]
    assert r["errors"]["false"] == [
        {
            "id": "b",
            "type": "acquisition",
            "args": {"agent": "Renault", "target": "Dacia"},
            "evidence": "Renault rachète Dacia.",
        }
    ]
    assert r["errors"]["failed"] == []
    json.dumps(r)  # JSON-serialisable as it is

    with pytest.raises(ValueError, match="duplicate"):
        score([gold[0], gold[0]], pred)


# --------------------------------------------------------------------------- loading gold


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold_reads_json_lines_and_skips_blank_lines(tmp_path: Path) -> None:
    a, b = art("a", []), art("b", [claim("talks", agent="Xiaomi", partner="BYD")])
    path = write(tmp_path / "g.jsonl", [json.dumps(a), "", json.dumps(b, ensure_ascii=False)])
    assert load_gold(path) == [a, b]
    assert load_gold(str(path)) == [a, b]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": "b", "text": ', "not valid JSON"),
        ('["b"]', "expected a JSON object"),
        ('{"text": "…"}', 'missing "id"'),
        ('{"id": "a", "text": "…"}', "duplicate id 'a' (first on line 1)"),
        ('{"id": "b"}', 'missing "text"'),
        ('{"id": "b", "text": "…", "published": "24/03/2021"}', "not an ISO 8601 date"),
        ('{"id": "b", "text": "…", "claims": [{"args": {}}]}', 'claim 1 has no "type"'),
        ('{"id": "b", "text": "…", "claims": {}}', '"claims" must be a list'),
    ],
)
def test_load_gold_names_path_and_line_of_a_bad_line(tmp_path: Path, bad: str, message: str) -> None:
    path = write(tmp_path / "g.jsonl", [json.dumps(art("a", [])), "", bad])
    with pytest.raises(GoldFormatError) as e:
        load_gold(path)
    assert str(e.value).startswith(f"{path}:3: ")
    assert message in str(e.value)


def test_load_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="cannot read gold file"):
        load_gold(tmp_path / "absent.jsonl")


# --------------------------------------------------------------------------- evaluate


def gold_line(id: str, outlet: str, text: str, claims: list[J], entities: list[J]) -> str:
    obj = {"id": id, "lang": "fr", "published": "2023-10-20", "outlet": outlet, "title": "", "text": text}
    return json.dumps({**obj, "entities": entities, "claims": claims}, ensure_ascii=False)


def test_evaluate_runs_the_extractor_on_the_gold_articles(tmp_path: Path) -> None:
    rumour = "Selon des informations du Figaro, Renault serait en discussion avec BAIC."
    denial = "Great Wall Motor dément être en discussion avec Xiaomi."
    path = write(
        tmp_path / "gold.jsonl",
        [
            gold_line(
                "fr-1",
                "Les Echos",
                rumour,
                [
                    claim(
                        "talks",
                        source=[
                            {"name": "Les Echos", "kind": "outlet"},
                            {"name": "Le Figaro", "kind": "media"},
                        ],
                        evidence=rumour,
                        agent="Renault",
                        partner="BAIC",
                    ),
                    # a gold claim the text does not support: it must come out as missed
                    claim("listing", certainty="certain", source=[], evidence=rumour, agent="BAIC"),
                ],
                [ent("Renault Group", "ORG", "Renault"), ent("BAIC", "ORG"), ent("Le Figaro", "MEDIA")],
            ),
            gold_line(
                "fr-2",
                "La Tribune",
                denial,
                [
                    claim(
                        "talks",
                        certainty="denied",
                        source=[
                            {"name": "La Tribune", "kind": "outlet"},
                            {"name": "Great Wall Motor", "kind": "party"},
                        ],
                        evidence=denial,
                        agent="Xiaomi",
                        partner="GWM",
                    )
                ],
                [ent("Great Wall Motor", "ORG", "GWM"), ent("Xiaomi", "ORG")],
            ),
        ],
    )
    r = evaluate(path)
    assert r["articles"] == 2
    assert r["errors"]["failed"] == []
    assert (r["claims"]["tp"], r["claims"]["fn"]) == (2, 1)
    assert [(m["id"], m["type"]) for m in r["errors"]["missed"]] == [("fr-1", "listing")]
    assert r["certainty_accuracy"] == 1.0
    assert r["source_accuracy"] == 1.0
    assert r["by_type"]["talks"]["recall"] == 1.0
    assert r["entity_by_type"]["ORG"]["recall"] == 1.0
    assert r["entity_by_type"]["MEDIA"]["recall"] == 1.0
    json.dumps(r)


# --------------------------------------------------------------------------- evaluate, failures (no spaCy)


def _extraction(article: Article) -> ArticleExtraction:
    c = Claim(
        type="talks",
        args=(("agent", "Xiaomi"), ("partner", "BYD")),
        certainty="probable",
        source=(Source("Les Echos", "outlet"),),
        cue="serait",
        evidence=article.text,
        start=0,
        end=len(article.text),
    )
    return ArticleExtraction(
        id=str(article.id), lang="fr", published=None, outlet=None, title="", text=article.text, claims=(c,)
    )


def _two_articles(tmp_path: Path) -> Path:
    talks = [claim("talks", agent="Xiaomi", partner="BYD", evidence="Xiaomi et BYD discutent.")]
    return write(
        tmp_path / "gold.jsonl",
        [
            gold_line("ok", "Les Echos", "Xiaomi serait en discussion avec BYD.", talks, []),
            gold_line("bad", "Les Echos", "Xiaomi serait en discussion avec BYD, encore.", talks, []),
        ],
    )


def test_evaluate_counts_a_failed_article_as_all_missed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_many(
        articles: Iterable[Article], batch_size: int = 16
    ) -> Iterator[ArticleExtraction | Exception]:
        for a in articles:
            yield RuntimeError(f"{a.origin}: boom") if a.id == "bad" else _extraction(a)

    monkeypatch.setattr(extract_run, "extract_many", fake_many)
    path = _two_articles(tmp_path)
    r = evaluate(path)
    assert (r["claims"]["tp"], r["claims"]["fp"], r["claims"]["fn"]) == (1, 0, 1)
    assert r["errors"]["failed"] == [{"id": "bad", "error": f"{path}:2: boom"}]
    assert [m["id"] for m in r["errors"]["missed"]] == ["bad"]


def test_evaluate_goes_on_one_by_one_when_the_batch_breaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_many(
        articles: Iterable[Article], batch_size: int = 16
    ) -> Iterator[ArticleExtraction | Exception]:
        raise RuntimeError("the batch broke")
        yield  # pragma: no cover

    def one_by_one(article: Article) -> ArticleExtraction:
        if article.id == "bad":
            raise ValueError("bad article")
        return _extraction(article)

    monkeypatch.setattr(extract_run, "extract_many", broken_many)
    monkeypatch.setattr(extract_run, "extract_article", one_by_one)
    r = evaluate(_two_articles(tmp_path))
    assert r["claims"]["tp"] == 1
    assert r["errors"]["failed"] == [{"id": "bad", "error": "bad article"}]
