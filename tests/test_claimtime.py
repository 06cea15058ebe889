"""Which time dates a claim: `pick_time` on hand-written French business-news sentences."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ondit.extract.claimtime import pick_time
from ondit.model import PubDate, TimeRef


def parse(nlp: Language, text: str, published: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.ondit_published = PubDate.parse(published)
    return nlp(doc)


def time_of(nlp: Language, text: str, trigger: str, published: str = "2024-11-21") -> TimeRef | None:
    """The time `pick_time` gives the claim whose trigger is the first token spelled `trigger`."""
    doc = parse(nlp, text, published)
    tok = next(t for t in doc if t.text == trigger)
    return pick_time(tok, tok.sent, doc._.ondit_timexes, doc._.ondit_published)


def test_modal_with_passive_infinitive_dates_the_subject_noun(nlp: Language) -> None:
    t = time_of(
        nlp,
        "Les deux constructeurs se sont rencontrés à Munich, et un accord pourrait être signé d'ici juin.",
        "accord",
        published="2024-03-11",
    )
    assert t is not None
    assert (t.value, t.precision, t.role) == ("2024-06", "month", "expected")


def test_a_participial_clause_keeps_its_own_date(nlp: Language) -> None:
    t = time_of(
        nlp,
        "Créée en 2015 par trois ingénieurs, la start-up a levé 200 millions d'euros auprès de Bpifrance.",
        "levé",
    )
    assert t is None


def test_a_coordinated_clause_keeps_its_own_date(nlp: Language) -> None:
    text = (
        "Le groupe ne commercialisera pas sa berline en Europe, mais son petit SUV arrivera en mars, "
        "a indiqué un porte-parole."
    )
    assert time_of(nlp, text, "commercialisera") is None
    t = time_of(nlp, text, "arrivera")
    assert t is not None and (t.value, t.role) == ("2025-03", "expected")


def test_a_bare_month_follows_the_tense_of_the_verb(nlp: Language) -> None:
    t = time_of(nlp, "Le constructeur lancera en février une version hybride de sa citadine.", "lancera")
    assert t is not None and (t.value, t.role) == ("2025-02", "expected")
    t = time_of(nlp, "Le constructeur a lancé en décembre une version hybride de sa citadine.", "lancé")
    assert t is not None and (t.value, t.role) == ("2023-12", "occurred")
    t = time_of(nlp, "Le constructeur a lancé en mars une version hybride de sa citadine.", "lancé")
    assert t is not None and (t.value, t.role) == ("2024-03", "occurred")


def test_the_next_sentence_dates_the_start_of_production(nlp: Language) -> None:
    text = (
        "Le groupe construira à Douai une usine de batteries, a précisé sa directrice. "
        "La production doit débuter dans deux ans, selon elle."
    )
    t = time_of(nlp, text, "construira")
    assert t is not None and (t.value, t.precision, t.role) == ("2026", "year", "expected")


def test_the_next_sentence_dates_the_closing_of_a_deal_not_the_talks(nlp: Language) -> None:
    text = (
        "Le groupe est entré en négociations exclusives pour racheter le portefeuille solaire "
        "d'un concurrent. La finalisation de l'opération est attendue au deuxième trimestre, "
        "précise le groupe."
    )
    t = time_of(nlp, text, "racheter", published="2024-04-11")
    assert t is not None and (t.value, t.precision, t.role) == ("2024-Q2", "quarter", "expected")
    assert time_of(nlp, text, "négociations", published="2024-04-11") is None


def test_a_hedged_next_sentence_is_a_report_of_its_own(nlp: Language) -> None:
    text = (
        "La société prépare une introduction en Bourse à Paris, révèle un quotidien. "
        "L'opération pourrait intervenir dès le deuxième trimestre."
    )
    assert time_of(nlp, text, "introduction", published="2025-02-11") is None


def test_the_start_of_production_does_not_date_the_money_put_in(nlp: Language) -> None:
    text = (
        "Le constructeur va investir 50 millions d'euros dans son usine de Sochaux. "
        "La production débutera en janvier, a-t-il précisé."
    )
    assert time_of(nlp, text, "investir") is None


def test_y_refers_to_the_upcoming_event_of_the_previous_sentence(nlp: Language) -> None:
    text = (
        "Le salon de l'automobile se tiendra le jeudi 5 décembre à 10 heures.\n\n"
        "Le constructeur devrait y présenter sa nouvelle berline électrique."
    )
    t = time_of(nlp, text, "présenter")
    assert t is not None and (t.value, t.precision, t.role) == ("2024-12-05", "day", "expected")
    text = (
        "Le salon de l'automobile se tiendra le jeudi 5 décembre à 10 heures.\n\n"
        "Le constructeur devrait y présenter sa berline électrique et un nouveau SUV hybride."
    )
    t = time_of(nlp, text, "SUV")  # a product named in a list, as a claim about it is triggered
    assert t is not None and (t.value, t.precision) == ("2024-12-05", "day")
    text = "Le groupe inaugurera le 5 décembre son usine de Douai. Il y investira 100 millions d'euros."
    assert time_of(nlp, text, "investira") is None


def test_a_time_between_the_verb_and_its_object_dates_the_object(nlp: Language) -> None:
    text = (
        "Valeo et Bosch ont signé lundi un accord de coopération portant sur les capteurs de "
        "conduite assistée pour les voitures vendues en Europe, a annoncé Valeo dans un communiqué."
    )
    t = time_of(nlp, text, "accord", published="2024-05-14")
    assert t is not None and (t.value, t.precision, t.role) == ("2024-05-13", "day", "occurred")
    t = time_of(
        nlp, "Le groupe a annoncé lundi le rachat de son concurrent.", "rachat", published="2024-05-14"
    )
    assert t is None


def test_a_hedged_next_sentence_from_the_same_sources_continues_the_report(nlp: Language) -> None:
    text = (
        "L'opérateur étudie une introduction en Bourse de sa filiale espagnole, révèle un quotidien. "
        "L'opération pourrait avoir lieu à Madrid dès l'an prochain, selon les mêmes sources."
    )
    t = time_of(nlp, text, "introduction", published="2023-09")
    assert t is not None and (t.value, t.precision, t.role) == ("2024", "year", "expected")


def test_the_output_starting_two_sentences_later_dates_the_plant(nlp: Language) -> None:
    text = (
        "Le fabricant va construire une deuxième usine de cellules près de Lyon, a annoncé son président. "
        "L'investissement atteindra 900 millions d'euros, selon lui. "
        "Les cellules sortiront des lignes à partir de 2027, a-t-il précisé."
    )
    t = time_of(nlp, text, "construire", published="2024-06-20")
    assert t is not None and (t.value, t.precision, t.role) == ("2027", "year", "expected")


def test_a_day_and_its_clock_time_are_one_time(nlp: Language) -> None:
    text = "Le salon de l'automobile se tiendra le jeudi 5 décembre à 10 heures, porte de Versailles."
    t = time_of(nlp, text, "salon")
    assert t is not None and (t.value, t.precision) == ("2024-12-05T10:00", "minute")


def test_a_coordinated_clause_of_a_noun_trigger_keeps_its_own_date(nlp: Language) -> None:
    text = (
        "L'investissement atteindra 800 millions d'euros et permettra de créer 600 emplois d'ici "
        "2028, selon le dirigeant."
    )
    assert time_of(nlp, text, "investissement") is None


def test_a_time_in_the_plan_dates_the_trigger_it_holds(nlp: Language) -> None:
    text = (
        "Le constructeur a présenté l'an dernier un plan d'investissement de 2 milliards d'euros "
        "dans l'hydrogène d'ici 2030."
    )
    t = time_of(nlp, text, "investissement")
    assert t is not None and (t.value, t.role) == ("2030", "expected")


def test_a_relative_clause_that_aims_dates_the_trigger(nlp: Language) -> None:
    text = (
        "Le groupe a confirmé jeudi préparer l'introduction en Bourse de sa filiale espagnole, "
        "qu'il vise pour le second semestre 2025 à la Bourse de Madrid."
    )
    t = time_of(nlp, text, "introduction")
    assert t is not None and (t.value, t.precision, t.role) == ("2025-H2", "half", "expected")


def test_entrusting_is_not_speech(nlp: Language) -> None:
    text = "Selon un cabinet, Nvidia pourrait confier 20 % de sa production à Samsung d'ici 2026."
    t = time_of(nlp, text, "production", published="2024-06-20")
    assert t is not None and (t.value, t.role) == ("2026", "expected")


def test_a_coordinated_clause_does_not_lend_its_date_to_a_denial(nlp: Language) -> None:
    text = (
        "Carrefour a racheté l'an dernier une trentaine de magasins dans la région, et Auchan a "
        "démenti mardi tout projet de reprise des supérettes de la ville, évoqué par des élus."
    )
    assert time_of(nlp, text, "reprise", published="2024-03-07") is None
    t = time_of(nlp, text, "racheté", published="2024-03-07")
    assert t is not None and (t.value, t.role) == ("2023", "occurred")


def test_deadlines_are_approximate_and_since_has_occurred(nlp: Language) -> None:
    t = time_of(
        nlp, "Le groupe construira d'ici 2027 une nouvelle usine de batteries à Dunkerque.", "construira"
    )
    assert t is not None and (t.value, t.approximate, t.role) == ("2027", True, "expected")
    t = time_of(
        nlp, "Le groupe construira une usine de batteries dans deux ans, selon son patron.", "construira"
    )
    assert t is not None and (t.value, t.approximate) == ("2026", True)
    t = time_of(
        nlp,
        "Selon le journal, les deux groupes discuteraient depuis le début de l'année d'une alliance.",
        "discuteraient",
    )
    assert t is not None and (t.value, t.approximate, t.role) == ("2024", True, "occurred")


def test_a_next_sentence_about_something_else_does_not_date_the_claim(nlp: Language) -> None:
    text = (
        "Le groupe construira une usine de batteries près de Lille. "
        "L'ouverture de la ligne de métro voisine est prévue en 2026."
    )
    assert time_of(nlp, text, "construira") is None


def test_since_a_month_is_the_last_such_month(nlp: Language) -> None:
    tr = time_of(
        nlp, "Thales et Safran discutent depuis novembre d'une coentreprise.", "discutent", "2025-01-15"
    )
    assert tr is not None and tr.value == "2024-11" and tr.role == "occurred"


def test_a_planned_month_is_the_next_such_month(nlp: Language) -> None:
    tr = time_of(
        nlp,
        "Mediawan a annoncé jeudi renoncer à son introduction en Bourse, prévue début juillet.",
        "introduction",
        "2024-06-27",
    )
    assert tr is not None and tr.value == "2024-07"


def test_making_a_partnership_official_on_a_day_dates_it(nlp: Language) -> None:
    tr = time_of(
        nlp, "Mistral AI a officialisé lundi un partenariat avec Nvidia.", "partenariat", "2025-09-16"
    )
    assert tr is not None and tr.value == "2025-09-15"


def test_a_day_without_its_year_follows_the_verb_or_its_start_word(nlp: Language) -> None:
    tr = time_of(
        nlp, "Ageas tiendra sa journée investisseurs le 12 juin à Bruxelles.", "tiendra", "2024-11-05"
    )
    assert tr is not None and tr.value == "2025-06-12"
    tr = time_of(
        nlp,
        "Airbus a annoncé la nomination de Nadia Kessler au poste de directrice financière, "
        "à compter du 1er avril.",
        "nomination",
        "2025-01-08",
    )
    assert tr is not None and tr.value == "2025-04-01"
