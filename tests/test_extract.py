"""Per-stage behaviour of the French extractor, on sentences written for these tests."""

from __future__ import annotations

import json
from collections.abc import Callable

import spacy

from ondit.model import ArticleExtraction
from tests.conftest import claims_of

Run = Callable[..., ArticleExtraction]


def only(result: ArticleExtraction, type: str) -> dict:  # type: ignore[type-arg]
    found = claims_of(result, type)
    assert len(found) == 1, [c["args"] for c in claims_of(result)]
    return found[0]


def innermost(claim: dict) -> dict:  # type: ignore[type-arg]
    return claim["source"][-1]


def test_hedged_talks_with_media_source_and_list_of_partners(run: Run) -> None:
    r = run("Selon des informations du Figaro, Renault serait en discussion avec BAIC, Changan et GAC.")
    talks = claims_of(r, "talks")
    assert {c["args"]["partner"] for c in talks} == {
        "BAIC Group",
        "Changan Automobile",
        "GAC Group",
    }
    for c in talks:
        assert c["args"]["agent"] == "Renault Group"
        assert c["certainty"] == "probable"
        assert [s["name"] for s in c["source"]] == ["Les Echos", "Le Figaro"]
        assert innermost(c)["kind"] == "media"


def test_denial_by_a_party(run: Run) -> None:
    c = only(run("Great Wall Motor dément être en discussion avec Xiaomi."), "talks")
    assert c["certainty"] == "denied"
    assert "dément" in c["cue"]
    assert innermost(c) == {"name": "Great Wall Motor", "kind": "party"}


def test_called_off(run: Run) -> None:
    c = only(run("Stellantis met fin aux discussions avec Foxconn."), "talks")
    assert c["certainty"] == "denied"
    assert c["called_off"] is True


def test_no_comment_is_uncommitted(run: Run) -> None:
    r = run("Contacté, Volkswagen n'a pas souhaité commenter ses discussions avec Xpeng.")
    c = only(r, "talks")
    assert c["certainty"] == "uncommitted"
    assert innermost(c)["name"] == "Volkswagen"


def test_negation_scope_stops_at_the_next_clause(run: Run) -> None:
    r = run("Orange n'a pas racheté Bouygues Telecom, mais SFR a signé un accord avec Free.")
    assert only(r, "acquisition")["certainty"] == "denied"
    assert only(r, "partnership")["certainty"] == "certain"


def test_question_is_possible(run: Run) -> None:
    assert only(run("Xiaomi va-t-il racheter Nio ?"), "acquisition")["certainty"] == "possible"


def test_incise_source_and_expected_time(run: Run) -> None:
    c = only(
        run("Renault pourrait s'allier avec Nissan d'ici 2025, affirme le Wall Street Journal."),
        "partnership",
    )
    assert c["certainty"] == "possible"
    assert innermost(c)["name"] == "Wall Street Journal"
    assert c["time"]["value"] == "2025" and c["time"]["role"] == "expected"


def test_manufacturing_direction(run: Run) -> None:
    c = only(run("Baidu fera produire ses voitures dans une usine de Stellantis."), "manufacturing")
    assert c["args"]["agent"] == "Stellantis"
    assert c["args"]["client"] == "Baidu"


def test_financials_with_quantity_and_quarter(run: Run) -> None:
    c = only(
        run("Tesla a réalisé un chiffre d'affaires de 25 milliards de dollars au troisième trimestre 2023."),
        "financials",
    )
    assert c["args"]["metric"] == "chiffre d'affaires"
    assert c["quantity"]["value"] == 25_000_000_000 and c["quantity"]["unit"] == "USD"
    assert c["quantity"]["period"] == "2023-Q3"


def test_appointment_passive(run: Run) -> None:
    c = only(run("Luca de Meo a été nommé directeur général de Renault."), "appointment")
    assert c["args"]["person"] == "Luca de Meo"
    assert c["args"]["org"] == "Renault Group"


