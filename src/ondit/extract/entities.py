"""Entity mentions of one article, merged into entities.

Sources of mentions, strongest first: the packaged gazetteer, sector phrases,
spaCy's named entities (filtered and retyped by in-document voting and
apposition cues), products named after their maker ("Apple Car"), and
definite descriptions that refer back to a company ("le constructeur").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ondit import lexicons
from ondit.extract.furniture import dateline
from ondit.extract.gazetteer import Gazetteer, KBEntry, fold, gazetteer, sectors
from ondit.model import Entity, Mention
from ondit.nlp.sents import doc_text, sent_start, sentence_of, sentences

_MODEL_CODE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z]{1,6}\d{1,4}[A-Za-z]{0,2}$")
SPACY_TO_TYPE = {"PER": "PER", "ORG": "ORG", "LOC": "PLACE", "MISC": "ORG"}
_PARTICLES = {
    "de",
    "du",
    "des",
    "d'",
    "d’",
    "la",
    "le",
    "les",
    "et",
    "von",
    "van",
    "der",
    "den",
    "y",
    "di",
    "da",
    "del",
    "of",
    "the",
    "and",
    "&",
}
_DEFINITE = {"le", "la", "l'", "l’", "les", "ce", "cet", "cette", "ces"}
# "face à X", "grâce à X": "à" that does not introduce a place
_NOT_PLACE_BEFORE_A = {"face", "grâce", "quant", "rapport", "jusqu'", "jusqu’", "vendu", "cédé", "confié"}


@dataclass(eq=False)  # an entity is itself: compared and hashed by identity
class EntityBuilder:
    key: str
    name: str
    type: str
    kb: KBEntry | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token spans [start, end)
    votes: Counter[str] = field(default_factory=Counter)
    of: str | None = None
    maker: str | None = None  # for a PRODUCT named after its maker
    country: str = ""
    descriptors: set[str] = field(default_factory=set)
    city: str = ""
    institution: bool = False  # a state body, region or stock exchange: never "le groupe", "l'entreprise"
    id: str = ""


@dataclass
class DocEntities:
    """What the entity stage leaves on the Doc (`doc._.ondit_ents`)."""

    builders: list[EntityBuilder]
    tok2ent: dict[int, EntityBuilder]
    anaphors: dict[int, EntityBuilder]  # head token of a definite description -> its antecedent
    subjects_by_sent: dict[int, list[EntityBuilder]]

    def entity_at(self, tok: Token) -> EntityBuilder | None:
        return self.tok2ent.get(tok.i) or self.anaphors.get(tok.i)

    def to_entities(self, doc: Doc) -> tuple[Entity, ...]:
        """Entities with all their mentions, the descriptions that refer back included."""
        described: dict[str, list[tuple[int, int]]] = {}
        for i, b in self.anaphors.items():
            head = doc[i]
            parts = [head, *(c for c in head.children if c.dep_ in {"det", "amod"} and abs(c.i - i) <= 3)]
            described.setdefault(b.id, []).append((min(t.i for t in parts), max(t.i for t in parts) + 1))
        out = []
        for b in self.builders:
            if b.key.startswith("EVENT:"):
                continue  # a trade show or broadcast named after its organiser ("un Nintendo Direct")
            mentions = tuple(
                Mention(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), doc[s:e].text)
                for s, e in sorted([*b.mentions, *described.get(b.id, [])])
            )
            aliases = tuple(sorted(a for a in b.aliases if a != b.name))
            out.append(Entity(b.id, b.name, b.type, aliases, mentions, b.kb.kind if b.kb else None, b.of))
        return tuple(out)


@cache
def _cues() -> dict[str, object]:
    return lexicons.load("entities_fr")


def _strs(key: str) -> list[str]:
    val = _cues()[key]
    assert isinstance(val, list)
    return [str(v) for v in val]


@cache
def _matchers(vocab: Vocab) -> tuple[PhraseMatcher, PhraseMatcher, dict[str, str], dict[str, str]]:
    """Gazetteer matcher (exact case) and sector matcher (lower case), built once per vocab."""
    from spacy.lang.fr import French

    tokenizer = French().tokenizer
    gaz = PhraseMatcher(vocab, attr="ORTH")
    forms: dict[str, str] = {}
    for i, (form, canon) in enumerate(gazetteer().surface_forms()):
        key = f"G{i}"
        forms[key] = canon
        toks = tokenizer(form)
        gaz.add(key, [toks])
        if len(toks) == 1 and form[-1:].isalnum():
            # the tokenizer keeps a sentence's full stop on some names ("selon le cabinet GfK.")
            gaz.add(key, [Doc(vocab, words=[form + "."])])
    sec = PhraseMatcher(vocab, attr="LOWER")
    sec_names: dict[str, str] = {}
    for i, (variant, canon) in enumerate(sorted(sectors().items())):
        key = f"S{i}"
        sec_names[key] = canon
        sec.add(key, [tokenizer(variant)])
        sec.add(key, [tokenizer(variant.replace("'", "’"))])
    return gaz, sec, forms, sec_names


_LEGAL_RE: re.Pattern[str] | None = None


def strip_legal(name: str) -> str:
    global _LEGAL_RE
    if _LEGAL_RE is None:
        suf = "|".join(re.escape(s.rstrip(".,")) for s in _strs("legal_suffixes"))
        pre = "|".join(re.escape(s) for s in _strs("legal_prefixes"))
        _LEGAL_RE = re.compile(rf"^(?:(?:{pre})\s+)?(.*?)(?:[\s,]+(?:{suf})\.?,?)*$")
    m = _LEGAL_RE.match(name.strip())
    out = m.group(1) if m else name
    return out.strip(" .,") or name


def _is_acronym_name(tok: Token) -> bool:
    """ "CD&R", "AT&T", "L'Oréal"-like names with inner signs: capitals and letters joined by & . -"""
    t = tok.text
    return len(t) >= 2 and t[:1].isupper() and all(ch.isalnum() or ch in "&.-" for ch in t) and "&" in t


def _is_title_case_word(tok: Token) -> bool:
    return bool(tok.text[:1].isupper()) and tok.is_alpha


@cache
def _actor_verbs() -> frozenset[str]:
    """Verbs whose subject is a company when it is a bare name: every claim verb and speech verb."""
    claims = lexicons.load("claims_fr")
    cert = lexicons.load("certainty_fr")
    out: set[str] = set()
    for section in claims.values():
        if isinstance(section, dict):
            out.update(str(v) for v in section.get("verbs", []) if " " not in str(v))
    out.update(str(v) for v in cert.get("assertive_verbs", []))
    out.update(str(v) for v in cert.get("denial_verbs", []))
    out.update(str(v) for v in cert.get("calloff_verbs", []) if " " not in str(v))
    out.update({"tenir", "organiser", "réunir", "publier", "présenter", "nommer", "recruter", "employer"})
    out -= {"être", "avoir", "mettre", "prendre", "faire"}
    return frozenset(out)


def _filter_span(span: Span, not_names: set[str]) -> bool:
    """True when a spaCy entity span looks like a real name."""
    text = span.text.strip()
    if not text or (not text[0].isupper() and not text[0].isdigit()):
        return False
    if text in not_names or text.rstrip(".") in not_names:
        return False
    if len(span) == 1:
        tok = span[0]
        if _MODEL_CODE.match(tok.text) and tok.text[:1].isupper():
            return True  # "B10", "T03": the tagger calls a model code anything
        if tok.pos_ in {"ADJ", "VERB", "ADV", "AUX", "DET", "PRON", "ADP", "SCONJ", "CCONJ"}:
            return False
        # sentence-initial common word ("Spécialisé", "Objectif")
        if tok.is_sent_start and tok.pos_ != "PROPN" and tok.lemma_.islower():
            return False
        if (
            tok.is_upper
            and len(tok) <= 3
            and tok.pos_ != "PROPN"
            and span.label_ != "PER"
            and not _MODEL_CODE.match(tok.text)  # "T03", "Q9": a model, not an acronym of a common thing
        ):
            return False
    return any(t.text[:1].isupper() or t.text[:1].isdigit() for t in span)


# Lines that only the entity stage treats as furniture: a wire's closing credit "(Rédaction de Séoul,
# édité par …)", a header "Rennes | Jeudi 21 novembre 2024" or "Cestas | Par la rédaction de Sud Ouest",
# and a dateline naming two cities ("TOKYO/PÉKIN, 19 mars (Reuters) - ").
_EXTRA_FURNITURE = re.compile(
    r"""^\s*(?:
        \(\s*(?:rédaction|rédigé|reportage|édité|écrit|version\ française|traduit|avec\ la\ rédaction
              |reporting|writing|editing)\b[^)]*\)\s*$
      | [^|\n]{1,40}\|(?=.*(?:\d|\bpar\b)).{0,100}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_DATELINE_PREFIX = re.compile(
    r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý'’. /-]{1,40}(?:,[^()\n]{0,30})?\s*\([A-Z][\w .&-]{1,30}\)\s*[-–—]+\s*"
)


