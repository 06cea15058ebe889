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
from ondit.extract.attribution import governed_by_modal, speech_or_act
from ondit.extract.timex import Timex
from ondit.model import PubDate, TimeRef
from ondit.nlp.sents import doc_text, sentence_of

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
    if _expected_passive(pred):
        return "expected"  # "la finalisation est attendue au troisième trimestre"
    return "occurred" if _past_tense(pred) else "expected"


def _expected_passive(pred: Token) -> bool:
    """ "est attendue", "est prévue", "sont programmés": a present passive that looks ahead."""
    if pred.lemma_.lower() not in _claim_time_lex()["expected_participles"]:
        return False
    auxes = [c for c in pred.children if c.dep_.startswith("aux")]
    return any(c.lemma_ == "être" and "Pres" in c.morph.get("Tense", []) for c in auxes) and not any(
        c.lemma_ == "avoir" for c in auxes
    )


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


def _xcomp_chain(v: Token) -> list[Token]:
    out: list[Token] = []
    cur = v
    for _ in range(3):
        nxt = next((c for c in cur.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}), None)
        if nxt is None:
            break
        out.append(nxt)
        cur = nxt
    return out


def _in_other_clause(tok: Token, trig: Token, top: Token | None = None) -> bool:
    """A time that sits in a clause of its own ("Fondé en 2016, X a levé…", "…, mais le modèle
    arrivera en mars", "L'investissement atteindra 1 milliard et permettra de créer 900 emplois d'ici
    2027") dates that clause, not the trigger; a participle or relative clause in a noun trigger's
    phrase ("l'usine, qui ouvrira en 2026", "le projet d'introduction, prévu au premier semestre")
    is the trigger's."""
    top = top if top is not None else trig
    cur = tok
    while cur.i != top.i:
        if cur.head.i == cur.i:
            return True  # never reached the trigger's phrase
        if cur.dep_ == "appos" and cur.i != tok.i:
            return True  # "avec l'État allemand, actionnaire de Hensoldt depuis 2020": the apposition's time
        if cur.pos_ == "VERB" and any(
            c.dep_ == "mark" and c.lower_ in {"pour", "afin"} for c in cur.children
        ):
            return True  # "en discussion … pour lui fournir des modules à partir de 2028": the purpose's time
        if cur.pos_ in {"VERB", "AUX"} and not cur.dep_.startswith("aux") and cur.dep_ != "xcomp":
            own = (
                trig.pos_ not in {"VERB", "AUX"}
                and cur.dep_.startswith("acl")
                and cur.head.pos_ in {"NOUN", "PROPN", "PRON"}
            )
            if not own:
                return True
        cur = cur.head
    return False


def _ancestors_in_clause(tok: Token) -> list[Token]:
    """The heads above a verb up to its clause's coordination: in "X a racheté l'an dernier …, et
    Y a démenti mardi tout projet de reprise", the first clause's year is not the denied deal's."""
    out: list[Token] = []
    cur = tok
    while cur.head.i != cur.i and cur.dep_ not in {"conj", "parataxis"}:
        cur = cur.head
        out.append(cur)
    return out


def _speaks(verb: Token) -> bool:
    """A speech verb, read as speech: "confier" reports only with a clause ("a confié que…", ",
    confie le patron"), not in "AMD pourrait confier 10 % de sa production à Samsung"."""
    lemma = verb.lemma_.lower()
    if lemma not in _speech_lemmas():
        return False
    if lemma not in speech_or_act():
        return True
    return verb.dep_ == "parataxis" or any(c.dep_ in {"ccomp", "parataxis"} for c in verb.children)


def _between_verb_and_object(doc: Doc, tx: Timex, trig: Token) -> bool:
    """ "ont signé lundi un accord": a time between a verb and the trigger noun, its object, dates it
    whatever the parse made of the sentence (but "a annoncé lundi le rachat" dates the speech)."""
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None or trig.pos_ not in {"NOUN", "PROPN"} or trig.i < span.end:
        return False
    if not all(t.pos_ in {"DET", "ADJ", "NUM"} for t in doc[span.end : trig.i]):
        return False
    verb = doc[span.start - 1] if span.start > 0 else None
    return verb is not None and verb.pos_ == "VERB" and verb.lemma_.lower() not in _speech_lemmas()


