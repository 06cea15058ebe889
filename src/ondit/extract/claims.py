"""Claims of one article: triggers, argument roles, certainty, source chain, time, quantity.

Everything works on the one spaCy parse: triggers come from the cue lexicon
(`lexicons/claims_fr.toml`), roles from the dependency tree around the
trigger, certainty from the trigger's chain of governing words
(`extract/certainty.py`), sources from "selon …" phrases and speech verbs
(`extract/attribution.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from ondit import lexicons
from ondit.extract.attribution import Speaker, article_source, chain_for, speakers_for
from ondit.extract.certainty import Certainty, certainty_of, no_comment_cue, with_aux
from ondit.extract.claimtime import _ISO_VALUE, _future_tense, _past_tense, pick_time, predicate_of
from ondit.extract.entities import DocEntities, EntityBuilder
from ondit.extract.quantity import QuantityMatch
from ondit.extract.stakes import find_stakes
from ondit.extract.timex import Timex
from ondit.model import Claim, PubDate, Quantity, Source, TimeRef
from ondit.nlp.sents import once, sent_start, sentence_of, sentences

PARTY_ROLES = {
    "agent",
    "partner",
    "client",
    "owner",
    "owned",
    "person",
    "org",
    "place",
    "market",
    "target",
}
PHRASE_ROLES = {"topic", "object", "sector", "product", "facility", "metric", "role", "event"}
ROLE_TYPES: dict[str, set[str]] = {
    "agent": {"ORG", "BRAND", "MEDIA"},
    "partner": {"ORG", "BRAND", "MEDIA"},
    "client": {"ORG", "BRAND"},
    "owner": {"ORG", "BRAND", "MEDIA"},
    "owned": {"ORG", "BRAND", "PRODUCT", "MEDIA"},
    "person": {"PER"},
    "org": {"ORG", "BRAND", "MEDIA"},
    "place": {"PLACE"},
    "market": {"PLACE", "ORG"},
    "target": {"ORG", "BRAND", "MEDIA", "PRODUCT"},
}
NO_TIME_TYPES = {"ownership", "sales", "financials"}
QUANTITY_TYPES = {"sales", "financials", "acquisition", "investment"}
# "le groupe X" / "la société X": a company noun in apposition is not a phrase role
_PERIOD_ANAPHORA = (
    "même période",
    "cette période",
    "la période",
    "même temps",
    "même année",
    "même trimestre",
)
_PRODUCT_RUMOUR_ADJ = {
    "prochain",
    "prochaine",
    "futur",
    "future",
    "éventuel",
    "éventuelle",
    "nouveau",
    "nouvelle",
    "hypothétique",
    "fameux",
    "fameuse",
}


@dataclass(frozen=True)
class TypeSpec:
    type: str
    symmetric: bool
    verbs: frozenset[str]
    nouns: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    roles: dict[str, tuple[str, ...]]
    key: tuple[str, ...]
    needs_quantity: bool
    needs_time: bool
    verbs_need_sector: bool
    verbs_need_facility: bool
    verbs_need_metric: bool


def _norm_lemma(text: str) -> str:
    text = text.lower().replace("’", "'")
    for prefix in ("se ", "s'"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


@cache
def type_specs() -> dict[str, TypeSpec]:
    data = lexicons.load("claims_fr")
    out: dict[str, TypeSpec] = {}
    for typ, raw in data.items():
        excluded = {_norm_lemma(v) for v in raw.get("verbs_need_object", [])}
        verbs = (
            frozenset(_norm_lemma(v) for v in raw.get("verbs", []) if " " not in _norm_lemma(v)) - excluded
        )
        nouns = frozenset(n.lower() for n in raw.get("nouns", []) if " " not in n)
        phrases = [p for p in raw.get("phrases", [])]
        phrases += [n for n in raw.get("nouns", []) if " " in n]
        phrases += [v for v in raw.get("verbs", []) if " " in _norm_lemma(v)]
        # in the lexicon's order (agent first): a set's order would change with the hash seed
        roles = {r: tuple(raw[r]) for r in raw if r in PARTY_ROLES or r in PHRASE_ROLES}
        out[typ] = TypeSpec(
            type=typ,
            symmetric=bool(raw.get("symmetric", False)),
            verbs=verbs,
            nouns=nouns,
            phrases=tuple(tuple(_norm_lemma(p).replace("'", "' ").split()) for p in phrases),
            roles=roles,
            key=tuple(raw.get("key", [])),
            needs_quantity=bool(raw.get("needs_quantity", False)),
            needs_time=bool(raw.get("needs_time", False)),
            verbs_need_sector=bool(raw.get("verbs_need_sector", False)),
            verbs_need_facility=bool(raw.get("verbs_need_facility", False)),
            verbs_need_metric=bool(raw.get("verbs_need_metric", False)),
        )
    return out


@dataclass
class Trigger:
    token: Token
    spec: TypeSpec
    via_phrase: bool
    words: str
    window: tuple[int, int] = (0, 0)  # token range of a multi-word cue
    gap: tuple[int, int] = (0, 0)  # the agent's name inside a split cue ("l'entrée de Tencent au capital")


@dataclass
class Draft:
    type: str
    args: dict[str, list[EntityBuilder] | str]
    trigger: Token
    sentence: Span
    certainty: Certainty
    speakers: list[Speaker]
    time: TimeRef | None = None
    quantity: Quantity | None = None
    extra_arg_ids: dict[str, str] = field(default_factory=dict)
    in_title: bool = False


# ---------------------------------------------------------------- triggers


def _tok_forms(tok: Token) -> set[str]:
    return {tok.lemma_.lower(), tok.lower_, _norm_lemma(tok.lemma_)}


@cache
def _trigger_index() -> tuple[
    dict[str, list[tuple[TypeSpec, tuple[str, ...]]]],
    dict[str, list[TypeSpec]],
    dict[str, list[TypeSpec]],
]:
    """Phrases by first word, verbs and nouns by form: one dictionary lookup per token."""
    phrases: dict[str, list[tuple[TypeSpec, tuple[str, ...]]]] = {}
    verbs: dict[str, list[TypeSpec]] = {}
    nouns: dict[str, list[TypeSpec]] = {}
    for spec in type_specs().values():
        for phrase in spec.phrases:
            phrases.setdefault(phrase[0], []).append((spec, phrase))
        for v in spec.verbs:
            verbs.setdefault(v, []).append(spec)
        for n in spec.nouns:
            nouns.setdefault(n, []).append(spec)
    return phrases, verbs, nouns


def find_triggers(sent: Span) -> list[Trigger]:
    """The claim cues of a sentence, found once per sentence (the reaction pass asks again)."""
    return list(once(sent.doc, "ondit_triggers", (sent.start, sent.end), lambda: _find_triggers(sent)))


def _find_triggers(sent: Span) -> list[Trigger]:
    phrase_index, verb_index, noun_index = _trigger_index()
    out: list[Trigger] = []
    seen: set[tuple[int, str]] = set()
    toks = list(sent)
    forms = [_tok_forms(t) | {t.lower_.replace("’", "'")} for t in toks]
    # multi-word cues first
    for i, f in enumerate(forms):
        for word in f:
            for spec, phrase in phrase_index.get(word, ()):
                n = len(phrase)
                if i + n > len(toks) or not all(w in forms[i + k] for k, w in enumerate(phrase)):
                    gapped = _gapped_phrase(toks, forms, i, phrase)
                    if gapped is not None:
                        head, gap, end = gapped
                        if (head.i, spec.type) not in seen:
                            seen.add((head.i, spec.type))
                            words = " ".join([head.text, *(t.text for t in sent.doc[gap[1] : end])])
                            out.append(Trigger(head, spec, True, words, (head.i, end), gap))
                    continue
                window = toks[i : i + n]
                head = next((t for t in window if t.pos_ in {"NOUN", "VERB", "PROPN"}), window[0])
                if (head.i, spec.type) in seen:
                    continue
                seen.add((head.i, spec.type))
                for t in window:
                    seen.add((t.i, spec.type))
                words = sent.doc[window[0].i : window[-1].i + 1].text
                out.append(Trigger(head, spec, True, words, (window[0].i, window[-1].i + 1)))
    for tok, f in zip(toks, forms, strict=True):
        if tok.pos_ in {"VERB", "AUX"}:
            index = verb_index
        elif tok.pos_ in {"NOUN", "PROPN"}:
            index = noun_index
        else:
            continue
        done: set[str] = set()
        for word in f:
            for spec in index.get(word, ()):
                if spec.type in done or (tok.i, spec.type) in seen:
                    continue
                done.add(spec.type)
                seen.add((tok.i, spec.type))
                out.append(Trigger(tok, spec, False, tok.text))
    out.sort(key=lambda t: (t.token.i, not t.via_phrase))
    return out


def _gapped_phrase(
    toks: list[Token], forms: list[set[str]], i: int, phrase: tuple[str, ...]
) -> tuple[Token, tuple[int, int], int] | None:
    """A noun cue split by its agent's name: "l'entrée de Tencent au capital de X", "la prise par
    Vivendi d'une participation": the head noun, "de"/"par" and a name, then the rest of the cue."""
    head = toks[i]
    if len(phrase) < 2 or head.pos_ != "NOUN" or phrase[0] not in forms[i]:
        return None
    if i + 2 >= len(toks) or toks[i + 1].lower_.replace("’", "'") not in {"de", "d'", "du", "par"}:
        return None
    # the complement is a name, read on the surface (the parser often misreads an unknown name)
    j = i + 2
    while j < len(toks) and j < i + 6 and (toks[j].text[:1].isupper() or toks[j].text in {"&", "-"}):
        j += 1
    n = len(phrase) - 1
    if j == i + 2 or j + n > len(toks):
        return None
    if all(w in forms[j + k] for k, w in enumerate(phrase[1:])):
        return head, (toks[i + 2].i, toks[j].i), toks[j].i + n
    return None


def _gapped_roles(
    trig: Trigger, spec: TypeSpec, args: dict[str, list[EntityBuilder] | str] | None, ents: DocEntities
) -> dict[str, list[EntityBuilder] | str] | None:
    """A split cue's roles read on the surface: the name inside it acts, the company named right
    after it ("… au capital de Mistral AI") is the other party."""
    doc = trig.token.doc
    agent = next((b for i in range(*trig.gap) if (b := ents.entity_at(doc[i])) is not None), None)
    if agent is None or "agent" not in spec.roles:
        return args
    out = dict(args or {})
    out["agent"] = [agent]
    end = trig.window[1]
    if end < len(doc) and doc[end].lower_.replace("’", "'") in {"de", "d'", "du"}:
        end += 1
    other = next(
        (
            b
            for i in range(end, min(end + 3, len(doc)))
            if (b := ents.entity_at(doc[i])) is not None and b is not agent
        ),
        None,
    )
    key_other = next((r for r in spec.key if r != "agent"), None)
    if key_other is not None and other is not None and other.type in ROLE_TYPES[key_other]:
        out[key_other] = [other]
    return out


# ---------------------------------------------------------------- syntax helpers


def _case_words(tok: Token) -> str:
    """The preposition (or conjunction) that introduces tok ("de", "à", "au capital de"), once per token."""
    return once(tok.doc, "ondit_case_words", tok.i, lambda: _case_words_of(tok))


def _case_words_of(tok: Token) -> str:
    cases = [c for c in tok.children if c.dep_ in {"case", "mark"} and c.i < tok.i]
    if not cases:
        return ""
    words = []
    for c in sorted(cases, key=lambda t: t.i):
        words.append(c.lower_.replace("’", "'"))
        words.extend(f.lower_ for f in c.children if f.dep_ == "fixed")
    text = " ".join(words).replace("d' ", "de ").replace("d'", "de")
    return {"du": "de", "des": "de", "au": "à", "aux": "à"}.get(text, text)


def _prep_matches(tok: Token, prep: str) -> bool:
    words = _case_words(tok)
    if not words:
        return False
    if words == prep:
        return True
    if prep in {"au", "aux"} and words == "à":
        return True
    parts = words.split()
    return parts[-1] == prep or words.endswith(" " + prep) or (words.startswith(prep + " ") and prep != "de")


def _is_rel_pronoun(tok: Token) -> bool:
    return tok.pos_ == "PRON" and "Rel" in tok.morph.get("PronType", [])


def antecedent_of_relative(rel: Token, ents: DocEntities) -> Token | None:
    j = rel.i - 1
    doc = rel.doc
    # "X, qui …" / "X, dans lequel …": back over the comma and the preposition
    while j >= sent_start(rel) and (doc[j].is_punct or doc[j].is_space or doc[j].pos_ == "ADP"):
        j -= 1
    if j >= sent_start(rel) and ents.entity_at(doc[j]) is not None:
        return doc[j]
    # "X, la maison mère de Y, qui …": walk to the clause's head noun
    verb = rel.head
    if verb.dep_.startswith("acl") and verb.head.i < rel.i:
        return verb.head
    return None


def _subject_on_the_left(tok: Token, ents: DocEntities) -> Token | None:
    """French is subject-verb: the entity right before the verb group ("X ne serait pas", "X a signé")."""
    doc = tok.doc
    group = [
        c
        for c in tok.children
        if (c.dep_ in {"cop", "aux", "aux:tense", "aux:pass"} and ents.entity_at(c) is None)
        or c.lower_ in {"ne", "n'", "n’", "se", "s'", "s’"}
    ]
    start = min([tok.i, *(c.i for c in group if c.i < tok.i)])
    if tok.pos_ in {"NOUN", "PROPN"} and not group:
        return None
    j = start - 1
    while j >= sent_start(tok) and (
        doc[j].pos_ == "ADV" or doc[j].lower_ in {"ne", "n'", "n’", "se", "s'", "s’", "en", "y"}
    ):
        j -= 1
    if j >= sent_start(tok) and doc[j].text == ",":
        # "X, dont les titres ont bondi, a livré …": skip the parenthetical back to its opening comma
        k = j - 1
        while k >= sent_start(tok) and doc[k].text != "," and j - k < 25:
            k -= 1
        if k >= sent_start(tok) and doc[k].text == ",":
            j = k - 1
    if j >= sent_start(tok):
        b = ents.entity_at(doc[j])
        if b is not None and b.type in {"ORG", "BRAND", "PER", "MEDIA"}:
            return doc[j]
    return None


_CONNECTIVES = {
    "en", "revanche", "outre", "effet", "ailleurs", "par", "toutefois", "pourtant", "désormais",
    "aussi", "également", "donc", "ainsi", "déjà", "bien", "finalement", "notamment", "encore",
}  # fmt: skip
_CLITICS = {
    "ne",
    "n'",
    "n’",
    "se",
    "s'",
    "s’",
    "en",
    "y",
    "le",
    "la",
    "les",
    "l'",
    "l’",
    "lui",
    "leur",
    "pas",
}


def _surface_subject(tok: Token, ents: DocEntities) -> EntityBuilder | None:
    """The company that opens the verb group of a verb trigger, read leftwards on the surface when
    the parse gives none: "KKR aurait proposé de racheter", "Sony dément en revanche vouloir racheter",
    "X a par ailleurs pris 10 % de Y"."""
    if tok.pos_ not in {"VERB", "AUX"}:
        return None
    doc = tok.doc
    s0 = sent_start(tok)
    j = tok.i - 1
    finite_seen = 0
    while j >= s0:
        t = doc[j]
        b = ents.entity_at(t)
        if b is not None:
            first = j
            while first > s0 and ents.entity_at(doc[first - 1]) is b:
                first -= 1
            if first > s0 and doc[first - 1].lower_ in {"de", "du", "d'", "d’", "des", "par", "à", "au"}:
                return None  # "la filiale de Huawei a vendu": the subject is the filiale
            return b if b.type in {"ORG", "BRAND"} else None
        low = t.lower_
        if low == "qui" and j - 2 >= s0 and doc[j - 1].text == ",":
            b = ents.entity_at(doc[j - 2])  # "Mayhoola, qui a racheté Valentino"
            return b if b is not None and b.type in {"ORG", "BRAND"} else None
        if (
            t.pos_ in {"AUX", "ADV"}
            or low in _CLITICS
            or low in _CONNECTIVES
            or low in {"de", "d'", "d’", "à"}
        ):
            j -= 1
            continue
        if t.pos_ == "VERB":
            if "Fin" in t.morph.get("VerbForm", []) or t.dep_ == "ROOT":
                finite_seen += 1
            if finite_seen > 1:
                return None
            j -= 1
            continue
        return None
    return None


def _antecedent_of_pronoun(pron: Token, verb: Token, ents: DocEntities) -> Token | None:
    """ "Renault a annoncé qu'il lancera …": the subject of the clause that embeds the pronoun's,
    else the company subject of the previous sentence."""
    cur = verb
    for _ in range(4):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        for c in cur.children:
            if c.dep_.startswith("nsubj") and c.i != pron.i and ents.entity_at(c) is not None:
                return c
    doc = pron.doc
    starts = sorted(ents.subjects_by_sent)
    here = sent_start(pron)
    earlier = [s for s in starts if s < here]
    for s in reversed(earlier[-2:]):
        for b in ents.subjects_by_sent[s]:
            for ms, _me in b.mentions:
                if ms >= s and doc[ms].dep_.startswith("nsubj"):
                    return doc[ms]
    return None


def _is_attribution(tok: Token) -> bool:
    """ "Selon l'agence Reuters" taken for a subject by the parser."""
    return any(c.dep_ in {"case", "fixed"} and c.lower_ in {"selon", "après"} for c in tok.children)


def subject_of(tok: Token, ents: DocEntities, depth: int = 0) -> Token | None:
    subs = [
        c for c in tok.children if c.dep_ in {"nsubj", "nsubj:pass", "expl:subj"} and not _is_attribution(c)
    ]
    if not subs:
        left = _subject_on_the_left(tok, ents)
        if left is not None:
            return left
    if subs:
        subs.sort(
            key=lambda c: (
                ents.entity_at(c) is None and not _has_entity(c, ents),
                c.dep_ != "nsubj",
            )
        )
        sub = subs[0]
        if _is_rel_pronoun(sub):
            return antecedent_of_relative(sub, ents)
        if sub.pos_ == "PRON" and sub.lower_ in {"il", "elle", "ils", "elles"}:
            return _antecedent_of_pronoun(sub, tok, ents) or sub
        return sub
    if depth > 5 or tok.head is tok:
        return None
    head = tok.head
    if tok.dep_ in {
        "xcomp",
        "conj",
        "advcl",
        "obl:arg",
        "obl:mod",
        "obl",
        "obj",
        "nmod",
        "ccomp",
        "acl",
        "dep",
    }:
        if tok.dep_ == "ccomp" and "Fin" in tok.morph.get("VerbForm", []):
            return None
        if tok.dep_ == "advcl" and any(
            c.lower_ in {"si", "quand", "lorsque", "parce", "puisque"} for c in tok.children
        ):
            return None
        return subject_of(head, ents, depth + 1)
    if tok.dep_ == "acl:relcl":
        rel = [c for c in tok.children if _is_rel_pronoun(c)]
        return antecedent_of_relative(rel[0], ents) if rel else head
    return None


def _has_entity(tok: Token, ents: DocEntities) -> bool:
    return bool(entities_in(tok, ents, {"ORG", "BRAND", "PER", "MEDIA", "PLACE", "PRODUCT"}))


_NP_DEPS = {"appos", "flat:name", "flat:foreign", "flat", "compound", "fixed", "nummod", "amod"}