def furniture_tokens(doc: Doc) -> set[int]:
    """Tokens of page furniture (captions, credits, bylines, datelines): names there are no mentions."""
    ranges: list[tuple[int, int]] = list(doc._.ondit_furniture or [])
    keep: list[tuple[int, int]] = []  # the agency of a dateline is named: "PARIS (AFP) - "
    pos = 0
    text = doc_text(doc)
    for line in text.split("\n"):
        if _EXTRA_FURNITURE.match(line):
            ranges.append((pos, pos + len(line)))
        else:
            m = _DATELINE_PREFIX.match(line)
            if m:
                ranges.append((pos, pos + m.end()))
            dl = dateline(line) if m is None else (m.end(), "")
            if dl is not None:
                k = line.rfind("(", 0, dl[0])
                if k >= 0:
                    keep.append((pos + k, pos + dl[0]))
        pos += len(line) + 1
    if not ranges:
        return set()
    # one pass over the characters instead of every range for every token
    size = len(text) + 1
    mask = bytearray(size)
    for s, e in ranges:
        s, e = max(0, s), min(e, size)
        mask[s:e] = b"\x01" * max(0, e - s)
    for s, e in keep:
        s, e = max(0, s), min(e, size)
        mask[s:e] = b"\x00" * max(0, e - s)
    return {i for i, idx in enumerate(doc.to_array("IDX").tolist()) if mask[idx]}


