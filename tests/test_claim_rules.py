"""Claim rules that read past the parser: appositions, stakes, surface subjects, references back,
reactions and restatements. Sentences written for these tests in the style of French business news."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from ondit.model import ArticleExtraction
from tests.conftest import claims_of, entity_types

Run = Callable[..., ArticleExtraction]


def args_of(result: ArticleExtraction, type: str) -> list[dict[str, object]]:
    return [c["args"] for c in claims_of(result, type)]


def test_subsidiary_in_apposition_is_owned_by_the_group_named_after_it(run: Run) -> None:
    r = run("Alpine, filiale du français Renault, présentera un nouveau modèle à Dieppe.")
    assert {"owner": "Renault Group", "owned": "Alpine"} in args_of(r, "ownership")


def test_fronted_owner_noun_with_a_list_gives_one_claim_per_brand(run: Run) -> None:
    r = run("Propriétaire des marques Peugeot, Fiat et Jeep, Stellantis prépare un plan d'économies.")
    owned = sorted(str(a["owned"]) for a in args_of(r, "ownership") if a["owner"] == "Stellantis")
    assert owned == ["Fiat", "Jeep", "Peugeot"]


def test_possessive_subsidiary_is_owned_by_the_previous_subject(run: Run) -> None:
    r = run("Renault a présenté ses résultats annuels. Sa filiale Dacia reste la plus rentable du groupe.")
    assert args_of(r, "ownership") == [{"owner": "Renault Group", "owned": "Dacia"}]


def test_names_listed_after_an_ownership_verb(run: Run) -> None:
    r = run("Le groupe LVMH, qui possède déjà Dior, Celine et Fendi, a fait état d'une croissance ralentie.")
    assert sorted(str(a["owned"]) for a in args_of(r, "ownership")) == ["Celine", "Dior", "Fendi"]


def test_a_stake_taken_is_an_acquisition_priced_in_money_not_percent(run: Run) -> None:
    r = run("Safran avait pris 15 % de Dassault Aviation en 2021 pour 2 milliards d'euros.")
    acq = claims_of(r, "acquisition")
    assert [c["args"] for c in acq] == [{"agent": "Safran", "target": "Dassault Aviation"}]
    assert acq[0]["quantity"]["unit"] == "EUR" and acq[0]["quantity"]["value"] == 2e9


def test_subject_found_on_the_surface_when_the_parse_loses_it(run: Run) -> None:
    r = run("Orange dément en revanche vouloir racheter Bouygues Telecom.")
    acq = claims_of(r, "acquisition")
    assert [c["args"] for c in acq] == [{"agent": "Orange", "target": "Bouygues Telecom"}]
    assert acq[0]["certainty"] == "denied"


def test_talks_restated_by_the_same_source_are_one_entry_completed_by_the_restatement(run: Run) -> None:
    r = run(
        "Renault serait en discussions avec Geely, selon Reuters. "
        "Les discussions porteraient sur les moteurs thermiques, selon la même source."
    )
    talks = claims_of(r, "talks")
    assert len(talks) == 1
    assert talks[0]["args"]["topic"] == "les moteurs thermiques"
    assert {talks[0]["args"]["agent"], talks[0]["args"]["partner"]} == {"Renault Group", "Geely Holding"}


def test_withholding_a_detail_is_not_a_reaction_to_the_claim(run: Run) -> None:
    r = run(
        "Renault aurait signé un accord avec Geely, selon Reuters. "
        "Geely n'a pas souhaité commenter le montant de l'accord."
    )
    assert all(c["certainty"] != "uncommitted" for c in claims_of(r))


def test_a_no_comment_on_named_talks_reacts_to_the_talks_only(run: Run) -> None:
    r = run(
        "Selon Reuters, Renault et Geely discuteraient d'une alliance dans les moteurs. "
        "Contactés, Renault et Geely n'ont pas souhaité commenter ces discussions."
    )
    reacting = [c for c in claims_of(r) if c["certainty"] == "uncommitted"]
    assert reacting and {c["type"] for c in reacting} == {"talks"}
    assert all(c["time"] is None for c in reacting)


def test_supply_is_manufacturing_for_the_client(run: Run) -> None:
    r = run("Valeo fournira des caméras à Stellantis à partir de 2026, a annoncé l'équipementier.")
    assert args_of(r, "manufacturing") == [
        {"agent": "Valeo", "client": "Stellantis", "product": "des caméras"}
    ]


def test_work_entrusted_to_a_subsidiary_is_made_by_it(run: Run) -> None:
    r = run("Airbus a confié la fabrication des ailes à sa filiale Stelia, qui les assemblera à Méaulte.")
    made = args_of(r, "manufacturing")
    assert made and made[0]["agent"] == "Stelia" and made[0]["client"] == "Airbus"


def test_appointment_read_after_the_verb(run: Run) -> None:
    r = run("Kering a nommé lundi, avec effet immédiat, Claire Martin directrice financière du groupe.")
    assert args_of(r, "appointment") == [
        {"person": "Claire Martin", "org": "Kering", "role": "directrice financière"}
    ]


def test_workforce_is_a_financial_figure_in_employees(run: Run) -> None:
    r = run("Michelin emploie environ 132 000 personnes dans le monde.")
    fin = claims_of(r, "financials")
    assert [c["args"] for c in fin] == [{"agent": "Michelin", "metric": "personnes"}]
    assert fin[0]["quantity"]["unit"] == "employees" and fin[0]["quantity"]["value"] == 132000


def test_a_raise_without_named_investors_belongs_to_the_raiser(run: Run) -> None:
    r = run("Mistral AI a levé 600 millions d'euros en juin, a indiqué la start-up.")
    assert args_of(r, "investment") == [{"agent": "Mistral AI"}]


def test_relative_after_a_preposition_names_the_target(run: Run) -> None:
    r = run("Northvolt, dans lequel Volkswagen a investi 900 millions d'euros, traverse une crise.")
    assert args_of(r, "investment") == [{"agent": "Volkswagen", "target": "Northvolt"}]


def test_main_clause_of_a_condition_is_a_hypothesis(run: Run) -> None:
    r = run(
        "Si le rachat avait abouti, il aurait été la plus importante acquisition de Sanofi depuis dix ans."
    )
    assert claims_of(r, "acquisition") == []


def test_extraction_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Stellantis et Leapmotor ont signé un accord de coentreprise pour vendre des voitures "
        "électriques en Europe, a annoncé le groupe. Renault, qui possède Dacia, discute avec Geely.",
        encoding="utf-8",
    )
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ondit",
                "extract",
                str(article),
                "--published",
                "2024-03-12",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outs.append(done.stdout)
    assert json.loads(outs[0])["claims"], outs[0]
    assert outs[0] == outs[1]


def test_a_single_order_is_a_sale_of_the_maker_counted_in_orders(run: Run) -> None:
    r = run("Air France a signé jeudi une commande ferme de 40 Airbus A350, a annoncé l'avionneur.")
    sales = claims_of(r, "sales")
    assert [c["args"]["agent"] for c in sales] == ["Airbus"]
    assert sales[0]["quantity"]["value"] == 40 and sales[0]["quantity"]["unit"] == "orders"


def test_money_put_into_a_new_plant_is_an_investment_and_a_facility(run: Run) -> None:
    r = run("Michelin investira 200 millions d'euros dans une usine de pneus à Clermont-Ferrand.")
    assert [c["args"]["agent"] for c in claims_of(r, "investment")] == ["Michelin"]
    fac = claims_of(r, "facility")
    assert [c["args"]["agent"] for c in fac] == ["Michelin"]
    assert "usine" in fac[0]["args"]["facility"]


def test_results_publication_to_come_is_an_announcement_dated_by_its_day(run: Run) -> None:
    r = run("Renault présentera ses ventes du premier trimestre le 18 avril.", published="2024-03-12")
    ann = claims_of(r, "announcement")
    assert [c["args"]["agent"] for c in ann] == ["Renault Group"]
    assert ann[0]["time"]["value"] == "2024-04-18"


def test_a_subsidiary_named_by_its_parent_and_country(run: Run) -> None:
    r = run(
        "Orange Belgium a résilié son accord avec Telenet. "
        "La filiale belge du groupe Orange a racheté en mars l'opérateur VOO pour 1,4 milliard d'euros."
    )
    assert {"agent": "Orange Belgium", "target": "VOO"} in args_of(r, "acquisition")


def test_a_model_named_after_a_launch_verb_is_the_product(run: Run) -> None:
    r = run("Samsung dévoilera son nouveau Galaxy S25 le 22 janvier.")
    assert args_of(r, "product_launch") == [{"agent": "Samsung Electronics", "product": "Galaxy S25"}]
    r = run("Dacia, la marque low cost de Renault, lancera le Bigster en 2025.")
    assert {"agent": "Dacia", "product": "Bigster"} in args_of(r, "product_launch")


def test_plants_put_into_service_and_production_units_are_facilities(run: Run) -> None:
    r = run("Tesla a mis en service sa gigafactory de Grünheide en mars 2022, a rappelé le constructeur.")
    fac = claims_of(r, "facility")
    assert [c["args"]["agent"] for c in fac] == ["Tesla"] and fac[0]["time"]["value"] == "2022-03"
    r = run("Le groupe chimique Arkema construira une nouvelle unité de production à Singapour d'ici 2026.")
    assert [c["args"].get("place") for c in claims_of(r, "facility")] == ["Singapour"]


def test_joining_forces_with_a_partner_named_after_a(run: Run) -> None:
    r = run("Ford va s'associer à Volkswagen pour développer des utilitaires électriques.")
    assert [(c["args"]["agent"], c["args"]["partner"]) for c in claims_of(r, "partnership")] == [
        ("Ford", "Volkswagen")
    ]


def test_a_cue_split_by_its_agent_s_name_still_names_both_parties(run: Run) -> None:
    r = run("L'entrée de Tencent au capital de Mistral AI paraît désormais peu probable, selon Bloomberg.")
    inv = claims_of(r, "investment")
    assert [c["args"] for c in inv] == [{"agent": "Tencent", "target": "Mistral AI"}]
    assert inv[0]["certainty"] == "doubtful"


def test_people_counted_as_sources_are_not_a_workforce(run: Run) -> None:
    r = run(
        "Engie et TotalEnergies négocient en vue de créer une co-entreprise, "
        "ont déclaré à Reuters deux personnes au fait du dossier."
    )
    assert claims_of(r, "financials") == []
    assert claims_of(r, "talks") or claims_of(r, "partnership")


def test_the_partner_is_not_also_the_object_of_the_partnership(run: Run) -> None:
    r = run("Stellantis s'appuierait sur Leapmotor pour produire des voitures électriques, selon Reuters.")
    for a in args_of(r, "partnership"):
        assert a.get("object") != "Leapmotor"
    assert {"agent": "Stellantis", "partner": "Leapmotor"} in [
        {k: v for k, v in a.items() if k in {"agent", "partner"}} for a in args_of(r, "partnership")
    ]


def test_an_unknown_name_after_a_sector_company_noun_is_a_company(run: Run) -> None:
    r = run("Le groupe pharmaceutique Sanofi s'est emparé de la biotech Calyxa l'an dernier.")
    assert args_of(r, "acquisition") == [{"agent": "Sanofi", "target": "Calyxa"}]


def _by_certainty(r: ArticleExtraction, type: str) -> dict[str, list[str]]:
    return {c["certainty"]: [s["name"] for s in c["source"]] for c in claims_of(r, type)}


def test_a_spokesperson_quoted_declining_to_comment_makes_the_company_uncommitted(run: Run) -> None:
    r = run(
        "Atos serait en discussion avec Capgemini, affirme Bloomberg. "
        "« Nous ne commentons pas les rumeurs de marché », a indiqué un porte-parole de Capgemini."
    )
    by_cert = _by_certainty(r, "talks")
    assert by_cert["probable"][-1] == "Bloomberg"
    assert by_cert["uncommitted"][-1] == "Capgemini"


def test_the_outlet_s_own_information_is_probable(run: Run) -> None:
    r = run("Orange et Bouygues Telecom discutent d'un rapprochement, selon nos informations.")
    talks = claims_of(r, "talks")
    assert [c["certainty"] for c in talks] == ["probable"]
    assert len(talks[0]["source"]) == 1  # the outlet's voice


def test_what_a_media_learnt_from_sources_is_a_chain_of_three(run: Run) -> None:
    r = run(
        "Stellantis pourrait confier à Leapmotor la production de citadines en Pologne, "
        "a appris Reuters auprès de trois sources."
    )
    man = claims_of(r, "manufacturing")
    assert [s["name"] for s in man[0]["source"]][1:] == ["Reuters", "trois sources"]


def test_an_inverted_media_name_ends_the_report_whatever_its_tag(run: Run) -> None:
    r = run(
        "Carrefour serait en discussion avec Auchan, affirme Bloomberg. "
        "Le distributeur n'a ni confirmé ni démenti."
    )
    by_cert = _by_certainty(r, "talks")
    assert by_cert["probable"][-1] == "Bloomberg"
    assert by_cert["uncommitted"][-1] == "Carrefour"


def test_a_launch_past_an_incise_and_the_product_taken_up_by_its_noun(run: Run) -> None:
    r = run(
        "Honor a officialisé lundi soir à Madrid, en marge d'un salon, son Magic V9. "
        "Le smartphone sera commercialisé en France à partir de jeudi, a précisé la marque."
    )
    launches = claims_of(r, "product_launch")
    assert {(c["args"]["agent"], c["args"]["product"]) for c in launches} == {("Honor", "Magic V9")}
    assert any(c["source"][-1]["name"] == "Honor" for c in launches)


def test_making_official_a_deal_is_not_a_launch(run: Run) -> None:
    r = run("Capgemini a officialisé lundi le rachat de WNS pour 3,3 milliards de dollars.")
    assert claims_of(r, "product_launch") == []
    assert args_of(r, "acquisition") == [{"agent": "Capgemini", "target": "WNS"}]


def test_model_codes_after_a_product_noun_are_products(run: Run) -> None:
    r = run("Leapmotor commercialisera la citadine T03 et le SUV B10 en Europe dès le mois prochain.")
    types = entity_types(r)
    assert types.get("T03") == "PRODUCT" and types.get("B10") == "PRODUCT"


def test_a_sale_to_a_named_buyer_is_the_buyer_s_acquisition(run: Run) -> None:
    r = run(
        "Selon Bloomberg, Kering étudierait la cession de sa division beauté, Kering Beauté, à "
        "l'américain Coty, pour environ 3 milliards d'euros. "
        "Sanofi est entré en négociations exclusives avec le fonds américain CD&R pour lui céder 50 % "
        "d'Opella, sa filiale de santé grand public."
    )
    assert {"agent": "Coty", "target": "Kering Beauté"} in args_of(r, "acquisition")
    assert {"agent": "CD&R", "target": "Opella"} in args_of(r, "acquisition")


def test_a_stake_named_before_its_company(run: Run) -> None:
    r = run(
        "Chancerelle a signé mercredi un accord pour reprendre 70 % du capital de la biscuiterie "
        "bretonne Galettes Mariette."
    )
    assert {"agent": "Chancerelle", "target": "Galettes Mariette"} in args_of(r, "acquisition")


def test_selling_a_stake_is_not_an_investment(run: Run) -> None:
    r = run("Renault a finalisé la cession de sa participation dans Nissan.")
    assert claims_of(r, "investment") == []


def test_partners_listed_with_their_nationalities_each_get_a_claim(run: Run) -> None:
    r = run(
        "BYD a entamé des discussions avec le gouvernement espagnol comme avec le gouvernement allemand, "
        "affirme l'agence Reuters. "
        "Ampere discuterait avec le sud-coréen LG Energy Solution et le chinois CATL d'une coentreprise."
    )
    partners = {(a["agent"], a["partner"]) for a in args_of(r, "talks")}
    assert {
        ("BYD", "gouvernement espagnol"),
        ("BYD", "gouvernement allemand"),
        ("Ampere", "LG Energy Solution"),
        ("Ampere", "CATL"),
    } <= partners


def test_a_joint_venture_s_name_is_the_partnership_s_object(run: Run) -> None:
    r = run(
        "Pour financer le chantier, Mistral AI s'associe au fonds émirati MGX et à Bpifrance au sein "
        "d'une coentreprise baptisée Mistral Compute."
    )
    assert {(a["partner"], a.get("object")) for a in args_of(r, "partnership")} == {
        ("MGX", "Mistral Compute"),
        ("Bpifrance", "Mistral Compute"),
    }
    assert claims_of(r, "investment") == []  # financing with no amount named is a purpose, not a deal


def test_entrusting_the_making_of_parts_names_maker_and_client(run: Run) -> None:
    r = run(
        "Airbus a confié à Figeac Aéro la fabrication de pièces de structure en titane, a annoncé lundi "
        "le sous-traitant. "
        "Selon nos informations, Manitou a par ailleurs confié à l'équipementier nantais Lacroix la "
        "fabrication des cartes électroniques de ses futures machines."
    )
    made = claims_of(r, "manufacturing")
    assert {(c["args"]["agent"], c["args"]["client"]) for c in made} >= {
        ("Figeac Aéro", "Airbus"),
        ("Lacroix", "Manitou"),
    }
    lacroix = next(c for c in made if c["args"]["agent"] == "Lacroix")
    assert len(lacroix["source"]) == 1  # entrusting is an act, not Manitou speaking
    assert entity_types(r)["Figeac Aéro"] == "ORG"


def test_an_appointment_by_a_board_belongs_to_the_company_just_named(run: Run) -> None:
    r = run(
        "Deezer a gagné des abonnés au troisième trimestre. La plateforme a aussi nommé la semaine "
        "dernière Anne-Sophie Riou au poste de directrice financière."
    )
    assert args_of(r, "appointment") == [
        {"person": "Anne-Sophie Riou", "org": "Deezer", "role": "directrice financière"}
    ]


def test_presenting_a_new_plan_is_not_a_product_launch(run: Run) -> None:
    r = run("TIM présentera de son côté un nouveau plan stratégique en février.")
    assert claims_of(r, "product_launch") == []


def test_things_that_look_like_claims_but_are_orders_offers_or_posts(run: Run) -> None:
    r = run(
        "Alstom a signé lundi avec la Deutsche Bahn un contrat de 2,4 milliards d'euros "
        "portant sur 90 trains. "
        "OVHcloud avait résilié le protocole d'accord conclu avec Google Cloud pour proposer une offre de "
        "cloud de confiance. "
        "Deezer a fait son entrée à la Bourse de Paris en juillet 2022. "
        "Ethan Zhang, qui dirige la marque Honor en Europe, a présenté le modèle. "
        "L'américain Accenture pourrait présenter une contre-offre, affirme Bloomberg."
    )
    got = {c["type"] for c in claims_of(r)}
    assert not got & {"product_launch", "appointment", "market_entry"}
    assert all(a.get("object") != "un contrat" for a in args_of(r, "partnership"))
    assert not any(a["target"] == "confiance" for a in args_of(r, "acquisition"))


def test_acquisition_targets_in_a_relative_after_a_time_or_behind_a_description(run: Run) -> None:
    r = run(
        "Le marché reste dominé par TIM et par Vodafone Italia, que Swisscom a accepté de racheter pour "
        "8 milliards d'euros. "
        "Tata Electronics a racheté en 2023 l'usine indienne de Wistron pour environ 125 millions "
        "de dollars. "
        "Schwarz Digits est entrée en négociations exclusives pour racheter la start-up d'intelligence "
        "artificielle Aleph Alpha, ont déclaré à Reuters deux sources."
    )
    got = args_of(r, "acquisition")
    assert {"agent": "Swisscom", "target": "Vodafone Italia"} in got
    assert {"agent": "Tata Electronics", "target": "l'usine indienne de Wistron"} in got
    assert {"agent": "Schwarz Digits", "target": "Aleph Alpha"} in got