@cache
def _company_nouns() -> frozenset[str]:
    data = lexicons.load("entities_fr")
    return (
        frozenset(data["company_nouns"])
        | frozenset(data["person_titles"])
        | frozenset(data["brand_nouns"])
        | frozenset(data["media_nouns"])
        | frozenset(w for words in data["nationality"].values() for w in words)
        | {"maison", "maisons", "holding", "fonds", "famille", "banque", "assureur", "filiale", "filiales"}
    )


def entities_in(
    tok: Token, ents: DocEntities, types: set[str], with_conj: bool = True, list_head: bool = False
) -> list[EntityBuilder]:
    """The entities a noun phrase names: its head, its appositions, its coordinated members.

    A common noun that is not a company noun names no entity: "des usines de General Motors"
    is an asset, not General Motors.
    """
    out: list[EntityBuilder] = []

    def add(b: EntityBuilder | None) -> bool:
        if b is not None and b.type in types:
            if b not in out:
                out.append(b)
            return True
        return False

    def visit(t: Token, depth: int) -> None:
        if add(ents.entity_at(t)) or (depth == 0 and _subsidiary_named(t, ents, add)):
            pass
        elif (
            t.pos_ == "NOUN"
            and t.lemma_.lower() not in _company_nouns()
            and depth == 0
            and not list_head
            and not _named_after(t, ents, types, out, direct=True)
        ):
            return
        elif t.pos_ == "NOUN" and depth == 0 and _named_after(t, ents, types, out):
            pass
        else:
            for c in t.children:
                if c.dep_ in _NP_DEPS or (c.dep_ == "nmod" and not _case_words(c)):
                    if depth < 2 and add(ents.entity_at(c)):
                        break
            else:
                # "le groupe de X" / "les usines de X" are handled by phrase roles; a bare
                # appositive list ("marques : A, B et C"); not a relation noun in apposition
                # ("AESC, la filiale du groupe Envision": Envision is not AESC)
                for c in t.children:
                    if c.dep_ in {"appos"} and depth < 2 and c.lemma_.lower() not in _RELATION_NOUNS:
                        visit(c, depth + 1)
        if with_conj:
            for c in t.children:
                listed = c.dep_ == "conj" or (c.dep_ == "nmod" and not _case_words(c) and c.pos_ == "PROPN")
                if listed and depth < 4:
                    visit(c, depth + 1)

    visit(tok, 0)
    return out


def _subsidiary_named(t: Token, ents: DocEntities, add: Callable[[EntityBuilder | None], bool]) -> bool:
    """ "sa filiale italienne, Iliad Italia": the name given after the noun, its adjectives and a comma."""
    if t.lemma_.lower() not in {"filiale", "branche", "division"}:
        return False
    j = t.i + 1
    while j < len(t.doc) and (t.doc[j].pos_ == "ADJ" or t.doc[j].text == ","):
        j += 1
    return j < len(t.doc) and add(ents.entity_at(t.doc[j]))


_RELATION_NOUNS = {
    "filiale", "branche", "division", "actionnaire", "propriétaire", "partenaire", "fournisseur",
    "client", "concurrent", "rival", "maison", "mère", "sous-traitant", "holding",
}  # fmt: skip


def _out_of_relation_apposition(tok: Token, ents: DocEntities) -> Token:
    """ "AESC, la filiale du groupe chinois Envision, va construire": when the parser takes the
    name inside the apposition for the subject, the subject is the name the apposition describes."""
    doc = tok.doc
    s0 = sent_start(tok)
    j = tok.i - 1
    seen_relation = False
    while j > s0 and tok.i - j < 8:
        t = doc[j]
        if t.lemma_.lower() in _RELATION_NOUNS or t.lower_ in _RELATION_NOUNS:
            seen_relation = True
        elif t.text == ",":
            break
        elif not (t.pos_ in {"DET", "ADJ", "NOUN", "ADP"} or ents.entity_at(t) is not None):
            return tok
        j -= 1
    if seen_relation and j > s0 and doc[j].text == ",":
        b = ents.entity_at(doc[j - 1])
        if b is not None and b.type in {"ORG", "BRAND"}:
            return doc[j - 1]
    return tok


def _named_after(
    noun: Token, ents: DocEntities, types: set[str], out: list[EntityBuilder], direct: bool = False
) -> bool:
    """ "le fabricant de batteries Verkor": the name that closes a company noun's phrase.

    `direct`: only a name right after the noun and its adjectives ("le studio parisien Quantic Dream"),
    not one behind a preposition ("les usines de General Motors").
    """
    doc = noun.doc
    for j in range(noun.i + 1, min(noun.i + 6, len(doc))):
        t = doc[j]
        if t.is_punct or t.dep_ in {"acl:relcl", "acl"} or t.pos_ in {"VERB", "AUX"}:
            return False
        if direct and t.pos_ not in {"ADJ", "PROPN", "NOUN", "X"}:
            return False
        b = ents.entity_at(t)
        if b is not None and b.type not in {"SECTOR", "PLACE"}:
            if doc[j - 1].lower_ in {"de", "du", "d'", "d’", "des"}:
                return False  # "la filiale de Huawei", "les usines de GM": the complement, not the name
            if b.type in types and noun.i in {a.i for a in t.ancestors}:
                out.append(b)
                return True
            return False
    return False


_PHRASE_KEEP = {"det", "amod", "nummod", "compound", "flat", "flat:name", "fixed", "advmod"}


def noun_phrase(tok: Token) -> str:
    """The shortest noun phrase the text uses for tok: determiners, adjectives, a short "de N"."""
    idx = {tok.i}
    for c in tok.children:
        if c.i == tok.i + 1 and c.dep_ in {"amod", "acl"} and "Part" in c.morph.get("VerbForm", []):
            idx.add(c.i)  # "des lunettes connectées": the participle, not what the parser hung on it
            continue
        if c.i == tok.i - 1 and c.dep_ == "case" and c.lower_ in {"des", "les"}:
            idx.add(c.i)  # "des" mis-tagged as a preposition
            continue
        if (c.dep_ in _PHRASE_KEEP and c.dep_ != "advmod") or c.dep_ == "det":
            if c.dep_ == "amod" and c.pos_ == "VERB" and any(True for _ in c.children):
                continue  # a participle with its own complements
            idx.update(t.i for t in c.subtree if abs(t.i - tok.i) < 6 and t.dep_ != "punct")
        elif c.dep_ == "nmod" and _case_words(c) in {"de"} and c.i > tok.i and not _time_or_amount(c):
            sub = [
                c,
                *(t for t in c.children if t.dep_ in {"det", "amod", "case", "fixed", "flat", "compound"}),
            ]
            sub += [t for x in list(sub) if x is not c for t in x.subtree]
            if len(sub) <= 6:
                idx.update(t.i for t in sub)
    lo, hi = min(idx), max(idx)
    ents = tok.doc._.ondit_ents
    if ents is not None:
        for i in range(lo, hi + 1):
            b = ents.tok2ent.get(i)
            if b is not None:
                for s, e in b.mentions:
                    if s <= i < e:
                        lo, hi = min(lo, s), max(hi, e - 1)
    span = tok.doc[lo : hi + 1]
    # cut at punctuation
    toks = [t for t in span]
    out: list[Token] = []
    for t in toks:
        if t.is_punct and t.i > tok.i:
            break
        if t.is_punct:
            out.clear()
            continue
        out.append(t)
    if not out:
        return tok.text
    return tok.doc[out[0].i : out[-1].i + 1].text


# ---------------------------------------------------------------- roles


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ == "aux:pass" for c in verb.children) or _passive_participle(verb)


def _passive_participle(verb: Token) -> bool:
    """ "le studio, racheté par NetEase en 2022": a participle with its agent and no auxiliary."""
    return (
        verb.pos_ == "VERB"
        and "Part" in verb.morph.get("VerbForm", [])
        and not any(c.dep_.startswith("aux") for c in verb.children)
        and verb.dep_ in {"acl", "amod", "appos", "conj", "advcl"}
        and any(
            c.dep_ == "obl:agent" or (c.dep_.startswith("obl") and _prep_matches(c, "par"))
            for c in verb.children
        )
    )


def _role_tokens(
    source: str, trig: Token, pred: Token, ents: DocEntities, window: tuple[int, int] = (0, 0)
) -> list[Token]:
    """Candidate tokens for one role source ("subj", "obj", "prep:X", "poss", "self")."""
    if source == "subj":
        if _is_passive(pred):
            return []  # "X a été racheté par Y": X is the object
        s = subject_of(trig, ents) if trig.pos_ in {"NOUN", "PROPN"} and trig is pred else None
        if s is None and trig.pos_ in {"NOUN", "PROPN"}:
            s = next((c for c in trig.children if c.dep_.startswith("nsubj")), None)
        if s is None:
            s = subject_of(pred, ents)
        if s is not None:
            s = _out_of_relation_apposition(s, ents)
        return [s] if s is not None else []
    if source == "obj":
        base = trig if trig.pos_ in {"VERB", "AUX"} else None
        if base is None:
            return []
        passive = _is_passive(base)
        found_o = [c for c in base.children if c.dep_ == "obj" or (passive and c.dep_.startswith("nsubj"))]
        if not found_o and _passive_participle(base):
            head = base.head
            while head.dep_ in {"conj", "acl", "amod"} and head.pos_ == "VERB" and head.head.i != head.i:
                head = head.head  # "fondé par X et racheté par Y": the noun both participles describe
            return [head]
        return found_o
    if source == "self":
        return [trig]
    if source.startswith("verb-prep:"):
        # "discutent d'une co-entreprise": only on a verb trigger
        return _role_tokens(source[5:], trig, pred, ents, window) if trig.pos_ in {"VERB", "AUX"} else []
    if source == "purpose":
        # "en discussions … pour lui racheter une participation", "en vue de créer une co-entreprise"
        out_p: list[Token] = []
        for holder in dict.fromkeys([trig, pred]):
            for c in holder.children:
                marks = {m.lower_ for m in c.children if m.dep_ in {"mark", "case"}}
                if (
                    c.pos_ == "VERB"
                    and c.dep_ in {"advcl", "xcomp", "acl", "obl"}
                    and marks & {"pour", "vue", "afin"}
                ):
                    out_p.extend(o for o in c.children if o.dep_ == "obj")
        return out_p
    if source == "poss":
        if any("Yes" in c.morph.get("Poss", []) for c in trig.children if c.dep_ == "det"):
            s = subject_of(pred if pred is not trig else trig.head, ents)
            return [s] if s is not None else []
        return []
    if source.startswith("prep:"):
        prep = source[5:]
        out: list[Token] = []
        places = [trig, *(trig.doc[i] for i in range(*window) if i != trig.i)]
        if pred is not trig:
            places.append(pred)
        # "un accord portant sur le développement de …", "un protocole visant à …"
        places.extend(
            c
            for w in [trig, *(trig.doc[i] for i in range(*window))]
            for c in w.children
            if c.dep_ in {"acl", "acl:relcl"}
            and c.lemma_.lower() in {"porter", "viser", "concerner", "consister"}
        )
        if trig.pos_ in {"VERB", "AUX"}:
            places.extend(
                c
                for c in trig.children
                if c.dep_ in {"obj", "xcomp", "obl:arg"} and c.pos_ in {"NOUN", "PROPN"}
            )
        if prep in {"avec", "entre"}:
            # "des accords de distribution avec Fnac": the partner may hang on the noun's complement
            places.extend(c for p in list(places) for c in p.children if c.dep_ == "nmod" and c.i > p.i)
        for p in places:
            for c in p.children:
                if c.dep_ in {
                    "nmod",
                    "obl",
                    "obl:arg",
                    "obl:mod",
                    "advcl",
                    "obl:agent",
                    "iobj",
                } and _prep_matches(c, prep):
                    if (
                        c.i < pred.i
                        and any(t.text == "," for t in c.doc[c.i : pred.i])
                        and prep not in {"avec", "entre"}
                    ):
                        continue  # a fronted adverbial ("Pour l'occasion, …") is no role
                    out.append(c)
        if prep == "entre":
            out = out[:1]
        return out
    return []


def fill_roles(
    trig: Token,
    spec: TypeSpec,
    ents: DocEntities,
    used_sentence_tokens: set[int],
    window: tuple[int, int] = (0, 0),
) -> dict[str, list[EntityBuilder] | str] | None:
    pred = predicate_of(trig)
    args: dict[str, list[EntityBuilder] | str] = {}
    used: set[str] = set()
    if trig.pos_ == "NOUN" and "prep:entre" in spec.roles.get("agent", ()):
        # "une fusion entre Sanofi et Ipsen": the two parties, whoever the sentence's subject is
        between = [
            b
            for t in _role_tokens("prep:entre", trig, trig, ents, window)
            for b in entities_in(t, ents, ROLE_TYPES["agent"])
        ]
        if len(between) >= 2:
            args["agent"], args["partner"] = [between[0]], between[1:]
            used.update(b.id for b in between)
    for role, sources in spec.roles.items():
        if role in args:
            continue
        for source in sources:
            toks = _role_tokens(source, trig, pred, ents, window)
            for t in toks:
                if t.i in used_sentence_tokens or window[0] <= t.i < window[1]:
                    continue
                if t.i == trig.i and source != "self":
                    continue  # "pour un investissement de 4 milliards": the trigger is not its own role
                if role in PARTY_ROLES:
                    if _is_rel_pronoun(t) or t.lower_ in {"lequel", "laquelle", "lesquels", "lesquelles"}:
                        # "le constructeur, dans lequel Volkswagen a investi": the noun the clause hangs on
                        ante = antecedent_of_relative(t, ents)
                        t = ante if ante is not None else t
                    found = [b for b in entities_in(t, ents, ROLE_TYPES[role]) if b.id not in used]
                    if role == "target" and not found and (t.lemma_.lower() in _STAKE_NOUNS or t.text == "%"):
                        # "sa participation de 25,1 % dans le spécialiste des radars", "70 % du capital de X"
                        held = _stake_target(t, ents)
                        if held is not None and held.id not in used:
                            found = [held]
                    if role == "target" and not found and t.pos_ == "NOUN" and _stake_or_company(t):
                        # "la marque de streetwear Off-White", "une participation minoritaire dans X"
                        named, _ = _name_of_phrase(t.doc, t.i + 1, ents, limit=6)
                        if named is not None and named.type in ROLE_TYPES[role] and named.id not in used:
                            found = [named]
                    if role == "target" and not found and t.pos_ == "NOUN":
                        if ents.entity_at(t) is not None:
                            continue  # a place or a sector is where or what, not the target
                        if not _time_or_amount(t):
                            args[role] = noun_phrase(t)
                            break
                        continue
                    if found and role in {"partner", "target", "client", "owned"}:
                        # "avec Fnac, Boulanger et Free": the rest of a list the parser did not coordinate
                        for b in _coordinated_left(t, ents):
                            if all(b is not f for f in found) and b.type in ROLE_TYPES[role]:
                                found.append(b)
                    if found:
                        if source == "prep:entre" and role in {"agent", "partner"} and len(found) >= 2:
                            args["agent"] = [found[0]]
                            args["partner"] = found[1:]
                            used.update(b.id for b in found)
                        else:
                            args[role] = found
                            used.update(b.id for b in found)
                        break
                else:
                    text = _phrase_for(role, t, ents)
                    if text:
                        args[role] = text
                        break
            if role in args:
                break
    if isinstance(args.get("place"), list):
        # "a inauguré à Phoenix, en Arizona, …": every place the cue's prepositions name, in text order
        # (the first source found is not the first place named; a locator is dropped later)
        places: dict[str, tuple[int, EntityBuilder]] = {}
        for source in spec.roles["place"]:
            for t in _role_tokens(source, trig, pred, ents, window):
                if t.i in used_sentence_tokens or window[0] <= t.i < window[1]:
                    continue
                for b in entities_in(t, ents, ROLE_TYPES["place"]):
                    if b.id not in places or t.i < places[b.id][0]:
                        places[b.id] = (t.i, b)
        if places:
            args["place"] = [b for _, b in sorted(places.values(), key=lambda x: x[0])]
    return args


def _named_after_dative(
    tok: Token, ents: DocEntities, preps: set[str], limit: int, first_only: bool
) -> EntityBuilder | None:
    """The company named after "à" later in tok's clause, read on the surface; `first_only` stops
    at the first "à" whatever follows it."""
    for t in tok.doc[tok.i + 1 : sentence_of(tok).end]:
        if t.lower_ in preps:
            named, _ = _name_of_phrase(tok.doc, t.i + 1, ents, limit=limit)
            if named is not None and named.type in ROLE_TYPES["agent"]:
                return named
            if first_only:
                return None
        elif t.is_punct or t.pos_ in {"VERB", "AUX"}:
            return None
    return None


def _stake_after(tok: Token, ents: DocEntities) -> EntityBuilder | None:
    """ "a pris 20 % de Northvolt", "est monté à 9 % du capital de X": the company a share is of."""
    doc = tok.doc
    end = min(len(doc), tok.i + 8)
    for j in range(tok.i + 1, end):
        if doc[j].text == "%" or doc[j].lower_ in {"pourcent", "pour"}:
            k = j + 1
            if k < len(doc) and doc[k].lower_ in {"de", "du", "d'", "d’", "des"}:
                b, _ = _name_of_phrase(doc, k + 1, ents, limit=6)
                if b is not None and b.type in ROLE_TYPES["target"]:
                    return b
            return None
        if doc[j].is_punct or doc[j].pos_ in {"VERB"}:
            return None
    return None


_STAKE_NOUNS = {"participation", "part", "parts", "capital", "contrôle", "majorité", "totalité", "reste"}
_STAKE_WORDS = {
    "de", "du", "d'", "d’", "des", "dans", "au", "à", "le", "la", "l'", "l’", "les", "capital", "%",
    "pour", "cent", "hauteur", "minoritaire", "majoritaire", "solde", "son", "sa", "ses", "leur", "ce",
    "cet", "cette",
}  # fmt: skip


def _stake_target(tok: Token, ents: DocEntities) -> EntityBuilder | None:
    """ "sa participation de 25,1 % dans le spécialiste des radars", "70 % du capital de la biscuiterie
    X", "le solde du capital de la maison romaine": the company the stake is in, read on the surface."""
    doc = tok.doc
    end = min(sentence_of(tok).end, tok.i + 12)
    for j in range(tok.i + 1, end):
        t = doc[j]
        b = ents.entity_at(t)
        if b is not None:
            return b if b.type in ROLE_TYPES["target"] else None
        if t.lower_ in _STAKE_WORDS or t.like_num or (t.pos_ == "ADJ" and t.text.islower()):
            continue
        if (
            t.pos_ == "NOUN"
            and t.text.islower()
            and j + 1 < end
            and doc[j + 1].pos_ in {"PROPN", "ADJ", "ADP"}
        ):
            continue  # "la biscuiterie morbihannaise X": a description before the name
        return None
    return None


def _stake_or_company(t: Token) -> bool:
    low = t.lemma_.lower()
    if t.lower_ == "start" and t.i + 2 < len(t.doc) and t.doc[t.i + 1].text == "-":
        return True  # "la start-up d'intelligence artificielle X", split by the tokenizer
    return low in _STAKE_NOUNS or low in _company_nouns() or t.lower_ in _company_nouns()


_VENTURE_NOUNS = {
    "coentreprise", "co-entreprise", "joint-venture", "joint venture", "alliance", "consortium",
    "société commune", "entreprise commune", "filiale commune",
}  # fmt: skip
_SUPPLY_VERBS = {"fabriquer", "produire", "fournir", "assembler", "livrer", "approvisionner"}


