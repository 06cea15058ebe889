"""Near-duplicates: syndicated copies of an article are found, other articles on the same story are not.

The articles are our own French business-news texts. The copies apply the edits that syndication makes
(agency byline, new title, "(Avec Reuters)", a typo, a moved paragraph, other line breaks, a photo
caption); the distinct articles are about the same companies and events, reworded, or a follow-up that
reuses one sentence. NEAR_DUPLICATE_BITS must separate the two groups with a margin.
"""

from __future__ import annotations

import random
import re
import sqlite3

import pytest

from ondit.resolve.dedup import (
    NEAR_DUPLICATE_BITS,
    NearDuplicateIndex,
    fold_words,
    hamming,
    simhash,
    to_signed,
    to_unsigned,
)

PINNED = 0x4400_1109_8C44_8012  # simhash("Xiaomi livre ses premières voitures électriques")

# --- the originals ------------------------------------------------------------------------------------

RENAULT_TITLE = "Renault et Geely s'allient pour produire des moteurs hybrides en Espagne"
RENAULT_PARAS = [
    "Le constructeur français Renault et le groupe chinois Geely ont signé jeudi un accord pour créer une "
    "coentreprise consacrée aux moteurs thermiques et hybrides. La nouvelle société, détenue à parts égales, "
    "regroupera dix-sept usines et cinq centres de recherche répartis sur trois continents.",
    "Selon un porte-parole de Renault, l'usine de Valladolid, en Espagne, fabriquera dès 2025 les premiers "
    "moteurs hybrides destinés aux modèles Dacia et Renault. Le site emploiera environ mille deux cents "
    "salariés, dont une partie sera transférée depuis les ateliers de Séville.",
    "Les deux partenaires visent un chiffre d'affaires annuel de quinze milliards d'euros et une production "
    "de cinq millions de moteurs par an. Le saoudien Aramco pourrait entrer au capital à hauteur de vingt "
    "pour cent, a indiqué Luca de Meo lors d'une conférence téléphonique avec les analystes.",
]

XIAOMI_TITLE = "Xiaomi livre ses premières voitures électriques à Pékin"
XIAOMI_PARAS = [
    "Le fabricant chinois de smartphones Xiaomi a remis mercredi les clés de ses premières berlines "
    "électriques SU7 à des clients de Pékin, moins de trois ans après avoir annoncé son entrée dans "
    "l'automobile. L'entreprise affirme avoir reçu plus de soixante-dix mille commandes fermes.",
    "Le modèle, assemblé dans une usine construite par le groupe public BAIC au sud de la capitale, est "
    "vendu à partir de deux cent quinze mille yuans, soit environ vingt-sept mille euros, un prix inférieur "
    "à celui de la Model 3 de Tesla sur le marché chinois.",
    "Lei Jun, le fondateur de Xiaomi, a prévenu que la marque perdrait de l'argent sur chaque voiture "
    "pendant plusieurs années. Les analystes de Bernstein estiment que le groupe devra livrer au moins "
    "trois cent mille véhicules par an pour atteindre l'équilibre.",
]

STELLANTIS_TITLE = "Stellantis prend vingt et un pour cent de Leapmotor"
STELLANTIS_PARAS = [
    "Stellantis a annoncé jeudi l'acquisition d'environ vingt et un pour cent du constructeur chinois "
    "Leapmotor pour un milliard et demi d'euros. Le groupe franco-italien, qui possède Peugeot, Fiat et "
    "Jeep, obtient aussi deux sièges au conseil d'administration de la jeune marque de Hangzhou.",
    "Les deux entreprises créent une filiale commune, Leapmotor International, détenue à cinquante et un "
    "pour cent par Stellantis, qui aura les droits exclusifs d'exportation et de fabrication des modèles "
    "Leapmotor hors de Chine. Les premières ventes en Europe sont attendues au second semestre 2024.",
    "Carlos Tavares, le directeur général de Stellantis, a défendu un investissement « opportuniste » "
    "face à l'offensive des marques chinoises. Fondé en 2015, Leapmotor a vendu cent quarante-quatre mille "
    "voitures l'an dernier mais reste déficitaire, selon ses comptes publiés à Hong Kong.",
]


def article(title: str, paras: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paras) + "\n"