def test_party_communique_is_certain(run: Run) -> None:
    c = only(
        run("Selon un communiqué d'Airbus, Airbus a acquis Spirit AeroSystems pour 4 milliards de dollars."),
        "acquisition",
    )
    assert c["certainty"] == "certain"
    assert innermost(c) == {"name": "Airbus", "kind": "party"}
    assert c["quantity"]["unit"] == "USD"


def test_doubtful(run: Run) -> None:
    assert (
        only(run("Il est peu probable que Apple rachète Disney."), "acquisition")["certainty"] == "doubtful"
    )


def test_relative_time_resolves_against_publication_date(run: Run) -> None:
    c = only(
        run("Xiaomi entend faire son entrée en Bourse à Hong Kong au premier semestre 2024."),
        "listing",
    )
    assert c["time"]["value"] == "2024-H1" and c["time"]["precision"] == "half"
    r = run("Baidu annonçait en janvier avoir signé un accord avec Geely.", published="2021-03-29")
    t = only(r, "partnership")["time"]
    assert (t["value"], t["precision"], t["role"]) == ("2021-01", "month", "occurred")


def test_relative_time_needs_a_precise_enough_date(run: Run) -> None:
    r = run("Renault tiendra une conférence de presse aujourd'hui à 10h30.", published="2021-03")
    c = only(r, "announcement")
    assert c["time"]["value"] is None
    assert "aujourd'hui" in c["time"]["text"]
    r = run("Renault tiendra une conférence de presse aujourd'hui à 10h30.", published="2021-03-29")
    assert only(r, "announcement")["time"]["value"] == "2021-03-29T10:30"


def test_furniture_lines_give_no_claims(run: Run) -> None:
    text = (
        "Publié le 12/03/2023 à 08h15\n"
        "À lire aussi : Renault serait en discussion avec Geely\n"
        "Photo : Stellantis a racheté Foxconn, selon nos archives\n"
        "Le constructeur Kia a présenté sa nouvelle berline."
    )
    r = run(text)
    assert claims_of(r, "talks") == [] and claims_of(r, "acquisition") == []


def test_title_without_full_stop_is_its_own_sentence(run: Run) -> None:
    r = run("Renault a vendu 2,1 millions de véhicules en 2022.", title="Un record pour Renault")
    c = only(r, "sales")
    assert c["evidence"] == "Renault a vendu 2,1 millions de véhicules en 2022."
    assert c["quantity"] == {
        "value": 2_100_000,
        "unit": "vehicles",
        "period": "2022",
        **{k: c["quantity"][k] for k in ("text", "start", "end")},
    }


def test_evidence_offsets_point_into_the_text(run: Run) -> None:
    text = "Un peu de contexte d'abord. Xiaomi serait en discussion avec Great Wall Motor."
    c = only(run(text), "talks")
    assert text[c["start"] : c["end"]] == c["evidence"]


def test_output_is_json_and_deterministic(run: Run) -> None:
    text = "D'après Reuters, Xiaomi serait en discussion avec Great Wall Motor."
    a = json.dumps(run(text).to_json(), sort_keys=True)
    b = json.dumps(run(text).to_json(), sort_keys=True)
    assert a == b
    assert set(json.loads(a)) >= {
        "id",
        "lang",
        "published",
        "outlet",
        "title",
        "text",
        "entities",
        "claims",
    }


def test_entities_are_filtered_and_typed(run: Run) -> None:
    r = run(
        "Spécialisé dans les SUV, le constructeur chinois Great Wall Motor Co. "
        "regroupe les marques Haval et WEY. "
        "Selon l'analyste Jean Dumont de LMC Automotive, Great Wall vise l'Europe."
    )
    by_name = {e.name: e for e in r.entities}
    assert by_name["Great Wall Motor"].type == "ORG"
    assert len(by_name["Great Wall Motor"].mentions) == 2
    assert by_name["Haval"].type == "BRAND"
    assert by_name["Jean Dumont"].type == "PER" and by_name["Jean Dumont"].of == "LMC Automotive"
    assert not any(
        e.text in {"SUV", "Spécialisé"} for ent in r.entities if ent.type == "ORG" for e in ent.mentions
    )