def _supply_purpose(tok: Token) -> bool:
    """A contract or deal whose purpose is to make or supply something for the partner."""
    for holder in dict.fromkeys([tok, predicate_of(tok)]):
        for c in holder.children:
            marks = {m.lower_ for m in c.children if m.dep_ in {"mark", "case"}}
            if c.pos_ == "VERB" and c.lemma_.lower() in _SUPPLY_VERBS and marks & {"pour", "afin"}:
                return True
    return False


_RIVAL_NOUNS = {"concurrent", "rival", "homologue", "compatriote", "voisin"}


def _rival_of(tok: Token, agents: list[EntityBuilder], ents: DocEntities) -> EntityBuilder | None:
    """ "avec son concurrent", "avec son rival": the other company the article is about, the most
    recent one named before that is not the agent."""
    holder = predicate_of(tok)
    for c in [*tok.children, *(holder.children if holder is not tok else [])]:
        if (
            c.lemma_.lower() in _RIVAL_NOUNS
            and _case_words(c) == "avec"
            and any("Yes" in d.morph.get("Poss", []) for d in c.children if d.dep_ == "det")
        ):
            for t in reversed(tok.doc[: c.i]):
                b = ents.entity_at(t)
                if b is not None and b.type in {"ORG", "BRAND"} and all(b is not a for a in agents):
                    return b
    return None


def _results_phrase(noun: Token) -> str:
    """ "son chiffre d'affaires semestriel", "ses ventes du troisième trimestre": the publication,
    without the possessive (the guide's phrase rule)."""
    possessives = {"son", "sa", "ses", "leur", "leurs", "notre", "nos"}
    toks = [t for t in noun.subtree if not (t.dep_ == "det" and t.lower_ in possessives)]
    toks = [t for t in toks if t.i >= noun.i or t.dep_ != "det"]
    return noun.doc[toks[0].i : toks[-1].i + 1].text if toks else noun.text


_SITE_NOUNS = {
    "usine", "site", "atelier", "chantier", "plateforme", "centre", "campus", "entrepôt", "projet",
    "investissement", "ligne", "extension", "unité", "bâtiment",
}  # fmt: skip


def _from_facility(
    tok: Token,
    spec: TypeSpec,
    args: dict[str, list[EntityBuilder] | str],
    history: list[Draft],
    ents: DocEntities,
) -> dict[str, list[EntityBuilder] | str]:
    """ "L'usine créera 1 000 emplois", "L'investissement atteindra 1,3 milliard", "X y investira
    85 millions": the site reported just before is what the figure is about, its builder the agent."""
    site = next((d for d in reversed(history[-6:]) if d.type == "facility"), None)
    if site is None:
        return args
    pred = predicate_of(tok)
    subj = next((c for c in pred.children if c.dep_.startswith("nsubj")), None)
    about_site = subj is not None and (
        subj.lemma_.lower() in _SITE_NOUNS or (subj.i == tok.i and spec.type == "investment")
    )
    there = any(c.lower_ == "y" for c in pred.children)
    if not (about_site or there):
        return args
    out = dict(args)
    if "agent" not in out and site.args.get("agent") and (about_site or there):
        out["agent"] = site.args["agent"]
    if spec.type == "investment" and "target" not in out and isinstance(site.args.get("facility"), str):
        out["target"] = site.args["facility"]
    return out


_PLANT_NOUNS = {"usine", "usines", "site", "sites", "atelier", "ateliers", "chantier", "raffinerie"}


def _plant_place(tok: Token, ents: DocEntities) -> EntityBuilder | None:
    """ "dans son usine de Skellefteå", "qui les forgera dans son usine du Creusot": the town a
    plant is named after, later in the sentence, is where the making happens."""
    doc = tok.doc
    for t in doc[tok.i + 1 : sentence_of(tok).end]:
        if (
            t.lower_ in _PLANT_NOUNS
            and t.i + 2 < len(doc)
            and doc[t.i + 1].lower_ in {"de", "du", "d'", "d’"}
        ):
            b = ents.entity_at(doc[t.i + 2])
            if b is not None and b.type == "PLACE":
                return b
    return None


_EXCHANGE_WORDS = (
    "bourse",
    "nasdaq",
    "nyse",
    "euronext",
    "stock exchange",
    "wall street",
    "hkex",
    "star market",
)


def _is_exchange(b: EntityBuilder) -> bool:
    name = b.name.lower()
    return b.type in {"ORG", "PLACE"} and any(w in name for w in _EXCHANGE_WORDS)


def _model_after(tok: Token, ents: DocEntities) -> str | None:
    """ "dévoilera son nouveau Galaxy S25", "lancera le Bigster en 2025": the named model right after a
    launch verb (a known product, a brand with a model designation, or a proper name); past an
    incise, the first product named before another verb ("a officialisé dimanche à Barcelone, à la
    veille du salon, son Xiaomi 15 Ultra")."""
    named = _model_right_after(tok, ents)
    if named is not None:
        return named
    doc = tok.doc
    for t in doc[tok.i + 1 : sentence_of(tok).end]:
        if t.pos_ in {"VERB", "AUX", "SCONJ"} or t.lower_ in {"qui", "que", "dont", "mais", ";", ":"}:
            return None
        b = ents.entity_at(t)
        if b is not None and b.type == "PRODUCT":
            return b.name
    return None


def _model_right_after(tok: Token, ents: DocEntities) -> str | None:
    doc = tok.doc
    j = tok.i + 1
    while j < sentence_of(tok).end and (
        doc[j].pos_ in {"ADV", "DET"}
        or (doc[j].pos_ == "ADJ" and not doc[j].text[:1].isupper())
        or doc[j].lower_ in {"nouveau", "nouvelle"}
    ):
        j += 1
    if j >= sentence_of(tok).end:
        return None
    t = doc[j]
    b = ents.entity_at(t)
    if b is not None and b.type == "PRODUCT":
        return b.name
    capitalised = t.text[:1].isupper() and not t.is_sent_start
    if t.pos_ != "PROPN" and not capitalised and not (b is not None and b.type in {"ORG", "BRAND"}):
        return None
    k = j
    timexes: list[Timex] = doc._.ondit_timexes or []

    def model_part(x: Token) -> bool:
        if b is not None and ents.entity_at(x) is b:
            return True  # the tagger may call "S25" a verb; the name says otherwise
        if x.is_punct or x.pos_ in {"ADP", "DET", "VERB", "AUX", "CCONJ"}:
            return False
        if any(tx.start <= x.idx < tx.end for tx in timexes):
            return False
        return x.text[:1].isupper() or any(ch.isdigit() for ch in x.text)

    while k + 1 < sentence_of(tok).end and model_part(doc[k + 1]):
        k += 1
    if b is not None and b.type in {"ORG", "BRAND"} and k == j:
        return None  # a company alone is not a product
    if b is not None and b.type not in {"ORG", "BRAND", "PRODUCT"}:
        return None
    return doc[j : k + 1].text


def _main_places(places: list[EntityBuilder], doc: Doc) -> list[EntityBuilder]:
    """ "à West Lafayette, dans l'Indiana": the region that locates a place is not a second place."""
    if len(places) < 2:
        return places
    kept = [places[0]]
    for b in places[1:]:
        locator = False
        for start, _end in b.mentions:
            before = [t.lower_ for t in doc[max(0, start - 3) : start]]
            if "," in before and any(w in before for w in ("dans", "près", "en", "au")):
                locator = True
        if not locator:
            kept.append(b)
    return kept


def _unit_phrase(noun: Token) -> str:
    """ "766 avions commerciaux" -> "avions commerciaux": the counted thing without its number."""
    if noun.lemma_.lower() in {"million", "milliard", "millier", "mille"}:
        counted = [c for c in noun.children if c.dep_ == "nmod" and c.pos_ == "NOUN"]
        if counted:
            noun = counted[0]  # "300 millions de smartphones Redmi Note" -> smartphones Redmi Note
    keep = [noun, *(c for c in noun.children if c.dep_ in {"amod"} and c.i > noun.i)]
    for c in noun.children:
        if c.dep_ == "nmod" and c.i > noun.i and len(list(c.subtree)) <= 3:
            keep.extend(c.subtree)
    end = max(t.i for t in keep)
    return noun.doc[noun.i : end + 1].text


_IDIOMS = {("pour", "part"), ("de", "côté"), ("à", "stade"), ("dans", "foulée"), ("en", "revanche")}


def _time_or_amount(tok: Token) -> bool:
    """Whether tok is inside a time expression or an amount: "en février", "60 M$" are no phrase roles;
    nor are idioms such as "pour sa part", "de son côté", "à ce stade"."""
    doc = tok.doc
    if any((c.lower_, tok.lemma_.lower()) in _IDIOMS for c in tok.children if c.dep_ == "case"):
        return True
    spans = [(tx.start, tx.end) for tx in doc._.ondit_timexes or []]
    spans += [(q.start, q.end) for q in doc._.ondit_quantities or []]
    return any(s <= tok.idx < e for s, e in spans)


_DOCUMENT_NOUNS = {
    "communiqué", "entretien", "interview", "note", "déclaration", "document", "courrier", "lettre",
    "message", "prospectus", "conférence", "presse", "journal", "quotidien", "agence", "dépêche",
}  # fmt: skip


def _phrase_for(role: str, tok: Token, ents: DocEntities) -> str | None:
    if tok.lemma_.lower() in _DOCUMENT_NOUNS:
        return None  # "a annoncé Toyota dans un communiqué": where it was said, not what
    if _time_or_amount(tok):
        return None
    if role == "sector":
        for t in tok.subtree:
            b = ents.entity_at(t)
            if b is not None and b.type == "SECTOR":
                return _mention_text_at(t, b)
        if tok.lemma_.lower() in {"marché", "secteur", "segment", "créneau"} and any(
            c.dep_ in {"amod", "nmod"} for c in tok.children
        ):
            return noun_phrase(tok)  # "le marché américain", "le marché des poids lourds"
        return None
    if role == "product":
        b = ents.entity_at(tok)
        if b is not None and b.type == "PRODUCT":
            return b.name
        if b is not None and b.type != "SECTOR":
            return None
        if any(q.start <= tok.idx < q.end for q in tok.doc._.ondit_quantities or []):
            return None
        if any(tx.start <= tok.idx < tx.end for tx in tok.doc._.ondit_timexes or []):
            return None
        if tok.pos_ not in {"NOUN", "PROPN"}:
            return None
        # "la citadine T03", "son smartphone pliable Magic V5": the model named right after its noun
        j = tok.i + 1
        while j < len(tok.doc) and tok.doc[j].pos_ == "ADJ" and tok.doc[j].text.islower():
            j += 1
        nb = ents.entity_at(tok.doc[j]) if j < len(tok.doc) else None
        if nb is not None and nb.type == "PRODUCT":
            return nb.name
        # "la gamme Redmi Note 13": the product the phrase names
        for t in tok.subtree:
            nb = ents.entity_at(t)
            if nb is not None and nb.type == "PRODUCT" and abs(t.i - tok.i) <= 4:
                return nb.name
        # "ces processeurs", "les nouveaux modèles": the product named last before
        dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
        bare_definite = (
            dets & {"le", "la", "l'", "l’"}
            and all(c.dep_ in {"det", "case", "punct"} for c in tok.children)
            and tok.lemma_.lower() in _product_nouns()
        )  # "Le smartphone sera commercialisé", "le modèle": the product just named
        if (
            dets & {"ces", "ce", "cet", "cette"}
            or any(c.lemma_ == "nouveau" for c in tok.children)
            or bare_definite
        ):
            earlier = [
                nb
                for t in tok.doc[: tok.i]
                for nb in [ents.entity_at(t)]
                if nb is not None and nb.type == "PRODUCT"
            ]
            if earlier:
                return earlier[-1].name
        return noun_phrase(tok)
    if role == "event":
        return noun_phrase(tok)
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return None
    return noun_phrase(tok)


@cache
def _product_nouns() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicons.load("entities_fr")["product_nouns"])


def _mention_text_at(tok: Token, b: EntityBuilder) -> str:
    for s, e in b.mentions:
        if s <= tok.i < e:
            # with its determiner: "la voiture électrique"
            doc = tok.doc
            if s > 0 and doc[s - 1].dep_ == "det" and doc[s - 1].pos_ == "DET":
                return doc[s - 1 : e].text
            return doc[s:e].text
    return b.name


# ---------------------------------------------------------------- time and quantity


def _workforce(trig: Token) -> bool:
    """ "emploie 350 personnes", "la suppression de 1 600 postes": a figure counted in people."""
    return trig.lemma_.lower() in _WORKFORCE_WORDS


_WORKFORCE_WORDS = {
    "employer", "compter", "supprimer", "créer", "suppression", "création", "recruter", "embaucher",
    "mobiliser", "recrutement", "embauche",
}  # fmt: skip


def pick_quantity(trig: Token, sent: Span, quantities: list[QuantityMatch], typ: str) -> QuantityMatch | None:
    cands = [q for q in quantities if sent.start_char <= q.start < sent.end_char]
    if typ == "financials" and _workforce(trig):
        cands = [q for q in cands if q.unit == "employees"]
    elif typ == "sales":
        cands = [q for q in cands if q.unit not in {"%", "EUR", "USD", "CNY", "GBP", "JPY", "CHF"}]
    elif typ == "financials" or typ in {"acquisition", "investment"}:
        cands = [q for q in cands if q.unit not in {"vehicles", "units", "orders", "employees"}]
    if typ in {"acquisition", "investment"} and any(q.unit not in {"%", None} for q in cands):
        # "a pris 20 % de X pour 900 millions d'euros": the price is the deal's figure
        cands = [q for q in cands if q.unit not in {"%", None}]
    if not cands:
        return None
    return min(cands, key=lambda q: abs(q.start - trig.idx))


# ---------------------------------------------------------------- main


def _party_names(args: dict[str, list[EntityBuilder] | str]) -> set[str]:
    out: set[str] = set()
    for v in args.values():
        if isinstance(v, list):
            out.update(b.name for b in v)
    return out


def _expand(
    draft_args: dict[str, list[EntityBuilder] | str], spec: TypeSpec
) -> Iterator[dict[str, list[EntityBuilder] | str]]:
    """One claim per party of a listed key role; places stay a list."""
    list_roles = [
        r for r in spec.key if isinstance(draft_args.get(r), list) and len(draft_args[r]) > 1 and r != "place"
    ]
    if not list_roles:
        yield draft_args
        return
    role = list_roles[0]
    members = draft_args[role]
    assert isinstance(members, list)
    for m in members:
        one = dict(draft_args)
        one[role] = [m]
        yield from _expand(one, spec)


def _fundraising(tok: Token, spec: TypeSpec, args: dict[str, list[EntityBuilder] | str]) -> bool:
    """ "Northvolt a levé 13 milliards de dollars": a raise with no investor named is the raiser's."""
    return (
        spec.type == "investment"
        and tok.lemma_.lower() in {"lever", "levée"}
        and bool(args.get("agent"))
        and "target" not in args
    )


_BACK_DETS = {
    "le", "la", "les", "l'", "l’", "ce", "cet", "cette", "ces", "leur", "leurs", "son", "sa", "ses",
    "aucun", "aucune", "tout", "toute",
}  # fmt: skip
_BACK_TYPES = {"talks", "partnership", "merger", "acquisition", "investment", "manufacturing", "listing"}


def _inherit_parties(
    tok: Token,
    spec: TypeSpec,
    args: dict[str, list[EntityBuilder] | str],
    history: list[Draft],
) -> dict[str, list[EntityBuilder] | str] | None:
    """ "Les discussions se poursuivent", "aucune discussion n'est en cours avec ING": an event noun
    that refers back to one already reported takes the parties it lacks from that report (the most
    recent of its type whose parties agree with the ones named here)."""
    if spec.type not in _BACK_TYPES or tok.pos_ != "NOUN":
        return None
    if any(_case_words(c) in {"avec", "entre"} for c in tok.children) and not any(
        isinstance(args.get(r), list) for r in ("partner", "target", "client")
    ):
        return None  # "ses discussions avec plusieurs constructeurs européens": other, unnamed parties
    party_roles = [r for r in spec.key if r in PARTY_ROLES]
    named = [b for r in party_roles for b in args.get(r) or [] if not isinstance(b, str)]
    dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
    if any(_case_words(c) == "entre" for c in tok.children):
        return None  # "les accords entre équipementiers et constructeurs": its own parties, generic ones
    indefinite = not any(d in _BACK_DETS for d in dets)
    for d in reversed(history):
        if d.type != spec.type and not (spec.symmetric and d.type == "talks" and not named):
            continue
        if indefinite and (d.type != "talks" or sentence_of(tok).start - d.sentence.end > 40):
            continue  # "un accord pourrait être signé": only the deal the talks just reported are about
        theirs = [b for r in party_roles for b in d.args.get(r) or [] if not isinstance(b, str)]
        if not theirs or any(all(b is not t for t in theirs) for b in named):
            continue
        out = dict(args)
        if spec.symmetric:
            rest = [b for b in theirs if all(b is not n for n in named)]
            for r in party_roles:
                if not out.get(r) and rest:
                    out[r] = [rest.pop(0)]
        else:
            for r in party_roles:
                if not out.get(r) and d.args.get(r):
                    out[r] = d.args[r]
        for r, v in d.args.items():
            if r not in PARTY_ROLES and r not in out:
                out[r] = v
        return out if _complete(out, spec) else None
    return None


def _complete(args: dict[str, list[EntityBuilder] | str], spec: TypeSpec) -> bool:
    for role in spec.key:
        v = args.get(role)
        if not v:
            return False
    return True


