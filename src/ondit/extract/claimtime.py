"""Which time a claim carries: the expression nearest its trigger, its role and its precision.

`pick_time` chooses among the sentence's normalised expressions (`extract/timex.py`) the one
that dates the claim's predicate, decides whether it is `occurred` or `expected` from tense
and cue words, and keeps unresolved expressions as text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from spacy.tokens import Doc, Span, Token

from ondit import lexicons
from ondit.extract.attribution import governed_by_modal
from ondit.extract.timex import Timex
from ondit.model import PubDate, TimeRef

_ISO_VALUE = re.compile(r"^\d{4}(?:-(?:\d{2}|Q[1-4]|H[12]|W\d{2})(?:-\d{2}(?:T\d{2}:\d{2})?)?)?$")


def predicate_of(tok: Token) -> Token:
    """The verb a trigger noun depends on ("a signé un accord" -> signé); a verb is its own."""
    if tok.pos_ in {"VERB", "AUX"}:
        return tok
    cur = tok
    for _ in range(3):
        if cur.dep_ in {"ROOT", "appos", "conj"} or cur.head is cur:
            return tok
        cur = cur.head
        if cur.pos_ in {"VERB", "AUX"}:
            return cur
    return tok


def _timex_token(doc: Doc, tx: Timex) -> Token | None:
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _past_tense(pred: Token) -> bool:
    chain = [pred, *pred.ancestors]
    for t in chain[:4]:
        tense = t.morph.get("Tense", [])
        if "Past" in tense and any(c.dep_.startswith("aux") for c in t.children):
            return True
        if "Imp" in tense and not t.text.endswith(("rait", "raient")):
            return True
        if t.pos_ in {"VERB", "AUX"} and "Fin" in t.morph.get("VerbForm", []):
            return False
    return False


def _role_for(tx: Timex, pred: Token, dct: PubDate | None) -> Literal["occurred", "expected"]:
    if tx.tense == "future":
        return "expected"
    if tx.tense == "past":
        return "occurred"
    bounds = _period_bounds(tx.value) if tx.value else None
    today = dct.date() if dct else None
    if bounds and dct:
        start, end = bounds
        ref_start, ref_end = _period_bounds(dct.iso()[:10] if today else dct.iso()) or (start, end)
        if end < ref_start:
            return "occurred"
        if start > ref_end:
            return "expected"
    return "occurred" if _past_tense(pred) else "expected"


def _period_bounds(value: str) -> tuple[str, str] | None:
    m = re.match(r"^(\d{4})(?:-(\d{2}|Q[1-4]|H[12]|W\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    y, part, day = m.group(1), m.group(2), m.group(3)
    if part is None:
        return f"{y}-01-01", f"{y}-12-31"
    if part.startswith("Q"):
        q = int(part[1])
        return f"{y}-{3 * q - 2:02d}-01", f"{y}-{3 * q:02d}-31"
    if part.startswith("H"):
        h = int(part[1])
        return (f"{y}-01-01", f"{y}-06-30") if h == 1 else (f"{y}-07-01", f"{y}-12-31")
    if part.startswith("W"):
        import datetime as dt

        monday = dt.date.fromisocalendar(int(y), int(part[1:]), 1)
        return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    if day is None:
        return f"{y}-{part}-01", f"{y}-{part}-31"
    return f"{y}-{part}-{day}", f"{y}-{part}-{day}"


_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_FUTURE_ENDINGS = ("ra", "ras", "rai", "rons", "rez", "ront")


def _verb_is_future(v: Token) -> bool:
    """The verb itself (with its auxiliaries) is in the future: "annoncera", "va annoncer"."""
    for t in [v, *(c for c in v.children if c.dep_.startswith("aux"))]:
        if "Fut" in t.morph.get("Tense", []):
            return True
        if (
            t.pos_ in {"VERB", "AUX"}
            and t.lower_.endswith(_FUTURE_ENDINGS)
            and "Cnd" not in t.morph.get("Mood", [])
        ):
            return True
    head = v.head
    return head.lemma_ == "aller" and v.dep_ == "xcomp" and "Pres" in head.morph.get("Tense", [])


def _future_tense(pred: Token) -> bool:
    for t in [pred, *pred.children, *list(pred.ancestors)[:2]]:
        if t.pos_ not in {"VERB", "AUX"}:
            continue
        if "Fut" in t.morph.get("Tense", []) or (
            t.lower_.endswith(_FUTURE_ENDINGS) and "Cnd" not in t.morph.get("Mood", [])
        ):
            return True
        if (
            t.lemma_ == "aller"
            and "Pres" in t.morph.get("Tense", [])
            and any(c.dep_ == "xcomp" for c in t.children)
        ):
            return True
    return False


def _weekday_by_tense(tx: Timex, pred: Token, dct: PubDate | None) -> Timex:
    """ "jeudi" alone is the coming Thursday for "tiendront", the last one for "a annoncé"."""
    import datetime as dt
    from dataclasses import replace as dc_replace

    low = tx.text.lower()
    if dct is None or dct.date() is None or not tx.value or not any(w in low for w in _WEEKDAYS):
        return tx
    if any(ch.isdigit() for ch in low.split("à")[0].split("h")[0]):
        return tx  # "jeudi 18 avril" names its date
    try:
        day = dt.date.fromisoformat(tx.value[:10])
    except ValueError:
        return tx
    pub = dct.date()
    assert pub is not None
    shift = 0
    if _future_tense(pred) and day < pub:
        shift = 7
    elif _past_tense(pred) and day > pub:
        shift = -7
    if not shift:
        return tx
    new = (day + dt.timedelta(days=shift)).isoformat() + tx.value[10:]
    return dc_replace(tx, value=new)


@cache
def _speech_lemmas() -> frozenset[str]:
    lex = lexicons.load("certainty_fr")
    return frozenset(lex["assertive_verbs"]) | frozenset(lex["denial_verbs"]) | {"démentir", "nier"}


_DAY_WORDS = (
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "aujourd'hui",
    "hier",
    "demain",
)
_MONTH_WORDS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "mois",
)


def _precision_of_words(text: str) -> str | None:
    """The precision an unresolved expression names: "jeudi" is a day even when no date can be given."""
    low = text.lower()
    if re.search(r"\d{1,2}\s*h(?:\s*\d{2})?\b|\d{1,2}:\d{2}", low):
        return "minute"
    if any(w in low for w in _DAY_WORDS) or re.search(r"\ble \d{1,2}(?:er)?\b", low):
        return "day"
    if "semaine" in low:
        return "week"
    if any(w in low for w in _MONTH_WORDS):
        return "month"
    if "trimestre" in low:
        return "quarter"
    if "semestre" in low:
        return "half"
    if re.search(r"\b(?:an|année)\b", low):
        return "year"
    return None


def _usable(tx: Timex) -> bool:
    if tx.type in {"DURATION", "SET"}:
        return False
    return tx.value is None or bool(_ISO_VALUE.match(tx.value))


def pick_time(trig: Token, sent: Span, timexes: list[Timex], dct: PubDate | None) -> TimeRef | None:
    cands = [tx for tx in timexes if sent.start_char <= tx.start < sent.end_char and _usable(tx)]
    if not cands:
        return None
    pred = predicate_of(trig)
    chain = {trig.i, pred.i}
    if pred is not trig and pred.lemma_.lower() in _speech_lemmas() and trig.pos_ in {"NOUN", "PROPN"}:
        chain.discard(pred.i)  # "a démenti vendredi tout projet de fusion": Friday dates the denial
    completed = any(c.dep_.startswith("aux") and "Inf" in c.morph.get("VerbForm", []) for c in pred.children)
    for a in pred.ancestors:
        # "pourrait annoncer cette année" is not said yet
        said = not governed_by_modal(a) and not _verb_is_future(a)
        if a.lemma_.lower() in _speech_lemmas() and not completed and said:
            # "a démenti mercredi être en discussion": Wednesday dates the denial, not the talks;
            # but "annonçait en janvier avoir signé" dates a signing already done
            break
        chain.add(a.i)

    subtree = {t.i for t in trig.subtree}
    for c in trig.children:
        if c.pos_ in {"VERB", "AUX"} and c.lemma_.lower() in _speech_lemmas() and c.i > trig.i:
            subtree -= {t.i for t in c.subtree}  # ", a répété mardi Richard Yu": the incise's own time

    def clause_verb(tok: Token) -> Token:
        cur = tok
        while cur.head.i != cur.i and not (cur.pos_ in {"VERB", "AUX"} and cur.dep_ != "aux:tense"):
            cur = cur.head
        return cur

    def score(tx: Timex) -> tuple[int, int]:
        tok = _timex_token(trig.doc, tx)
        attached = tok is not None and (tok.head.i in chain or tok.i in subtree)
        dist = abs(tx.start - trig.idx)
        return (0 if attached else 1, dist)

    def in_clause(tx: Timex) -> bool:
        tok = _timex_token(trig.doc, tx)
        if tok is None:
            return False
        if tok.head.i in chain or tok.i in subtree:
            return True
        before = trig.doc.text[max(sent.start_char, tx.start - 14) : tx.start].lower()
        if any(w in before for w in ("à compter d", "à partir d", "avec effet")):
            return True  # "la nomination de X, à compter du 1er avril": an effective date, not the speech's
        return clause_verb(tok).i in chain

    cands = [tx for tx in cands if in_clause(tx)]
    if not cands:
        return None
    if (
        trig.pos_ == "NOUN"
        and predicate_of(trig) is not trig
        and any(tx.precision in {"day", "minute"} for tx in cands)
    ):
        # "publiera ses résultats du troisième trimestre le 25 octobre": an event is dated by its day
        day_first = [tx for tx in cands if tx.precision in {"day", "minute"}]
        heads = [_timex_token(trig.doc, tx) for tx in day_first]
        if any(h is not None and h.head.i == predicate_of(trig).i for h in heads):
            cands = day_first
    tx = _weekday_by_tense(min(cands, key=score), pred, dct)
    return TimeRef(
        tx.spec_value(),
        tx.precision if tx.spec_value() else _precision_of_words(tx.text),
        tx.approximate,
        _role_for(tx, pred, dct),
        tx.text,
        tx.start,
        tx.end,
    )