ORIGINALS = {
    "renault": article(RENAULT_TITLE, RENAULT_PARAS),
    "xiaomi": article(XIAOMI_TITLE, XIAOMI_PARAS),
    "stellantis": article(STELLANTIS_TITLE, STELLANTIS_PARAS),
}

# --- syndicated copies: each must be found as a near-duplicate of its original ------------------------


def copies(title: str, paras: list[str], typo: tuple[str, str], caption: str) -> dict[str, str]:
    text = article(title, paras)
    p0, p1, p2 = paras
    return {
        "par AFP": "Par AFP\n\n" + text,
        "changed title": article("Moteurs : " + title.lower() + ", une alliance inédite", paras),
        "avec Reuters": text.rstrip("\n") + " (Avec Reuters)\n",
        "typo": text.replace(*typo),
        "paragraph moved": article(title, [p2, p0, p1]),
        "whitespace": "  "
        + text.replace("\n\n", "\n").replace(". ", ".  ").replace(", ", " ,\u00a0")
        + "\n\n",
        "photo caption": article(title, [p0, caption, p1, p2]),
        "all at once": "Par AFP\n"
        + article("Exclusif : " + title, [p1, caption, p0, p2]).replace(*typo).rstrip()
        + " (Avec Reuters)",
    }


COPIES = {
    "renault": copies(
        RENAULT_TITLE,
        RENAULT_PARAS,
        ("coentreprise", "coentrepise"),
        "Photo : l'usine Renault de Valladolid, le 3 mars 2023 (AFP)",
    ),
    "xiaomi": copies(
        XIAOMI_TITLE,
        XIAOMI_PARAS,
        ("berlines", "berlins"),
        "Lei Jun présente la SU7 à Pékin. Photo Reuters",
    ),
    "stellantis": copies(
        STELLANTIS_TITLE,
        STELLANTIS_PARAS,
        ("conseil d'administration", "conseil d'adminstration"),
        "Sur la photo, une Leapmotor C11 au salon de Munich en septembre. Crédit : Bloomberg",
    ),
}

# --- different articles on the same story: none may be taken for a copy --------------------------------