def find_claims(doc: Doc) -> list[Claim]:
    ents: DocEntities = doc._.ondit_ents
    dct: PubDate | None = doc._.ondit_published
    outlet: str | None = doc._.ondit_outlet
    timexes: list[Timex] = doc._.ondit_timexes or []
    quantities: list[QuantityMatch] = doc._.ondit_quantities or []
    furniture: list[tuple[int, int]] = doc._.ondit_furniture or []
    closing = article_source(doc, ents)

    drafts: list[Draft] = []
    last_pair: list[EntityBuilder] = []  # "les deux groupes" refers back to the last two parties
    last_period: str | None = None
    last_unit: str | None = None
    sents = sentences(doc)
    body_start = int(doc.user_data.get("ondit_body_start", 0))
    for sent in sents:
        if any(s <= sent.start_char < e for s, e in furniture):
            continue
        in_title = sent.start_char < body_start  # read for context ("les deux groupes"), never reported
        if not any(t.is_alpha for t in sent):
            continue
        speakers_tokens, speakers = speakers_for(sent, ents)
        sent_drafts: list[Draft] = []
        triggers = find_triggers(sent)
        taken_triggers: set[int] = set()
        talks_heads = {t.token.i for t in triggers if t.spec.type == "talks"}
        for trig in triggers:
            if trig.token.i in taken_triggers and not trig.via_phrase:
                continue
            if trig.spec.type != "talks" and trig.token.pos_ == "NOUN" and _topic_of(trig.token, talks_heads):
                continue  # "discutent d'une co-entreprise": the venture is what the talks are about
            if _hypothetical(trig.token):
                continue  # "Si Tencent entrait au capital, …": a hypothesis is not a claim
            if trig.spec.type == "market_entry" and any(
                t.spec.type == "talks" and t.window[0] in {trig.token.i + 1, trig.token.i + 2}
                for t in triggers
            ):
                continue  # "est entré en négociations exclusives": talks, not a market entry
            if trig.token.pos_ == "NOUN" and _case_words(trig.token) in {"selon", "d'après"}:
                continue  # "selon ses résultats annuels": where a figure comes from, not a claim
            if (
                trig.token.pos_ == "NOUN"
                and any(
                    c.dep_ == "det" and c.lower_ in {"ce", "cet", "cette", "ces"} for c in trig.token.children
                )
                and no_comment_cue(sent) is not None
            ):
                continue  # "n'a pas souhaité s'exprimer sur ce projet de cotation": the reaction pass
            spec = trig.spec
            args = fill_roles(trig.token, spec, ents, speakers_tokens, trig.window)
            if trig.gap != (0, 0):
                args = _gapped_roles(trig, spec, args, ents)
            if args is None:
                continue
            args = _plural_parties(trig, spec, args, ents, last_pair)
            args = _postprocess_args(trig, spec, args, ents, doc)
            if args is not None and spec.type in {"manufacturing", "facility"} and "place" not in args:
                plant_place = _plant_place(trig.token, ents)
                if plant_place is not None:
                    args["place"] = [plant_place]
            if args is not None and isinstance(args.get("place"), list) and len(args["place"]) > 1:
                args["place"] = _main_places(args["place"], doc)  # type: ignore[arg-type]
            if args is None or _self_claim(args, spec):
                continue
            if spec.type == "product_launch" and not args.get("agent") and args.get("product"):
                # "Le smartphone sera commercialisé …": whoever launched that product before
                launcher = next(
                    (
                        d.args["agent"]
                        for d in reversed([*drafts, *sent_drafts])
                        if d.type == "product_launch" and d.args.get("product") == args["product"]
                    ),
                    None,
                )
                if launcher:
                    args["agent"] = launcher
            if not _complete(args, spec) and "agent" in spec.key and not args.get("agent"):
                left = _surface_subject(trig.token, ents)
                if left is not None and all(
                    left is not b for v in args.values() if isinstance(v, list) for b in v
                ):
                    args["agent"] = [left]
            if not _complete(args, spec) and spec.type in {"financials", "investment"}:
                args = _from_facility(trig.token, spec, args, [*drafts, *sent_drafts], ents)
            if not _complete(args, spec) and not _fundraising(trig.token, spec, args):
                inherited = (
                    None
                    if no_comment_cue(sent) is not None  # left to the reaction pass
                    else _inherit_parties(trig.token, spec, args, [*drafts, *sent_drafts])
                )
                if inherited is None or _self_claim(inherited, spec):
                    continue
                args = inherited
            quantity = None
            if spec.type in QUANTITY_TYPES:
                qm = pick_quantity(trig.token, sent, quantities, spec.type)
                if qm is None and spec.needs_quantity:
                    continue
                if qm is not None:
                    unit = qm.unit or (last_unit if spec.type == "sales" else None) or "units"
                    period = None
                    if spec.type in {"sales", "financials"}:
                        period = _period_in(sent, timexes)
                        if period is None and any(p in sent.text.lower() for p in _PERIOD_ANAPHORA):
                            period = last_period
                        if period is not None:
                            last_period = period
                        if qm.unit:
                            last_unit = qm.unit
                    quantity = Quantity(qm.value, unit, period, qm.text, qm.start, qm.end)
                    if spec.type == "sales" and "product" not in args and qm.unit is not None:
                        unit_span = doc.char_span(qm.start, qm.end, alignment_mode="expand")
                        if unit_span is not None and unit_span.root.pos_ == "NOUN":
                            args["product"] = _unit_phrase(unit_span.root)
            tx_pool = timexes
            if spec.type == "announcement" and trig.token.pos_ in {"VERB", "AUX"}:
                # "présentera ses ventes du troisième trimestre le 15 octobre": the date of the event,
                # not the period its figures cover
                pub = next((c for c in trig.token.children if c.dep_ == "obj"), None)
                if pub is not None:
                    lo, hi = pub.left_edge.idx, pub.right_edge.idx + len(pub.right_edge)
                    tx_pool = [tx for tx in timexes if not lo <= tx.start < hi]
            time = None if spec.type in NO_TIME_TYPES else pick_time(trig.token, sent, tx_pool, dct)
            if spec.needs_time and time is None:
                continue
            own = [sp for sp in speakers if sp.covers(trig.token)]
            if not own and spec.type in {"financials", "sales"}:
                own = _publisher(trig.token, args, ents)  # "Leonardo a publié un chiffre d'affaires de …"
            cert = certainty_of(trig.token, sent, own, _party_names(args))
            if (spec.type == "ownership" and trig.token.pos_ in {"NOUN", "PROPN"}) or (
                spec.type == "partnership" and trig.token.lemma_.lower() in {"partenaire", "partenaires"}
            ):
                # "Geely, la maison mère de Volvo": background, in the article's voice, as fact
                own = []
                if cert.value != "denied" or not any(c.dep_ == "cop" for c in trig.token.children):
                    # a negation elsewhere in the sentence ("n'envisage aucune cotation de Play, sa
                    # filiale") does not reach an apposition; "X n'est pas la filiale de Y" does
                    cert = Certainty("certain", trig.words)
            cert = _hedged_by_context(trig.token, spec, cert, talks_heads)
            silent = _silent_party(sent, args, ents) if cert.value in {"certain", "probable"} else None
            if silent is not None:
                # "Interrogé sur ses discussions avec Publicis, Havas n'a pas souhaité commenter"
                cert, own = (
                    Certainty("uncommitted", silent[1]),
                    [Speaker(silent[0].name, "org", silent[0], None, ())],
                )
            if cert.value in {"denied", "uncommitted"} and not own:
                own = _party_speaking(sent, cert, args, ents)
            taken_triggers.add(trig.token.i)
            sent_drafts.append(Draft(spec.type, args, trig.token, sent, cert, own, time, quantity))
        sent_drafts.extend(_product_rumours(sent, ents, sent_drafts, speakers, timexes, dct))
        sent_drafts.extend(_orders(sent, ents, speakers, timexes, dct))
        sent_drafts.extend(_stake_drafts(sent, ents, sent_drafts))
        sent_drafts.extend(_facility_of_investment(sent_drafts, ents))
        sent_drafts.extend(_site_drafts(sent, ents, sent_drafts, drafts, speakers, timexes, dct))
        if not any(d.certainty.value in {"uncommitted", "denied"} for d in sent_drafts):
            sent_drafts.extend(_reactions(sent, ents, drafts, speakers, last_pair))
        for d in sent_drafts:
            d.in_title = in_title
            pair = [
                b
                for r in ("agent", "partner", "target", "client")
                for b in d.args.get(r, [])
                if not isinstance(b, str)
            ]
            if len(pair) >= 2:
                last_pair[:] = pair[:2]
        drafts.extend(sent_drafts)

    # a parent company speaks for its subsidiary ("Iliad a confirmé … de sa filiale Iliad Italia")
    parents: dict[str, set[str]] = {}
    for d in drafts:
        owner, owned = d.args.get("owner"), d.args.get("owned")
        if d.type == "ownership" and isinstance(owner, list) and isinstance(owned, list):
            for b in owned:
                parents.setdefault(b.name, set()).update(o.name for o in owner)
    for b in ents.builders:
        if b.kb is not None and b.kb.parent:
            parents.setdefault(b.name, set()).add(b.kb.parent)
    claims: list[Claim] = []
    index: dict[tuple[object, ...], int] = {}
    for d in (d for d in drafts if not d.in_title):
        dspec = type_specs().get(d.type)
        for args in _expand(d.args, dspec) if dspec else [d.args]:
            claim = _to_claim(d, args, outlet, closing, parents)
            key = _identity(claim, dspec)
            if key in index:
                # a restatement by the same source with the same certainty is the same entry:
                # it may add the roles, time or figure the first statement left out
                claims[index[key]] = _completed(claims[index[key]], claim)
                continue
            index[key] = len(claims)
            claims.append(claim)
    return claims


def _identity(claim: Claim, spec: TypeSpec | None) -> tuple[object, ...]:
    """(type, key roles, certainty, innermost source), and the figure for sales and financials."""
    key_roles = spec.key if spec is not None else tuple(r for r, _ in claim.args)
    values: list[object] = [(r, v) for r, v in claim.args if r in key_roles]
    if spec is not None and spec.symmetric:
        pair = frozenset(str(v) for r, v in claim.args if r in {"agent", "partner"})
        values = [pair, *((r, v) for r, v in claim.args if r in key_roles and r not in {"agent", "partner"})]
    figure = claim.quantity.to_json() if claim.quantity and claim.type in {"sales", "financials"} else None
    return (
        claim.type,
        repr(values),
        claim.certainty,
        claim.source[-1].name if claim.source else "",
        repr(figure),
    )


def _completed(first: Claim, later: Claim) -> Claim:
    """The first statement, with the optional roles, time and quantity only a later one gives."""
    have = {r for r, _ in first.args}
    extra = tuple((r, v) for r, v in later.args if r not in have)
    extra_ids = tuple((r, i) for r, i in later.arg_ids if r not in have)
    return replace(
        first,
        args=first.args + extra,
        arg_ids=first.arg_ids + extra_ids,
        time=first.time or later.time,
        quantity=first.quantity or later.quantity,
    )


_TARGET_VERBS = {"prévoir", "viser", "tabler", "espérer", "ambitionner", "anticiper", "compter", "attendre"}


def _hedged_by_context(trig: Token, spec: TypeSpec, cert: Certainty, talks_heads: set[int]) -> Certainty:
    """A deal pursued in talks is not done yet; a sales or profit figure aimed at is a target."""
    if cert.value != "certain":
        return cert
    if spec.type in {"acquisition", "merger", "partnership", "investment"} and _topic_of(trig, talks_heads):
        return Certainty("probable", cert.cue)  # "en négociations exclusives … pour lui racheter"
    if (
        spec.type in {"acquisition", "merger", "partnership", "investment"}
        and talks_heads
        and any(c.dep_ == "mark" and c.lower_ in {"pour", "afin"} for c in trig.children)
    ):
        return Certainty("probable", cert.cue)  # the purpose of talks in the same sentence
    if spec.type in {"sales", "financials"}:
        for a in [trig, *list(trig.ancestors)[:3]]:
            if a.lemma_.lower() in _TARGET_VERBS:
                return Certainty("probable", a.text)  # "prévoit de livrer 820 appareils cette année"
    return cert


def _topic_of(tok: Token, talks_heads: set[int]) -> bool:
    """Whether tok is inside what talks are about ("négociations en vue de créer une co-entreprise")."""
    if tok.i in talks_heads:
        return False
    head = tok.head
    for _ in range(5):
        if head.i in talks_heads:
            return True
        if head.head.i == head.i or head.dep_ in {"ROOT", "parataxis"}:
            return False
        head = head.head
    return False


def _hypothetical(tok: Token) -> bool:
    """A trigger under "si" ("si Tencent entrait au capital") or "sans" ("sans dévoiler le montant")."""
    cur = tok
    for _ in range(6):
        if any(c.dep_ in {"mark", "case"} and c.lower_ in {"si", "sans"} for c in cur.children):
            return True
        if cur.head.i == cur.i:
            break
        cur = cur.head
    # "Si l'opération avait eu lieu, elle aurait été la plus importante introduction …": the main
    # clause of a condition, in the conditional, is a hypothesis too
    pred = predicate_of(tok)
    conditional = any(
        "Cnd" in t.morph.get("Mood", []) for t in [pred, *pred.children] if t.pos_ in {"AUX", "VERB"}
    )
    if conditional:
        for c in pred.children:
            if (
                c.dep_.startswith("advcl")
                and c.i < tok.i
                and any(m.lower_ in {"si", "s'"} for m in c.children)
            ):
                return True
    return False


def _self_claim(args: dict[str, list[EntityBuilder] | str], spec: TypeSpec) -> bool:
    """A company does not make a deal with itself: drop the parties that fill two key roles."""
    seen: list[EntityBuilder] = []
    for role in spec.key:
        v = args.get(role)
        if isinstance(v, list):
            kept = [b for b in v if all(b is not s for s in seen)]
            if not kept:
                return True
            args[role] = kept
            seen.extend(kept)
    return False


def _coordinated_left(tok: Token, ents: DocEntities) -> list[EntityBuilder]:
    """The companies listed before tok: "Toyota Motor et Xpeng ont signé" when the parse missed the list."""
    b = ents.entity_at(tok)
    if b is None:
        return []
    doc = tok.doc
    out = [b]
    joined = False  # a list has an "et" (or "ni"); "BMW AG, Great Wall a ouvert" is no list
    start = min((s for s, e in b.mentions if s <= tok.i < e), default=tok.i)
    j = start - 1
    lo = sent_start(tok)
    left: list[EntityBuilder] = []
    while j - 1 >= lo and doc[j].lower_ in {"et", ",", "ni"}:
        prev = ents.entity_at(doc[j - 1])
        if prev is None or prev.type not in {"ORG", "BRAND"}:
            break
        joined = joined or doc[j].lower_ in {"et", "ni"}
        left.insert(0, prev)
        j = min((s for s, e in prev.mentions if s <= j - 1 < e), default=j - 1) - 1
    if joined:
        out = [*left, *out]
    # and to the right: "Mazda et Subaru étudient"
    joined = False
    right: list[EntityBuilder] = []
    k = max((e for s, e in b.mentions if s <= tok.i < e), default=tok.i + 1)
    end = sentence_of(tok).end
    while k + 1 < end and doc[k].lower_ in {"et", ",", "ni", "comme"}:
        # "avec Orange, Bouygues Telecom et le brésilien Mercado Libre", "au fonds MGX et à Bpifrance",
        # "avec le gouvernement espagnol comme avec le gouvernement allemand"
        m = k + 1
        while m < end and m < k + 6 and ents.entity_at(doc[m]) is None and _list_glue(doc[m]):
            m += 1
        nxt = ents.entity_at(doc[m]) if m < end else None
        if nxt is None or nxt.type not in {"ORG", "BRAND"}:
            break
        joined = joined or doc[k].lower_ in {"et", "ni", "comme"}
        right.append(nxt)
        k = max((e for s, e in nxt.mentions if s <= m < e), default=m + 1)
    if joined:
        out.extend(right)
    uniq: list[EntityBuilder] = []
    for e in out:
        if all(e is not u for u in uniq):
            uniq.append(e)
    return uniq


_PUBLISH_VERBS = {"publier", "annoncer", "revendiquer", "dévoiler", "communiquer", "afficher", "déclarer"}


def _present_indicative(verb: Token) -> bool:
    if any(c.dep_.startswith("aux") for c in verb.children):
        return False
    return "Pres" in verb.morph.get("Tense", []) and "Ind" in verb.morph.get("Mood", ["Ind"])


def _publisher(tok: Token, args: dict[str, list[EntityBuilder] | str], ents: DocEntities) -> list[Speaker]:
    """A company that publishes its own figures speaks for itself (the guide: "a publié" results)."""
    pred = predicate_of(tok)
    if pred is tok or pred.lemma_.lower() not in _PUBLISH_VERBS:
        return []
    subj = subject_of(pred, ents)
    found = entities_in(subj, ents, ROLE_TYPES["agent"]) if subj is not None else []
    agents = args.get("agent")
    if found and isinstance(agents, list) and found[0] in agents:
        return [Speaker(found[0].name, "org", found[0], None, ())]
    return []


def _venture_name(tok: Token, ents: DocEntities, args: dict[str, list[EntityBuilder] | str]) -> str | None:
    """The name a joint venture is given in the trigger's sentence: "une coentreprise baptisée X",
    "leur coentreprise X", "X, la coentreprise de …"."""
    doc = tok.doc
    sent = sentence_of(tok)
    parties = {b.id for r in ("agent", "partner") for b in args.get(r, []) if not isinstance(b, str)}
    for n in sent:
        if n.lemma_.lower() not in _VENTURE_NOUNS and n.lower_ not in _VENTURE_NOUNS:
            continue
        j = n.i + 1
        while (
            j < sent.end
            and j < n.i + 4
            and (
                doc[j].lower_
                in {"baptisée", "baptisé", "nommée", "nommé", "appelée", "appelé", "dénommée", ","}
                or (doc[j].pos_ == "ADJ" and doc[j].text.islower())
            )
        ):
            j += 1
        b = ents.entity_at(doc[j]) if j < sent.end else None
        if b is None and n.i >= 2 and doc[n.i - 1].pos_ == "DET" and doc[n.i - 2].text == ",":
            b = ents.entity_at(doc[n.i - 3]) if n.i >= 3 else None  # "X, la coentreprise de …"
        if b is not None and b.type in {"ORG", "BRAND"} and b.id not in parties:
            return b.name
    return None


def _list_glue(t: Token) -> bool:
    """Words between two listed names: prepositions repeated, articles, nationalities, company nouns."""
    low = t.lower_.replace("’", "'")
    if low in {
        "avec",
        "à",
        "au",
        "aux",
        "de",
        "d'",
        "du",
        "des",
        "sur",
        "le",
        "la",
        "l'",
        "les",
        "ainsi",
        "que",
    }:
        return True
    return t.text.islower() and (t.pos_ == "ADJ" or low in _company_nouns())


_PLURAL_SUBJECT = {"deux", "les"}


def _plural_parties(
    trig: Trigger,
    spec: TypeSpec,
    args: dict[str, list[EntityBuilder] | str],
    ents: DocEntities,
    last_pair: list[EntityBuilder],
) -> dict[str, list[EntityBuilder] | str]:
    """Two parties as one subject: "Toyota et Xpeng discutent", "les deux groupes ont signé"."""
    if not spec.symmetric or args.get("partner"):
        return args
    agent = args.get("agent")
    if isinstance(agent, list) and len(agent) == 1:
        subj = subject_of(predicate_of(trig.token), ents) or subject_of(trig.token, ents)
        if subj is not None:
            more = _coordinated_left(subj, ents)
            if len(more) >= 2:
                agent = more
    if isinstance(agent, list) and len(agent) >= 2:
        out = dict(args)
        out["agent"], out["partner"] = agent[:1], agent[1:]
        return out
    if not agent and len(last_pair) == 2:
        subj = subject_of(predicate_of(trig.token), ents)
        if subj is not None and any(c.lower_ == "deux" for c in subj.children) and subj.pos_ == "NOUN":
            out = dict(args)
            out["agent"], out["partner"] = last_pair[:1], last_pair[1:]
            return out
    return args


def _silent_party(
    sent: Span, args: dict[str, list[EntityBuilder] | str], ents: DocEntities
) -> tuple[EntityBuilder, str] | None:
    """The party of this claim who, in this very sentence, declines to comment."""
    cue = no_comment_cue(sent)
    if cue is None:
        return None
    subj = subject_of(sent.root, ents)
    if subj is None:
        return None
    parties = [b for v in args.values() if isinstance(v, list) for b in v]
    for b in entities_in(subj, ents, {"ORG", "BRAND", "PER", "MEDIA"}):
        if any(b is p for p in parties):
            return b, cue
    return None


