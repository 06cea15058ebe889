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


def test_description_with_a_home_city_refers_to_the_company_based_there(run: Run) -> None:
    r = run(
        "BYD et Xiaomi ont publié leurs résultats annuels. "
        "La firme de Shenzhen a vendu 3 millions de voitures l'an dernier. "
        "L'entreprise pékinoise a de son côté annoncé une nouvelle usine."
    )
    byd = next(e for e in r.entities if e.name == "BYD")
    xiaomi = next(e for e in r.entities if e.name == "Xiaomi")
    assert "La firme" in [m.text for m in byd.mentions]
    assert "L'entreprise pékinoise" in [m.text for m in xiaomi.mentions]


def test_a_city_with_no_company_named_there_resolves_nothing(run: Run) -> None:
    r = run("Renault a ouvert un bureau en Chine. Le groupe de Chongqing prépare une berline.")
    renault = next(e for e in r.entities if e.name == "Renault Group")
    assert [m.text for m in renault.mentions] == ["Renault"]


def test_a_stated_parent_picks_the_subsidiary(run: Run) -> None:
    r = run(
        "Samsung Biologics a signé un contrat avec Novartis. Novartis n'a pas souhaité commenter. "
        "L'entreprise, filiale de Samsung C&T, construira une nouvelle usine."
    )
    bio = next(e for e in r.entities if e.name == "Samsung Biologics")
    assert "L'entreprise" in [m.text for m in bio.mentions]


def test_exchanges_regions_ministries_and_governments_are_organisations(run: Run) -> None:
    r = run(
        "Le groupe prépare son introduction à la Bourse de Varsovie. "
        "La Région Auvergne-Rhône-Alpes apportera une aide de 10 millions d'euros, "
        "tandis que le ministère allemand des Finances et le gouvernement suédois restent prudents."
    )
    found = names(r)
    for name in (
        "Bourse de Varsovie",
        "Région Auvergne-Rhône-Alpes",
        "ministère allemand des Finances",
        "gouvernement suédois",
    ):
        assert found.get(name) == "ORG", (name, found)


def test_an_institution_is_not_the_antecedent_of_a_company_description(run: Run) -> None:
    r = run(
        "Volvo Cars a annoncé un plan d'économies. "
        "Le gouvernement suédois a exclu de prendre une participation dans le constructeur."
    )
    volvo = next(e for e in r.entities if e.name == "Volvo Cars")
    assert "le constructeur" in [m.text for m in volvo.mentions]


def test_model_names_built_on_a_known_product_or_maker(run: Run) -> None:
    r = run(
        "Sony lancera la PlayStation 6 en 2028. Apple présentera l'iPhone 17 Air en septembre. "
        "Xiaomi ne vendra pas le Redmi Note 13 Pro+ en France. AirAsia a commandé 20 Airbus A321XLR."
    )
    found = names(r)
    for name in ("PlayStation 6", "iPhone 17 Air", "Redmi Note 13 Pro+", "Airbus A321XLR"):
        assert found.get(name) == "PRODUCT", (name, found)
    xlr = next(e for e in r.entities if e.name == "Airbus A321XLR")
    assert "A321XLR" in xlr.aliases


def test_a_newspaper_named_after_a_contracted_article(run: Run) -> None:
    r = run("Le rachat coûterait 400 millions de dollars, selon des informations du Monde.")
    assert names(r).get("Le Monde") == "MEDIA"


def test_a_brand_inside_a_person_name_is_not_the_brand(run: Run) -> None:
    r = run("M6 a nommé Céline Ravel à la tête de sa régie publicitaire.")
    found = names(r)
    assert found.get("Céline Ravel") == "PER"
    assert "Celine" not in found


def test_a_name_presented_as_a_brand_is_a_brand(run: Run) -> None:
    r = run(
        "Selon le fabricant, OnePlus, la marque sœur d'Oppo, a vendu 10 millions de téléphones. "
        "Kering a cédé la marque de luxe Balenciaga à un fonds."
    )
    found = names(r)
    assert found.get("OnePlus") == "BRAND", found
    assert found.get("Balenciaga") == "BRAND", found