DISTINCT = {
    "renault": {
        "reworded": "Geely et Renault mettent en commun leurs moteurs\n\n"
        "Renault a conclu avec Geely, propriétaire de Volvo, un partenariat qui donnera naissance à une "
        "société commune chargée de concevoir et de fabriquer des groupes motopropulseurs thermiques et "
        "hybrides. Chacun des deux constructeurs en détiendra la moitié.\n\n"
        "L'ensemble comptera dix-sept sites industriels. En Espagne, les ateliers de Valladolid devraient "
        "produire les premiers blocs hybrides dès 2025 pour les véhicules des marques Renault et Dacia, "
        "avec quelque mille deux cents employés.\n\n"
        "Le directeur général du groupe au losange, Luca de Meo, a expliqué aux analystes que le pétrolier "
        "Aramco envisageait de prendre vingt pour cent de l'entreprise, qui espère réaliser quinze "
        "milliards d'euros de ventes chaque année.\n",
        "follow-up reusing a sentence": "Aramco entre au capital de la coentreprise de Renault et Geely\n\n"
        "Le géant pétrolier saoudien Aramco a confirmé lundi qu'il prendrait vingt pour cent de la société "
        "commune créée par Renault et Geely, pour un montant qui n'a pas été dévoilé. L'opération doit "
        "encore recevoir le feu vert des autorités de la concurrence européennes et chinoises.\n\n"
        "Le constructeur français Renault et le groupe chinois Geely ont signé jeudi un accord pour créer "
        "une coentreprise consacrée aux moteurs thermiques et hybrides. Aramco apportera son expertise dans "
        "les carburants de synthèse et l'hydrogène, selon un communiqué publié par les trois groupes.\n\n"
        "Les syndicats de l'usine espagnole de Valladolid réclament des garanties sur l'emploi avant la "
        "finalisation de l'accord, prévue au second semestre.\n",
    },
    "xiaomi": {
        "reworded": "Les premières SU7 de Xiaomi sont sur les routes\n\n"
        "Trois ans à peine après s'être lancé dans l'automobile, Xiaomi, connu pour ses téléphones, a "
        "commencé mercredi à livrer sa berline électrique SU7 à Pékin. Le groupe revendique plus de "
        "soixante-dix mille réservations confirmées.\n\n"
        "La voiture sort d'une usine bâtie par BAIC, constructeur public, dans le sud de la ville. Son "
        "prix d'entrée, deux cent quinze mille yuans, la place sous la Model 3 de Tesla en Chine.\n\n"
        "Son fondateur Lei Jun reconnaît que chaque véhicule vendu sera déficitaire pendant plusieurs "
        "années ; selon Bernstein, il faudra trois cent mille livraisons annuelles pour être rentable.\n",
        "follow-up reusing a sentence": "Xiaomi relève ses objectifs de livraisons pour la SU7\n\n"
        "Xiaomi vise désormais cent vingt mille livraisons de sa berline SU7 cette année, contre cent mille "
        "annoncées en mars, a indiqué le groupe lors de la présentation de ses résultats trimestriels. "
        "L'usine de Pékin passera en double équipe dès le mois prochain.\n\n"
        "Le modèle, assemblé dans une usine construite par le groupe public BAIC au sud de la capitale, est "
        "vendu à partir de deux cent quinze mille yuans, soit environ vingt-sept mille euros, un prix "
        "inférieur à celui de la Model 3 de Tesla sur le marché chinois.\n\n"
        "Le titre Xiaomi a gagné six pour cent à la Bourse de Hong Kong après l'annonce. Un SUV électrique "
        "doit rejoindre la gamme l'an prochain.\n",
    },
    "stellantis": {
        "reworded": "Stellantis investit 1,5 milliard d'euros dans Leapmotor\n\n"
        "Le propriétaire de Peugeot, Fiat et Jeep va débourser un milliard et demi d'euros pour s'offrir "
        "près de 21 % de Leapmotor, un jeune constructeur chinois basé à Hangzhou, et deux postes "
        "d'administrateur.\n\n"
        "Une coentreprise baptisée Leapmotor International, contrôlée à 51 % par Stellantis, vendra et "
        "produira les voitures Leapmotor en dehors du marché chinois, à commencer par l'Europe à partir "
        "du second semestre 2024.\n\n"
        "Pour Carlos Tavares, l'opération est une réponse « opportuniste » à la poussée des concurrents "
        "chinois. Leapmotor, créé en 2015, a écoulé 144 000 véhicules l'an dernier et perd toujours de "
        "l'argent.\n",
        "follow-up reusing a sentence": "Leapmotor ouvre ses premières concessions en France\n\n"
        "Les premières Leapmotor T03 et C10 sont arrivées vendredi dans une vingtaine de concessions "
        "Stellantis en France, à des prix inférieurs à dix-neuf mille euros pour la citadine électrique. "
        "Le réseau doit compter deux cents points de vente en Europe d'ici la fin de l'année.\n\n"
        "Les deux entreprises créent une filiale commune, Leapmotor International, détenue à cinquante et "
        "un pour cent par Stellantis, qui aura les droits exclusifs d'exportation et de fabrication des "
        "modèles Leapmotor hors de Chine. La T03 est pour l'instant importée de Chine, mais son assemblage "
        "doit commencer en Pologne, dans l'usine de Tychy.\n\n"
        "Les droits de douane européens sur les voitures électriques chinoises pourraient toutefois "
        "renchérir les modèles importés.\n",
    },
}


MARGIN = 3  # bits between NEAR_DUPLICATE_BITS and the nearest measured distance on either side


def fp(text: str) -> int:
    return simhash(text)


def copy_distances() -> dict[str, int]:
    """Every copy against its original and against the other copies of the same article."""
    out: dict[str, int] = {}
    for story, variants in COPIES.items():
        texts = {"original": ORIGINALS[story], **variants}
        names = list(texts)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                out[f"{story}: {a} / {b}"] = hamming(fp(texts[a]), fp(texts[b]))
    return out


def distinct_distances() -> dict[str, int]:
    """Every distinct article against the original and every copy of its story, and the stories apart."""
    out: dict[str, int] = {}
    for story, variants in DISTINCT.items():
        texts = {"original": ORIGINALS[story], **COPIES[story]}
        for name, text in variants.items():
            for other, other_text in texts.items():
                out[f"{story}: {name} / {other}"] = hamming(fp(text), fp(other_text))
    stories = list(ORIGINALS)
    for i, a in enumerate(stories):
        for b in stories[i + 1 :]:
            out[f"{a} / {b}"] = hamming(fp(ORIGINALS[a]), fp(ORIGINALS[b]))
    return out