def _party_speaking(
    sent: Span, cert: Certainty, args: dict[str, list[EntityBuilder] | str], ents: DocEntities
) -> list[Speaker]:
    """ "X dément …", "X n'a pas souhaité commenter": the party right before the cue speaks for itself."""
    cue_words = cert.cue.split()
    if not cue_words:
        return []
    first = next((t for t in sent if t.text == cue_words[0]), None)
    if first is None:
        return []
    j = first.i - 1
    doc = sent.doc
    while j >= sent.start and (doc[j].pos_ in {"ADV", "AUX"} or doc[j].lower_ in {"ne", "n'", "n’", ","}):
        j -= 1
    b = ents.entity_at(doc[j]) if j >= sent.start else None
    parties = {p.id for v in args.values() if isinstance(v, list) for p in v}
    if b is None or b.id not in parties:
        return []
    return [Speaker(b.name, "org", b, None, ())]


def _period_in(sent: Span, timexes: list[Timex]) -> str | None:
    for tx in timexes:
        if sent.start_char <= tx.start < sent.end_char and tx.value and _ISO_VALUE.match(tx.value):
            if tx.precision in {"year", "half", "quarter", "month"}:
                return tx.value
    return None


def _counted_noun(span: Span | None) -> str | None:
    """ "1 600 postes" -> "postes", "une soixantaine d'emplois" -> "emplois": what a figure counts."""
    if span is None:
        return None
    nouns = [
        t for t in span if t.pos_ == "NOUN" and t.lemma_.lower() not in _ROUND_COUNTS and t.like_num is False
    ]
    return nouns[-1].text.lower() if nouns else None


def _postprocess_args(
    trig: Trigger,
    spec: TypeSpec,
    args: dict[str, list[EntityBuilder] | str],
    ents: DocEntities,
    doc: Doc,
) -> dict[str, list[EntityBuilder] | str] | None:
    tok = trig.token
    if spec.type == "financials" and tok.lemma_.lower() in {"suppression", "création"}:
        # "la suppression de 1 600 postes": a workforce figure
        workers = [
            q
            for q in doc._.ondit_quantities or []
            if q.unit == "employees" and tok.idx < q.start < sentence_of(tok).end_char
        ]
        if not workers:
            return None
        span = doc.char_span(workers[0].start, workers[0].end, alignment_mode="expand")
        args["metric"] = _counted_noun(span) or "employees"
        if "agent" not in args:
            announcer = subject_of(predicate_of(tok), ents)
            found = entities_in(announcer, ents, ROLE_TYPES["agent"]) if announcer is not None else []
            if found:
                args["agent"] = found[:1]
            elif announcer is None or announcer.lemma_.lower() not in _SITE_NOUNS:
                return None  # "L'investissement s'accompagnera de la création …": the site's company, later
    if spec.type == "financials" and tok.pos_ in {"VERB", "AUX"}:
        workers = [
            q
            for q in doc._.ondit_quantities or []
            if q.unit == "employees" and sentence_of(tok).start_char <= q.start < sentence_of(tok).end_char
        ]
        if not workers:
            return None
        # the workers the verb governs ("emploie 5 000 personnes")
        in_verb = [
            q for q in workers if tok.left_edge.idx <= q.start < tok.right_edge.idx + len(tok.right_edge)
        ]
        if not in_verb:
            # a figure outside the verb's phrase counts something else ("créer une co-entreprise,
            # ont déclaré deux personnes au fait du dossier": the sources, not a workforce)
            return None
        unit_tok = doc.char_span(in_verb[0].start, in_verb[0].end, alignment_mode="expand")
        args["metric"] = _counted_noun(unit_tok) or "employees"
    if spec.type == "acquisition" and tok.lemma_.lower() in set(
        lexicons.load("claims_fr")["acquisition"]["stake_verbs"]
    ):
        stake = _stake_after(tok, ents)
        if stake is None:
            return None
        args = dict(args)
        args["target"] = [stake]
    if spec.type == "acquisition" and tok.lemma_.lower() in set(
        lexicons.load("claims_fr")["acquisition"]["sell_verbs"]
    ):
        buyers = [
            b
            for c in tok.children
            if c.dep_ in {"obl", "obl:arg", "obl:mod", "iobj"} and _prep_matches(c, "à")
            for b in entities_in(c, ents, ROLE_TYPES["agent"])
        ]
        if not buyers:
            # "a cédé sa participation dans Symbio à Michelin": "à …" hung on the stake's company
            buyer = _named_after_dative(tok, ents, {"à", "au"}, limit=4, first_only=True)
            buyers = [buyer] if buyer is not None else []
        if not buyers and any(c.lower_ in {"lui", "leur"} for c in tok.children):
            # "en négociations exclusives avec le fonds CD&R pour lui céder 50 % d'Opella"
            buyers = [
                b
                for t in tok.doc[sent_start(tok) : tok.i]
                if t.lower_ == "avec"
                for b in [_name_of_phrase(tok.doc, t.i + 1, ents, limit=5)[0]]
                if b is not None and b.type in ROLE_TYPES["agent"]
            ][:1]
        if not buyers:
            return None
        args = dict(args)
        args["agent"] = buyers
    if spec.type == "acquisition" and tok.pos_ in {"VERB", "AUX"} and "target" not in args:
        # "Vodafone Italia, que Swisscom a accepté de racheter": the relative's antecedent; "a racheté
        # en 2023 l'usine indienne de Wistron": the first noun phrase after the verb, past the time
        holder = tok.head if tok.dep_ in {"xcomp", "ccomp"} else tok
        rel = next(
            (c for c in [*tok.children, *holder.children] if c.dep_ == "obj" and _is_rel_pronoun(c)), None
        )
        ante = antecedent_of_relative(rel, ents) if rel is not None else None
        found_t = entities_in(ante, ents, ROLE_TYPES["target"]) if ante is not None else []
        if not found_t:
            # the parser may read "que" as a conjunction: ", que Swisscom a accepté de racheter"
            for q in tok.doc[max(sent_start(tok), holder.i - 5) : holder.i]:
                if q.lower_ in {"que", "qu'", "qu’"} and q.i >= 2 and tok.doc[q.i - 1].text == ",":
                    named = ents.entity_at(tok.doc[q.i - 2])
                    if named is not None and named.type in ROLE_TYPES["target"]:
                        found_t = [named]
        if found_t:
            args = dict(args)
            args["target"] = found_t[:1]
        elif tok.lemma_.lower() in {"racheter", "acquérir", "reprendre", "acheter"}:
            for t in tok.doc[tok.i + 1 : min(sentence_of(tok).end, tok.i + 8)]:
                if t.pos_ in {"DET", "ADV", "NUM"} or _time_or_amount(t) or t.lower_ in {"en", "le", "l'"}:
                    continue
                if t.pos_ == "NOUN" and ents.entity_at(t) is None and not _time_or_amount(t):
                    args = dict(args)
                    args["target"] = re.sub(r"^\d{4}\s+", "", noun_phrase(t))  # "en 2023 l'usine …"
                break
    if spec.type == "acquisition" and tok.pos_ == "NOUN" and tok.lemma_.lower() == "cession":
        # "la cession de sa division beauté, Kering Beauté, à l'américain Coty": the buyer after "à"
        buyer = None
        for t in tok.doc[tok.i + 1 : sentence_of(tok).end]:
            if t.pos_ in {"VERB", "AUX"}:
                break
            if t.lower_ in {"à", "au"}:
                named, _ = _name_of_phrase(tok.doc, t.i + 1, ents, limit=4)
                if named is not None and named.type in ROLE_TYPES["agent"]:
                    buyer = named
                    break
        if buyer is None:
            return None  # a disposal with no named buyer is no claim (the guide)
        sold = next(
            (
                b
                for t in tok.doc[tok.i + 1 : sentence_of(tok).end]
                if t.lower_ not in {"à", "au"}
                for b in [ents.entity_at(t)]
                if b is not None and b is not buyer and b.type in ROLE_TYPES["target"]
            ),
            None,
        )
        target = args.get("target")
        args = dict(args)
        args["agent"] = [buyer]
        if sold is not None:
            args["target"] = [sold]
        elif not isinstance(target, str):
            return None
    if spec.type == "investment":
        # "lever 500 millions auprès de Tencent et d'Alibaba": the investors invest in the raiser
        holder = tok if tok.pos_ in {"VERB", "AUX"} else predicate_of(tok)
        investors: list[EntityBuilder] = []
        for au in sentence_of(tok):
            if au.lower_ == "auprès" and au.i > tok.i:
                # "auprès de Tencent, d'Alibaba et du fonds HongShan": the names listed after it
                for t in tok.doc[au.i + 1 : sentence_of(tok).end]:
                    b = ents.entity_at(t)
                    if b is not None:
                        if b.type in ROLE_TYPES["agent"] and all(b is not x for x in investors):
                            investors.append(b)
                    elif t.pos_ in {"VERB", "AUX", "PRON", "SCONJ"} or t.text in {".", ";", ":", "(", "«"}:
                        break
                break
        if investors:
            raiser = subject_of(holder, ents)
            raised = entities_in(raiser, ents, ROLE_TYPES["target"]) if raiser is not None else []
            if not raised and raiser is not None:
                # "La start-up parisienne Dust"
                near, _ = _name_of_phrase(tok.doc, raiser.i + 1, ents, limit=4)
                raised = [near] if near is not None and near.type in ROLE_TYPES["target"] else []
            if raised:
                args = dict(args)
                args["agent"], args["target"] = investors, raised[:1]
    if (
        spec.type == "investment"
        and tok.pos_ == "NOUN"
        and "target" not in args
        and _case_words(tok) == "pour"
    ):
        # "construira une usine à X pour un investissement de 4 milliards": the usine is the target
        objs = [c for c in tok.head.children if c.dep_ == "obj" and c.pos_ == "NOUN"]
        if tok.head.pos_ == "VERB" and objs:
            args = dict(args)
            args["target"] = noun_phrase(objs[0])
    if spec.type == "investment" and "target" not in args and args.get("agent"):
        # "un plan d'investissement de 1 500 milliards de yens dans l'électrification": the parse
        # hangs "dans …" on the amount; read it after the trigger on the surface
        doc_ = tok.doc
        for t in doc_[tok.i + 1 : min(sentence_of(tok).end, tok.i + 14)]:
            if t.is_punct or (t.pos_ in {"VERB", "AUX"} and t.dep_ != "acl"):
                break
            if t.lower_ == "dans" and t.i + 1 < len(doc_):
                named, _ = _name_of_phrase(doc_, t.i + 1, ents, limit=3)
                head = next((x for x in doc_[t.i + 1 : t.i + 4] if x.pos_ in {"NOUN", "PROPN"}), None)
                if named is not None and named.type in ROLE_TYPES["target"]:
                    args = dict(args)
                    args["target"] = [named]
                elif head is not None and ents.entity_at(head) is None and not _time_or_amount(head):
                    args = dict(args)
                    args["target"] = noun_phrase(head)
                break
    if spec.type == "investment" and tok.pos_ in {"VERB", "AUX"}:
        need_money = {
            _norm_lemma(v) for v in lexicons.load("claims_fr")["investment"].get("verbs_need_money", [])
        }
        if tok.lemma_.lower() in need_money and not _money_near(tok):
            return None
    agent_list = args.get("agent")
    if spec.symmetric and "partner" not in args and isinstance(agent_list, list):
        rival = _rival_of(tok, agent_list, ents)
        if rival is not None:
            args = dict(args)
            args["partner"] = [rival]
    topic_t = args.get("topic")
    if spec.type == "talks" and "partner" not in args and isinstance(topic_t, str):
        # "en négociations exclusives pour racheter MasOrange": the company to be bought
        named_topic = next((b for b in ents.builders if b.name == topic_t or topic_t in b.aliases), None)
        if named_topic is not None and named_topic.type in ROLE_TYPES["partner"]:
            args = dict(args)
            args["partner"] = [named_topic]
            del args["topic"]
    if spec.type == "talks" and "partner" not in args and isinstance(args.get("agent"), list):
        # "discute d'une entrée au capital de Moonshot AI": the company the talks are about
        agents = args["agent"]
        for c in tok.children:
            if c.dep_.startswith("obl") and _case_words(c) in {"de", "d'", "d’", "sur"}:
                inside = [
                    b
                    for t in c.subtree
                    for b in [ents.entity_at(t)]
                    if b is not None and b.type in {"ORG", "BRAND"} and all(b is not a for a in agents)
                ]
                if inside:
                    args = dict(args)
                    args["partner"] = inside[:1]
                    break
    if (
        spec.type == "talks"
        and "topic" not in args
        and tok.pos_ == "NOUN"
        and not trig.via_phrase
        and any(c.dep_ == "amod" and c.pos_ == "ADJ" and c.i > tok.i for c in tok.children)
    ):
        args = dict(args)
        args["topic"] = noun_phrase(tok)  # "des discussions exploratoires", "des contacts informels"
    if spec.type == "talks" and "topic" not in args:
        deal_nouns = set().union(
            *(type_specs()[t].nouns for t in ("partnership", "merger", "acquisition", "investment"))
        )
        deal_nouns |= {"commande", "contrat", "coentreprise", "co-entreprise"}
        for t in sentence_of(tok):
            if t.i > tok.i and t.pos_ == "NOUN" and t.lemma_.lower() in deal_nouns and not _time_or_amount(t):
                args["topic"] = noun_phrase(t)
                break
    if spec.type == "market_entry" and "sector" not in args and trig.via_phrase:
        market = next(
            (tok.doc[i] for i in range(*trig.window) if tok.doc[i].lemma_.lower() in {"marché", "segment"}),
            None,
        )
        if market is not None and any(c.dep_ in {"amod", "nmod"} and c.i > market.i for c in market.children):
            args = dict(args)
            args["sector"] = noun_phrase(market)  # "entrer sur le marché français"
    if spec.type == "market_entry":
        if "sector" not in args:
            if trig.via_phrase or any(
                c.lower_ in {"secteur", "marché", "domaine", "créneau", "segment"} for c in tok.subtree
            ):
                sector = _last_sector_before(tok, ents)
                if sector is None:
                    return None
                args["sector"] = sector
            else:
                return None
    if spec.type == "facility" and tok.pos_ in {"VERB", "AUX"}:
        objs = [c for c in tok.children if c.dep_ == "obj"]
        if not objs or objs[0].lemma_.lower() not in spec.nouns:
            # the parser may hang the object on the verb as an oblique ("construira d'ici 2027 une usine")
            objs = [
                c
                for c in tok.children
                if c.i > tok.i
                and c.lemma_.lower() in spec.nouns
                and not any(cc.dep_ == "case" and cc.lower_ not in {"d'", "de", "d’"} for cc in c.children)
            ]
        if not objs:
            return None
        args["facility"] = noun_phrase(objs[0])
        for o in objs:
            places = [
                b for t in o.subtree for b in [ents.entity_at(t)] if b is not None and b.type == "PLACE"
            ]
            if places and "place" not in args:
                args["place"] = list(dict.fromkeys(places))
    if spec.type == "facility" and tok.pos_ in {"NOUN", "PROPN"}:
        pred = predicate_of(tok)
        if pred is tok or pred.lemma_.lower() not in type_specs()["facility"].verbs:
            return None
        if _case_words(tok) in {"sur", "dans", "à", "au", "près de"}:
            return None  # "construira une usine sur le même site": where it is built, not what
        args["facility"] = noun_phrase(tok)
    if spec.type == "financials" and tok.pos_ in {"NOUN", "PROPN"}:
        if not (_workforce(tok) and "metric" in args):
            args["metric"] = (trig.words if trig.via_phrase else tok.text).lower().replace("’", "'")
        if "agent" not in args:
            owner = _owner_of_noun(tok, ents)
            if owner:
                args["agent"] = owner
    if spec.type == "manufacturing":
        fixed_m = _manufacturing(tok, args, ents)
        if fixed_m is None:
            return None
        args = fixed_m
    if spec.type == "appointment":
        fixed_a = _appointment(tok, args, ents)
        if fixed_a is None:
            return None
        args = fixed_a
    if spec.type == "appointment" and "role" not in args and tok.pos_ in {"VERB", "AUX"}:
        for c in tok.children:
            if (
                c.dep_ in {"xcomp", "obj", "obl:arg"}
                and c.pos_ == "NOUN"
                and c.lemma_.lower() not in _NOT_ROLES
                and not _time_or_amount(c)
            ):
                args["role"] = _role_phrase(c)
                break
    if spec.type == "partnership" and tok.lemma_.lower() == "appuyer" and "partner" not in args:
        # "s'appuierait sur le réseau de distribution du suisse Emil Frey": the company whose asset
        # is relied on is the partner, the asset the object
        for c in tok.children:
            if c.dep_.startswith("obl") and _case_words(c) == "sur" and ents.entity_at(c) is None:
                inner = [
                    b
                    for t in c.subtree
                    for b in [ents.entity_at(t)]
                    if b is not None and b.type in ROLE_TYPES["partner"] and t.i > c.i
                ]
                if inner:
                    args = dict(args)
                    args["partner"] = list(dict.fromkeys(inner))  # "sur ceux d'OpenAI et d'Anthropic"
                    if c.pos_ == "NOUN":
                        args.setdefault("object", noun_phrase(c))
                    break
    if spec.type == "partnership" and tok.pos_ == "NOUN" and _supply_purpose(tok):
        return (
            None  # "un contrat avec Novartis pour fabriquer des anticorps": manufacturing, not a partnership
        )
    if (
        spec.type == "investment"
        and tok.lemma_.lower() == "participation"
        and tok.head.lemma_.lower()
        in {
            "céder",
            "cession",
            "vente",
            "vendre",
            "racheter",
            "acquérir",
            "revendre",
            "solder",
        }
    ):
        return None  # "racheter une participation", "céder sa participation": a sale, not money put in
    if (
        spec.type == "partnership"
        and "object" not in args
        and tok.pos_ == "NOUN"
        and (
            tok.lemma_.lower() in _VENTURE_NOUNS or (trig.via_phrase and trig.words.lower() in _VENTURE_NOUNS)
        )
    ):
        args["object"] = _phrase_with_det(tok, trig.words) if trig.via_phrase else noun_phrase(tok)
    if spec.type == "partnership" and "object" not in args and tok.pos_ == "NOUN":
        if any(
            c.dep_ == "nmod" and _case_words(c) == "de" and ents.entity_at(c) is None for c in tok.children
        ):
            args["object"] = noun_phrase(tok)  # "des accords de distribution"
    if spec.type == "partnership" and tok.lemma_.lower() in {"partenaire", "partenaires"}:
        # "Huawei, partenaire technologique d'Avatr", "X est le partenaire de Y"
        pair = _apposition_of(tok, tok.i + 1, ents)
        if pair is None:
            return None
        args = {"agent": [pair[0]], "partner": pair[1]}
    if spec.type == "listing":
        agents_l = args.get("agent")
        if isinstance(agents_l, list):
            kept_l = [b for b in agents_l if not _is_exchange(b)]
            if not kept_l:
                # "Introduit à la Bourse de Séoul en 2016, le groupe …": the exchange is the market
                subj_l = subject_of(predicate_of(tok), ents) or _subject_on_the_left(tok, ents)
                kept_l = [
                    b
                    for b in (entities_in(subj_l, ents, ROLE_TYPES["agent"]) if subj_l is not None else [])
                    if not _is_exchange(b)
                ]
            if not kept_l:
                return None
            args = dict(args)
            args["agent"] = kept_l
        if "market" not in args:
            # "qu'il vise pour le premier semestre à la Bourse de Milan", "auprès de la Bourse de
            # Hong Kong": the exchange named in the sentence is the market, wherever the parse put it
            exchange = next(
                (
                    b
                    for t in sentence_of(tok)
                    for b in [ents.entity_at(t)]
                    if b is not None and _is_exchange(b)
                ),
                None,
            )
            if exchange is not None:
                args = dict(args)
                args["market"] = [exchange]
    if spec.type == "ownership":
        fixed = _ownership_via(trig, ents) or _ownership(trig, ents) or _ownership_surface(trig, ents)
        if fixed is not None and tok.pos_ == "NOUN":
            # the surface reading sees a whole list the parse cut short ("de A, de B et de C")
            wider = _ownership_surface(trig, ents)
            if wider is not None and wider.get("owner") == fixed.get("owner"):
                if len(wider.get("owned") or []) > len(fixed.get("owned") or []):
                    fixed = wider
        fixed = _owned_listed_after(trig, ents, fixed)
        if fixed is None:
            return None
        args = fixed
    if spec.type == "acquisition" and tok.pos_ in {"NOUN", "PROPN"} and "agent" not in args:
        return None
    if spec.type == "acquisition" and "target" not in args:
        # "le rachat de la start-up Verkor", "s'offre Sapient": the company named right after
        # (past determiners, adjectives and company nouns only: "des magasins Cora" are assets)
        j = trig.window[1] if trig.window[1] > tok.i else tok.i + 1
        if j < len(tok.doc) and tok.doc[j].lower_ in {"de", "du", "d'", "d’", "des", "sur"}:
            j += 1
        named_t, end_t = _name_of_phrase(tok.doc, j, ents, limit=4) if j < len(tok.doc) else (None, j)
        assets = [
            t
            for t in tok.doc[j:end_t]
            if t.pos_ == "NOUN"
            and ents.entity_at(t) is None
            and t.lower_ not in _company_nouns()
            and t.lemma_.lower() not in _company_nouns()
            and t.lower_ not in {"start", "up", "-"}
        ]
        if named_t is not None and assets:
            named_t = None
            if not _time_or_amount(assets[0]):
                args = dict(args)
                args["target"] = noun_phrase(assets[0])  # "la reprise des magasins Cora": assets
        if (
            named_t is not None
            and named_t.type in ROLE_TYPES["target"]
            and all(named_t is not a for a in (args.get("agent") or []) if not isinstance(a, str))
        ):
            args = dict(args)
            args["target"] = [named_t]
    target = args.get("target")
    if spec.type == "acquisition" and isinstance(target, str) and _talks_noun(target):
        return None  # "ont repris leurs discussions": talks resumed, nothing bought
    if spec.type == "announcement" and tok.pos_ in {"VERB", "AUX"}:
        results = set(lexicons.load("claims_fr")["announcement"].get("results_nouns", []))
        objs = [c for c in tok.children if c.dep_ == "obj" and c.lemma_.lower() in results]
        if not objs or not _future_tense(tok):
            return None
        args = dict(args)
        args["event"] = _results_phrase(objs[0])
        if "agent" not in args:
            return None
    elif spec.type == "announcement":
        args["event"] = noun_phrase(tok) if not trig.via_phrase else _phrase_with_det(tok, trig.words)
        if "agent" not in args:
            return None
        if _past_tense(predicate_of(tok)):
            return None  # "selon ses résultats annuels": a past publication is a source, not an event to come
    model: str | None = None  # the named model after a launch verb, looked for once
    if (
        spec.type == "product_launch"
        and tok.pos_ in {"VERB", "AUX"}
        and ("product" not in args or not any(c.dep_ == "obj" for c in tok.children))
    ):
        model = _model_after(tok, ents)
    if spec.type == "product_launch" and "product" not in args and model is not None:
        args = dict(args)
        args["product"] = model
    if spec.type == "product_launch" and tok.lemma_.lower() == "sortir":
        nxt = tok.doc[tok.i + 1 : tok.i + 3].text.lower()
        if nxt == "de terre":
            return None  # "faire sortir de terre un entrepôt": a site rising, not a launch
    if spec.type == "product_launch" and "product" in args:
        prod = args["product"]
        need = lexicons.load("claims_fr")["product_launch"].get("verbs_need_product", [])
        if tok.lemma_.lower() in need and isinstance(prod, str):
            known = {b.name for b in ents.builders if b.type == "PRODUCT"}
            head_word = prod.split()[-1].lower() if prod.split() else ""
            if prod not in known and head_word not in _product_nouns():
                return None  # "a officialisé le rachat": not a product
        if isinstance(prod, str) and prod.lower() in {"cela", "ça", "ceci", "le", "la", "les"}:
            return None
        if isinstance(prod, str) and _not_a_product(prod):
            return None
        passive = any(c.dep_ in {"nsubj:pass", "aux:pass"} for c in tok.children)
        if (
            tok.pos_ in {"VERB", "AUX"}
            and not any(c.dep_ == "obj" for c in tok.children)
            and model is None
            and not passive
        ):
            return None  # "sortir du silence", "lancer dans": a launch names what is launched
        if "agent" not in args:
            # "Le smartphone sera commercialisé en France": the maker of the product named
            maker = next((b.maker for b in ents.builders if b.type == "PRODUCT" and b.name == prod), None)
            made_by = next((b for b in ents.builders if maker and b.name == maker), None)
            if made_by is not None and made_by.type in ROLE_TYPES["agent"]:
                args = dict(args)
                args["agent"] = [made_by]
    if spec.type == "acquisition" and tok.lemma_.lower() == "offre" and isinstance(args.get("target"), str):
        return None  # "une offre de cloud de confiance": a commercial offer, not a bid for a company
    if spec.type == "market_entry" and any(
        t.text in {"Bourse", "Nasdaq", "Euronext", "NYSE"}
        for t in tok.doc[tok.i : min(len(tok.doc), tok.i + 6)]
    ):
        return None  # "a fait son entrée à la Bourse de Paris": a listing, not a market
    if spec.type == "appointment" and tok.lemma_.lower() == "diriger" and _present_indicative(tok):
        return None  # "X, qui dirige la marque en Europe": a post held, not an appointment
    if spec.type == "partnership" and tok.lemma_.lower() in {"contrat", "commande"} and _money_near(tok):
        return None  # "un contrat de 2,4 milliards d'euros portant sur 90 trains": an order (the guide)
    if (
        spec.type == "product_launch"
        and tok.lemma_.lower() == "livrer"
        and (
            _money_near(tok)
            or any(c.dep_ in {"aux:pass", "obl:agent"} for c in tok.children)
            or any(
                q.unit in {"vehicles", "units"}
                for q in tok.doc._.ondit_quantities or []
                if tok.idx < q.start < tok.idx + 40
            )
        )
    ):
        return None  # "a livré près de 40 000 Renault 5": deliveries are sales; "ont été livrées par": supply
    if spec.type == "partnership":
        # "au sein d'une coentreprise baptisée Mistral Compute", "leur coentreprise, Horse Powertrain":
        # the venture's own name is what the partnership is about
        venture = _venture_name(tok, ents, args)
        if venture is not None:
            args = dict(args)
            args["object"] = venture
    if spec.type in {"partnership", "talks"}:
        # "s'appuierait sur Leapmotor": the partner is not also what the partnership is about
        party_names = {
            b.name.lower() for r in ("agent", "partner") for b in args.get(r, []) if not isinstance(b, str)
        }
        for role in ("object", "topic"):
            value = args.get(role)
            if isinstance(value, str) and value.lower() in party_names:
                args = dict(args)
                del args[role]
    return args