def pick_time(trig: Token, sent: Span, timexes: list[Timex], dct: PubDate | None) -> TimeRef | None:
    cands = [tx for tx in timexes if sent.start_char <= tx.start < sent.end_char and _usable(tx)]
    if not cands:
        return _time_from_neighbour(trig, sent, timexes, dct)
    pred = predicate_of(trig)
    chain = {trig.i, pred.i}
    if pred is not trig:
        # "un accord pourrait être signé d'ici juin": the subject's verb is a modal, the event its xcomp
        chain |= {t.i for t in _xcomp_chain(pred)}
    if pred is not trig and _speaks(pred) and trig.pos_ in {"NOUN", "PROPN"}:
        chain.discard(pred.i)  # "a démenti vendredi tout projet de fusion": Friday dates the denial
    completed = any(c.dep_.startswith("aux") and "Inf" in c.morph.get("VerbForm", []) for c in pred.children)
    for a in _ancestors_in_clause(pred):
        # "pourrait annoncer cette année" is not said yet
        said = not governed_by_modal(a) and not _verb_is_future(a)
        if a.lemma_.lower() in _speech_lemmas() and not completed and said:
            # "a démenti mercredi être en discussion": Wednesday dates the denial, not the talks;
            # but "annonçait en janvier avoir signé" dates a signing already done
            break
        chain.add(a.i)

    subtree = {t.i for t in trig.subtree}
    # the noun phrase a trigger noun complements: "un plan d'investissement", "le projet de rachat"
    phrase = (
        trig.head
        if trig.pos_ in {"NOUN", "PROPN"}
        and trig.dep_ == "nmod"
        and trig.head.lemma_.lower() in _claim_time_lex()["container_nouns"]
        else None
    )
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
        if tok is not None and phrase is not None and tok.i in {t.i for t in phrase.subtree}:
            return (-1, dist)  # "a présenté l'an dernier un plan d'investissement … d'ici 2030"
        return (0 if attached else 1, dist)

    def in_clause(tx: Timex) -> bool:
        tok = _timex_token(trig.doc, tx)
        if tok is None:
            return False
        if tok.head.i in chain or (tok.i in subtree and not _in_other_clause(tok, trig)):
            return True
        if (
            phrase is not None
            and tok.i in {t.i for t in phrase.subtree}
            and not _in_other_clause(tok, trig, phrase)
        ):
            return True  # "un plan d'investissement … d'ici 2030"
        if _target_relative(tok, trig):
            return True  # "l'introduction en Bourse de sa filiale, qu'il vise pour le premier semestre"
        before = doc_text(trig.doc)[max(sent.start_char, tx.start - 14) : tx.start].lower()
        if any(w in before for w in ("à compter d", "à partir d", "avec effet")):
            return True  # "la nomination de X, à compter du 1er avril": an effective date, not the speech's
        return clause_verb(tok).i in chain or _between_verb_and_object(trig.doc, tx, trig)

    cands = [tx for tx in cands if in_clause(tx)]
    if not cands:
        return _time_from_neighbour(trig, sent, timexes, dct)
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
    tx = _with_clock_time(_weekday_by_tense(min(cands, key=score), pred, dct), sent, timexes)
    return _time_ref(tx, pred, dct)


_CLOCK_GAP = re.compile(r"^,?\s*(?:à|vers|dès)\s+$", re.IGNORECASE)


def _with_clock_time(tx: Timex, sent: Span, timexes: list[Timex]) -> Timex:
    """ "le mardi 9 septembre à 19 heures": the day and its clock time are one minute-precise time."""
    from dataclasses import replace as dc_replace

    if tx.precision != "day" or not tx.value:
        return tx
    text = doc_text(sent.doc)
    for nxt in timexes:
        if nxt.start < tx.end or nxt.start >= sent.end_char:
            continue
        if (
            _CLOCK_GAP.match(text[tx.end : nxt.start])
            and nxt.precision == "minute"
            and (nxt.value or "").startswith(tx.value[:10])
        ):
            return dc_replace(nxt, start=tx.start, text=text[tx.start : nxt.end], tense=tx.tense or nxt.tense)
        break
    return tx


