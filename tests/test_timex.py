"""Temporal expressions: hand-written French business-news sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from ondit.extract.timex import Timex, find_timexes, parse_french_number
from ondit.model import PubDate
from ondit.timeml import read_timeml, score_timeml

DAY = PubDate.parse("2021-03-29")  # a Monday
MONTH = PubDate.parse("2021-03")


def one(text: str, dct: PubDate | None = DAY, phrase: str | None = None) -> Timex:
    found = find_timexes(text, dct)
    if phrase is not None:
        found = [t for t in found if t.text == phrase]
    assert len(found) == 1, found
    return found[0]


def values(text: str, dct: PubDate | None = DAY) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_timexes(text, dct)]


def test_today_at_time_is_one_time_with_offsets() -> None:
    text = "Le constructeur tiendra une conférence de presse aujourd'hui à 13h30 à Pékin."
    t = one(text)
    assert t.text == "aujourd'hui à 13h30"
    assert text[t.start : t.end] == t.text
    assert (t.type, t.value, t.precision) == ("TIME", "2021-03-29T13:30", "minute")
    assert not t.approximate


def test_today_needs_a_day_precision_dct() -> None:
    t = one("Le groupe présente aujourd'hui sa nouvelle berline.", MONTH)
    assert t.text == "aujourd'hui"
    assert t.value is None and t.precision is None
    t = one("Le groupe présente aujourd'hui sa nouvelle berline.", None)
    assert t.value is None


def test_month_precision_dct_resolves_month_not_day() -> None:
    assert values("Les ventes ont reculé le mois dernier.", MONTH) == [("le mois dernier", "2021-02")]
    assert values("Le contrat a été signé hier.", MONTH) == [("hier", None)]


def test_no_dct_keeps_words_without_value() -> None:
    found = find_timexes("L'usine ouvrira l'an prochain, au troisième trimestre.", None)
    assert [t.text for t in found] == ["l'an prochain", "troisième trimestre"]
    assert all(t.value is None and t.precision is None for t in found)
    assert found[0].tense == "future"


def test_absolute_years_and_dates() -> None:
    t = one("Le constructeur a été fondé en 2020 à Shanghai.")
    assert (t.text, t.value, t.precision, t.tense) == ("2020", "2020", "year", None)
    t = one("L'accord a été signé le 30 mars 2021 à Paris.", None)
    assert (t.text, t.value, t.precision) == ("le 30 mars 2021", "2021-03-30", "day")
    assert one("Les livraisons débutent le 1er avril.").value == "2021-04-01"
    assert one("Les chiffres de janvier 2021 sont bons.").value == "2021-01"
    assert one("Elle a été créée dans l'année 2020.").text == "l'année 2020"


def test_amounts_are_not_years() -> None:
    text = "Le groupe a vendu 1,1 million de véhicules, emploie 2 000 salariés et 2021 ingénieurs."
    assert find_timexes(text, DAY) == []
    assert find_timexes("Les ventes ont progressé de 13 % sur 1850 sites.", DAY) == []


def test_relative_months_and_weekdays() -> None:
    assert one("En janvier, les ventes ont chuté.").value == "2021-01"
    t = one("Le projet a été lancé en mars dernier.")
    assert (t.text, t.value, t.tense) == ("mars dernier", "2020-03", "past")
    t = one("Il sera dévoilé en mars prochain.")
    assert (t.value, t.tense) == ("2022-03", "future")
    assert one("Le patron l'a confirmé lundi dernier.").value == "2021-03-22"
    assert one("Le conseil se réunira mardi prochain.").value == "2021-03-30"
    assert one("Le titre a bondi vendredi à la Bourse de Hong Kong.").value == "2021-03-26"


def test_day_words_and_parts_of_day() -> None:
    assert values("Hier, Xiaomi a démenti ; demain, il précisera ; avant-hier, il se taisait.") == [
        ("Hier", "2021-03-28"),
        ("demain", "2021-03-30"),
        ("avant-hier", "2021-03-27"),
    ]
    t = one("Le groupe a annoncé ce matin un rachat.")
    assert (t.type, t.value, t.precision) == ("TIME", "2021-03-29TMO", "day")
    assert t.spec_value() == "2021-03-29"
    assert one("L'assemblée est prévue à 9 heures.").value == "2021-03-29T09:00"
    assert one("La cotation reprendra à 13 h 30.").value == "2021-03-29T13:30"


def test_time_anchored_to_the_date_before() -> None:
    found = find_timexes("La réunion aura lieu le jeudi 8 avril, à 14 h 30, au siège.", DAY)
    assert [(t.text, t.value) for t in found] == [
        ("le jeudi 8 avril", "2021-04-08"),
        ("14 h 30", "2021-04-08T14:30"),
    ]


def test_relative_years_months_weeks() -> None:
    assert values("Cette année, le groupe vise 10 % de croissance.") == [("Cette année", "2021")]
    for phrase in ("l'année dernière", "l'an dernier", "l'an passé"):
        t = one(f"Le groupe a doublé ses ventes {phrase}.")
        assert (t.text, t.value, t.precision, t.tense) == (phrase, "2020", "year", "past")
    t = one("La marque arrivera en Europe l'année prochaine.")
    assert (t.value, t.tense) == ("2022", "future")
    assert one("Les résultats de ce mois-ci sont attendus.").value == "2021-03"
    assert one("Le titre a chuté le mois prochain.").value == "2021-04"
    t = one("Les discussions ont avancé cette semaine.")
    assert (t.value, t.precision) == ("2021-W13", "week")
    assert one("Il a été reçu la semaine dernière.").value == "2021-W12"
    assert one("Il sera reçu la semaine prochaine.").value == "2021-W14"


def test_quarters_and_halves() -> None:
    t = one("Le bénéfice a bondi au premier trimestre 2021.")
    assert (t.value, t.precision) == ("2021-Q1", "quarter")
    assert one("La production démarrera au troisième trimestre.").value == "2021-Q3"
    assert one("Les ventes ont reculé au T1.").value == "2021-Q1"
    t = one("Le lancement est prévu au premier semestre 2024.")
    assert (t.value, t.precision) == ("2024-H1", "half")
    assert one("Le lancement est prévu au second semestre.").value == "2021-H2"


def test_approximate_and_future_markers() -> None:
    cases = {
        "La voiture sortira fin 2024.": ("fin 2024", "2024", True, None),
        "Les premières livraisons auront lieu début 2025.": ("début 2025", "2025", True, None),
        "Le site ouvrira mi-2023.": ("mi-2023", "2023", True, None),
        "L'usine tournera aux alentours de 2023.": ("aux alentours de 2023", "2023", True, None),
        "Le groupe vise la neutralité carbone à l'horizon 2030.": (
            "à l'horizon 2030",
            "2030",
            True,
            "future",
        ),
        "Il veut doubler ses ventes d'ici 2025.": ("2025", "2025", False, "future"),
        "Le modèle arrivera courant 2022.": ("courant 2022", "2022", True, None),
        "Les tests débuteront début mars.": ("début mars", "2021-03", True, None),
        "Il sera présenté vers 2025.": ("vers 2025", "2025", True, None),
    }
    for text, (span, value, approx, tense) in cases.items():
        t = one(text)
        assert (t.text, t.value, t.approximate, t.tense) == (span, value, approx, tense), text
        assert t.precision in ("year", "month")


def test_references() -> None:
    t = one("Un accord devrait être annoncé dans les prochains jours.")
    assert (t.text, t.value, t.tense, t.precision) == (
        "les prochains jours",
        "FUTURE_REF",
        "future",
        None,
    )
    t = one("Le groupe a récemment levé des fonds.")
    assert (t.value, t.tense) == ("PAST_REF", "past")
    assert one("Il est actuellement en discussion.").value == "PRESENT_REF"
    assert one("La filiale est désormais cotée.").value == "PRESENT_REF"


def test_durations() -> None:
    assert values("Le partenariat a duré pendant trois ans.") == [("trois ans", "P3Y")]
    assert values("Les négociations durent depuis deux mois.") == [("deux mois", "P2M")]
    assert values("La grève a duré trois jours puis deux heures.") == [
        ("trois jours", "P3D"),
        ("deux heures", "PT2H"),
    ]
    assert values("Un contrat de 10 ans et un délai de dix-huit mois.") == [
        ("10 ans", "P10Y"),
        ("dix-huit mois", "P18M"),
    ]
    t = one("Le chantier prendra environ trois ans.")
    assert (t.text, t.type, t.precision, t.approximate) == (
        "environ trois ans",
        "DURATION",
        None,
        True,
    )
    assert find_timexes("Elon Musk, 50 ans, a confirmé.", DAY) == []


def test_sets() -> None:
    t = one("Le salon se tient chaque année à Genève.")
    assert (t.type, t.value, t.precision) == ("SET", "P1Y", None)
    assert one("Les chiffres sont publiés tous les mois.").value == "P1M"
    t = one("L'usine produira 500 000 véhicules par an.")
    assert (t.type, t.value) == ("SET", "P1Y")


def test_offsets_are_exact() -> None:
    text = "Selon Reuters, l'annonce aura lieu demain, puis fin 2024 et l'an prochain."
    for t in find_timexes(text, DAY):
        assert text[t.start : t.end] == t.text


def test_parse_french_number() -> None:
    assert parse_french_number("dix-huit") == 18
    assert parse_french_number("vingt et un") == 21
    assert parse_french_number("quatre-vingt-dix") == 90
    assert parse_french_number("30,4") == 30.4
    assert parse_french_number("pomme") is None


_TML = """<?xml version="1.0" encoding="UTF-8"?>
<TimeML>
<DOCID>test-1</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2021-03-29"/></DCT>
<TEXT>
Le constructeur a <EVENT eid="e1">confirmé</EVENT> <TIMEX3 tid="t1" type="DATE" \
value="2021-03-28">hier</TIMEX3> son arrivée <TIMEX3 tid="t2" type="DATE" value="2023">en \
2023</TIMEX3>. Les discussions durent depuis <TIMEX3 tid="t3" type="DURATION" \
value="P2M">deux mois</TIMEX3> et reprendront <TIMEX3 tid="t4" type="DATE" \
value="2021-04-05">le 5 avril</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_score_timeml_on_a_small_file(tmp_path: Path) -> None:
    (tmp_path / "a.tml").write_text(_TML, encoding="utf-8")
    doc = read_timeml(tmp_path / "a.tml")
    assert doc.dct == "2021-03-29"
    assert [doc.text[g.start : g.end] for g in doc.timexes] == [
        "hier",
        "en 2023",
        "deux mois",
        "le 5 avril",
    ]
    r = score_timeml(tmp_path)
    assert r["system"] == "ondit" and r["articles"] == 1
    # "2023" overlaps "en 2023" (relaxed, not strict); the rest is exact
    assert r["strict_f1"] == 75.0
    assert r["relaxed_f1"] == 100.0
    assert r["value_f1"] == 100.0
    assert r["type_f1"] == 100.0
    assert r["by_type"]["DURATION"]["relaxed"]["f1"] == 100.0
    assert r["articles_per_second"] > 0


def test_score_timeml_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        score_timeml(tmp_path / "nowhere")


def test_the_same_day_is_the_day_just_named() -> None:
    found = values(
        "Le groupe a inauguré le 23 mars son usine de Douai. Le même jour, la Région a signé un accord."
    )
    assert found == [("le 23 mars", "2021-03-23"), ("Le même jour", "2021-03-23")]
    t = one("Le même jour, la Région a signé un accord avec le groupe.")
    assert t.value is None and t.text == "Le même jour"