_NOT_ROLES = {"tête", "direction", "place", "suite"}


def _appointment(
    tok: Token, args: dict[str, list[EntityBuilder] | str], ents: DocEntities
) -> dict[str, list[EntityBuilder] | str] | None:
    """Who takes which post where: "la nomination de X au poste de directrice financière du groupe"."""
    out = dict(args)
    role = out.get("role")
    if isinstance(role, str) and role.split()[-1].lower() in _NOT_ROLES:
        del out["role"]
    if (
        tok.pos_ == "VERB"
        and ("person" not in out or "role" not in out)
        and tok.lemma_.lower() in {"nommer", "désigner", "promouvoir"}
    ):
        surf = _appointed_on_surface(tok, ents)
        if "person" not in out or surf.get("person") == out.get("person"):
            out.update({r: v for r, v in surf.items() if r not in out or r == "role"})
    if tok.pos_ == "NOUN":
        people = [b for c in tok.children if c.dep_ == "nmod" for b in entities_in(c, ents, {"PER"})]
        if people:
            out["person"] = people[:1]
        for c in [*tok.children, *(grand for child in tok.children for grand in child.children)]:
            if c.dep_ in {"nmod", "obl", "obl:mod"} and c.lemma_.lower() == "poste":
                posts = [x for x in c.children if x.dep_ == "nmod"]
                if posts:
                    out["role"] = _role_phrase(posts[0])
                    orgs = [
                        b
                        for p in posts
                        for x in p.subtree
                        for b in [ents.entity_at(x)]
                        if b is not None and b.type in ROLE_TYPES["org"]
                    ]
                    if orgs:
                        out["org"] = orgs[:1]
        if "org" not in out or out.get("org") == out.get("person"):
            announcer = subject_of(predicate_of(tok), ents)
            found = entities_in(announcer, ents, ROLE_TYPES["org"]) if announcer is not None else []
            if found:
                out["org"] = found[:1]
    if out.get("person") and "org" not in out:
        # "Le conseil d'administration a nommé X au poste de …", "Il a annoncé la nomination de X": the
        # company the sentence before is about
        prev = [b for b in _previous_subjects(tok, ents) if b.type in ROLE_TYPES["org"]]
        if prev:
            out["org"] = prev[:1]
    return out


def _appointed_on_surface(tok: Token, ents: DocEntities) -> dict[str, list[EntityBuilder] | str]:
    """ "a nommé jeudi, avec effet immédiat, Camille Duret directrice générale de Fendi",
    "a nommé X, ancien patron de Y, au poste de directeur général": person, role and org read
    left to right after the verb when the parse scatters them."""
    doc = tok.doc
    end = sentence_of(tok).end
    out: dict[str, list[EntityBuilder] | str] = {}
    j = tok.i + 1
    person = None
    while j < min(end, tok.i + 14):
        b = ents.entity_at(doc[j])
        if b is not None and b.type == "PER":
            person = b
            break
        if doc[j].pos_ in {"VERB", "AUX"}:
            return out
        j += 1
    if person is None:
        return out
    out["person"] = [person]
    while j < end and ents.entity_at(doc[j]) is person:
        j += 1
    if j < end and doc[j].text == ",":
        k = j + 1  # skip an apposition: ", ancien patron de Burberry,"
        while k < min(end, j + 12) and doc[k].text != ",":
            k += 1
        j = k + 1 if k < end and doc[k].text == "," else j
    words = [t.lower_ for t in doc[j : j + 4]]
    if words[:3] == ["au", "poste", "de"] or words[:3] == ["au", "poste", "d'"]:
        j += 3
    start = j
    while (
        j < end
        and (doc[j].pos_ in {"NOUN", "ADJ"} or doc[j].lower_ in {"-"})
        and ents.entity_at(doc[j]) is None
    ):
        j += 1
    if j > start:
        if j < end and doc[j].lower_ in {"de", "du", "d'", "d’", "des"}:
            org, _ = _name_of_phrase(doc, j + 1, ents, limit=3)
            if org is not None and org.type in ROLE_TYPES["org"]:
                out["org"] = [org]
            elif j + 1 < end and doc[j + 1].pos_ == "NOUN" and ents.entity_at(doc[j + 1]) is None:
                j += 2  # "directrice des programmes": the post's own complement
        out["role"] = doc[start:j].text
    return out


def _role_phrase(tok: Token) -> str:
    """ "directeur général" in "nommé directeur général de Renault"."""
    keep = [tok] + [
        c for c in tok.children if c.dep_ in {"amod", "flat", "fixed", "compound"} and c.i > tok.i
    ]
    end = max(t.i for t in keep)
    return tok.doc[tok.i : end + 1].text


_MAKER_NOUNS = {"usine", "usines", "site", "sites", "chaîne", "chaînes", "ligne", "lignes"}


def _manufacturing(
    tok: Token, args: dict[str, list[EntityBuilder] | str], ents: DocEntities
) -> dict[str, list[EntityBuilder] | str] | None:
    """Who makes for whom. "X fera produire ses voitures dans une usine de Y": Y makes, X is the client."""
    if tok.lemma_.lower() in {"fournisseur", "sous-traitant"}:
        # "X, principal fournisseur de puces HBM de Nvidia", "X est le fournisseur de Y"
        pair = _apposition_of(tok, tok.i + 1, ents)
        if pair is None:
            return None
        out = dict(args)
        clients = [b for b in pair[1] if b.type in ROLE_TYPES["client"]]
        if not clients:
            return None
        out["agent"], out["client"] = [pair[0]], clients[-1:]
        return out
    if tok.lemma_.lower() == "gravure":
        # "ferait appel à la gravure en 3 nm de Samsung": the foundry named after it makes,
        # for the subject of the clause
        named_g = None
        for t in tok.doc[tok.i + 1 : min(sentence_of(tok).end, tok.i + 8)]:
            if t.lower_ in {"de", "du", "d'", "d’"}:
                named_g, _ = _name_of_phrase(tok.doc, t.i + 1, ents, limit=3)
                break
            if t.is_punct or t.pos_ in {"VERB", "AUX"}:
                break
        pred_g = predicate_of(tok)
        subj_g = subject_of(pred_g, ents) if pred_g is not tok else None
        client_g = entities_in(subj_g, ents, ROLE_TYPES["client"]) if subj_g is not None else []
        if (
            named_g is None
            or not client_g
            or named_g is client_g[0]
            or named_g.type not in ROLE_TYPES["agent"]
        ):
            return None
        out = dict(args)
        out["agent"], out["client"] = [named_g], client_g[:1]
        return out
    entrust = {"confier", "sous-traiter", "attribuer"}
    entrusting = tok.head if tok.head.lemma_.lower() in entrust else None
    if entrusting is None and tok.pos_ == "NOUN":
        # "a confié à Figeac Aéro la fabrication de …": the parse may hang the noun on the name
        for t in reversed(tok.doc[max(sent_start(tok), tok.i - 9) : tok.i]):
            if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in entrust:
                entrusting = t
                break
            if t.pos_ in {"VERB", "SCONJ"} or t.lower_ in {"qui", "que"}:
                break
    if tok.pos_ == "NOUN" and entrusting is not None:
        # "a confié la fabrication des cuves à sa filiale Framatome": the one entrusted makes
        verb = entrusting
        maker_c = [
            b
            for c in verb.children
            if (c.dep_.startswith("obl") or c.dep_ == "iobj") and _case_words(c) in {"à", "au", "aux"}
            for b in entities_in(c, ents, ROLE_TYPES["agent"])
        ]
        if not maker_c:
            # the parse may hang "à sa filiale X" on the object: read "à …" after it on the surface
            entrusted = _named_after_dative(tok, ents, {"à", "au", "aux"}, limit=5, first_only=False)
            maker_c = [entrusted] if entrusted is not None else []
        subj_c = subject_of(verb, ents)
        client_c = entities_in(subj_c, ents, ROLE_TYPES["client"]) if subj_c is not None else []
        if maker_c and client_c and maker_c[0] is not client_c[0]:
            out = dict(args)
            out["agent"], out["client"] = maker_c[:1], client_c[:1]
            return out
        return None
    causative = (tok.head.lemma_.lower() == "faire" and tok.dep_ in {"xcomp", "ccomp", "obj"}) or any(
        c.lemma_.lower() == "faire" and c.dep_.startswith("aux") for c in tok.children
    )
    maker: list[EntityBuilder] = []
    for c in tok.children:
        words = _case_words(c)
        if words in {"dans", "chez", "par", "à"}:
            if c.lemma_.lower() in _MAKER_NOUNS or c.lower_ in _MAKER_NOUNS:
                for cc in c.children:
                    if cc.dep_ == "nmod" and _case_words(cc) == "de":
                        maker = entities_in(cc, ents, ROLE_TYPES["agent"])
            elif words in {"chez", "par"}:
                maker = entities_in(c, ents, ROLE_TYPES["agent"])
        if maker:
            break
    if causative or maker:
        subj_tok = subject_of(tok.head if causative else tok, ents)
        client = entities_in(subj_tok, ents, ROLE_TYPES["client"]) if subj_tok is not None else []
        if not maker or not client:
            return None
        if any(c.kb is not None and c.kb.parent in {m.name for m in maker} for c in client):
            return None  # "assembler un SUV de la marque Citroën" in Stellantis's plant: its own brand
        out = dict(args)
        out["agent"], out["client"] = maker, client
        return out
    if (
        "client" not in args
        and tok.pos_ in {"VERB", "AUX"}
        and any(c.dep_ in {"iobj", "obl:arg"} and c.lower_ in {"lui", "leur"} for c in tok.children)
    ):
        # "a conclu un accord avec Nvidia pour lui fournir des puces": "lui" is the company named before
        agents = args.get("agent")
        before = [
            b
            for t in tok.doc[sent_start(tok) : tok.i]
            for b in [ents.entity_at(t)]
            if b is not None
            and b.type in ROLE_TYPES["client"]
            and not (isinstance(agents, list) and any(b is a for a in agents))
        ]
        if before:
            # "a signé un contrat avec Ampere, la filiale de Renault, pour lui fournir": the one the
            # contract is with, else the company named last
            with_ = [
                b
                for t in tok.doc[sent_start(tok) : tok.i]
                if t.lower_ == "avec"
                for b in [_name_of_phrase(tok.doc, t.i + 1, ents, limit=3)[0]]
                if b is not None and b in before
            ]
            out = dict(args)
            out["client"] = with_[:1] or before[-1:]
            return out
    if "client" not in args:
        # "assemblerait pour le compte de BYD": the client named on the surface
        doc = tok.doc
        for t in doc[tok.i + 1 : min(sentence_of(tok).end, tok.i + 8)]:
            if (
                t.lower_ == "compte"
                and t.i >= 2
                and doc[t.i - 2].lower_ == "pour"
                and t.i + 1 < len(doc)
                and doc[t.i + 1].lower_ in {"de", "d'", "d’", "du"}
            ):
                named, _ = _name_of_phrase(doc, t.i + 2, ents, limit=3)
                agents = args.get("agent")
                if (
                    named is not None
                    and named.type in ROLE_TYPES["client"]
                    and not (isinstance(agents, list) and named in agents)
                ):
                    out = dict(args)
                    out["client"] = [named]
                    return out
                break
    if "client" not in args and isinstance(args.get("product"), str):
        # "produirait une version européenne de la SU7": the maker of the product is the client
        prod = str(args["product"])
        agents = args.get("agent")
        for pb in ents.builders:
            if pb.type == "PRODUCT" and pb.maker and pb.name in prod:
                made_for = next((m for m in ents.builders if m.name == pb.maker), None)
                if made_for is not None and not (isinstance(agents, list) and made_for in agents):
                    out = dict(args)
                    out["client"] = [made_for]
                    return out
    if "client" not in args and tok.pos_ in {"VERB", "AUX"}:
        # "fabrique les batteries des citadines de Renault": the client owns what is made
        for o in (c for c in tok.children if c.dep_ == "obj"):
            for t in o.subtree:
                b = ents.entity_at(t)
                if (
                    b is not None
                    and b.type in ROLE_TYPES["client"]
                    and t.i > o.i
                    and t.doc[t.i - 1].lower_ in {"de", "du", "d'", "d’", "des"}
                ):
                    out = dict(args)
                    out["client"] = [b]
                    return out
    return args


@cache
def _not_products() -> frozenset[str]:
    return frozenset(lexicons.load("claims_fr")["product_launch"].get("not_products", []))