def _target_relative(tok: Token, trig: Token) -> bool:
    """A relative clause right after the trigger that says when it is aimed for: "l'introduction
    en Bourse de sa filiale, qu'il vise pour le premier semestre", "le rachat, qu'elle espère
    boucler d'ici juin"."""
    v = tok
    while v.head.i != v.i and not (v.pos_ in {"VERB", "AUX"} and not v.dep_.startswith("aux")):
        v = v.head
    while v.dep_ == "xcomp" and v.head.i != v.i:
        v = v.head
    if v.lemma_.lower() not in _claim_time_lex()["target_verbs"] or not 0 < v.i - trig.i <= 15:
        return False
    que = [c for c in v.children if c.lower_ in {"que", "qu'", "qu’"}]
    return bool(que) and all(t.pos_ != "VERB" or t.i == v.i for t in trig.doc[trig.i + 1 : que[0].i])


_BARE_MONTH_VALUE = re.compile(r"^(\d{4})-(\d{2})$")
_BARE_DAY_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2})?$")
_PLANNING_MODALS = {"devoir", "pouvoir", "aller", "prévoir", "compter", "vouloir", "espérer", "viser"}


def _month_by_tense(tx: Timex, pred: Token, dct: PubDate | None) -> Timex:
    """ "en janvier" alone is the coming January for "lancera", the last one for "a lancé"."""
    from dataclasses import replace as dc_replace

    m = _BARE_MONTH_VALUE.match(tx.value or "")
    day_m = _BARE_DAY_VALUE.match(tx.value or "")
    if day_m is not None and dct is not None and dct.month is not None and dct.day is not None:
        # "le 12 juin" after a future verb is the coming 12 June, after a past one the last
        if re.search(r"\d{4}", tx.text) or not re.search(r"[a-zéû]{3,}", tx.text.lower()):
            return tx  # "le 12 juin 2025" names its year; "12/06" is not read here
        y, mo, d = int(day_m.group(1)), int(day_m.group(2)), int(day_m.group(3))
        if y != dct.year or tx.tense is not None or any(w in tx.text.lower() for w in _DAY_WORDS[:7]):
            return tx  # a weekday is resolved by its own rule
        lead = doc_text(pred.doc)[max(0, tx.start - 25) : tx.start].lower()
        if _SINCE_BEFORE.search(lead):
            future_d, past_d = False, True
        elif _PLANNED_BEFORE.search(lead) or re.search(
            r"(?:compter|partir)\s+d[ue']\s*(?:l[ea']\s*)?$", lead
        ):
            future_d, past_d = True, False  # "à compter du 1er avril", "prévue le 12 juin"
        else:
            future_d = _future_tense(pred) or (
                pred.dep_ == "xcomp" and pred.head.lemma_.lower() in _PLANNING_MODALS
            )
            past_d = not future_d and _past_tense(pred)
        if future_d and (mo, d) < (dct.month, dct.day):
            return dc_replace(tx, value=f"{y + 1:04d}{tx.value[4:]}")  # type: ignore[index]
        if past_d and (mo, d) > (dct.month, dct.day):
            return dc_replace(tx, value=f"{y - 1:04d}{tx.value[4:]}")  # type: ignore[index]
        return tx
    if m is None or dct is None or dct.month is None:
        return tx
    if any(ch.isdigit() for ch in tx.text):
        return tx  # "janvier 2025" names its year
    year, month = int(m.group(1)), int(m.group(2))
    if year != dct.year:
        return tx
    before = doc_text(pred.doc)[max(0, tx.start - 25) : tx.start].lower()
    if tx.tense is not None:
        future, past = tx.tense == "future", tx.tense == "past"  # "d'ici janvier"
    elif _SINCE_BEFORE.search(before):
        future, past = False, True  # "discutent depuis novembre": a point already passed
    elif _PLANNED_BEFORE.search(before):
        future, past = True, False  # "son introduction, prévue début juillet": still to come
    else:
        future = _future_tense(pred) or (
            pred.dep_ == "xcomp" and pred.head.lemma_.lower() in _PLANNING_MODALS
        )
        past = not future and _past_tense(pred)
    if future and month < dct.month:
        return dc_replace(tx, value=f"{year + 1:04d}-{month:02d}")
    if past and month > dct.month:
        return dc_replace(tx, value=f"{year - 1:04d}-{month:02d}")
    return tx


