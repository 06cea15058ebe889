"""Certainty of a report (SPEC, after FactBank): from the trigger's chain of governing words.

Only the words that govern the claim count: a negation in one clause does not
deny the claim of the next, a conditional in an unrelated clause does not
hedge it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from ondit import lexicons
from ondit.nlp.sents import once

if TYPE_CHECKING:
    from ondit.extract.attribution import Speaker

_CONDITIONAL = re.compile(r"(?:rait|raient|rais|rions|riez)$")
_NON_PARTY_KINDS = {"agency", "media", "anonymous", "analyst"}
_NO_COMMENT_VERBS = {
    "commenter",
    "réagir",
    "confirmer",
    "exprimer",
    "répondre",
    "souhaiter",
    "vouloir",
    "refuser",
}


@dataclass(frozen=True)
class Certainty:
    value: str
    cue: str
    called_off: bool = False


@cache
def _lex() -> dict[str, list[str]]:
    return {k: list(v) for k, v in lexicons.load("certainty_fr").items()}


def is_conditional(tok: Token) -> bool:
    if tok.pos_ not in {"VERB", "AUX"}:
        return False
    return "Cnd" in tok.morph.get("Mood", []) or bool(_CONDITIONAL.search(tok.lower_))


def _negated(tok: Token) -> Token | None:
    neg = set(_lex()["negation_words"])
    # "n'est pas en discussion": the negation may hang on the copula
    cops = [c for c in tok.children if c.dep_ == "cop"]
    for c in [*tok.children, *(cc for cop in cops for cc in cop.children)]:
        if (
            c.dep_ in {"advmod", "det", "cc"}
            and c.lower_.replace("’", "'") in neg
            and c.lower_ not in {"plus", "ni"}
        ):
            return c
    return None


def with_aux(tok: Token) -> str:
    """A verb with its auxiliaries and negation, as the text writes it: "n'a pas souhaité"."""
    aux = [c for c in tok.children if c.dep_.startswith("aux") and c.i < tok.i and c.pos_ in {"AUX", "VERB"}]
    neg = [c for c in tok.children if c.dep_ == "advmod" and c.lower_ in {"ne", "n'", "n’", "pas"}]
    words = sorted([*aux, *neg, tok], key=lambda t: t.i)
    if len(words) == 1:
        return tok.text
    return tok.doc[words[0].i : words[-1].i + 1].text


_DENIAL_FORMS = (
    "dément",
    "démen",
    "démentent",
    "réfut",
    "nie",
    "nient",
    "nié",
    "niant",
    "nier",
    "conteste",
    "contest",
)


def is_denial(tok: Token) -> bool:
    low = tok.lower_
    return tok.lemma_.lower() in set(_lex()["denial_verbs"]) or (
        tok.pos_ not in {"PROPN", "ADP", "DET"}
        and low.startswith(_DENIAL_FORMS)
        and not low.startswith("niveau")
    )


def chain(trigger: Token) -> list[Token]:
    """The trigger and the words that govern it, up to the sentence root.

    The climb stops at a coordinated or juxtaposed clause that has its own subject:
    in "X n'a pas racheté Y, mais Z a signé un accord", the negation is not Z's.
    """
    out = [trigger]
    cur = trigger
    while cur.head.i != cur.i and len(out) < 8:
        if cur.dep_ in {"conj", "parataxis"} and (
            any(c.dep_.startswith("nsubj") for c in cur.children) or "Fin" in cur.morph.get("VerbForm", [])
        ):
            break
        participle = "Part" in cur.morph.get("VerbForm", []) and not any(
            c.dep_.startswith("aux") for c in cur.children
        )
        if cur.dep_ == "acl:relcl" or (
            participle and cur.dep_ in {"acl", "advcl", "appos", "amod", "conj", "dep"} and cur.pos_ == "VERB"
        ):
            break  # relative clauses and participles are background: "X, qui possède 49 % de Y, a démenti …"
        cur = cur.head
        out.append(cur)
    return out


def certainty_of(trigger: Token, sent: Span, speakers: list[Speaker], parties: set[str]) -> Certainty:
    lex = _lex()
    calloff = set(lex["calloff_verbs"])
    possible_verbs = set(lex["possible_verbs"])
    possible_words = set(lex["possible_words"])
    low_sent = sent.text.lower().replace("’", "'")
    toks = chain(trigger)
    cue_verb: Token | None = None

    # call-off: "met fin aux discussions", "annule l'introduction en Bourse", "renonce à"
    for t in toks:
        lemma = t.lemma_.lower()
        if t is not trigger and lemma in calloff and t.pos_ in {"VERB", "AUX", "NOUN"}:
            return Certainty("denied", with_aux(t), True)
        if lemma == "mettre" and any(c.lower_ == "fin" for c in t.children):
            return Certainty("denied", with_aux(t) + " fin", True)
        if lemma in {"fin", "terme"} and t is not trigger and any(c.lemma_ == "mettre" for c in [t.head]):
            return Certainty("denied", f"{t.head.text} {t.text}", True)
        if lemma in {"retirer"} and t is trigger:
            return Certainty("denied", with_aux(t), True)
    for phrase in lex["calloff_phrases"]:
        if phrase in low_sent and trigger.i > sent.start:
            idx = low_sent.find(phrase)
            if idx < trigger.idx - sent.start_char:
                return Certainty("denied", sent.text[idx : idx + len(phrase)], True)

    # a party that takes no position: "n'a pas souhaité commenter", "ni confirmé ni démenti"
    nc = no_comment_cue(sent)
    if nc is not None and any(t.lemma_.lower() in _NO_COMMENT_VERBS for t in toks[1:]):
        return Certainty("uncommitted", nc)

    # denial: "X dément être en discussion", "nie tout projet"
    for t in sent:
        if t.i >= trigger.i:
            break
        if (
            t not in toks
            and is_denial(t)
            and not any(w.lower_ in {"mais", ";"} for w in sent.doc[t.i : trigger.i])
            and not any(
                w.pos_ == "VERB" and "Fin" in w.morph.get("VerbForm", []) and w.dep_ != "acl:relcl"
                for w in sent.doc[t.i + 1 : trigger.i]
            )
        ):
            toks = [*toks, t]
    for t in toks[1:]:
        if is_denial(t):
            if _negated(t) is not None:
                return Certainty("uncommitted", with_aux(t))
            return Certainty("denied", with_aux(t))

    # doubtful
    for phrase in lex["doubtful_phrases"]:
        if phrase in low_sent:
            return Certainty("doubtful", phrase)

    # negation on the chain: "n'est pas en discussion", "aucun accord"
    for t in toks:
        n = _negated(t)
        if n is not None:
            if t.lemma_.lower() in {"exclure", "écarter"}:
                return Certainty("possible", with_aux(t))
            if t.lemma_.lower() in {"confirmer", "commenter"}:
                return Certainty("uncommitted", with_aux(t))
            if t.lemma_.lower() == "devoir" and is_conditional(t):
                return Certainty("doubtful", with_aux(t))
            if t.pos_ in {"VERB", "AUX"}:
                return Certainty("denied", with_aux(t))
            lo, hi = min(n.i, t.i), max(n.i, t.i)
            return Certainty("denied", t.doc[lo : hi + 1].text if hi - lo < 6 else f"{n.text} {t.text}")
        # copula negation: "n'est pas en discussion" hangs the negation on the predicate noun
        if t.pos_ in {"NOUN", "ADJ"}:
            cop = [c for c in t.children if c.dep_ == "cop"]
            if cop and n is not None:
                return Certainty("denied", f"{n.text} {cop[0].text}")
    if trigger.pos_ in {"NOUN", "PROPN"}:
        for c in trigger.children:
            if c.lower_ in {"aucun", "aucune", "nul", "nulle"}:
                return Certainty("denied", c.text)

    # possible: modal pouvoir, hedging verbs and words, a question
    for t in toks:
        lemma = t.lemma_.lower()
        if t.pos_ in {"VERB", "AUX"} and lemma in possible_verbs:
            return Certainty("possible", with_aux(t))
        for c in t.children:
            if c.lower_ in possible_words and c.dep_ in {"advmod", "amod", "mark"} and c.lower_ != "si":
                return Certainty("possible", c.text)
    for c in trigger.children:
        if c.dep_ == "amod" and c.lemma_.lower() in {
            "éventuel",
            "possible",
            "potentiel",
            "hypothétique",
        }:
            return Certainty("possible", c.text)
    if "rumeur" in low_sent or "peut-être" in low_sent or "peut être" in low_sent:
        word = "rumeurs" if "rumeur" in low_sent else "peut-être"
        return Certainty("possible", word)
    if sent.text.rstrip().endswith("?"):
        return Certainty("possible", "?")
    if any(t.lower_ == "si" and t.dep_ == "mark" and t.head in toks for t in sent):
        return Certainty("possible", "si")

    # probable: conditional of reported speech, devoir, hedges, "selon"
    for t in toks:
        if _tense_agreement(t):
            continue  # "a annoncé qu'il investirait": the conditional of reported speech after a past tense
        if is_conditional(t):
            return Certainty("probable", with_aux(t) if t.pos_ != "AUX" else t.text)
        for c in t.children:
            if c.dep_ in {"aux", "aux:tense", "cop", "aux:pass"} and is_conditional(c):
                return Certainty("probable", c.text)
        if t.lemma_.lower() == "devoir" and t.pos_ in {"VERB", "AUX"} and is_conditional(t):
            return Certainty("probable", t.text)  # "devrait"; "doit présenter" is scheduled, certain
    for word in ("probablement", "vraisemblablement", "sans doute", "apparemment"):
        if word in low_sent:
            return Certainty("probable", word)
    for phrase in _lex()["own_information_phrases"]:
        at = low_sent.replace("’", "'").find(phrase)
        if at >= 0:
            return Certainty("probable", sent.text[at : at + len(phrase)])
    for sp in speakers:
        in_sentence_nonparty = sp.kind in _NON_PARTY_KINDS or (
            sp.entity is None and sp.kind not in {"official", "self"}
        )
        if in_sentence_nonparty and sp.name not in parties:
            cue = _source_cue(sent, sp)
            return Certainty("probable", cue)

    # certain: the verb that states it
    if trigger.pos_ == "VERB":
        cue_verb = trigger
    for t in [] if cue_verb is not None else toks:
        if (t.pos_ in {"VERB", "AUX"} and "Fin" in t.morph.get("VerbForm", [])) or (
            t.pos_ == "VERB" and t.dep_ == "ROOT"
        ):
            cue_verb = t
            break
    for sp in speakers:
        for i in sp.tokens:
            head = sent.doc[i].head
            if head.pos_ == "VERB" and head.i not in sp.tokens:
                cue_verb = head
                break
    if cue_verb is None:
        cue_verb = next((t for t in toks if t.pos_ in {"VERB", "AUX"}), trigger)
    return Certainty("certain", with_aux(cue_verb))


def _tense_agreement(t: Token) -> bool:
    """A conditional in the complement of a past speech verb: "X a annoncé qu'il investirait"."""
    if not is_conditional(t) or t.dep_ != "ccomp":
        return False
    head = t.head
    past = "Past" in head.morph.get("Tense", []) or "Imp" in head.morph.get("Tense", [])
    return head.lemma_.lower() in set(_lex()["assertive_verbs"]) and past and not is_conditional(head)


def _source_cue(sent: Span, sp: Speaker) -> str:
    first = min(sp.tokens) if sp.tokens else sent.start
    doc = sent.doc
    if first > sent.start:
        prev = doc[first - 1]
        if prev.lower_ == "selon":
            return "selon"
        if prev.lower_ == "après" and first - 2 >= 0:
            return doc[first - 2 : first].text
    head = doc[first].head
    for i in sp.tokens:
        h = doc[i].head
        if h.pos_ == "VERB" and h.i not in sp.tokens:
            head = h
            break
    return head.text


def no_comment_cue(sent: Span) -> str | None:
    """The no-comment phrase of a sentence ("n'a pas souhaité commenter"), computed once per sentence."""
    return once(sent.doc, "ondit_no_comment", (sent.start, sent.end), lambda: _no_comment_cue(sent))


def _no_comment_cue(sent: Span) -> str | None:
    low = sent.text.lower().replace("’", "'")
    for phrase in _lex()["uncommitted_phrases"]:
        if phrase in low:
            i = low.find(phrase)
            return sent.text[i : i + len(phrase)]
    return None
