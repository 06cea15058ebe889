"""Shareholdings read on the surface of a sentence.

The parser often loses the structure of the phrases French business news uses
for who owns whom, so these are read left to right over the entities:

- "détenue à 51 % par Stellantis et à 49 % par Leapmotor", "contrôlé par son
  fondateur, Octave Klaba" (a participle and its owners after "par");
- "X est actionnaire à 34 % de Y", "X, deuxième actionnaire de Y avec 22,8 %";
- "A et B figurent parmi les actionnaires minoritaires de Y";
- "Y, dont X est le premier actionnaire"; "Y, dont il détient 51 %";
- "auprès de ses actionnaires historiques A et B" (the possessor is owned).

Each reading gives (owner, owned, cue token); `claims` makes them claims.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ondit.extract.entities import DocEntities, EntityBuilder

PARTY = {"ORG", "BRAND", "MEDIA", "PER"}
OWNED = {"ORG", "BRAND", "MEDIA"}
_PARTICIPLES = {"détenir", "contrôler", "posséder"}
_DE = {"de", "d'", "d’", "du", "des"}
_SHAREHOLDER = {"actionnaire", "actionnaires"}
_ACTIVE_AUX = {"a", "ont", "avait", "avaient", "aura", "auront"}
_HOLDER_ADJ = {
    "minoritaire", "majoritaire", "historique", "minoritaires", "majoritaires", "historiques",
    "principal", "principaux", "premier", "premiers", "unique", "seul",
}  # fmt: skip


def _low(t: Token) -> str:
    return t.lower_.replace("’", "'")


def _entity(t: Token, ents: DocEntities, types: set[str]) -> EntityBuilder | None:
    b = ents.entity_at(t)
    return b if b is not None and b.type in types else None


def _name_from(
    sent: Span, i: int, ents: DocEntities, types: set[str], limit: int = 6
) -> tuple[EntityBuilder | None, int]:
    """The first entity from token i on, past determiners, adjectives and company nouns
    ("du groupe chinois Geely", "la holding Artémis"); stops at a verb or punctuation except an
    apposition comma after a description ("son fondateur, Octave Klaba")."""
    doc = sent.doc
    j = i
    end = min(sent.end, i + limit)
    while j < end:
        t = doc[j]
        b = _entity(t, ents, types)
        if b is not None:
            k = j
            while k + 1 < sent.end and ents.entity_at(doc[k + 1]) is b:
                k += 1
            return b, k + 1
        if t.text == "," and j > i and j + 1 < sent.end:
            nxt = _entity(doc[j + 1], ents, types)
            if nxt is not None:
                j += 1
                continue
            return None, j
        if t.is_punct or t.pos_ in {"VERB", "AUX", "SCONJ", "CCONJ"}:
            return None, j
        j += 1
    return None, j


def _skip_stake(sent: Span, j: int) -> int:
    """Past "à 51 %", "à hauteur de 12,5 %": the size of a holding."""
    doc = sent.doc
    k = j
    if k < sent.end and _low(doc[k]) == "à":
        k += 1
        if k + 1 < sent.end and _low(doc[k]) == "hauteur" and _low(doc[k + 1]) in _DE:
            k += 2
        while k < sent.end and (doc[k].like_num or doc[k].pos_ == "NUM"):
            k += 1
        if k < sent.end and doc[k].text in {"%", "pour", "pourcent"}:
            k += 1
            if k < sent.end and _low(doc[k]) == "cent":
                k += 1
            return k
    return j


def _left_name(sent: Span, i: int, ents: DocEntities) -> EntityBuilder | None:
    """The entity a phrase starting at token i is apposed to: ", [det] [adj] [noun]" back to a
    comma, then the name before it."""
    doc = sent.doc
    j = i - 1
    while j > sent.start and j > i - 5 and doc[j].text != ",":
        if doc[j].pos_ in {"VERB", "AUX"}:
            return None
        j -= 1
    if j <= sent.start or doc[j].text != ",":
        return None
    # the described noun itself may name it: "la coentreprise" resolved to its name
    return _entity(doc[j - 1], ents, OWNED)


def _relative_antecedent(sent: Span, dont: Token, ents: DocEntities) -> EntityBuilder | None:
    doc = sent.doc
    j = dont.i - 1
    if j > sent.start and doc[j].text == ",":
        j -= 1
    return _entity(doc[j], ents, OWNED) if j >= sent.start else None


def _subject_entities(sent: Span, before: int, ents: DocEntities) -> list[EntityBuilder]:
    """The names at the start of the sentence up to token `before` ("Les fonds KKR et TowerBrook")."""
    out: list[EntityBuilder] = []
    for t in sent.doc[sent.start : before]:
        b = _entity(t, ents, PARTY)
        if b is not None and b not in out:
            out.append(b)
        if t.pos_ in {"VERB", "AUX"}:
            break
    return out


def _possessor_before(sent: Span, ents: DocEntities) -> EntityBuilder | None:
    """The company the previous sentence is about (its first company subject), for "son", "sa"."""
    doc = sent.doc
    if sent.start == 0:
        return None
    prev_start = sent.start - 1
    while prev_start > 0 and not doc[prev_start].is_sent_start:
        prev_start -= 1
    for t in doc[prev_start : sent.start]:
        b = _entity(t, ents, OWNED)
        if b is not None and t.dep_.startswith("nsubj"):
            return b
    return None


def _owners_after_par(sent: Span, j: int, ents: DocEntities) -> list[EntityBuilder]:
    """ "par Stellantis et à 49 % par Leapmotor", "par l'État français et à 11,7 % par Naval Group"."""
    doc = sent.doc
    owners: list[EntityBuilder] = []
    while j < sent.end and _low(doc[j]) == "par":
        b, j = _name_from(sent, j + 1, ents, PARTY)
        if b is None:
            break
        owners.append(b)
        if j < sent.end and _low(doc[j]) in {"et", ","}:
            k = _skip_stake(sent, j + 1)
            if k < sent.end and _low(doc[k]) == "par":
                j = k
                continue
        break
    return owners


def find_stakes(sent: Span, ents: DocEntities) -> list[tuple[EntityBuilder, EntityBuilder, Token]]:
    doc = sent.doc
    out: list[tuple[EntityBuilder, EntityBuilder, Token]] = []

    def add(owner: EntityBuilder | None, owned: EntityBuilder | None, cue: Token) -> None:
        if owner is None or owned is None or owner is owned or owned.type not in OWNED:
            return
        if all(not (o is owner and d is owned) for o, d, _ in out):
            out.append((owner, owned, cue))

    for tok in sent:
        low = _low(tok)
        lemma = tok.lemma_.lower()
        # 1. "détenue à 51 % par X", "contrôlé par son fondateur, X"
        if (lemma in _PARTICIPLES or low.startswith(("détenu", "contrôlé"))) and "Part" in tok.morph.get(
            "VerbForm", ["Part"] if low.endswith(("u", "ue", "us", "ues", "é", "ée", "és", "ées")) else []
        ):
            if any(_low(t) in _ACTIVE_AUX for t in doc[max(sent.start, tok.i - 2) : tok.i]):
                continue  # "a détenu": an active past tense, not a description
            owners = _owners_after_par(sent, _skip_stake(sent, tok.i + 1), ents)
            if not owners:
                continue
            owned = None
            if tok.i == sent.start or (tok.i == sent.start + 1 and doc[sent.start].is_punct):
                # fronted: "Détenus à 84,3 % par l'État français …, les Chantiers de l'Atlantique …"
                k = tok.i + 1
                while k < sent.end and doc[k].text != ",":
                    k += 1
                while k < sent.end and owned is None:
                    owned = _entity(doc[k], ents, OWNED)
                    if doc[k].pos_ in {"VERB", "AUX"}:
                        break
                    k += 1
            elif doc[tok.i - 1].lemma_.lower() == "être" or doc[tok.i - 1].pos_ == "AUX":
                # "NHIndustries, qui produit le NH90, est détenue à 62,5 % par …": the clause's subject
                subj_tok = next((c for c in tok.children if c.dep_.startswith("nsubj")), None)
                owned = _entity(subj_tok, ents, OWNED) if subj_tok is not None else None
                if owned is None:
                    owned = next(
                        iter(b for b in _subject_entities(sent, tok.i, ents) if b.type in OWNED), None
                    )
            else:
                prev = doc[tok.i - 1]
                owned = _entity(prev, ents, OWNED) if prev.text != "," else None
                if owned is None and prev.text == ",":
                    owned = _entity(doc[tok.i - 2], ents, OWNED) if tok.i - 2 >= sent.start else None
                if owned is None:
                    owned = _left_name(sent, tok.i, ents)
                if owned is None:
                    # "autre marque contrôlée par": the noun the participle describes names it
                    head = doc[tok.i - 1]
                    owned = _entity(head, ents, OWNED) or _left_name(sent, head.i, ents)
            for o in owners:
                add(o, owned, tok)
        # 2. shareholder nouns
        if low in _SHAREHOLDER:
            j = tok.i + 1
            while j < sent.end and (doc[j].pos_ == "ADJ" or _low(doc[j]) in _HOLDER_ADJ):
                j += 1
            j = _skip_stake(sent, j)
            of = None
            if j < sent.end and _low(doc[j]) in _DE:
                of, _ = _name_from(sent, j + 1, ents, OWNED)
            before = [_low(t) for t in doc[max(sent.start, tok.i - 4) : tok.i]]
            if of is not None and "parmi" in before:
                # "A et B figurent parmi les actionnaires de Y"
                for o in _subject_entities(sent, tok.i, ents):
                    add(o, of, tok)
                continue
            if of is not None:
                # "X, deuxième actionnaire de Y", "X est actionnaire à 34 % de Y"
                k = tok.i - 1
                while k >= sent.start and k > tok.i - 7:
                    t = doc[k]
                    if t.text == ",":
                        add(_entity(doc[k - 1], ents, PARTY) if k - 1 >= sent.start else None, of, tok)
                        break
                    if t.lemma_.lower() in {"être", "rester", "devenir"}:
                        # "Geely est en outre actionnaire à 34 % de Renault Korea"
                        subjects = _subject_entities(sent, k, ents)
                        if subjects:
                            add(subjects[-1], of, tok)
                        break
                    if t.pos_ not in {"DET", "ADJ", "NUM", "ADV", "ADP"}:
                        break
                    k -= 1
                continue
            # "Y, dont X est le premier actionnaire"
            dont = next((t for t in doc[max(sent.start, tok.i - 10) : tok.i] if _low(t) == "dont"), None)
            if dont is not None:
                owned_r = _relative_antecedent(sent, dont, ents)
                owner_r, _ = _name_from(sent, dont.i + 1, ents, PARTY, limit=5)
                add(owner_r, owned_r, tok)
                continue
            # "auprès de ses actionnaires historiques A et B": the possessor's owners
            det = next(
                (t for t in reversed(doc[max(sent.start, tok.i - 3) : tok.i]) if t.pos_ == "DET"), None
            )
            if det is not None and _low(det) in {"son", "sa"} and j < sent.end:
                # "Son premier actionnaire reste le fonds américain X": the possessor is the company
                # the article is about, named before
                verb = tok.head
                copulas = {"être", "rester", "demeurer", "devenir", "reste", "restait", "demeure", "devient"}
                if (
                    verb.lemma_.lower() in copulas
                    or verb.lower_ in copulas
                    or any(c.lemma_.lower() in {"être", "rester"} for c in tok.children if c.dep_ == "cop")
                ):
                    start = verb.i + 1 if verb.i > tok.i else tok.i + 1
                    holder_b, _ = _name_from(sent, start, ents, PARTY, limit=8)
                    possessor = _possessor_before(sent, ents)
                    add(holder_b, possessor, tok)
                continue
            if det is not None and _low(det) in {"ses", "leurs"} and j < sent.end:
                # "Ledger lève … auprès de ses actionnaires historiques A et B": the raiser is owned
                head_verb = tok.head
                while head_verb.pos_ not in {"VERB", "AUX"} and head_verb.head.i != head_verb.i:
                    head_verb = head_verb.head
                raiser = next((c for c in head_verb.children if c.dep_.startswith("nsubj")), None)
                owned_p = _entity(raiser, ents, OWNED) if raiser is not None else None
                if owned_p is None:
                    owned_p = next(iter(_subject_entities(sent, tok.i, ents)), None)
                k = j
                while k < sent.end:
                    b = _entity(doc[k], ents, PARTY)
                    if b is not None:
                        add(b, owned_p, tok)
                    elif not (doc[k].text in {",", "et"} or doc[k].pos_ in {"PROPN", "DET", "NOUN", "ADJ"}):
                        break
                    k += 1
        # 3. "Y, dont il détient désormais 51 %"
        if lemma == "détenir" and tok.pos_ in {"VERB", "AUX"}:
            dont = next((t for t in doc[max(sent.start, tok.i - 4) : tok.i] if _low(t) == "dont"), None)
            if dont is None:
                continue
            owned_r = _relative_antecedent(sent, dont, ents)
            holder = next((t for t in doc[dont.i + 1 : tok.i] if t.pos_ in {"PRON", "PROPN", "NOUN"}), None)
            owner_r = _entity(holder, ents, PARTY) if holder is not None else None
            if owner_r is None:
                main = _subject_entities(sent, dont.i, ents)
                owner_r = main[0] if main else None
            add(owner_r, owned_r, tok)
    return out