_DEADLINE_BEFORE = re.compile(
    r"(?:\bd['’]ici(?:\s+à)?|\bdans)\s+(?:la\s+fin\s+d(?:e\s+|['’]))?$", re.IGNORECASE
)
_SINCE_BEFORE = re.compile(r"\bdepuis\s+$", re.IGNORECASE)
_PLANNED_BEFORE = re.compile(
    r"\b(?:prévue?s?|programmée?s?|attendue?s?|envisagée?s?)\s+(?:pour\s+|dès\s+|en\s+|à\s+)?(?:la\s+)?"
    r"(?:(?:début|fin|mi-?|courant)\s*)?$",
    re.IGNORECASE,
)


def _time_ref(tx: Timex, pred: Token, dct: PubDate | None) -> TimeRef:
    tx = _month_by_tense(tx, pred, dct)
    before = doc_text(pred.doc)[max(0, tx.start - 30) : tx.start]
    # "d'ici 2027", "dans deux ans" are approximate; "depuis avril" is a point already passed
    approximate = (
        tx.approximate or bool(_DEADLINE_BEFORE.search(before)) or tx.text.lower().startswith("dans ")
    )
    role = "occurred" if _SINCE_BEFORE.search(before) else _role_for(tx, pred, dct)
    return TimeRef(
        tx.spec_value(),
        tx.precision if tx.spec_value() else _precision_of_words(tx.text),
        approximate,
        role,
        tx.text,
        tx.start,
        tx.end,
    )


@cache
def _claim_time_lex() -> dict[str, frozenset[str]]:
    lex = lexicons.load("time_fr")["claim_time"]
    return {k: frozenset(v) for k, v in lex.items()}


def _sentence_after(sent: Span) -> Span | None:
    """The next sentence of the same paragraph."""
    doc = sent.doc
    i = sent.end
    while i < len(doc) and doc[i].is_space:
        if "\n" in doc[i].text:
            return None
        i += 1
    if i >= len(doc) or "\n" in doc_text(doc)[sent.end_char : doc[i].idx]:
        return None
    return sentence_of(doc[i])


def _sentence_before(sent: Span) -> Span | None:
    """The previous sentence, even across a paragraph break."""
    doc = sent.doc
    i = sent.start - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return sentence_of(doc[i]) if i >= 0 else None