def test_components_are_registered_spacy_factories() -> None:
    nlp = spacy.blank("fr")
    import ondit.nlp.components  # noqa: F401

    for name in ("ondit_sentences", "ondit_entities", "ondit_times", "ondit_claims"):
        assert name in spacy.registry.factories.get_all() or nlp.has_factory(name)


def test_descriptions_that_refer_back_are_mentions_of_the_entity(run: Run) -> None:
    r = run(
        "Great Wall Motor a ouvert une usine en Thaïlande. "
        "Le constructeur aurait écoulé 1,1 million de véhicules en 2020."
    )
    gwm = next(e for e in r.entities if e.name == "Great Wall Motor")
    assert [m.text for m in gwm.mentions] == ["Great Wall Motor", "Le constructeur"]
    sales = only(r, "sales")
    assert sales["args"]["agent"] == "Great Wall Motor"
    assert sales["certainty"] == "probable"


def test_claim_over_two_sentences_with_a_nationality_description(run: Run) -> None:
    r = run(
        "Renault a confirmé des discussions avec Geely. "
        "La firme chinoise viserait une prise de participation dans Renault."
    )
    acq = only(r, "acquisition")
    assert acq["args"] == {"agent": "Geely Holding", "target": "Renault Group"}
    assert acq["certainty"] == "probable"


def test_dateline_names_the_agency(run: Run) -> None:
    r = run("PARIS, 22 janvier (Reuters) - Saft a proposé de racheter le fabricant de batteries Verkor.")
    c = only(r, "acquisition")
    assert c["args"] == {"agent": "Saft", "target": "Verkor"}
    assert [s["name"] for s in c["source"]] == ["Les Echos", "Reuters"]


def test_relative_clause_is_not_under_the_main_verb(run: Run) -> None:
    r = run("Renault, qui détient une participation dans Verkor, a démenti toute négociation avec Saft.")
    own = only(r, "ownership")
    assert own["certainty"] == "certain"
    assert own["args"] == {"owner": "Renault Group", "owned": "Verkor"}


def test_a_failing_article_does_not_cost_its_batch(nlp: spacy.language.Language) -> None:
    """Fault injection through spaCy's own API: a component that fails on one article of a batch."""
    from spacy.language import Language as SpacyLanguage

    from ondit.errors import ExtractionError
    from ondit.extract.run import extract_many
    from ondit.model import Article

    name = "ondit_test_fail_on_marker"
    if name not in SpacyLanguage.factories:

        @SpacyLanguage.component(name)
        def fail_on_marker(doc: spacy.tokens.Doc) -> spacy.tokens.Doc:
            if "XYZZY" in doc.text:
                raise RuntimeError("injected failure")
            return doc

    nlp.add_pipe(name, before="ondit_claims")
    try:
        texts = [
            "Renault serait en discussion avec Geely pour une coentreprise.",
            "XYZZY Stellantis a racheté une usine de Valeo en Espagne l'an dernier.",
            "Xiaomi a conclu un accord de partenariat avec Leica pour ses smartphones.",
        ]
        results = list(extract_many([Article(text=t, id=f"a{i}") for i, t in enumerate(texts)]))
    finally:
        nlp.remove_pipe(name)
    assert [type(r).__name__ for r in results] == [
        "ArticleExtraction",
        "ExtractionError",
        "ArticleExtraction",
    ]
    assert isinstance(results[1], ExtractionError) and "a1" in str(results[1])
    assert results[0].claims and results[2].claims  # type: ignore[union-attr]
