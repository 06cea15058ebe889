"""Who says so: source chains on sentences written for these tests (SPEC "Sources")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ondit.model import ArticleExtraction
from tests.conftest import claims_of, entity_types

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


def test_the_journal_named_before_goes_on_speaking(run: Run) -> None:
    r = run(
        "Airbus serait en discussions avec Safran pour une alliance dans les moteurs, rapporte le "
        "quotidien Handelsblatt. Selon le journal, les deux groupes pourraient signer un accord de "
        "partenariat d'ici juin."
    )
    c = only(r, "partnership")
    assert names(c)[-1] == "Handelsblatt"
    assert c["source"][-1]["kind"] == "media"


def test_the_same_sources_and_the_media_they_spoke_to(run: Run) -> None:
    r = run(
        "Orange discuterait avec Iliad d'un rapprochement, ont déclaré à l'AFP deux sources proches "
        "du dossier. Orange serait aussi en discussions avec Bouygues Telecom, selon les mêmes sources."
    )
    talks = claims_of(r, "talks")
    assert len(talks) == 2
    for c in talks:
        assert names(c) == ["Les Echos", "AFP", "deux sources proches du dossier"]
        assert c["source"][-1]["kind"] == "anonymous"


def test_one_of_these_sources_keeps_its_words(run: Run) -> None:
    r = run(
        "Orange discuterait avec Iliad d'un rapprochement, ont déclaré à l'AFP deux personnes au fait du "
        "dossier. Orange pourrait aussi racheter SFR, a précisé l'une de ces sources."
    )
    c = only(r, "acquisition")
    assert c["source"][-1] == {"name": "l'une de ces sources", "kind": "anonymous"}
    assert c["certainty"] == "possible"


def test_company_described_in_a_communique_speaks_for_itself(run: Run) -> None:
    r = run(
        "Michelin est entré en négociations exclusives avec Continental pour lui racheter son usine de "
        "pneus agricoles, selon un communiqué du groupe publié jeudi."
    )
    c = only(r, "talks")
    assert c["source"][-1] == {"name": "Michelin", "kind": "party"}
    assert c["certainty"] == "certain"


def test_an_unnamed_spokesperson_speaks_for_the_party(run: Run) -> None:
    r = run("Michelin ouvrira une nouvelle usine au Mexique d'ici 2027, a rappelé le porte-parole.")
    c = only(r, "facility")
    assert c["source"][-1] == {"name": "Michelin", "kind": "party"}


def test_a_participle_describing_the_subject_is_the_outlets_background(run: Run) -> None:
    r = run("Alpine, contrôlé par Renault, prépare son introduction en Bourse à Paris, révèle Bloomberg.")
    owner = only(r, "ownership")
    assert names(owner) == ["Les Echos"]
    assert owner["certainty"] == "certain"
    listing = only(r, "listing")
    assert names(listing) == ["Les Echos", "Bloomberg"]
    assert listing["certainty"] == "probable"


def test_a_title_then_the_persons_name_after_the_comma(run: Run) -> None:
    r = run(
        "Carrefour ouvrira l'an prochain à Mérignac un entrepôt de 40 000 mètres carrés, a annoncé hier "
        "le maire de la commune, Alain Anziani, à l'issue du conseil municipal."
    )
    found = claims_of(r, "facility")
    assert found
    for c in found:
        assert c["source"][-1]["name"] == "Alain Anziani"
        assert c["source"][-1]["kind"] == "official"


def test_a_coordinated_clause_with_its_own_speaker_is_no_incise(run: Run) -> None:
    r = run(
        "Auchan a racheté l'an dernier une trentaine de magasins Casino dans la région, et Leclerc a "
        "démenti mardi tout projet de reprise des magasins Cora."
    )
    bought = [c for c in claims_of(r, "acquisition") if c["args"]["agent"] == "Auchan"]
    assert len(bought) == 1
    assert names(bought[0]) == ["Les Echos"]
    assert bought[0]["certainty"] == "certain"
    # Leclerc's own denial is a claim of its own, in Leclerc's voice
    assert all(
        c["certainty"] == "denied" for c in claims_of(r, "acquisition") if c["args"]["agent"] != "Auchan"
    )


def test_figures_of_the_described_company(run: Run) -> None:
    r = run(
        "Peugeot a immatriculé 12 000 voitures en Belgique l'an dernier, selon les chiffres de la marque."
    )
    c = only(r, "sales")
    assert c["source"][-1] == {"name": "Peugeot", "kind": "party"}


def test_an_inverted_pronoun_continues_the_earlier_speaker(run: Run) -> None:
    r = run(
        "Christel Heydemann, la directrice générale d'Orange, a annoncé lundi que le groupe allait réduire "
        "ses coûts. Orange investira 2 milliards d'euros dans la fibre en Espagne, a-t-elle ajouté."
    )
    c = only(r, "investment")
    assert names(c)[-1] == "Christel Heydemann"
    assert c["certainty"] == "certain"


def test_the_communique_named_before_keeps_its_author(run: Run) -> None:
    r = run(
        "Michelin et Continental ont conclu lundi un partenariat dans les pneus recyclés, a annoncé Michelin "
        "dans un communiqué. Continental ouvrira une usine commune en Espagne en 2026, précise le texte."
    )
    c = only(r, "facility")
    assert c["args"]["agent"] == "Continental"
    assert names(c)[-1] == "Michelin"


def test_an_impersonal_il_is_no_earlier_speaker(run: Run) -> None:
    r = run(
        "Renault a présenté jeudi ses résultats annuels, a annoncé son directeur financier, Thierry Piéton. "
        "Il a été précisé que Renault ouvrira une usine au Maroc en 2026."
    )
    c = only(r, "facility")
    assert names(c) == ["Les Echos"]


def test_an_incise_after_a_modal_clause_still_speaks(run: Run) -> None:
    r = run(
        "Safran envisagerait de racheter Latecoere, rapporte le quotidien Le Figaro. Le groupe pourrait "
        "aussi s'allier avec Thales, ajoute le journal."
    )
    c = only(r, "partnership")
    assert names(c) == ["Les Echos", "Le Figaro"]


def test_this_source_goes_on(run: Run) -> None:
    r = run(
        "Safran serait en discussions avec Thales, selon un proche du dossier. Un accord pourrait être "
        "signé avec Thales d'ici l'été, a ajouté cette source."
    )
    c = only(r, "partnership")
    assert c["source"][-1] == {"name": "un proche du dossier", "kind": "anonymous"}


def test_a_spokesperson_speaking_to_an_agency(run: Run) -> None:
    r = run("Safran ouvrira une usine au Maroc en 2026, a précisé à l'AFP un porte-parole du groupe.")
    c = only(r, "facility")
    assert names(c) == ["Les Echos", "AFP", "Safran"]
    assert c["certainty"] == "certain"


def test_a_source_cited_by_a_selon_media(run: Run) -> None:
    r = run(
        "Safran serait en discussions avec Thales, d'après l'agence Bloomberg, citant des personnes au "
        "fait du dossier."
    )
    c = only(r, "talks")
    assert names(c) == ["Les Echos", "Bloomberg", "des personnes au fait du dossier"]


def test_a_speech_verb_the_tagger_did_not_lemmatise(run: Run) -> None:
    r = run("Safran pourrait racheter Latecoere d'ici l'été, estime Jean Dupont, analyste chez Oddo BHF.")
    c = only(r, "acquisition")
    assert names(c)[-1] == "Jean Dupont"


def test_a_media_named_after_an_incise_verb_speaks_even_when_the_parse_gives_the_verb_a_subject(
    run: Run,
) -> None:
    r = run(
        "Ampere, la filiale du groupe consacrée aux véhicules électriques, discuterait avec le sud-coréen "
        "LG Energy Solution et le chinois CATL d'une coentreprise destinée à produire des cellules dans le "
        "nord de la France, révèlent Les Echos, qui citent plusieurs sources proches du dossier.",
        outlet="Journal de l'Automobile",
    )
    chains = {tuple(s["name"] for s in c["source"]) for c in claims_of(r, "talks")}
    assert chains == {("Journal de l'Automobile", "Les Echos", "plusieurs sources proches du dossier")}


def test_a_company_publishing_its_own_figures_speaks_for_itself(run: Run) -> None:
    r = run("Leonardo a publié mardi un chiffre d'affaires de 4,1 milliards d'euros au troisième trimestre.")
    fin = claims_of(r, "financials")
    assert [c["source"][-1]["name"] for c in fin] == ["Leonardo"]


def test_a_slipped_remark_is_speech(run: Run) -> None:
    r = run(
        "Safran et Thales discutent, selon La Lettre. "
        "Un accord pourrait être signé d'ici juin, glisse un conseiller ministériel."
    )
    assert any(c["source"][-1]["name"] == "un conseiller ministériel" for c in r.to_json()["claims"])


def test_a_source_introduced_by_selon_that_cites_its_own_sources(run: Run) -> None:
    r = run(
        "Selon The Information, qui cite trois personnes impliquées dans la chaîne d'approvisionnement, "
        "Apple aurait confié à Tata Electronics l'assemblage d'une partie des iPhone."
    )
    chains = {tuple(s["name"] for s in c["source"]) for c in claims_of(r, "manufacturing")}
    assert chains == {
        ("Les Echos", "The Information", "trois personnes impliquées dans la chaîne d'approvisionnement")
    }


def test_a_name_after_d_apres_is_a_source_not_a_place(run: Run) -> None:
    r = run(
        "Amazon a abandonné son projet d'entrepôt à Fournès, faute d'accord avec la mairie, "
        "d'après La République du Centre."
    )
    types = entity_types(r)
    assert types.get("République du Centre") == "MEDIA"