def _governing_verb(tok: Token) -> Token | None:
    """The verb a noun is an argument of, through coordination: "présenter l'iPhone 17 et une
    nouvelle Apple Watch" -> présenter for both products."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in {"VERB", "AUX"} and cur is not tok:
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return cur if cur.pos_ in {"VERB", "AUX"} else None


def _event_clause(doc: Doc, tx: Timex) -> bool:
    """The time dates a scheduled event: "la keynote se tiendra le 9 septembre", "le salon aura lieu"."""
    tok = _timex_token(doc, tx)
    while tok is not None and tok.head.i != tok.i and tok.pos_ not in {"VERB", "AUX"}:
        tok = tok.head
    return tok is not None and tok.lemma_.lower() in _claim_time_lex()["event_verbs"]


def _main_verbs(root: Token) -> list[Token]:
    return [root, *_xcomp_chain(root)]


def _time_from_neighbour(
    trig: Token, sent: Span, timexes: list[Timex], dct: PubDate | None
) -> TimeRef | None:
    """A claim its own sentence leaves undated, dated by the sentence that continues it.

    "Mazda construira une usine de cellules. La production doit débuter dans deux ans." and
    "La keynote se tiendra le 9 septembre. Apple devrait y présenter l'iPhone 17."
    """
    lex = _claim_time_lex()
    lemma = trig.lemma_.lower()
    if lemma in lex["ongoing_lemmas"]:
        return None
    followup = lex["deal_nouns"] | (set() if lemma in lex["money_lemmas"] else lex["production_nouns"])
    pred = predicate_of(trig)
    # "Apple devrait y présenter …": "y" is the event the previous sentence dates
    gov = _governing_verb(trig)
    verbs = [pred, *_xcomp_chain(pred), *([trig] if trig.pos_ in {"VERB", "AUX"} else [])]
    verbs += [gov, *_xcomp_chain(gov)] if gov is not None else []
    if any(c.lower_ == "y" and c.pos_ == "PRON" for v in verbs for c in v.children):
        prev = _sentence_before(sent)
        today = dct.date() if dct is not None else None
        if prev is not None and today is not None:
            upcoming = [
                tx
                for tx in timexes
                if prev.start_char <= tx.start < prev.end_char
                and _usable(tx)
                and tx.precision in {"day", "minute"}
                and tx.value is not None
                and tx.value[:10] > today.isoformat()
                and _event_clause(sent.doc, tx)
            ]
            if upcoming:
                tx = upcoming[-1]
                day = tx.spec_value()
                assert day is not None
                return TimeRef(day[:10], "day", tx.approximate, "expected", tx.text, tx.start, tx.end)
    nxt: Span | None = sent
    for _ in range(2):  # the next sentence, or the one after it
        nxt = _sentence_after(nxt) if nxt is not None else None
        if nxt is None:
            return None
        starts = frozenset() if lemma in lex["money_lemmas"] else lex["start_verbs"]
        found = _followup_time(nxt, pred, timexes, dct, followup, starts)
        if found is not None:
            return found
    return None


def _followup_time(
    nxt: Span,
    pred: Token,
    timexes: list[Timex],
    dct: PubDate | None,
    nouns: frozenset[str] | set[str],
    start_verbs: frozenset[str],
) -> TimeRef | None:
    """The time of a sentence whose subject restates the claimed event ("La production doit
    débuter dans deux ans") or says when its output starts ("Les cellules sortiront des lignes en 2026")."""
    main = _main_verbs(nxt.root)
    subj = next((c for v in main for c in v.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
    if subj is None or not any(
        c.dep_ == "det" and "Def" in c.morph.get("Definite", []) for c in subj.children
    ):
        return None  # "La production", "l'opération": the event already spoken of
    if subj.lemma_.lower() not in nouns and not (
        main[-1].lemma_.lower() in start_verbs and subj.pos_ == "NOUN"
    ):
        return None
    lex = _claim_time_lex()
    known = lex["deal_nouns"] | lex["production_nouns"] | lex["container_nouns"] | lex["followup_objects"]
    if any(c.dep_ == "nmod" and c.pos_ == "NOUN" and c.lemma_.lower() not in known for c in subj.children):
        return None  # "L'ouverture de la ligne de métro est prévue en 2026" is about something else
    hedged = any("Cnd" in v.morph.get("Mood", []) for v in main)
    if hedged and not any("Cnd" in v.morph.get("Mood", []) for v in [pred, *pred.ancestors]):
        if "mêmes sources" not in nxt.text.lower():
            return None  # "L'opération pourrait intervenir dès juin": a hedged report of its own
    main_ids = {v.i for v in main}
    for tx in timexes:
        if not (nxt.start_char <= tx.start < nxt.end_char and _usable(tx)):
            continue
        tok = _timex_token(nxt.doc, tx)
        while tok is not None and tok.head.i != tok.i and tok.pos_ not in {"VERB", "AUX"}:
            tok = tok.head
        if tok is not None and tok.i in main_ids:
            return _time_ref(tx, main[-1], dct)
    return None