def _not_a_product(phrase: str) -> bool:
    words = [
        w
        for w in phrase.lower().replace("'", "' ").split()
        if w
        not in {
            "le",
            "la",
            "les",
            "l'",
            "un",
            "une",
            "des",
            "son",
            "sa",
            "ses",
            "leur",
            "leurs",
            "ce",
            "cette",
            "ces",
        }
    ]
    # "un nouveau plan stratégique": past leading adjectives, the head noun decides
    while len(words) > 1 and words[0] in {
        "nouveau",
        "nouvel",
        "nouvelle",
        "nouveaux",
        "nouvelles",
        "premier",
        "première",
        "prochain",
        "prochaine",
        "futur",
        "future",
        "grand",
        "grande",
        "vaste",
    }:
        words = words[1:]
    return bool(words) and words[0] in _not_products()


_CURRENCIES = {"EUR", "USD", "CNY", "GBP", "JPY", "CHF", "KRW", "INR", "SEK", "HKD", "TWD"}


def _money_near(tok: Token) -> bool:
    """An amount of money in the trigger's clause."""
    subtree = list(tok.subtree)
    lo, hi = subtree[0].idx, subtree[-1].idx + len(subtree[-1])
    return any(q.unit in _CURRENCIES and lo <= q.start < hi for q in (tok.doc._.ondit_quantities or []))


def _talks_noun(phrase: str) -> bool:
    words = phrase.lower().replace("'", "' ").split()
    return any(w in type_specs()["talks"].nouns for w in words[-2:])


def _phrase_with_det(tok: Token, words: str) -> str:
    det = [c for c in tok.children if c.dep_ == "det"]
    return f"{det[0].text} {words}" if det else words


def _owner_of_noun(tok: Token, ents: DocEntities) -> list[EntityBuilder] | None:
    for c in tok.children:
        if c.dep_ == "nmod" and _case_words(c) == "de":
            found = entities_in(c, ents, {"ORG", "BRAND"})
            if found:
                return found
    return None


_OWNER_NOUNS = {"maison", "société", "propriétaire", "actionnaire", "mère", "maison-mère"}


def _ownership(trig: Trigger, ents: DocEntities) -> dict[str, list[EntityBuilder] | str] | None:
    tok = trig.token
    if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() == "appartenir":
        # "Lidl, qui appartient au groupe Schwarz"
        owned_s = subject_of(tok, ents)
        owned_a = entities_in(owned_s, ents, ROLE_TYPES["owned"]) if owned_s is not None else []
        owner_a = [
            b
            for c in tok.children
            if c.dep_.startswith("obl") and _prep_matches(c, "à")
            for b in entities_in(c, ents, ROLE_TYPES["owner"])
        ]
        if owned_a and owner_a and owned_a[0] is not owner_a[0]:
            return {"owner": owner_a[:1], "owned": owned_a[:1]}
        return None
    participle = (
        tok.pos_ == "VERB"
        and "Part" in tok.morph.get("VerbForm", [])
        and not any(c.dep_.startswith("aux") for c in tok.children)
        and (tok.dep_ in {"acl", "amod", "appos"} or any(c.dep_ == "obl:agent" for c in tok.children))
    )
    if participle:
        # "RTL Group, elle-même contrôlée par l'allemand Bertelsmann"
        owner_q = [
            b
            for c in tok.children
            if c.dep_.startswith("obl") and _prep_matches(c, "par")
            for b in entities_in(c, ents, ROLE_TYPES["owner"])
        ]
        owned_q = entities_in(tok.head, ents, ROLE_TYPES["owned"], with_conj=False)
        if not owned_q:
            j = tok.i - 1
            doc_ = tok.doc
            while j >= sent_start(tok) and (doc_[j].is_punct or doc_[j].pos_ in {"PRON", "ADV", "AUX"}):
                j -= 1
            near = ents.entity_at(doc_[j]) if j >= sent_start(tok) else None
            owned_q = [near] if near is not None and near.type in ROLE_TYPES["owned"] else []
        if owner_q and owned_q and owned_q[0] is not owner_q[0]:
            return {"owner": owner_q[:1], "owned": owned_q[:1]}
        return None
    if tok.pos_ in {"VERB", "AUX"} and _is_passive(tok):
        # "Ipsen est contrôlé par la holding Mayroy"
        owned_p = [
            b
            for c in tok.children
            if c.dep_.startswith("nsubj")
            for b in entities_in(c, ents, ROLE_TYPES["owned"])
        ]
        owner_p = [
            b
            for c in tok.children
            if c.dep_ in {"obl:agent", "obl", "obl:mod", "obl:arg"} and _prep_matches(c, "par")
            for b in entities_in(c, ents, ROLE_TYPES["owner"])
        ]
        if not owned_p:
            left = _subject_on_the_left(tok, ents)
            owned_p = entities_in(left, ents, ROLE_TYPES["owned"]) if left is not None else []
        if owned_p and owner_p and owned_p[0] is not owner_p[0]:
            return {"owner": owner_p[:1], "owned": owned_p[:1]}
        return None
    if tok.pos_ in {"VERB", "AUX"}:
        owner = subject_of(tok, ents)
        objs = [c for c in tok.children if c.dep_ == "obj"]
        if owner is None or not objs:
            return None
        owner_e = entities_in(owner, ents, ROLE_TYPES["owner"])
        owned: list[EntityBuilder] = []
        for o in objs:
            owned += entities_in(o, ents, {"ORG", "BRAND", "PRODUCT"})
            for t in o.subtree:
                b = ents.entity_at(t)
                if b is not None and b.type in {"BRAND", "ORG", "PRODUCT"} and b not in owned and t.i > o.i:
                    owned.append(b)
        owned = [b for b in owned if b not in owner_e]
        if not owner_e or not owned:
            return None
        return {"owner": owner_e[:1], "owned": owned}
    # nouns: "sa filiale italienne, Iliad Italia": the possessor owns the name that follows
    if (
        any("Yes" in c.morph.get("Poss", []) for c in tok.children if c.dep_ == "det")
        and tok.lemma_.lower() not in _OWNER_NOUNS
    ):
        named: list[EntityBuilder] = []
        _named_after(tok, ents, ROLE_TYPES["owned"], named)
        if not named:
            named = [
                b
                for c in tok.children
                if c.dep_ in {"appos", "flat:name", "nmod"} and not _case_words(c)
                for b in entities_in(c, ents, ROLE_TYPES["owned"])
            ]
        owner_tok = subject_of(predicate_of(tok) if predicate_of(tok) is not tok else tok.head, ents)
        owners = entities_in(owner_tok, ents, ROLE_TYPES["owner"]) if owner_tok is not None else []
        if named and owners and named[0] is not owners[0]:
            return {"owner": owners[:1], "owned": named[:1]}
    # nouns: "X, la maison mère de Y" / "Y, filiale de X" / "la marque X du groupe Y"
    of = None
    for c in tok.children:
        if c.dep_ in {"nmod", "amod"} and _case_words(c) == "de":
            of = entities_in(c, ents, {"ORG", "BRAND", "PRODUCT", "MEDIA"})
            if of:
                of += [
                    b for b in _coordinated_left(c, ents) if all(b is not x for x in of) and b.type != "PLACE"
                ]
                break
    if not of:
        # "maison mère" parsed as noun + amod: look under the second word
        for c in tok.children:
            for cc in c.children:
                if cc.dep_ == "nmod" and _case_words(cc) == "de":
                    of = entities_in(cc, ents, {"ORG", "BRAND", "PRODUCT", "MEDIA"}, with_conj=False)
                    if of:
                        break
    if not of:
        return None
    doc = tok.doc
    # the apposed entity: right before ("Geely, la maison mère de") or the head of the apposition
    j = tok.i - 1
    while j >= sent_start(tok) and (doc[j].pos_ in {"DET", "ADJ", "NUM"} or doc[j].is_punct):
        j -= 1
    apposed = ents.entity_at(doc[j]) if j >= sent_start(tok) else None
    if apposed is None and tok.dep_ == "appos":
        found = entities_in(tok.head, ents, {"ORG", "BRAND", "PRODUCT", "MEDIA"}, with_conj=False)
        apposed = found[0] if found else None
    if apposed is None:
        # "la marque X, filiale du groupe Y": a name right after
        k = tok.i + 1
        if k < len(doc) and ents.entity_at(doc[k]) is not None:
            apposed = ents.entity_at(doc[k])
    if apposed is None or apposed in of:
        return None
    lemma = tok.lemma_.lower()
    owner_words = ("maison mère", "maison-mère", "société mère", "actionnaire")
    if (lemma in _OWNER_NOUNS and lemma not in {"maison", "société"}) or trig.words.lower().startswith(
        owner_words
    ):
        return {"owner": [apposed], "owned": of}  # "maison mère de Volvo Cars, de Polestar et de Lotus"
    return {"owner": of[:1], "owned": [apposed]}


_OWNER_SIDE = {"propriétaire", "actionnaire", "mère", "maison-mère", "holding"}
_OWNED_SIDE = {
    "propriété",
    "filiale",
    "branche",
    "division",
    "marque",
    "unité",
    "sous-marque",
    "maison",
    "maisons",
    "marques",
    "filiales",
}
_PARTY_TYPES = {"ORG", "BRAND", "MEDIA"}


def _name_of_phrase(
    doc: Doc, start: int, ents: DocEntities, limit: int = 8
) -> tuple[EntityBuilder | None, int]:
    """The company a noun phrase ends on, reading right from `start`: "du suédois Volvo Group",
    "de la banque en ligne Fortuneo", "du groupe chinois Envision"; stops at a verb, a clause or a comma."""
    j = start
    end = min(len(doc), start + limit)
    while j < end:
        t = doc[j]
        b = ents.entity_at(t)
        if b is not None and b.type in _PARTY_TYPES:
            k = j
            while k + 1 < len(doc) and ents.entity_at(doc[k + 1]) is b:
                k += 1
            return b, k + 1
        if b is not None and b.type not in {"SECTOR"}:
            return None, j
        if t.text in {"-", "‑"} and not t.whitespace_:
            j += 1  # "la start-up Verkor": a hyphen inside a word
            continue
        if t.is_punct or t.pos_ in {"VERB", "AUX", "PRON", "SCONJ", "CCONJ"}:
            return None, j
        j += 1
    return None, j


def _ownership_surface(trig: Trigger, ents: DocEntities) -> dict[str, list[EntityBuilder] | str] | None:
    """Ownership written as an apposition, read on the surface when the parse is off:
    "X, filiale du suédois Y", "X, propriétaire de la banque en ligne Y", "Le premier actionnaire
    de Y, X, …", "Propriétaire des maisons A, B et C, X …", "X, sa filiale" (the possessor owns)."""
    tok = trig.token
    first_word = trig.words.split()[0].lower() if trig.words else tok.lower_
    owner_side = tok.lemma_.lower() in _OWNER_SIDE or (
        first_word in {"maison", "société"} and "mère" in trig.words
    )
    if not owner_side and tok.lemma_.lower() not in _OWNED_SIDE and tok.lower_ not in _OWNED_SIDE:
        return None
    after = trig.window[1] if trig.window[1] > tok.i else tok.i + 1
    if not owner_side and any("Yes" in c.morph.get("Poss", []) for c in tok.children if c.dep_ == "det"):
        return _possessed(tok, after, ents)
    found_pair = _apposition_of(tok, after, ents)
    if found_pair is None:
        return None
    apposed, of = found_pair
    if owner_side:
        return {"owner": [apposed], "owned": of}
    return {"owner": of[:1], "owned": [apposed]}


def _apposition_of(
    tok: Token, after: int, ents: DocEntities
) -> tuple[EntityBuilder, list[EntityBuilder]] | None:
    """A relational noun set beside a name, read on the surface: "X, filiale du suédois Y",
    "Le premier actionnaire de Y, X", "Propriétaire de A, B et C, X …", "X est actionnaire de Y",
    "Huawei, partenaire technologique d'Avatr". Returns (X, [Y…])."""
    doc = tok.doc
    s0 = sent_start(tok)
    # the complement: "de/du/des … Y" right after the noun and its adjectives
    j = after
    while j < len(doc) and doc[j].pos_ == "ADJ":
        j += 1
    if j >= len(doc) or doc[j].lower_ not in {"de", "du", "d'", "d’", "des"}:
        return None
    b, end_np = _name_of_phrase(doc, j + 1, ents)
    if b is None:
        return None
    of: list[EntityBuilder] = [b]
    # a list of names closed by "et": "des maisons Gucci, Saint Laurent et Bottega Veneta"
    more: list[EntityBuilder] = []
    k = end_np
    while k < len(doc) - 1 and doc[k].text in {",", "et"}:
        # "de Volvo Cars, de Polestar et de Lotus": the preposition may be repeated
        skip = 1 if doc[k + 1].lower_ in {"de", "du", "d'", "d’", "des"} else 0
        nxt, k2 = _name_of_phrase(doc, k + 1 + skip, ents, limit=4)
        if nxt is None or nxt in of or nxt in more:
            break
        more.append(nxt)
        if doc[k].text == "et":
            of.extend(more)
            end_np = k2
            break
        k = k2
    # the apposed party: the name right before ", [det] [adj] noun", or the name after the phrase
    left = tok.i - 1
    while left >= s0 and (
        doc[left].pos_ in {"DET", "ADJ", "NUM"} or doc[left].lower_ in {"premier", "principal"}
    ):
        left -= 1
    apposed: EntityBuilder | None = None
    if left >= s0 + 1 and doc[left].text == ",":
        b = ents.entity_at(doc[left - 1])
        if (
            b is not None
            and b.type in _PARTY_TYPES
            and not any(c.dep_ == "case" for c in doc[left - 1].children)
        ):
            apposed = b
    if apposed is None and (left < s0 or doc[left].is_sent_start):
        # the phrase opens the sentence: "Le premier actionnaire de Y, X, …" / "Propriétaire de A, X …"
        if end_np < len(doc) and doc[end_np].text == ",":
            b2, _ = _name_of_phrase(doc, end_np + 1, ents, limit=3)
            apposed = b2
    if apposed is None and ents.entity_at(tok) is not None and tok.lemma_.lower() == "filiale":
        apposed = ents.entity_at(tok)  # "la filiale belge du groupe Orange", resolved to Orange Belgium
    if apposed is None and any(c.dep_ == "cop" for c in tok.children):
        # "Renault est actionnaire de Nissan", "X reste la maison mère de Y"
        subj = subject_of(tok, ents)
        found = entities_in(subj, ents, _PARTY_TYPES) if subj is not None else []
        apposed = found[0] if found else None
    if apposed is None or any(apposed is x for x in of):
        return None
    return apposed, of


def _possessed(tok: Token, after: int, ents: DocEntities) -> dict[str, list[EntityBuilder] | str] | None:
    """ "sa filiale italienne, Iliad Italia", "Sa filiale Scania …", "Ampere, sa filiale": the name
    the noun is given, owned by the clause's subject, or by the previous sentence's subject when the
    noun phrase is itself the subject."""
    doc = tok.doc
    j = after
    while j < len(doc) and (doc[j].pos_ == "ADJ" or doc[j].text == ","):
        j += 1
    named, _ = _name_of_phrase(doc, j, ents, limit=2) if j < len(doc) else (None, j)
    if named is None:
        # "Ampere, sa filiale dédiée …": the name the phrase is apposed to
        left = tok.i - 1
        while left > 0 and doc[left].pos_ == "DET":
            left -= 1
        if doc[left].text == ",":
            b = ents.entity_at(doc[left - 1])
            named = b if b is not None and b.type in ROLE_TYPES["owned"] else None
    if named is None:
        return None
    owners: list[EntityBuilder] = []
    pred = predicate_of(tok)
    if pred is not tok:
        subj = subject_of(pred, ents)
        if subj is not None and subj.i != tok.i and not (subj.left_edge.i <= tok.i <= subj.right_edge.i):
            owners = [b for b in entities_in(subj, ents, ROLE_TYPES["owner"]) if b is not named]
    if not owners:
        owners = [b for b in _previous_subjects(tok, ents) if b is not named][:1]
    if not owners:
        return None
    return {"owner": owners[:1], "owned": [named]}


def _previous_subjects(tok: Token, ents: DocEntities) -> list[EntityBuilder]:
    """The companies that are subjects in the sentence before tok's (nearest first), for "sa", "son"."""
    doc = tok.doc
    s0 = sent_start(tok)
    if s0 == 0:
        return []
    prev0 = sent_start(doc[s0 - 1])
    out: list[EntityBuilder] = []
    for t in doc[prev0:s0]:
        b = ents.entity_at(t)
        if b is not None and b.type in {"ORG", "BRAND"} and t.dep_.startswith("nsubj") and b not in out:
            out.append(b)
    return out


def _ownership_via(trig: Trigger, ents: DocEntities) -> dict[str, list[EntityBuilder] | str] | None:
    """ "Ipsen est contrôlé par la famille Beaufour par l'intermédiaire de la holding Mayroy", "La famille
    contrôle le groupe via sa holding X": the holding named is the owner on record."""
    tok = trig.token
    if tok.pos_ not in {"VERB", "AUX"} or tok.lemma_.lower() not in _OWN_VERBS:
        return None
    doc = tok.doc
    owner = None
    for t in doc[tok.i + 1 : sentence_of(tok).end]:
        if (
            t.lower_ == "intermédiaire"
            and t.i + 1 < len(doc)
            and doc[t.i + 1].lower_ in {"de", "du", "d'", "d’"}
        ):
            owner, _ = _name_of_phrase(doc, t.i + 2, ents, limit=5)
            break
        if t.lower_ == "via":
            owner, _ = _name_of_phrase(doc, t.i + 1, ents, limit=5)
            break
    if owner is None or owner.type not in ROLE_TYPES["owner"]:
        return None
    if _is_passive(tok) or "Part" in tok.morph.get("VerbForm", []):
        held = subject_of(tok, ents) or _subject_on_the_left(tok, ents)
    else:
        held = next((c for c in tok.children if c.dep_ == "obj"), None)
    owned = entities_in(held, ents, ROLE_TYPES["owned"]) if held is not None else []
    owned = [b for b in owned if b is not owner]
    return {"owner": [owner], "owned": owned[:1]} if owned else None


_OWN_VERBS = {"détenir", "posséder", "contrôler", "chapeauter", "regrouper"}
_STAKE_GLUE = {"majorité", "capital", "totalité", "part", "parts", "actions", "contrôle", "droits", "vote"}
_LIST_GLUE = {
    ",",
    "et",
    "de",
    "du",
    "d'",
    "d’",
    "des",
    "%",
    "environ",
    "près",
    "quelque",
    "déjà",
    "aussi",
    "également",
}