def typo_distances() -> dict[str, int]:
    """One typo (two inner letters swapped) at each distinct word of six letters or more."""
    out: dict[str, int] = {}
    for story, text in ORIGINALS.items():
        for word in sorted(set(re.findall(r"\w{6,}", text))):
            typo = word[:2] + word[3] + word[2] + word[4:]
            out[f"{story}: {word}->{typo}"] = hamming(fp(text), fp(text.replace(word, typo, 1)))
    return out


def summary(distances: dict[str, int]) -> str:
    return "\n".join(f"  {d:2d}  {name}" for name, d in sorted(distances.items(), key=lambda kv: kv[1]))


# --- the threshold ------------------------------------------------------------------------------------


def test_the_originals_are_news_paragraphs_of_about_150_words() -> None:
    for story, text in ORIGINALS.items():
        assert 130 <= len(fold_words(text)) <= 200, story
    for story, variants in DISTINCT.items():
        for name, text in variants.items():
            assert 90 <= len(fold_words(text)) <= 200, (story, name)


def test_copies_are_within_the_threshold_with_a_margin() -> None:
    copies_, distinct = copy_distances(), distinct_distances()
    msg = f"copies:\n{summary(copies_)}\ndistinct:\n{summary(distinct)}"
    assert max(copies_.values()) + MARGIN <= NEAR_DUPLICATE_BITS, msg


def test_distinct_articles_are_beyond_the_threshold_with_a_margin() -> None:
    copies_, distinct = copy_distances(), distinct_distances()
    msg = f"distinct:\n{summary(distinct)}\ncopies:\n{summary(copies_)}"
    assert min(distinct.values()) - MARGIN >= NEAR_DUPLICATE_BITS, msg


def test_a_single_typo_anywhere_stays_within_the_threshold() -> None:
    distances = typo_distances()
    assert len(distances) > 100
    assert max(distances.values()) + MARGIN <= NEAR_DUPLICATE_BITS, summary(distances)


def test_three_bits_would_miss_copies() -> None:
    """Why the threshold is not 3 (what four exact 16-bit bands find alone): many plain copies are further."""
    distances = {**copy_distances(), **typo_distances()}
    missed = {name: d for name, d in distances.items() if d > 3}
    assert len(missed) > len(distances) // 4, summary(distances)


# --- the index ----------------------------------------------------------------------------------------


def test_the_index_finds_every_copy_and_no_distinct_article() -> None:
    index = NearDuplicateIndex()
    for story, text in ORIGINALS.items():
        index.add(story, fp(text))
    for story, variants in COPIES.items():
        for name, text in variants.items():
            assert index.find(fp(text)) == story, (story, name, report(story, text))
    for story, variants in DISTINCT.items():
        for name, text in variants.items():
            assert index.find(fp(text)) is None, (story, name, report(story, text))


def report(story: str, text: str) -> dict[str, int]:
    return {other: hamming(fp(text), fp(original)) for other, original in ORIGINALS.items()}


def test_the_index_counts_syndicated_copies_once() -> None:
    """Ingest every text in turn; a text with an indexed near-duplicate is evidence, not a new article."""
    texts = [(f"{s}/original", ORIGINALS[s]) for s in ORIGINALS]
    texts += [(f"{s}/{n}", t) for s, v in COPIES.items() for n, t in v.items()]
    texts += [(f"{s}/{n}", t) for s, v in DISTINCT.items() for n, t in v.items()]
    for order in (texts, texts[::-1]):
        index = NearDuplicateIndex()
        counted = []
        for key, text in order:
            if index.find(fp(text)) is None:
                counted.append(key)
            index.add(key, fp(text))
        assert len(counted) == len(ORIGINALS) + sum(len(v) for v in DISTINCT.values()), counted


def _brute_force(entries: list[tuple[str, int]], query: int, bits: int) -> str | None:
    best: tuple[int, int, str] | None = None
    for order, (key, value) in enumerate(entries):
        d = hamming(query, value)
        if d <= bits and (best is None or (d, order) < best[:2]):
            best = (d, order, key)
    return None if best is None else best[2]


def _flip(rng: random.Random, value: int, n: int) -> int:
    for bit in rng.sample(range(64), n):
        value ^= 1 << bit
    return value