def test_a_title_after_the_name_makes_a_person(run: Run) -> None:
    r = run("« Le marché va ralentir », estime Wu Li, fondateur du cabinet Sino Auto Insights.")
    assert names(r).get("Wu Li") == "PER"


def test_events_and_laws_are_not_entities(run: Run) -> None:
    r = run(
        "AMD a présenté ses processeurs lors du salon Computex à Taipei. "
        "Nintendo présentera un Nintendo Direct mardi. Le texte du Biosecure Act vise les sous-traitants."
    )
    found = names(r)
    assert "Nintendo" in found
    for absent in ("Computex", "Nintendo Direct", "Biosecure Act"):
        assert absent not in found, found


def test_a_name_glued_to_the_full_stop(run: Run) -> None:
    r = run("Huawei a vendu 1,2 million de téléphones, selon le cabinet GfK. Le groupe reste prudent.")
    found = names(r)
    assert found.get("GfK") == "ORG", found
    assert not any(n.startswith("GfK.") for n in found)


def test_a_description_chains_through_a_resolved_subject(run: Run) -> None:
    r = run(
        "Samsung Biologics a signé un contrat avec Novartis. Novartis n'a pas commenté.\n\n"
        "L'entreprise, filiale de Samsung C&T, construira une usine. "
        "Introduit en Bourse en 2016, le groupe emploie 5 000 personnes."
    )
    bio = next(e for e in r.entities if e.name == "Samsung Biologics")
    assert "le groupe" in [m.text for m in bio.mentions]


def test_a_national_market_is_a_sector_when_a_claim_uses_it(run: Run) -> None:
    r = run("Selon Reuters, Geely Auto va se lancer sur le marché français l'an prochain.")
    assert names(r).get("marché français") == "SECTOR"


def test_two_known_names_run_together_make_a_joint_venture_name(run: Run) -> None:
    r = run(
        "Les deux groupes fondent une coentreprise baptisée Renault Geely Powertrain Solutions. "
        "Renault et Geely en détiendront chacun la moitié."
    )
    found = names(r)
    assert found.get("Renault Geely Powertrain Solutions") == "ORG", found
    assert {"Renault Group", "Geely Holding"} <= set(found)


def test_aircraft_model_after_an_elided_article(run: Run) -> None:
    r = run("Airbus inaugurera mardi sa nouvelle chaîne d'assemblage de l'A321 à Mobile.")
    a321 = next(e for e in r.entities if e.name == "Airbus A321")
    assert a321.type == "PRODUCT" and "A321" in [m.text for m in a321.mentions]


def test_a_family_is_not_a_person(run: Run) -> None:
    r = run(
        "Le laboratoire est contrôlé par la famille Mérieux "
        "par l'intermédiaire de la holding Institut Mérieux."
    )
    assert not any(t == "PER" for t in names(r).values()), names(r)


def test_agency_credit_lines_name_no_one(run: Run) -> None:
    r = run(
        "BYD et Nissan discutent d'une coentreprise, ont déclaré à Reuters trois sources.\n"
        "(Rédigé par Paul Girard et Li Wei, version française Jean Morel, édité par Anne Roux)"
    )
    names = {e["name"] for e in r.to_json()["entities"]}
    assert not names & {"Paul Girard", "Li Wei", "Jean Morel", "Anne Roux"}


def test_media_nouns_and_bracketed_acronyms(run: Run) -> None:
    r = run(
        "Toyota Motor Manufacturing France (TMMF) recrutera 350 personnes, selon le site Rivage Tech. "
        "TMMF emploie déjà 5 000 salariés."
    )
    ents = {e["name"]: e for e in r.to_json()["entities"]}
    assert ents["Rivage Tech"]["type"] == "MEDIA"
    assert "TMMF" not in ents and "TMMF" in ents["Toyota Motor Manufacturing France"]["aliases"]