def _owned_listed_after(
    trig: Trigger, ents: DocEntities, found: dict[str, list[EntityBuilder] | str] | None
) -> dict[str, list[EntityBuilder] | str] | None:
    """ "qui possède déjà RTL, RTL2 et Fun Radio", "qui détient 20 % de Subaru et 5 % de Mazda":
    the names listed after an active ownership verb, when the parse hangs them elsewhere."""
    tok = trig.token
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in _OWN_VERBS or _is_passive(tok):
        return found
    if "Part" in tok.morph.get("VerbForm", []) and not any(c.dep_.startswith("aux") for c in tok.children):
        return found  # "détenu par", "contrôlé par": the owner follows "par"
    doc = tok.doc
    listed: list[EntityBuilder] = []
    j = tok.i + 1
    closing = False
    while j < len(doc):
        t = doc[j]
        b = ents.entity_at(t)
        if b is not None and b.type in {"ORG", "BRAND", "PRODUCT", "MEDIA"}:
            if all(b is not x for x in listed):
                listed.append(b)
            if closing:
                break
        elif b is not None and b.type not in {"SECTOR"}:
            break
        elif t.lower_ == "et":
            closing = True
        elif not (
            t.lower_ in _LIST_GLUE or t.lower_ in _STAKE_GLUE or t.like_num or t.pos_ in {"DET", "NUM", "ADV"}
        ):
            break
        j += 1
    if not listed:
        return found
    owner: list[EntityBuilder] = []
    if found is not None and isinstance(found.get("owner"), list):
        owner = found["owner"]  # type: ignore[assignment]
    else:
        subj = subject_of(tok, ents)
        owner = entities_in(subj, ents, ROLE_TYPES["owner"]) if subj is not None else []
    owned = [b for b in listed if all(b is not o for o in owner)]
    if not owner or not owned:
        return found
    before = found.get("owned") if found is not None else None
    if isinstance(before, list):
        owned = [*before, *(b for b in owned if all(b is not x for x in before))]
    return {"owner": owner[:1], "owned": owned}


def _last_sector_before(tok: Token, ents: DocEntities) -> str | None:
    best: tuple[int, EntityBuilder] | None = None
    for b in ents.builders:
        if b.type != "SECTOR":
            continue
        for s, _e in b.mentions:
            if s < tok.i and (best is None or s > best[0]):
                best = (s, b)
    if best is None:
        return None
    return _mention_text_at(tok.doc[best[0]], best[1])


def _product_rumours(
    sent: Span,
    ents: DocEntities,
    drafts: list[Draft],
    speakers: list[Speaker],
    timexes: list[Timex],
    dct: PubDate | None,
) -> list[Draft]:
    """A product named with "prochaine", "éventuelle", "future": a launch spoken of as possible."""
    out: list[Draft] = []
    used = {b.id for d in drafts for v in d.args.values() if isinstance(v, list) for b in v}
    used |= {v for d in drafts for v in d.args.values() if isinstance(v, str)}
    kb_products = {b.id: b for b in ents.builders if b.type == "PRODUCT" and b.maker}
    for tok in sent:
        b = ents.tok2ent.get(tok.i)
        if b is None or b.id not in kb_products or b.id in used or any(b.name in str(u) for u in used):
            continue  # a product already named by a claim of the sentence ("une nouvelle version de Kimi")
        if tok.i != min((s for s, _e in b.mentions if sent.start <= s < sent.end), default=tok.i):
            continue
        root = tok
        while (
            root.head.i != root.i
            and root.head.i in range(sent.start, sent.end)
            and ents.tok2ent.get(root.head.i) is b
        ):
            root = root.head
        mods = {t.lower_ for t in sent[max(0, tok.i - sent.start - 3) : tok.i - sent.start]}
        if not mods & _PRODUCT_RUMOUR_ADJ:
            continue
        maker = next((m for m in ents.builders if m.name == b.maker and m.type in {"ORG", "BRAND"}), None)
        if maker is None:
            maker = EntityBuilder("KB:" + str(b.maker), str(b.maker), "ORG")
        cert = certainty_of(tok, sent, speakers, {maker.name})
        if cert.value == "certain":
            cert = Certainty("possible", next(iter(mods & _PRODUCT_RUMOUR_ADJ)))
        when = pick_time(tok, sent, timexes, dct)
        out.append(
            Draft("product_launch", {"agent": [maker], "product": b.name}, tok, sent, cert, speakers, when)
        )
        used.add(b.id)
    return out


def _facility_of_investment(drafts: list[Draft], ents: DocEntities) -> list[Draft]:
    """ "X investit N dans une usine à P": an investment and a facility (the guide)."""
    facility_nouns = type_specs()["facility"].nouns
    out: list[Draft] = []
    for d in drafts:
        target = d.args.get("target")
        agent = d.args.get("agent")
        if d.type != "investment" or not isinstance(target, str) or not isinstance(agent, list):
            continue
        words = target.lower().replace("'", " ").split()
        if not any(w in facility_nouns for w in words[:3]) or target not in d.sentence.text:
            continue
        if words[0] not in {"une", "un", "des", "deux", "trois", "quatre", "nouvelle", "nouvel", "nouveau"}:
            continue  # "dans son usine de Rennes": money for a plant that exists, not a new one
        if any(x.type == "facility" and x.args.get("agent") == agent for x in drafts):
            continue
        args: dict[str, list[EntityBuilder] | str] = {"agent": agent, "facility": target}
        places = [
            b
            for t in d.sentence
            if t.lower_ in {"à", "au"} and t.i > d.trigger.i
            for b in [ents.entity_at(t.doc[t.i + 1]) if t.i + 1 < len(t.doc) else None]
            if b is not None and b.type == "PLACE"
        ]
        if places:
            args["place"] = places[:1]
        out.append(Draft("facility", args, d.trigger, d.sentence, d.certainty, d.speakers, d.time))
    return out


@cache
def _site_lexicon() -> tuple[frozenset[str], frozenset[str], tuple[str, ...], frozenset[str]]:
    lex = lexicons.load("claims_fr")["facility"]
    calloff = lexicons.load("certainty_fr")["calloff_verbs"]
    return (
        frozenset(lex["site_verbs"]),
        frozenset(lex["site_nouns"]),
        tuple(lex["site_rises"]),
        frozenset(calloff),
    )


def _site_drafts(
    sent: Span,
    ents: DocEntities,
    known: list[Draft],
    history: list[Draft],
    speakers: list[Speaker],
    timexes: list[Timex],
    dct: PubDate | None,
) -> list[Draft]:
    """Sites as regional and industrial news writes them, read on the surface: "a posé jeudi à
    Saverne la première pierre de sa nouvelle usine", "inaugurera en novembre, dans son usine de
    Quimper, une nouvelle ligne", "va doubler la capacité de son usine de Reims", "Un nouveau
    bâtiment y sortira de terre d'ici 2026", "a abandonné son projet d'entrepôt à Fournès"."""
    verbs, nouns, rises, calloff = _site_lexicon()
    doc = sent.doc
    if any(d.type == "facility" for d in known):
        return []
    low_sent = sent.text.lower().replace("’", "'")
    out: list[Draft] = []
    for n in sent:
        if n.pos_ != "NOUN" or n.lemma_.lower() not in nouns:
            continue
        if _case_words(n) in {"dans", "sur", "près de"}:
            continue  # "dans son usine de Quimper": where, not what
        det = next((c for c in n.children if c.dep_ in {"det", "nummod"}), None)
        if det is None and n.i >= 2 and doc[n.i - 2].lemma_.lower() == "projet":
            det = doc[n.i - 1]  # "son projet d'entrepôt": the project's own determiner stands for it
        if det is None:
            continue
        # the verb that acts on it: left of the phrase, past adjuncts, glue words and other phrases
        verb: Token | None = None
        project = False
        j = det.i - 1
        while j >= sent.start and j > det.i - 16:
            t = doc[j]
            lem = t.lemma_.lower()
            if t.lower_ in {"qui", "que", "dont", "où", "si"} or t.pos_ == "SCONJ":
                break
            if t.pos_ in {"VERB", "AUX"}:
                if (
                    lem in verbs
                    or (lem == "poser" and "première pierre" in low_sent)
                    or (lem == "sortir" and "faire sortir de terre" in low_sent)
                    or (
                        lem in {"lancer", "démarrer", "engager"}
                        and ("travaux" in low_sent or "construction" in low_sent)
                    )
                    or (lem in calloff and project)
                ):
                    verb = t
                if verb is not None or (t.pos_ == "VERB" and t.dep_ not in {"aux", "aux:tense"}):
                    break
            if lem == "projet":
                project = True
            j -= 1
        subject_b: list[EntityBuilder] = []
        cue = verb
        if verb is not None:
            if (
                verb.lemma_.lower() in {"doubler", "tripler", "étendre"}
                and "capacité" not in low_sent
                and not any(c.i == n.i for c in verb.children if c.dep_ == "obj")
            ):
                continue
            subj = subject_of(verb, ents)
            subject_b = entities_in(subj, ents, ROLE_TYPES["agent"]) if subj is not None else []
            if not subject_b:
                left = _surface_subject(verb, ents)
                subject_b = [left] if left is not None else []
        else:
            # "Un nouveau bâtiment y sortira de terre": the site is the subject of a phrase that says it rises
            after = doc[n.i : sent.end].text.lower()
            if not n.dep_.startswith("nsubj") or not any(r in after for r in rises):
                continue
            cue = n
            subject_b = [
                sp.entity
                for sp in speakers
                if sp.entity is not None and sp.entity.type in ROLE_TYPES["agent"]
            ][:1]
            if not subject_b:
                subject_b = _previous_subjects(n, ents)[:1]
            if not subject_b:
                last = next((d for d in reversed(history) if d.type == "facility"), None)
                agents = last.args.get("agent") if last is not None else None
                subject_b = [b for b in agents if not isinstance(b, str)] if isinstance(agents, list) else []
        if not subject_b or cue is None:
            continue
        args: dict[str, list[EntityBuilder] | str] = {"agent": subject_b[:1], "facility": noun_phrase(n)}
        # the places the sentence locates things at, outside what is said about who says it
        quoted = {i for sp in speakers for i in sp.tokens}
        places = [
            b
            for t in sent
            if t.i not in quoted
            and t.i > sent.start
            and doc[t.i - 1].lower_.replace("’", "'") in {"à", "en", "au", "aux", "de", "d'", "près"}
            and not (t.i >= 2 and doc[t.i - 2].lemma_.lower() in {"préfecture", "région", "département"})
            for b in [ents.entity_at(t)]
            if b is not None and b.type == "PLACE"
        ]
        if places:
            args["place"] = _main_places(list(dict.fromkeys(places)), doc)
        own = [sp for sp in speakers if sp.covers(cue)]
        if cue.lemma_.lower() in calloff:
            cert = Certainty("denied", with_aux(cue), called_off=True)  # "a abandonné son projet d'usine"
        else:
            cert = certainty_of(cue, sent, own, _party_names(args))
        when = pick_time(cue, sent, timexes, dct)
        out.append(Draft("facility", args, cue, sent, cert, own, when))
        break
    return out


_ROUND_COUNTS = {
    "dizaine": 10, "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50,
    "soixantaine": 60, "centaine": 100,
}  # fmt: skip


def _orders(
    sent: Span,
    ents: DocEntities,
    speakers: list[Speaker],
    timexes: list[Timex],
    dct: PubDate | None,
) -> list[Draft]:
    """ "a signé une commande ferme de 70 Airbus A321XLR": a single order is a sale of the maker
    (the guide), counted in orders, its period the day the sentence gives."""
    out: list[Draft] = []
    doc = sent.doc
    for tok in sent:
        if tok.lemma_.lower() != "commande" or tok.pos_ != "NOUN":
            continue
        value: float | None = None
        product: EntityBuilder | None = None
        maker: EntityBuilder | None = None
        num_tok: Token | None = None
        for t in doc[tok.i + 1 : min(sent.end, tok.i + 9)]:
            b = ents.entity_at(t)
            if value is None and (t.like_num or t.lower_ in _ROUND_COUNTS):
                try:
                    value = float(_ROUND_COUNTS.get(t.lower_) or t.text.replace(" ", "").replace(",", "."))
                except ValueError:
                    value = None
                num_tok = t
            elif b is not None and b.type in {"ORG", "BRAND"} and value is not None and maker is None:
                maker = b  # "70 Airbus A321XLR"
            elif b is not None and b.type == "PRODUCT" and value is not None:
                product = b
                break
            elif t.is_punct or t.pos_ in {"VERB", "AUX"}:
                break
        if value is None or product is None or num_tok is None:
            continue
        if maker is None and product.maker:
            maker = next((m for m in ents.builders if m.name == product.maker), None) or EntityBuilder(
                "KB:" + str(product.maker), str(product.maker), "ORG"
            )
        if maker is None:
            continue
        cert = certainty_of(tok, sent, [sp for sp in speakers if sp.covers(tok)], {maker.name})
        when = pick_time(tok, sent, timexes, dct)
        period = when.value if when is not None else None
        qty = Quantity(value, "orders", period, num_tok.text, num_tok.idx, num_tok.idx + len(num_tok.text))
        own = [sp for sp in speakers if sp.covers(tok)]
        out.append(
            Draft("sales", {"agent": [maker], "product": product.name}, tok, sent, cert, own, None, qty)
        )
    return out


def _stake_drafts(sent: Span, ents: DocEntities, known: list[Draft]) -> list[Draft]:
    """Shareholdings the role rules missed ("détenue à 51 % par X", "dont X est le premier
    actionnaire"): background in the outlet's voice, as the guide says."""
    have = {
        (id(o), id(d))
        for k in known
        if k.type == "ownership"
        for o in k.args.get("owner", [])
        for d in k.args.get("owned", [])
    }
    out = []
    for owner, owned, cue in find_stakes(sent, ents):
        if (id(owner), id(owned)) in have:
            continue
        args: dict[str, list[EntityBuilder] | str] = {"owner": [owner], "owned": [owned]}
        out.append(Draft("ownership", args, cue, sent, Certainty("certain", cue.text), []))
    return out


_DETAIL_WORDS = {
    "montant",
    "montants",
    "prix",
    "détails",
    "détail",
    "conditions",
    "termes",
    "volumes",
    "valorisation",
}


def _reactions(
    sent: Span,
    ents: DocEntities,
    earlier: list[Draft],
    speakers: list[Speaker],
    last_pair: list[EntityBuilder] | None = None,
) -> list[Draft]:
    """ "Contacté, X n'a pas souhaité commenter." / "X dément." about claims reported earlier."""
    cue = no_comment_cue(sent)
    certainty = "uncommitted"
    if cue is None:
        root = sent.root
        den = set(lexicons.load("certainty_fr")["denial_verbs"])
        if root.lemma_.lower() in den and not any(
            c.dep_ == "advmod" and c.lower_ in {"ne", "n'", "pas"} for c in root.children
        ):
            cue, certainty = root.text, "denied"
        else:
            return []
    low = sent.text.lower()
    after_cue = low[low.find(cue.lower()) + len(cue) :] if cue.lower() in low else low
    if any(w in after_cue.split()[:6] for w in _DETAIL_WORDS):
        return []  # "n'a pas souhaité commenter le montant du contrat": a detail withheld, not the claim
    subj = subject_of(sent.root, ents)
    found: list[EntityBuilder] = []
    if subj is not None:
        found = entities_in(subj, ents, {"ORG", "BRAND", "PER", "MEDIA"})
        found += [b for b in _coordinated_left(subj, ents) if b not in found]
        if not found and last_pair and any(c.lower_ == "deux" for c in subj.children):
            found = list(last_pair)  # "les deux constructeurs n'ont pas souhaité commenter"
    if not found:
        # "« Nous ne commentons pas les rumeurs », a indiqué un porte-parole de Carrefour": the company
        # whose spokesperson speaks
        found = [
            sp.entity
            for sp in speakers
            if sp.entity is not None and sp.entity.type in {"ORG", "BRAND"} and sp.kind in {"org", "person"}
        ]
        if not found:
            found = [
                b
                for sp in speakers
                if sp.kind == "person" and sp.of
                for b in ents.builders
                if b.name == sp.of
            ]
    if not found:
        # "Ni Samsung ni AMD n'ont souhaité commenter": the companies named before the cue
        cue_at = sent.text.find(cue.split()[0]) + sent.start_char
        for t in sent:
            b = ents.entity_at(t)
            if (
                t.idx < cue_at
                and b is not None
                and b.type in {"ORG", "BRAND"}
                and all(b is not f for f in found)
            ):
                found.append(b)
    out: list[Draft] = []
    seen: set[tuple[str, str, str]] = set()
    # "n'ont pas souhaité commenter ces discussions": the event named says which claims are meant
    named_types = {
        t.spec.type
        for t in find_triggers(sent)
        if t.token.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ in {"ce", "cet", "cette", "ces"} for c in t.token.children)
    } - {"announcement"}
    pointed = [
        t
        for t in sent
        if t.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ in {"ce", "cet", "cette", "ces"} for c in t.children)
    ]
    if pointed and not named_types and earlier:
        # "n'a pas souhaité commenter ce point / cette information": the claims just reported
        last_sent = earlier[-1].sentence.start
        earlier = [d for d in earlier if d.sentence.start == last_sent]
    for d, party in ((d, p) for p in found for d in reversed(earlier)):
        if d.type in {"sales", "financials", "ownership"}:
            continue  # a reaction is about an event, not a figure or a fact of ownership
        if named_types and d.type not in named_types:
            continue
        names = {b.id for v in d.args.values() if isinstance(v, list) for b in v}
        if party.id not in names:
            continue
        # one reaction per claim: the latest report of the same parties stands for it
        dspec = type_specs().get(d.type)
        key_words = sorted(
            str(d.args[r]) for r in (dspec.key if dspec else ()) if isinstance(d.args.get(r), str)
        )
        k = (party.id, d.type, repr((sorted(names), key_words)))
        if k in seen:
            continue
        seen.add(k)
        speaker = Speaker(party.name, "org", party, None, tuple(range(sent.start, sent.end)))
        out.append(
            replace(
                d,
                trigger=sent.root,
                sentence=sent,
                certainty=Certainty(certainty, cue),
                speakers=[speaker],
                # a no-comment dates nothing; a denial keeps the time of what it denies
                time=None if certainty == "uncommitted" else d.time,
            )
        )
    return out


def _to_claim(
    d: Draft,
    args: dict[str, list[EntityBuilder] | str],
    outlet: str | None,
    closing: Source | None,
    parents: dict[str, set[str]] | None = None,
) -> Claim:
    spec = type_specs().get(d.type)
    role_order = list(spec.roles) if spec else list(args)
    out_args: list[tuple[str, str | tuple[str, ...]]] = []
    arg_ids: list[tuple[str, str]] = []
    for role in sorted(args, key=lambda r: role_order.index(r) if r in role_order else 99):
        v = args[role]
        if isinstance(v, list):
            if role == "place" or len(v) > 1:
                out_args.append((role, tuple(b.name for b in v) if len(v) > 1 else v[0].name))
            else:
                out_args.append((role, v[0].name))
                if v[0].id:
                    arg_ids.append((role, v[0].id))
        else:
            out_args.append((role, v))
    parties = _party_names(args)
    for name in list(parties):
        parties |= (parents or {}).get(name, set())
    party_ids = {b.id for v in args.values() if isinstance(v, list) for b in v}
    first = next(
        (
            v[0].name
            for r in ("agent", "owner", "person", "org")
            for v in [args.get(r)]
            if isinstance(v, list) and v
        ),
        None,
    )
    source = chain_for(d.speakers, parties, party_ids, outlet, closing, first)
    text = d.sentence.text
    lead = len(text) - len(text.lstrip())
    evidence = text.strip()
    start = d.sentence.start_char + lead
    return Claim(
        type=d.type,
        args=tuple(out_args),
        certainty=d.certainty.value,
        source=source,
        cue=d.certainty.cue,
        evidence=evidence,
        start=start,
        end=start + len(evidence),
        time=d.time,
        quantity=d.quantity,
        called_off=d.certainty.called_off,
        arg_ids=tuple(arg_ids),
    )


def iter_sentences(doc: Doc) -> Iterable[Span]:
    return doc.sents