@pytest.mark.parametrize(
    ("bits", "size"),
    [(0, 300), (3, 300), (5, 300), (NEAR_DUPLICATE_BITS, 200), (NEAR_DUPLICATE_BITS, 12_000)],
)
def test_the_index_agrees_with_a_brute_force_search(bits: int, size: int) -> None:
    """Small indexes compare everything, large ones probe the bands: both must miss nothing.

    An index compares everything while it holds no more fingerprints than it would make band look-ups:
    4 for bits <= 3, 68 for 4 to 7 bits, 10,068 for 16 to 19 bits; the sizes here take both paths.
    """
    rng = random.Random(bits * 100_003 + size)
    entries = [(f"k{i}", rng.getrandbits(64)) for i in range(size)]
    index = NearDuplicateIndex(bits)
    for key, value in entries:
        index.add(key, value)
    near, beyond = rng.sample(entries, 45), rng.sample(entries, 15)
    queries = [_flip(rng, value, rng.randint(0, bits)) for _, value in near]
    queries += [_flip(rng, value, rng.randint(bits + 1, bits + 3)) for _, value in beyond]
    queries += [rng.getrandbits(64) for _ in range(20)]
    found = 0
    for query in queries:
        expected = _brute_force(entries, query, bits)
        assert index.find(query) == expected, (bits, size, query)
        found += expected is not None
    assert found >= 45  # the planted near neighbours were there to be found


def test_the_index_returns_the_nearest_then_the_first_added() -> None:
    index = NearDuplicateIndex(bits=4)
    base = 0x0123_4567_89AB_CDEF
    index.add("two bits", base ^ 0b11)
    index.add("one bit", base ^ 1 << 40)
    index.add("one bit, later", base ^ 1 << 20)
    assert index.find(base) == "one bit"
    assert index.find(base ^ 0xFF00_0000_0000_0000) is None  # 8 bits from all of them
    index.add("one bit", base ^ 0xFF)  # re-adding replaces the fingerprint
    assert index.find(base) == "one bit, later"
    assert len(index) == 3 and "one bit" in index
    with pytest.raises(ValueError):
        NearDuplicateIndex(bits=-1)


# --- fingerprints -------------------------------------------------------------------------------------


def test_fingerprints_ignore_case_accents_punctuation_and_spacing() -> None:
    a = "Le Groupe ÉLECTRIQUE d'État annonce : « une hausse de 5 % » !"
    b = "le groupe electrique d etat annonce une hausse de 5"
    assert fp(a) == fp(b)
    assert fold_words("Cœur d'Œuvre – façade") == ["coeur", "d", "oeuvre", "facade"]
    assert fp("") == 0
    assert fp("Renault") != fp("Geely") and fp("Renault Geely") != 0


def test_the_fingerprint_recipe_is_pinned() -> None:
    """Stored fingerprints stay comparable only while the recipe (fold, 3-word shingles, BLAKE2b-8) holds."""
    assert fp("Xiaomi livre ses premières voitures électriques") == PINNED


def test_fingerprints_fit_a_signed_bigint_and_come_back() -> None:
    for value in (0, 1, 2**63 - 1, 2**63, 2**64 - 1, *(fp(t) for t in ORIGINALS.values())):
        signed = to_signed(value)
        assert -(2**63) <= signed < 2**63
        assert to_unsigned(signed) == value
        assert to_signed(signed) == signed
    assert to_signed(2**64 - 1) == -1
    for bad in (2**64, -(2**63) - 1):
        with pytest.raises(ValueError):
            to_unsigned(bad)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE article (id TEXT, simhash BIGINT)")
    db.execute("INSERT INTO article VALUES ('a', ?)", (to_signed(2**64 - 5),))
    (stored,) = db.execute("SELECT simhash FROM article").fetchone()
    assert to_unsigned(stored) == 2**64 - 5
    with pytest.raises(OverflowError):  # why to_signed exists
        db.execute("INSERT INTO article VALUES ('b', ?)", (2**64 - 5,))
    db.close()


def test_hamming_and_the_index_accept_the_signed_form() -> None:
    value = 2**64 - 2
    assert hamming(value, to_signed(value)) == 0
    assert hamming(0, -1) == 64
    index = NearDuplicateIndex()
    index.add("stored", to_signed(value))
    assert index.find(value) == "stored"