def find_entities(doc: Doc) -> DocEntities:
    gaz, sec, forms, sec_names = _matchers(doc.vocab)
    kb = gazetteer()
    not_names = set(_strs("not_names"))
    company_nouns = set(_strs("company_nouns"))
    anaphoric = set(_strs("anaphoric_nouns"))
    brand_nouns = set(_strs("brand_nouns"))
    analyst_titles = set(_strs("analyst_titles"))
    product_suffixes = set(_strs("product_suffixes"))
    person_titles = set(_strs("person_titles"))
    product_nouns = set(_strs("product_nouns"))
    media_nouns = set(_strs("media_nouns"))
    company_name_words = set(_strs("company_name_words"))
    legal_suffixes = set(_strs("legal_suffixes"))
    not_name_heads = set(_strs("not_name_heads"))

    furniture = furniture_tokens(doc)
    taken = [i in furniture for i in range(len(doc))]
    spans: list[tuple[int, int, str, str, KBEntry | None]] = []  # start, end, key, type, kb

    def free(s: int, e: int) -> bool:
        return not any(taken[s:e])

    def take(s: int, e: int) -> None:
        for i in range(s, e):
            taken[i] = True

    # 1. gazetteer, longest first
    gmatches = sorted(gaz(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
    toks = list(doc)  # one Token object per position, reused by every pass below
    in_ents = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    entry: KBEntry | None
    for match_id, s, e in gmatches:
        canon = forms[doc.vocab.strings[match_id]]
        entry = kb.entries[canon]
        assert entry is not None
        if not free(s, e):
            continue
        if entry.type != "PER" and _inside_person(doc, s, e):
            continue
        if entry.ambiguous and not any(i in in_ents for i in range(s, e)):
            prev = doc[s - 1] if s > 0 else None
            if not (prev is not None and prev.lemma_.lower() in company_nouns):
                continue
        # extend over a legal suffix that follows ("Great Wall Motor Co.")
        while e < len(doc) and doc[e].text.rstrip(".,") in {x.rstrip(".,") for x in _strs("legal_suffixes")}:
            e += 1
        take(s, e)
        spans.append((s, e, canon, entry.type, entry))

    # 1b. institutions named by a pattern: "Bourse de Varsovie", "Région Bretagne", "gouvernement
    # suédois", "ministère allemand des Finances"
    institution_keys: set[str] = set()
    for s, e in _institutions(doc, set(_nationality())):
        if free(s, e):
            take(s, e)
            institution_keys.add("N:" + fold(doc[s:e].text))
            spans.append((s, e, "N:" + fold(doc[s:e].text), "ORG", None))

    # 1c. "selon Le Monde" written "du Monde", "au Parisien": a name that starts with an article, contracted
    for s, e, canon in _contracted_names(doc, kb):
        if free(s, e):
            take(s, e)
            spans.append((s, e, canon, kb.entries[canon].type, kb.entries[canon]))

    # two known companies run together and followed by more name: a joint venture's name
    # ("baptisée Toyota Xpeng Intelligent Mobility")
    spans.sort()
    joined: list[tuple[int, int, str, str, KBEntry | None]] = []
    i = 0
    while i < len(spans):
        s1, e1, _k1, t1, _en1 = spans[i]
        if i + 1 < len(spans) and t1 in {"ORG", "BRAND"}:
            s2, e2, _k2, t2, _en2 = spans[i + 1]
            k = e2
            while k < len(doc) and _is_title_case_word(doc[k]) and not taken[k]:
                k += 1
            if s2 == e1 and t2 in {"ORG", "BRAND"} and k > e2:
                take(e2, k)
                joined.append((s1, k, "", "ORG", None))
                i += 2
                continue
        joined.append(spans[i])
        i += 1
    spans = joined

    # names built on a known maker: products ("Apple Car", "Galaxy S24") or units ("Iliad Italia")
    extended: list[tuple[int, int, str, str, KBEntry | None]] = []
    for s, e, key, typ, entry in spans:
        if typ in {"ORG", "BRAND", "PRODUCT"} and entry is not None:
            k = e
            while (
                k < len(doc)
                and (
                    doc[k].text[:1].isupper()
                    or any(ch.isdigit() for ch in doc[k].text)
                    # "Airbus Defence and Space": a particle between capitalised words
                    or (
                        doc[k].lower_ in {"and", "&", "of", "by"}
                        and k > e
                        and k + 1 < len(doc)
                        and doc[k + 1].text[:1].isupper()
                    )
                )
                and (
                    doc[k].is_alpha
                    or doc[k].text.isalnum()
                    or doc[k].text == "&"
                    or (doc[k].text.endswith("+") and doc[k].text[:-1].isalnum())  # "Pro+"
                )
                and not taken[k]
                and not doc[k].is_sent_start
                and doc[k].text not in not_names
                and not (len(doc[k - 1]) > 1 and doc[k - 1].text.endswith("."))  # "GfK. Le"
            ):
                k += 1
            if k > e and doc[k - 1].text in not_name_heads:
                # "un Nintendo Direct": an event, kept as one span but never listed as an entity
                take(e, k)
                extended.append((s, k, "EVENT:" + doc[s:k].text, "ORG", None))
                continue
            if k > e:
                take(e, k)
                tail = doc[k - 1].text.rstrip("+")
                if typ == "PRODUCT" or tail in product_suffixes or any(ch.isdigit() for ch in tail):
                    extended.append((s, k, "PRODUCT:" + doc[s:k].text, "PRODUCT", None))
                else:
                    extended.append((s, k, "", "ORG", None))
                continue
        extended.append((s, e, key, typ, entry))
    spans = extended

    # 2. sectors (lower case)
    for match_id, s, e in sorted(sec(doc), key=lambda m: (-(m[2] - m[1]), m[1])):
        if doc[s].text[:1].isupper() and not doc[s].is_sent_start:
            continue  # "Bear Robotics": a capitalised word inside a name is the name, not a sector
        if free(s, e):
            take(s, e)
            spans.append((s, e, "SECTOR:" + sec_names[doc.vocab.strings[match_id]], "SECTOR", None))

    # 2b. a national or regional market: "le marché américain", "le marché européen"
    market_adjectives = set(_nationality()) | set(_strs("market_adjectives"))
    for tok in toks:
        j = tok.i + 1
        if tok.lemma_.lower() == "marché" and j < len(doc) and doc[j].lower_ in market_adjectives:
            if free(tok.i, j + 1) and not (
                j + 1 < len(doc) and doc[j + 1].lower_ in {"de", "du", "des", "d'"}
            ):
                take(tok.i, j + 1)
                spans.append((tok.i, j + 1, "SECTOR:" + doc[tok.i : j + 1].text.lower(), "SECTOR", None))

    # 3. spaCy entities, filtered
    for ent in doc.ents:
        s, e = ent.start, ent.end
        while s < e and (
            doc[s].is_punct or doc[s].is_space or (doc[s].lower_ in _DEFINITE and doc[s].text[0].islower())
        ):
            s += 1
        while e > s and ((doc[e - 1].is_punct and doc[e - 1].text != ".") or doc[e - 1].is_space):
            e -= 1
        if e - s > 1 and doc[s].text in product_nouns:
            s += 1  # "SUV B10": the product noun is not part of the model's name
        if s >= e or not free(s, e):
            continue
        span = doc[s:e]
        # "Bourse de sa filiale italienne Iliad Italia": spaCy ran two names together over common words
        inner = [
            i
            for i in range(s + 1, e)
            if doc[i].is_alpha and doc[i].text.islower() and doc[i].lower_ not in _PARTICLES
        ]
        if inner:
            last = max(inner)
            s = last + 1
            if s >= e or not free(s, e):
                continue
            span = doc[s:e]
        if not _filter_span(span, not_names):
            continue
        if len(span) > 1 and span[-1].text in not_name_heads:
            continue  # "Steve Jobs Theater", "Biosecure Act", "Nintendo Direct"
        label = ent.label_
        typ = SPACY_TO_TYPE.get(label, "ORG")
        take(s, e)
        spans.append((s, e, "", typ if label != "MISC" else "MISC", None))

    # 4. capitalised runs spaCy missed, right after a company noun ("le constructeur chinois Foo")
    for tok in toks:
        if tok.lemma_.lower() in company_nouns and tok.pos_ == "NOUN":
            j = tok.i + 1
            while j < len(doc) and doc[j].pos_ == "ADJ" and doc[j].text.islower():
                j += 1
            k = j
            while (
                k < len(doc)
                and (_is_title_case_word(doc[k]) or _is_acronym_name(doc[k]))
                and not taken[k]
                and doc[k].text not in not_names
            ):
                k += 1
            if k > j:
                take(j, k)
                spans.append((j, k, "", "ORG", None))

    # 4b. an unknown name where a site is located: "son usine de Sriperumbudur", "une seconde usine près
    # de Bangalore", "a inauguré à Phoenix sa deuxième usine"
    site_nouns = set(_strs("site_nouns"))
    # the sentences that name a site, found once (the rule below asks for every "à")
    site_sentences = {sent_start(t) for t in toks if t.lemma_.lower() in site_nouns}
    for tok in toks:
        j = -1
        low = tok.lower_
        if low in {"près", "proche"} and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in {"de", "d'", "d’"}:
            j = tok.i + 2
        elif low in {"de", "d'", "d’"} and tok.i > 0 and doc[tok.i - 1].lemma_.lower() in site_nouns:
            j = tok.i + 1
        elif low == "à" and tok.i > 0 and doc[tok.i - 1].lower_ not in _NOT_PLACE_BEFORE_A:
            if sent_start(tok) in site_sentences:
                j = tok.i + 1
        if j < 0 or j >= len(doc):
            continue
        k = j
        while (
            k < len(doc)
            and not taken[k]
            and doc[k].text not in not_names
            and (
                _is_title_case_word(doc[k])
                or (k > j and doc[k].text == "-" and k + 1 < len(doc))
                or (k > j and doc[k - 1].text == "-" and doc[k].is_alpha)
            )
        ):
            k += 1
        while k > j and doc[k - 1].text == "-":
            k -= 1
        if k > j and not doc[j].is_sent_start:
            take(j, k)
            spans.append((j, k, "", "PLACE", None))

    # 4c. a bare capitalised word that acts as the subject of a business or speech verb is a company the
    # parser did not know: "Bonduelle a inauguré lundi une nouvelle ligne"
    actor_verbs = _actor_verbs()
    for tok in toks:
        if taken[tok.i] or not _is_title_case_word(tok) or tok.text in not_names or tok.lower_ in _DEFINITE:
            continue
        if not tok.dep_.startswith("nsubj") or tok.head.lemma_.lower() not in actor_verbs:
            continue
        if tok.pos_ in {"PRON", "DET"} or (tok.pos_ != "PROPN" and doc.vocab[tok.lower_].has_vector):
            continue  # "Elle a annoncé", "Diplômée de HEC, …": a common word, not a name
        if tok.i > 0 and (doc[tok.i - 1].pos_ == "DET" or _is_title_case_word(doc[tok.i - 1])):
            continue  # "la Chine", or part of a longer name
        if tok.i + 1 < len(doc) and _is_title_case_word(doc[tok.i + 1]):
            continue
        take(tok.i, tok.i + 1)
        spans.append((tok.i, tok.i + 1, "", "ORG", None))

    # names listed with a known company are companies: "avec Fnac, Boulanger et Free"
    for _s, e, _key, typ, _entry in list(spans):
        if typ not in {"ORG", "BRAND"}:
            continue
        k = e
        while k + 1 < len(doc) and doc[k].text in {",", "et"}:
            j = k + 1
            m = j
            while m < len(doc) and doc[m].text[:1].isupper() and doc[m].is_alpha and not taken[m]:
                m += 1
            if m == j or doc[j].text in not_names:
                break
            take(j, m)
            spans.append((j, m, "", typ, None))
            k = m

    # build entities
    builders: dict[str, EntityBuilder] = {}
    tok2ent: dict[int, EntityBuilder] = {}
    order: list[EntityBuilder] = []
    for s, e, key, typ, entry in sorted(spans):
        text = doc[s:e].text
        if not key:
            found = kb.lookup(strip_legal(text)) or kb.lookup(text)
            if found is not None:
                entry, key, typ = found, found.name, found.type
            else:
                key = "N:" + fold(strip_legal(text))
        b = builders.get(key)
        if b is None:
            if entry is not None:
                name = entry.name
            elif key.startswith(("SECTOR:", "PRODUCT:", "EVENT:")):
                name = key.split(":", 1)[1]
            else:
                name = strip_legal(text)
            b = EntityBuilder(key, name, typ, entry)
            if entry is not None:
                b.country = entry.country
                b.city = entry.city
                b.descriptors = set(entry.descriptors)
                b.institution = entry.kind == "official" or "bourse" in entry.descriptors
                if entry.type == "PRODUCT" and entry.parent:
                    b.maker = entry.parent
            elif key in institution_keys:
                b.institution = True
            if key.startswith("PRODUCT:"):
                maker = kb.lookup(doc[s].text)
                if maker is not None and maker.type == "PRODUCT":
                    b.maker = maker.parent or None  # "iPhone 17" is made by the iPhone's maker
                else:
                    b.maker = maker.name if maker else doc[s].text
            builders[key] = b
            order.append(b)
        if key.startswith("PRODUCT:") and e - s > 1 and any(ch.isdigit() for ch in doc[s + 1 : e].text):
            maker = kb.lookup(doc[s].text)
            if maker is not None and maker.type in {"ORG", "BRAND"}:
                b.aliases.add(doc[s + 1 : e].text)  # "Airbus A321XLR" is also "A321XLR"
        b.mentions.append((s, e))
        b.aliases.add(text if key.startswith("SECTOR:") else strip_legal(text))
        b.votes[typ] += 1
        for i in range(s, e):
            tok2ent[i] = b

    # 5. merge short forms into longer ones ("Great Wall" into "Great Wall Motor")
    unknown = [b for b in order if b.key.startswith("N:")]
    for b in unknown:
        words = b.key[2:].split()
        for other in order:
            if other is b or other.key.startswith(("SECTOR:", "PRODUCT:", "EVENT:")):
                continue
            other_words = fold(other.name).split()
            if len(other_words) > len(words) and other_words[: len(words)] == words:
                _absorb(other, b, tok2ent)
                break
    # "Toyota Motor Manufacturing France (TMMF)": an acronym in brackets right after a name is that
    # name; "ST" for "STMicroelectronics": a capitalised short form that begins a one-word name
    for b in [x for x in order if x.key.startswith("N:") and x.mentions]:
        if not (b.name.isupper() and 2 <= len(b.name) <= 6 and " " not in b.name):
            continue
        target: EntityBuilder | None = None
        for s, e in b.mentions:
            if s >= 2 and doc[s - 1].text == "(" and e < len(doc) and doc[e].text == ")":
                before = tok2ent.get(s - 2)
                if before is not None and before is not b and before.type != "PLACE":
                    target = before
                    break
        if target is None:
            target = next(
                (
                    o
                    for o in order
                    if o is not b
                    and o.mentions
                    and " " not in o.name
                    and len(o.name) > len(b.name) + 2
                    and o.name.upper().startswith(b.name)
                    and o.type in {"ORG", "BRAND"}
                ),
                None,
            )
        if target is not None:
            _absorb(target, b, tok2ent)
    order = [b for b in order if b.mentions]

    # 6. types: in-document voting, apposition and title cues
    for b in order:
        if b.kb is not None or b.key.startswith(("SECTOR:", "PRODUCT:", "EVENT:")):
            continue
        cues = Counter[str]()
        for s, e in b.mentions:
            head = _apposition_head(doc[s])
            if head is not None:
                lemma = head.lemma_.lower()
                if lemma in analyst_titles or lemma in person_titles:
                    cues["PER"] += 2
                elif lemma in brand_nouns:
                    cues["BRAND"] += 2
                elif lemma in company_nouns:
                    cues["ORG"] += 2
            # "la biscuiterie bretonne X", "la fromagerie X": a trade noun in -erie names a business
            k = s - 1
            while k >= 0 and doc[k].pos_ == "ADJ" and doc[k].text.islower():
                k -= 1
            if k >= 0 and doc[k].pos_ == "NOUN" and doc[k].text.islower() and doc[k].lower_.endswith("erie"):
                cues["ORG"] += 3
            # "d'après La République du Centre": what a source preposition introduces is no place
            p0 = s - 1 if s > 0 and doc[s - 1].pos_ == "DET" else s
            if (
                b.votes.get("PLACE", 0)
                and p0 > 0
                and (
                    doc[p0 - 1].lower_ == "selon"
                    or (doc[p0 - 1].lower_ == "après" and p0 > 1 and doc[p0 - 2].lower_ in {"d'", "d’"})
                )
            ):
                cues["MEDIA"] += 2
            # "le site The Elec", "le quotidien Il Messaggero": a media noun right before the name
            k = s - 1
            while k >= 0 and doc[k].pos_ == "ADJ" and doc[k].text.islower():
                k -= 1
            if k >= 0 and doc[k].text.islower() and doc[k].lemma_.lower() in media_nouns:
                cues["MEDIA"] += 3
            # "Opella, sa filiale de santé", "X, le fabricant de …": a company noun in apposition after it
            k = e + 1 if e < len(doc) and doc[e].text == "," else -1
            if 0 < k < len(doc) and doc[k].pos_ == "DET":
                k += 1
            while 0 < k < len(doc) and doc[k].pos_ == "ADJ":
                k += 1
            if 0 < k < len(doc) and doc[k].lemma_.lower() in company_nouns and doc[k].text.islower():
                cues["ORG"] += 3
            # "50 % d'Opella": what a share is of is a company
            if s >= 2 and doc[s - 1].lower_ in {"de", "d'", "d’", "du"} and doc[s - 2].text == "%":
                cues["ORG"] += 2
            # "Tu Le, fondateur du cabinet …": a title in apposition after the name
            j = e + 1 if e < len(doc) and doc[e].text == "," else e
            if j < len(doc) and doc[j].lemma_.lower() in person_titles and doc[j].text.islower():
                cues["PER"] += 2
            # "son smartphone pliable Magic V5", "la citadine T03": a name after a product noun
            k = s - 1
            while k >= 0 and doc[k].pos_ == "ADJ" and doc[k].text.islower():
                k -= 1
            if k >= 0 and (doc[k].lemma_.lower() in product_nouns or doc[k].text in product_nouns):
                cues["PRODUCT"] += 3
            # "Saupiquet inaugurera …": a bare name acting as subject of a business verb is a company
            head = doc[s].head if e - s == 1 else doc[e - 1].head
            if (
                doc[s].dep_.startswith("nsubj")
                and head.lemma_.lower() in _actor_verbs()
                and not (s > 0 and doc[s - 1].pos_ == "DET")
            ):
                cues["ORG"] += 2
            # "à Penly": a name spaCy took for an organisation, after "à", is a place
            if (
                s > 0
                and doc[s - 1].lower_ == "à"
                and (s < 2 or doc[s - 2].lower_ not in _NOT_PLACE_BEFORE_A)
                and b.votes.get("PER", 0) == 0
            ):
                cues["PLACE"] += 3
        words = b.name.split()
        if len(words) > 1 and words[-1] in company_name_words:
            cues["ORG"] += 3  # "Figeac Aéro", "Sanan Optoelectronics": a company's name
        if any(_MODEL_CODE.match(w) for w in words) and words[-1] not in legal_suffixes:
            cues["PRODUCT"] += 3  # "B10", "Fold7", "ETP3": a model code, not a company
        votes = b.votes + cues
        votes.pop("MISC", None)
        if b.name.split()[-1] in product_suffixes and len(b.name.split()) > 1:
            b.type = "PRODUCT"
            maker = kb.lookup(b.name.split()[0])
            b.maker = maker.name if maker else None
            continue
        if votes:
            b.type = votes.most_common(1)[0][0]
        else:
            b.type = "ORG"
        if b.type == "PER" and cues["PER"] == 0 and len(b.name.split()) == 1 and b.name[:1].isupper():
            # news introduces a person by first and last name before the last name alone (which then
            # joins the full name); a lone name never so introduced nor titled is a company: "Hensoldt",
            # "l'italien Leonardo"
            b.type = "ORG"
        if all(doc[s].is_sent_start and e - s == 1 and b.votes.get("MISC") for s, e in b.mentions):
            b.type = "DROP"
        # "la famille Beaufour": a family is neither a person nor a company
        if all(
            s > 0 and doc[s - 1].lower_ in {"famille", "familles", "clan", "dynastie"} for s, _e in b.mentions
        ):
            b.type = "DROP"
    body_start = int(doc.user_data.get("ondit_body_start", 0))
    # a brand is what the text presents as one ("la marque Redmi", "trois marques : Haval, ORA et WEY");
    # a brand of the knowledge base named as a company in the text is a company here
    for b in order:
        # the title is not the article: "Avatr, la marque soutenue par Huawei, …" there presents nothing
        presented = any(
            _presented_as(doc, s, e, brand_nouns) for s, e in b.mentions if doc[s].idx >= body_start
        )
        if b.type == "ORG" and b.kb is None and presented:
            b.type = "BRAND"
        elif b.type == "BRAND" and not presented:
            b.type = "ORG"
    # persons introduced as "l'analyste X de Y": remember whom they speak for
    for b in order:
        if b.type == "PER":
            for s, e in b.mentions:
                org = _person_org(doc, s, e, tok2ent)
                if org is not None:
                    b.of = org.name
                    break
    order = [b for b in order if b.type != "DROP"]
    for i in list(tok2ent):
        if tok2ent[i].type == "DROP":
            del tok2ent[i]

    names = {b.name for b in order}
    for b in list(order):
        if b.type == "PRODUCT" and b.maker and b.maker not in names:
            maker_kb = kb.entries.get(b.maker)
            maker_b = EntityBuilder(b.maker, b.maker, maker_kb.type if maker_kb else "ORG", maker_kb)
            first, _end = b.mentions[0]
            maker_b.mentions.append((first, first + 1))
            maker_b.aliases.add(doc[first].text)
            order.insert(order.index(b), maker_b)
            names.add(b.maker)
    for n, b in enumerate(order, 1):
        b.id = f"e{n}"

    subjects_by_sent = _subjects(doc, tok2ent)
    anaphors = _resolve_anaphors(doc, tok2ent, subjects_by_sent, anaphoric, order)
    return DocEntities(order, tok2ent, anaphors, subjects_by_sent)


@cache
def _nationality() -> dict[str, str]:
    """Nationality (and city) adjective -> ISO country code."""
    out: dict[str, str] = {}
    table = _cues()["nationality"]
    assert isinstance(table, dict)
    for country, words in table.items():
        for w in words:
            out[str(w)] = str(country)
    return out


def _name_run(doc: Doc, j: int) -> int:
    """End of a run of capitalised words from j, hyphenated names included ("Provence-Alpes-Côte d'Azur")."""
    k = j
    while k < len(doc):
        t = doc[k]
        capitalised = t.text[:1].isupper() and (t.is_alpha or "-" in t.text)
        if capitalised or (
            t.text in {"-", "d'", "d’"}
            and k > j
            and k + 1 < len(doc)
            and doc[k + 1].text[:1].isupper()
            and not t.whitespace_
            and (t.text != "-" or not doc[k - 1].whitespace_)
        ):
            k += 1
        else:
            break
    return k


def _institutions(doc: Doc, nationality: set[str]) -> list[tuple[int, int]]:
    """Spans of stock exchanges, regions, ministries and governments named by a pattern."""
    out: list[tuple[int, int]] = []
    n = len(doc)
    for tok in doc:
        i = tok.i
        if tok.text == "Bourse" and i + 2 < n and doc[i + 1].lower_ in {"de", "d'", "d’"}:
            k = _name_run(doc, i + 2)
            if k > i + 2:
                out.append((i, k))
        elif tok.text == "Région" and i + 1 < n and doc[i + 1].text[:1].isupper():
            k = _name_run(doc, i + 1)
            if k > i + 1:
                out.append((i, k))
        elif (
            tok.lower_ in {"gouvernement", "état", "etat"} and i + 1 < n and doc[i + 1].lower_ in nationality
        ):
            out.append((i, i + 2))
        elif tok.lower_ == "ministère":
            j = i + 1
            if j < n and doc[j].lower_ in nationality:
                j += 1
            if j < n and doc[j].lower_ in {"de", "des", "du"}:
                j += 1
                if j < n and doc[j].lower_ in {"la", "l'", "l’"}:
                    j += 1
                k = _name_run(doc, j)
                if k > j:
                    out.append((i, k))
    return out


def _contracted_names(doc: Doc, kb: Gazetteer) -> list[tuple[int, int, str]]:
    """ "du Monde", "au Parisien", "des Echos": a KB media or company whose name starts with an article."""
    out: list[tuple[int, int, str]] = []
    for tok in doc:
        if tok.lower_ not in {"du", "au", "des", "aux"} or tok.i + 1 >= len(doc):
            continue
        art = "Les" if tok.lower_ in {"des", "aux"} else "Le"
        k = _name_run(doc, tok.i + 1)
        while k > tok.i + 1:
            entry = kb.lookup(f"{art} {doc[tok.i + 1 : k].text}")
            if entry is not None and entry.type in {"MEDIA", "ORG"}:
                out.append((tok.i + 1, k, entry.name))
                break
            k -= 1
    return out


def _inside_person(doc: Doc, s: int, e: int) -> bool:
    """True when [s, e) is the start of a longer name spaCy reads as a person ("Céline Ravel")."""
    for ent in doc.ents:
        if ent.label_ == "PER" and ent.start <= s and e <= ent.end and (ent.end - ent.start) > (e - s):
            return ent.start == s and all(t.text[:1].isupper() for t in doc[e : ent.end])
    return False


@cache
def _city_adjectives() -> dict[str, str]:
    """City adjective -> the city as the knowledge base writes it ("pékinoise" -> "Pékin")."""
    out: dict[str, str] = {}
    table = _cues()["city_adjectives"]
    assert isinstance(table, dict)
    for city, words in table.items():
        for w in words:
            out[str(w)] = str(city)
    return out


def _city_of_description(
    doc: Doc, tok: Token, tok2ent: dict[int, EntityBuilder], adjectives: dict[str, str]
) -> str:
    """The city a description places its company in: "la firme de Shenzhen", "le groupe pékinois"."""
    for c in tok.children:
        if c.dep_ == "amod" and c.lower_ in adjectives:
            return adjectives[c.lower_]
    # "de Shenzhen" right after the noun (and its adjectives)
    j = tok.i + 1
    while j < len(doc) and doc[j].pos_ == "ADJ" and doc[j].text.islower():
        if doc[j].lower_ in adjectives:
            return adjectives[doc[j].lower_]
        j += 1
    if j + 1 < len(doc) and doc[j].lower_ in {"de", "d'", "d’"}:
        b = tok2ent.get(j + 1)
        if b is not None and b.type == "PLACE":
            return b.name
        k = _name_run(doc, j + 1)
        if k > j + 1 and b is None:
            return doc[j + 1 : k].text
    return ""


def _stated_parent(doc: Doc, tok: Token, tok2ent: dict[int, EntityBuilder]) -> EntityBuilder | None:
    """ "L'entreprise, filiale de Y, …" / "le groupe, filiale du japonais Y": Y."""
    j = tok.i + 1
    while j < len(doc) and doc[j].pos_ == "ADJ":
        j += 1
    if not (j + 2 < len(doc) and doc[j].text == "," and doc[j + 1].lemma_.lower() == "filiale"):
        return None
    for k in range(j + 2, min(j + 7, len(doc))):
        b = tok2ent.get(k)
        if b is not None and b.type in {"ORG", "BRAND"}:
            return b
        if doc[k].is_punct:
            break
    return None


def _absorb(into: EntityBuilder, b: EntityBuilder, tok2ent: dict[int, EntityBuilder]) -> None:
    for s, e in b.mentions:
        into.mentions.append((s, e))
        for i in range(s, e):
            tok2ent[i] = into
    into.aliases |= b.aliases
    into.votes += b.votes
    b.mentions.clear()


def _apposition_head(tok: Token) -> Token | None:
    """The common noun a name stands in apposition to: "le constructeur chinois X" -> constructeur."""
    doc = tok.doc
    j = tok.i - 1
    while j >= 0 and doc[j].pos_ == "ADJ":
        j -= 1
    if j >= 0 and doc[j].pos_ == "NOUN" and doc[j].i >= sent_start(tok):
        return doc[j]
    if tok.dep_ in {"appos", "flat:name", "nmod"} and tok.head.pos_ == "NOUN" and tok.head.i < tok.i:
        if any(c.dep_ == "case" for c in tok.children):
            return None  # "le géant de Shenzhen": a place or an owner, not a name in apposition
        return tok.head
    return None


def _presented_as(doc: Doc, s: int, e: int, nouns: set[str]) -> bool:
    """The name [s, e) is presented by one of `nouns`: "les marques A et B", "A, la marque sœur de …",
    "la marque de streetwear A"."""
    if _listed_after(doc[s], nouns):
        return True
    # "Redmi, la marque à petits prix de Xiaomi" / "OnePlus (marque du groupe …)"
    j = e
    if j < len(doc) and doc[j].text in {",", "("}:
        j += 1
        if j < len(doc) and doc[j].lower_ in {"la", "sa", "une", "leur", "cette", "le", "l'", "l’"}:
            j += 1
        if j < len(doc) and (doc[j].lemma_.lower() in nouns or doc[j].lower_ in nouns):
            return True
    # "la marque de streetwear Off-White", "la marque de luxe Fendi"
    k = s - 1
    seen_de = False
    while k >= 0 and s - k <= 4:
        t = doc[k]
        if t.lower_ in {"de", "d'", "d’"}:
            seen_de = True
        elif seen_de and (t.lemma_.lower() in nouns or t.lower_ in nouns):
            return True
        elif not (t.text.islower() and t.pos_ in {"NOUN", "ADJ"}):
            return False
        k -= 1
    return False


def _listed_after(tok: Token, nouns: set[str]) -> bool:
    """True when tok is in a list introduced by one of `nouns` ("marques : A, B et C")."""
    sent = sentence_of(tok)
    j = tok.i - 1
    seen_colon = False
    while j >= sent.start and tok.i - j < 12:
        t = tok.doc[j]
        if t.text == ":":
            seen_colon = True
        elif seen_colon:
            if t.lemma_.lower() in nouns or t.text.lower() in nouns:
                return True
        elif t.lemma_.lower() in nouns or t.text.lower() in nouns:
            return True
        elif not (t.is_punct or t.pos_ in {"PROPN", "CCONJ"} or t.text[:1].isupper()):
            if not seen_colon:
                return False
        j -= 1
    return False


def _person_org(doc: Doc, s: int, e: int, tok2ent: dict[int, EntityBuilder]) -> EntityBuilder | None:
    """ "X de Y", "X, de Y", "X (Y)", "X, analyste chez Y", "le PDG de Y, X"."""
    j = e
    if j < len(doc) and doc[j].text in {",", "("}:
        j += 1
    if j < len(doc) and doc[j].lower_ in {"de", "d'", "d’", "du", "chez"}:
        j += 1
        while j < len(doc) and doc[j].lower_ in _DEFINITE:
            j += 1
        b = tok2ent.get(j)
        if b is not None and b.type in {"ORG", "MEDIA", "BRAND"}:
            return b
    # "l'analyste de Y, X" / "le PDG de Y, X"
    k = s - 1
    if k >= 0 and doc[k].text == ",":
        k -= 1
        if k >= 0:
            b = tok2ent.get(k)
            if (
                b is not None
                and b.type in {"ORG", "MEDIA"}
                and k - 2 >= 0
                and doc[k - 1].lower_ in {"de", "d'", "du", "chez"}
            ):
                return b
    return None


def _subjects(doc: Doc, tok2ent: dict[int, EntityBuilder]) -> dict[int, list[EntityBuilder]]:
    """Per sentence start: its company entities, subjects first, then in order of appearance."""
    out: dict[int, list[EntityBuilder]] = {}
    for sent in sentences(doc):
        subj: list[EntityBuilder] = []
        rest: list[EntityBuilder] = []
        for tok in sent:
            b = tok2ent.get(tok.i)
            if b is None or b.type not in {"ORG", "BRAND"}:
                continue
            if tok.dep_.startswith(("nsubj", "expl:subj")) or (
                tok.head.dep_.startswith("nsubj") and tok.dep_ in {"appos", "flat:name", "nmod"}
            ):
                if b not in subj:
                    subj.append(b)
            elif b not in rest:
                rest.append(b)
        out[sent.start] = subj + [b for b in rest if b not in subj]
    return out


def _name_closes_phrase(doc: Doc, tok: Token, tok2ent: dict[int, EntityBuilder]) -> bool:
    for j in range(tok.i + 1, min(tok.i + 7, len(doc))):
        t = doc[j]
        if t.is_punct or t.pos_ in {"VERB", "AUX"}:
            return False
        b = tok2ent.get(j)
        if b is not None and b.type in {"ORG", "BRAND", "MEDIA"}:
            return doc[j - 1].lower_ not in {"de", "du", "d'", "d’", "des"}
    return False


def _resolve_anaphors(
    doc: Doc,
    tok2ent: dict[int, EntityBuilder],
    subjects_by_sent: dict[int, list[EntityBuilder]],
    anaphoric: set[str],
    order: list[EntityBuilder],
) -> dict[int, EntityBuilder]:
    """Definite descriptions that refer back to a company: "le constructeur", "la firme pékinoise",
    "le groupe de Shenzhen"."""
    nationality = _nationality()
    city_adjectives = _city_adjectives()
    sent_starts = sorted(subjects_by_sent)
    out: dict[int, EntityBuilder] = {}
    companies = {t: b for t, b in tok2ent.items() if b.type in {"ORG", "BRAND"} and not b.institution}

    def subjects_of(start: int) -> list[EntityBuilder]:
        """A sentence's company subjects, descriptions already resolved included: "L'entreprise, filiale
        de Y, construira … Le groupe est devenu …" chains to the entreprise's referent, not to Y."""
        described = [
            b
            for t, b in out.items()
            if sent_start(doc[t]) == start and (doc[t].dep_.startswith("nsubj") or doc[t].dep_ == "ROOT")
        ]
        named = subjects_by_sent.get(start, [])
        return [*described, *(b for b in named if b not in described)]

    for tok in doc:
        if tok.i in tok2ent or tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        lemma = tok.lemma_.lower()
        if lemma not in anaphoric and tok.lower_ not in anaphoric and lemma != "filiale":
            continue
        det = [c for c in tok.children if c.dep_ == "det"]
        # "du géant sud-coréen", "au constructeur": the article is inside the preposition
        contracted = not det and any(c.dep_ == "case" and c.lower_ in {"du", "au"} for c in tok.children)
        if not contracted and (not det or det[0].lower_ not in _DEFINITE or det[0].lower_ in {"les", "ces"}):
            continue
        if lemma == "filiale":
            # "la filiale belge du groupe Orange": the subsidiary of that parent in that country,
            # when the article names it
            parent = next(
                (
                    tok2ent[t.i]
                    for c in tok.children
                    if c.dep_ == "nmod"
                    for t in c.subtree
                    if t.i in tok2ent and tok2ent[t.i].type in {"ORG", "BRAND"}
                ),
                None,
            )
            country = next((nationality[c.lower_] for c in tok.children if c.lower_ in nationality), "")
            child = next(
                (
                    b
                    for b in order
                    if parent is not None
                    and b.kb is not None
                    and b.kb.parent == parent.name
                    and (not country or b.country == country)
                ),
                None,
            )
            if child is None and parent is not None and country:
                words = _cues().get("subsidiary_country_words", {})
                suffixes = words.get(country, []) if isinstance(words, dict) else []
                child = next(
                    (
                        b
                        for b in order
                        if b is not parent
                        and b.name.startswith(parent.name.split()[0] + " ")
                        and b.name.split()[-1] in suffixes
                    ),
                    None,
                )
            if child is not None:
                out[tok.i] = child
            continue
        # not when a name follows in apposition ("le constructeur chinois Xiaomi")
        nxt = tok.i + 1
        while nxt < len(doc) and doc[nxt].pos_ == "ADJ":
            nxt += 1
        if nxt < len(doc) and nxt in tok2ent:
            continue
        if any(c.dep_ in {"appos", "flat:name"} and c.i in tok2ent for c in tok.children):
            continue
        if _name_closes_phrase(doc, tok, tok2ent):
            continue  # "le fabricant de batteries Verkor"
        # "la firme de Shenzhen", "l'entreprise pékinoise": the company based in that city
        city = _city_of_description(doc, tok, tok2ent, city_adjectives)
        if city:
            based = [
                b for t, b in sorted(companies.items()) if t < tok.i and b.city and fold(b.city) == fold(city)
            ]
            if based:
                # the most recent one named before
                out[tok.i] = based[-1]
                continue
        # "le groupe de X" names X, it does not refer back
        if any(
            c.dep_ == "nmod" and c.i in tok2ent and c.i > tok.i and tok2ent[c.i].type != "SECTOR"
            for c in tok.children
        ):
            continue
        # "Avatr, le constructeur de voitures électriques": an apposition names what it describes
        first = min([tok.i, *(c.i for c in tok.children if c.i < tok.i)])
        if first >= 2 and doc[first - 1].text == "," and first - 2 in tok2ent:
            before = tok2ent[first - 2]
            name_start = min(
                t for t, b in tok2ent.items() if b is before and t <= first - 2 and t > first - 8
            )
            head_of_name = doc[first - 2]
            if (
                before.type in {"ORG", "BRAND"}
                and sent_start(head_of_name) == sent_start(tok)
                # the topic ("Avatr, le constructeur …"), not a complement ("passé par Google,")
                and not any(c.dep_ == "case" for t in doc[name_start : first - 1] for c in t.children)
                and (name_start == sent_start(tok) or head_of_name.dep_.startswith("nsubj"))
            ):
                out[tok.i] = before
                continue
        country = ""
        for c in tok.children:
            if (c.dep_ == "amod" or c.pos_ == "ADJ") and c.lower_ in nationality:
                country = nationality[c.lower_]
        s_start = sent_start(tok)
        candidates: list[EntityBuilder] = []
        # earlier in the same sentence, then previous sentences (nearest first), subjects first
        same_toks = [t for t in doc[s_start : tok.i] if t.i in companies]
        # the subject of this sentence first, then earlier subjects, then the other companies named here
        candidates.extend(tok2ent[t.i] for t in same_toks if t.dep_.startswith("nsubj"))
        idx = sent_starts.index(s_start) if s_start in sent_starts else 0
        for k in range(idx - 1, max(-1, idx - 5), -1):
            candidates.extend(b for b in subjects_of(sent_starts[k]) if not b.institution)
        candidates.extend(reversed([tok2ent[t.i] for t in same_toks]))
        # "L'entreprise, filiale de Samsung C&T, …": the company whose parent that is
        parent = _stated_parent(doc, tok, tok2ent)
        if parent is not None:
            earlier = [companies[t] for t in sorted(companies) if t < tok.i]
            child = next(
                (b for b in reversed(earlier) if b.kb is not None and b.kb.parent == parent.name), None
            )
            if child is not None:
                out[tok.i] = child
                continue
        chosen = None
        if country:
            chosen = next((b for b in candidates if b.country == country), None)
            if chosen is None:
                # "le groupe sud-coréen": the last company of that country named anywhere before
                earlier = [tok2ent[t.i] for t in doc[: tok.i] if t.i in tok2ent]
                chosen = next(
                    (
                        b
                        for b in reversed(earlier)
                        if b.country == country and b.type in {"ORG", "BRAND"} and not b.institution
                    ),
                    None,
                )
        if chosen is None and lemma in {"marque"}:
            chosen = next((b for b in candidates if b.type in {"BRAND", "ORG"}), None)
        if chosen is None:
            # prefer the nearest previous sentence's subject over an entity earlier in this one
            prev_subjects = []
            for k in range(idx - 1, max(-1, idx - 5), -1):
                prev_subjects = subjects_of(sent_starts[k])
                if prev_subjects:
                    break
            in_sentence_subject = [
                tok2ent[t.i] for t in doc[s_start : tok.i] if t.i in companies and t.dep_.startswith("nsubj")
            ]
            pool = in_sentence_subject or prev_subjects or candidates
            chosen = pool[0] if pool else None
        if chosen is not None:
            out[tok.i] = chosen
    return out
