"""Who says so: source chains per SPEC ("Sources").

A sentence's speakers come from "selon X" / "d'après X" phrases, from speech
verbs whose complement holds the claim ("X a annoncé que…", "affirme le Wall
Street Journal", "rapportent deux sources à Reuters"), and, for the whole
article, from a closing "Source : Reuters" line. The chain is built
outermost first: the outlet, then an agency or media, then the innermost
speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from ondit import lexicons
from ondit.extract.entities import DocEntities, EntityBuilder
from ondit.model import Source
from ondit.nlp.sents import doc_text, sent_start, sentence_of

_DEFINITE = {"le", "la", "l'", "l’", "ce", "cet", "cette"}
_CONDITIONAL = re.compile(r"(?:rait|raient|rais|rions|riez)$")


@dataclass(frozen=True)
class Speaker:
    name: str
    kind: str  # agency, media, analyst, anonymous, official, org, person
    entity: EntityBuilder | None
    of: str | None
    tokens: tuple[int, ...]  # tokens of the attribution phrase, never claim arguments
    via: Source | None = None  # "deux sources à Reuters": Reuters
    verb: int = -1  # the speech verb, whose complement the speaker's words are
    incise: bool = False  # the speech verb follows what is said, its subject inverted

    def covers(self, trigger: Token) -> bool:
        """Whether the claim at `trigger` is in what this speaker says."""
        if _background_participle(trigger):
            return False  # "X, contrôlé par Y, prépare …, révèle Bloomberg": the outlet's background
        if self.verb < 0:
            return True
        verb = trigger.doc[self.verb]
        if trigger.i == self.verb:
            return False
        if trigger.i in {t.i for t in verb.subtree}:
            return True
        if self.incise and trigger.i < self.verb:
            return True  # ", a annoncé lundi l'entreprise": an incise covers what comes before it
        # an incise: "X pourrait s'allier avec Y, affirme le Wall Street Journal"
        ancestors = {a.i for a in trigger.ancestors} | {trigger.i}
        if self.tokens and min(self.tokens) < self.verb:
            return False  # "Intermarché a racheté …, et Leclerc a démenti …": a clause of its own, no incise
        return (
            verb.dep_ in {"parataxis", "conj", "ccomp", "advcl", "dep", "xcomp", "acl:relcl"}
            and verb.head.i in ancestors
            and verb.i > trigger.i
        )


def _background_participle(tok: Token) -> bool:
    """A past participle describing a noun ("le constructeur contrôlé par Changan", "X, détenu par Y,")."""
    if "Part" not in tok.morph.get("VerbForm", []) or any(c.dep_.startswith("aux") for c in tok.children):
        return False
    if tok.dep_ == "acl" and tok.head.i < tok.i:
        return True
    return tok.dep_ in {"acl", "advcl"} and tok.i > 0 and tok.doc[tok.i - 1].text == ","


@cache
def _lex() -> dict[str, set[str]]:
    src = lexicons.load("sources_fr")
    cert = lexicons.load("certainty_fr")
    ent = lexicons.load("entities_fr")
    out = {k: set(v) for k, v in src.items() if isinstance(v, list)}
    out["speech"] = (
        set(cert["assertive_verbs"])
        | set(cert["denial_verbs"])
        | {"rapporter", "estimer", "juger", "penser", "croire", "considérer", "tabler", "apprendre"}
    )
    out["analyst_titles"] = set(ent["analyst_titles"])
    out["official_titles"] = set(ent["official_titles"])
    return out


def _media_kind(b: EntityBuilder) -> str:
    if b.kb is not None and b.kb.kind in {"agency", "media"}:
        return b.kb.kind
    return "media"


def _np_tokens(tok: Token) -> tuple[int, ...]:
    """The speaker's phrase: its subtree, cut at the first comma after its head."""
    out = []
    for t in sorted(tok.subtree, key=lambda x: x.i):
        if t.i > tok.i and t.text in {",", ";", "(", "«"}:
            break
        out.append(t.i)
    return tuple(out)


def _np_text(tok: Token) -> str:
    toks = [t for t in tok.subtree if not t.is_punct or t.text in {"-", "'"}]
    # cut relative clauses and what follows a comma
    keep: list[Token] = []
    for t in sorted(tok.subtree, key=lambda x: x.i):
        if t.i > tok.i and (t.text in {",", "(", ";"} or t.dep_ in {"acl:relcl"}):
            break
        keep.append(t)
    if not keep:
        keep = toks
    while keep and (keep[0].dep_ == "case" or keep[0].is_punct):
        keep = keep[1:]
    if not keep:
        return tok.text
    return tok.doc[keep[0].i : keep[-1].i + 1].text


def speaker_of_np(tok: Token, ents: DocEntities) -> Speaker | None:
    """Classify the noun phrase that says something: a media, an analyst, anonymous sources, a party."""
    from ondit.extract.claims import _case_words, entities_in

    lex = _lex()
    toks = _np_tokens(tok)
    lemma = tok.lemma_.lower()
    head_entity = ents.entity_at(tok)
    if head_entity is None and lemma in lex["own_figures_heads"]:
        possessive = any("Yes" in c.morph.get("Poss", []) for c in tok.children if c.dep_ == "det")
        published_by = [
            b
            for c in tok.children
            if c.dep_ in {"acl", "nmod"}
            for t in c.subtree
            for b in [ents.entity_at(t)]
            if b is not None and b.type in {"ORG", "BRAND"}
        ]
        if published_by:
            return _speaker_for_entity(published_by[0], toks)
        described = any(c.dep_ == "nmod" and _describes_company(c) for c in tok.children)
        if possessive or described or any(c.lower_ in {"publiés", "publiées"} for c in tok.children):
            # "selon ses propres chiffres": the company the claim is about speaks
            return Speaker("", "self", None, None, toks)
    named = entities_in(tok, ents, {"ORG", "BRAND", "PER", "MEDIA"})
    if head_entity is None and lemma in _title_nouns() and not any(b.type == "PER" for b in named):
        # "le maire de la commune, Pierre Dupont", "son directeur général, Jean Martin": the name after it
        ap = _appositive_person(tok, toks, ents)
        if ap is not None:
            titled, span = ap
            org = next((b for b in named if b.type in {"ORG", "BRAND"}), None)
            if (
                lemma in lex["official_titles"]
                or lemma in lex["official_heads"]
                or (org is not None and org.kb is not None and org.kb.kind == "official")
            ):
                kind = "official"
            elif lemma in lex["analyst_titles"]:
                kind = "analyst"
            else:
                kind = "person"
            of = org.name if org is not None else titled.of
            return Speaker(titled.name, kind, titled, of, tuple(sorted({*toks, *span})))
    if not named and head_entity is None:
        # "le quotidien italien Il Sole 24 Ore": a name the parser did not hang on the noun it follows
        after = _name_after(tok, ents)
        if after is not None:
            named = [after[0]]
            toks = tuple(sorted({*toks, *after[1]}))
    # "l'analyste Alan Kang de LMC Automotive", "les analystes de Bernstein"
    if lemma in lex["analyst_heads"] or lemma in lex["analyst_titles"]:
        per = next((b for b in named if b.type == "PER"), None)
        if per is not None:
            return Speaker(per.name, "analyst", per, per.of, toks)
        firm = next((b for b in named if b.type in {"ORG", "MEDIA"}), None)
        if firm is None:
            firm = next(
                (
                    b
                    for i in toks
                    for b in [ents.entity_at(tok.doc[i])]
                    if b is not None and b.type in {"ORG", "MEDIA"}
                ),
                None,
            )
        if firm is None:
            for c in tok.children:
                if c.dep_ == "nmod" and _case_words(c) in {"de", "chez"}:
                    f = entities_in(c, ents, {"ORG", "MEDIA"})
                    if f:
                        firm = f[0]
        if firm is not None:
            return Speaker(
                firm.name, "analyst", firm, None, toks
            )  # "le cabinet IDC", "les analystes de Wedbush"
        return Speaker(_np_text(tok), "analyst", None, None, toks)
    if head_entity is None and lemma in {"un", "une"} and tok.pos_ == "PRON":
        # "l'une de ces sources": one of the sources named before, in its own words
        part = next(
            (c for c in tok.children if c.dep_ == "nmod" and c.lemma_.lower() in lex["anonymous_heads"]),
            None,
        )
        if part is not None:
            whole = speaker_of_np(part, ents)
            via = whole.via if whole is not None else None
            return Speaker(_np_text(tok), "anonymous", None, None, toks, via)
    if head_entity is None and (lemma in lex["anonymous_heads"] or tok.lower_ in lex["anonymous_heads"]):
        if _refers_back(tok):
            # "selon ces mêmes sources", "a précisé cette source": the report of an earlier sentence goes on
            earlier = _earlier_reporter(tok)
            if earlier is not None:
                return replace(earlier, tokens=toks, verb=-1, incise=False)
        via = None
        for c in tok.children:
            if c.dep_ in {"nmod", "acl"}:
                media = [b for b in entities_in(c, ents, {"MEDIA", "ORG"}) if b.type == "MEDIA"]
                if not media:
                    for t in c.subtree:
                        b = ents.entity_at(t)
                        if b is not None and b.type == "MEDIA":
                            media = [b]
                            break
                if media:
                    via = Source(media[0].name, _media_kind(media[0]))
        return Speaker(_np_text(tok), "anonymous", None, None, toks, via)
    if head_entity is None and (lemma in lex["organ_heads"] or lemma in lex["media_work_heads"]):
        # "un communiqué de Renault", "des informations du quotidien japonais Nikkei"
        for i in toks:
            b = ents.entity_at(tok.doc[i])
            if i > tok.i and b is not None and b.type in {"ORG", "BRAND", "MEDIA", "PER"}:
                return _speaker_for_entity(b, toks)
    if head_entity is None and (lemma in lex["media_work_heads"] or lemma in _media_nouns()):
        # "selon des informations de La Lettre", "selon le média chinois LatePost": a media we do not know
        known = next((m for m in named if m.type == "MEDIA"), None)
        if known is not None:
            return _speaker_for_entity(known, toks)
        name = _capitalised_name(tok, toks)
        if name:
            return Speaker(name, "media", None, None, toks)
        if lemma in _media_nouns():
            # "selon le journal", "précise l'agence": the media named before
            earlier_media = _earlier_media(tok, ents)
            if earlier_media is not None:
                return _speaker_for_entity(earlier_media, toks)
    if head_entity is None and lemma in lex["organ_heads"] and lemma not in _media_nouns():
        # "un communiqué du groupe", "a rappelé le porte-parole": the company the claim is about speaks
        owners = [c for c in tok.children if c.dep_ == "nmod"]
        if all(_describes_company(c) for c in owners) and not named:
            det = [c for c in tok.children if c.dep_ == "det"]
            if not owners and det and det[0].lower_ in _DEFINITE:
                # "précise le communiqué", "selon le texte": the one an earlier sentence named
                earlier = _earlier_speaker(tok)
                if earlier is not None and earlier.kind == "org":
                    return replace(earlier, tokens=toks, via=None, verb=-1, incise=False)
            return Speaker("", "self", None, None, toks)
    if head_entity is None and (lemma in lex["official_heads"] or lemma in lex["official_titles"]):
        per = next((b for b in named if b.type == "PER"), None)
        if per is not None:
            return Speaker(per.name, "official", per, per.of, toks)
        return Speaker(_np_text(tok), "official", None, None, toks)
    if named:
        return _speaker_for_entity(named[0], toks)
    if head_entity is not None:
        return _speaker_for_entity(head_entity, toks)
    if _describes_company(tok):
        # "a indiqué le groupe de Chongqing": a description the entity stage left unresolved
        return Speaker("", "self", None, None, toks)
    return None


def _describes_company(tok: Token) -> bool:
    """ "le groupe", "du constructeur", "la marque": a company named by what it is."""
    if tok.pos_ not in {"NOUN", "PROPN"} or tok.lemma_.lower() not in _company_nouns():
        return False
    det = [c for c in tok.children if c.dep_ == "det"]
    if det:
        return det[0].lower_ in _DEFINITE
    return any(c.dep_ == "case" and c.lower_ in {"du", "au"} for c in tok.children)


@cache
def _company_nouns() -> frozenset[str]:
    return frozenset(lexicons.load("entities_fr")["anaphoric_nouns"])


def _refers_back(tok: Token) -> bool:
    """ "ces sources", "les mêmes sources", "cette source"."""
    return any(
        (c.dep_ == "det" and c.lower_ in {"ces", "cette", "ce", "cet"})
        or (c.dep_ == "amod" and c.lemma_.lower() == "même")
        for c in tok.children
    )


_MEMORY = "ondit_attr_speakers"


def _earlier_reporter(tok: Token) -> Speaker | None:
    """The innermost reporting speaker of the last earlier sentence that named one."""
    memo: dict[int, list[Speaker]] = tok.doc.user_data.get(_MEMORY, {})
    here = sent_start(tok)
    for start in sorted((s for s in memo if s < here), reverse=True):
        reporters = [sp for sp in memo[start] if sp.kind in {"anonymous", "media", "agency", "analyst"}]
        if reporters:
            return reporters[-1]
    return None


_PERSONAL = {"il", "elle"}


def _inverted_pronoun(verb: Token) -> Token | None:
    """The "-il" of "a-t-il ajouté" or "précise-t-elle", however the parser hung it."""
    doc = verb.doc
    first = min([verb.i, *(c.i for c in verb.children if c.dep_.startswith("aux"))])
    for t in doc[first : min(verb.i + 4, sentence_of(verb).end)]:
        if t.text.startswith("-") and t.lower_.lstrip("-") in _PERSONAL:
            return t
    return None


def _earlier_speaker(tok: Token) -> Speaker | None:
    """The last named speaker of the sentences before, a pronoun's antecedent: "…, a-t-il ajouté"."""
    memo: dict[int, list[Speaker]] = tok.doc.user_data.get(_MEMORY, {})
    here = sent_start(tok)
    for start in sorted((s for s in memo if s < here), reverse=True)[:3]:
        named = [sp for sp in memo[start] if sp.kind not in {"anonymous", "self"} and sp.name]
        if named:
            return named[-1]
    return None


def _earlier_media(tok: Token, ents: DocEntities) -> EntityBuilder | None:
    """The media named last before tok: "selon le journal" after "rapporte le quotidien Nikkei"."""
    if any(c.dep_ == "nmod" for c in tok.children):
        return None  # "le site de Douai" is a plant
    det = [c for c in tok.children if c.dep_ == "det"]
    if not det or det[0].lower_ not in _DEFINITE:
        return None
    agency = tok.lemma_.lower() == "agence"
    seen: list[EntityBuilder] = []
    for i in range(tok.i - 1, -1, -1):
        b = ents.tok2ent.get(i)
        if b is not None and b.type == "MEDIA" and b not in seen:
            seen.append(b)
    if agency:
        return next((b for b in seen if b.kb is not None and b.kb.kind == "agency"), None)
    return seen[0] if seen else None


@cache
def _title_nouns() -> frozenset[str]:
    ent = lexicons.load("entities_fr")
    return frozenset(
        {*ent["person_titles"], *ent["official_titles"], *ent["analyst_titles"], "maire", "préfet", "patron"}
    )


def _appositive_person(
    head: Token, toks: tuple[int, ...], ents: DocEntities
) -> tuple[EntityBuilder, range] | None:
    """A person named right after the comma that closes a title: "le président de la région, X"."""
    doc = head.doc
    j = max(toks, default=head.i) + 1
    if j + 1 >= sentence_of(head).end or doc[j].text != ",":
        return None
    b = ents.tok2ent.get(j + 1)
    if b is None or b.type != "PER":
        return None
    span = next((range(s, e) for s, e in b.mentions if s == j + 1), None)
    return (b, span) if span is not None else None


def _name_after(head: Token, ents: DocEntities) -> tuple[EntityBuilder, range] | None:
    """The name right after a noun and its adjectives: "le média chinois LatePost" -> LatePost."""
    lex = _lex()
    lemma = head.lemma_.lower()
    if not (
        lemma in _media_nouns()
        or lemma in lex["media_work_heads"]
        or lemma in lex["analyst_heads"]
        or lemma in lex["analyst_titles"]
        or lemma in lex["official_titles"]
        or lemma in lex["organ_heads"]
    ):
        return None
    doc = head.doc
    j = head.i + 1
    while j < sentence_of(head).end and doc[j].pos_ == "ADJ" and ents.entity_at(doc[j]) is None:
        j += 1
    b = ents.entity_at(doc[j]) if j < sentence_of(head).end else None
    if b is None or b.type not in {"MEDIA", "ORG", "PER"} or j not in ents.tok2ent:
        return None
    span = next((range(s, e) for s, e in b.mentions if s <= j < e), range(j, j + 1))
    return b, span


@cache
def _media_nouns() -> frozenset[str]:
    return frozenset(lexicons.load("entities_fr")["media_nouns"])


def _capitalised_name(head: Token, toks: tuple[int, ...]) -> str | None:
    """The capitalised words after a media noun: "le média chinois LatePost" -> LatePost."""
    doc = head.doc
    words: list[Token] = []
    for i in sorted(toks):
        if i <= head.i:
            continue
        t = doc[i]
        if t.text[:1].isupper() or (words and t.lower_ in {"de", "du", "des", "&"}):
            words.append(t)
        elif words:
            break
    while words and not words[-1].text[:1].isupper():
        words.pop()
    return doc[words[0].i : words[-1].i + 1].text if words else None


def _speaker_for_entity(b: EntityBuilder, toks: tuple[int, ...]) -> Speaker:
    if b.type == "MEDIA":
        return Speaker(b.name, _media_kind(b), b, None, toks)
    if b.type == "PER":
        return Speaker(b.name, "person", b, b.of, toks)
    if b.kb is not None and b.kb.kind in {"analyst", "official"}:
        return Speaker(b.name, b.kb.kind, b, None, toks)
    return Speaker(b.name, "org", b, None, toks)


def governed_by_modal(verb: Token) -> bool:
    """ "pourrait annoncer": what is not said yet is no attribution."""
    cur = verb
    while cur.dep_ == "xcomp" and cur.head.i != cur.i:
        cur = cur.head
        if cur.lemma_.lower() in {
            "pouvoir",
            "devoir",
            "aller",
            "vouloir",
            "souhaiter",
            "compter",
            "prévoir",
        }:
            return True
    return False


def speakers_for(sent: Span, ents: DocEntities) -> tuple[set[int], list[Speaker]]:
    """The speakers a sentence names, outermost first, and the tokens of their phrases."""
    speakers: list[Speaker] = []
    tokens: set[int] = set()
    for tok in sent:
        low = tok.lower_
        prev = tok.doc[tok.i - 1].lower_ if tok.i > sent.start else ""
        is_prep = low == "selon" or (low == "après" and prev in {"d'", "d’"})
        if is_prep and tok.dep_ in {"case", "fixed"}:
            np = tok.head if tok.dep_ == "case" else tok.head.head
            sp = speaker_of_np(np, ents)
            if sp is not None:
                speakers.append(sp)
                tokens.update(sp.tokens)
                tokens.add(tok.i)
                cited = None
                if sp.kind in {"agency", "media"}:
                    # "Selon The Information, qui cite …": the relative may hang on any word of the name
                    for holder in dict.fromkeys([np, np.head, *(tok.doc[i] for i in sp.tokens)]):
                        cited = _cited_by(holder, holder, ents)
                        if cited is not None:
                            break
                if cited is not None:
                    # "d'après l'agence Bloomberg, citant des personnes au fait du dossier"
                    speakers.append(replace(cited, via=Source(sp.name, sp.kind), verb=-1, incise=False))
                    tokens.update(cited.tokens)
    for tok in sent:
        if tok.pos_ not in {"VERB", "AUX"} or not _is_speech(tok):
            continue
        if governed_by_modal(tok) and not _after_comma(tok):
            continue  # an incise hung on a modal ("X pourrait …, ajoute le journal") is still said
        if _background_participle(tok):
            continue  # "un projet évoqué par plusieurs élus": what the noun is, not who says the sentence
        # a clause the parser hung as subject ("« X n'est pas à vendre », a déclaré Y") is the quote
        subj = [
            c
            for c in tok.children
            if c.dep_ in {"nsubj", "nsubj:pass"} and c.pos_ not in {"VERB", "AUX", "DET", "ADP", "PUNCT"}
        ]
        if subj and subj[0].i < tok.i and _after_comma(tok):
            # "…, révèlent Les Echos": a media named right after an incise verb speaks, whatever the
            # parser hung on the verb from the clause before
            inv = _inverted_subject(tok)
            named = ents.entity_at(inv) if inv is not None else None
            if (
                inv is not None
                and named is not None
                and named.type == "MEDIA"
                and not any(t.pos_ == "ADP" for t in tok.doc[tok.i + 1 : inv.i])
            ):
                subj = [inv]  # not "a dit sur France Inter": where it was said
        incise = _after_comma(tok) and (not subj or subj[0].i > tok.i)
        if not subj and incise:
            # an incise whose inverted subject the parser took for an object: ", a confirmé le fabricant."
            subj = [
                c
                for c in tok.children
                if c.dep_ == "obj"
                and c.i > tok.i
                and (c.pos_ in {"NOUN", "PROPN"} or c.lemma_.lower() in {"un", "une"})
                and not _in_timex(c)
            ]
        if not subj and incise:
            inv = _inverted_subject(tok)
            subj = [inv] if inv is not None else []
        if not subj or subj[0].lower_ in {"-t", "t"}:
            # ", a-t-il ajouté", ", précise-t-elle": the inverted pronoun
            pron = _inverted_pronoun(tok)
            if pron is not None:
                subj, incise = [pron], _after_comma(tok)
        if not subj:
            continue
        s = subj[0]
        if s.pos_ == "PRON" and "Rel" in s.morph.get("PronType", []):
            from ondit.extract.claims import antecedent_of_relative

            ante = antecedent_of_relative(s, ents)
            if ante is None:
                continue
            s = ante
        if s.pos_ == "PRON" and ents.entity_at(s) is None and s.lemma_.lower() not in {"un", "une"}:
            impersonal = s.dep_ == "nsubj:pass" or any(c.dep_ == "aux:pass" for c in tok.children)
            personal = s.lower_.lstrip("-") in _PERSONAL and not impersonal  # not "il a été précisé que"
            earlier = _earlier_speaker(s) if personal else None
            if earlier is not None:
                # "Il a précisé que …", ", a-t-elle ajouté": the speaker of an earlier sentence goes on
                speakers.append(replace(earlier, tokens=(s.i,), verb=tok.i, incise=incise))
            continue  # a pronoun, not a name the tagger took for one ("Deezer" tagged PRON)
        has_complement = any(c.dep_ in {"ccomp", "xcomp", "obj", "parataxis"} for c in tok.children)
        inverted = s.i > tok.i  # "affirme le Wall Street Journal", "rapportent deux sources"
        if (
            tok.lemma_.lower() in speech_or_act()
            and not inverted
            and not incise
            and not any(c.dep_ in {"ccomp", "parataxis"} for c in tok.children)
        ):
            continue  # "Manitou a confié à Lacroix la fabrication …": an act, not speech
        if not (has_complement or inverted or tok.dep_ in {"parataxis", "ROOT"}):
            continue
        sp = speaker_of_np(s, ents)
        if sp is None:
            continue
        if sp.via is None:
            # "deux sources à Reuters", "ont déclaré à l'AFP deux personnes": the media they spoke to
            told = [
                c
                for c in tok.children
                if c.dep_ in {"obl", "obl:arg", "obl:mod", "iobj"}
                and any(k.dep_ == "case" and k.lower_ in {"à", "au"} for k in c.children)
            ]
            for c in [*(c for c in s.children if c.dep_ == "nmod"), *told]:
                b = ents.entity_at(c)
                if b is not None and b.type == "MEDIA" and b.name != sp.name:
                    sp = replace(sp, via=Source(b.name, _media_kind(b)))
        speakers.append(replace(sp, verb=tok.i, incise=incise))
        cited = _cited_by(tok, s, ents)
        if cited is not None and sp.kind in {"agency", "media"}:
            speakers.append(replace(cited, via=Source(sp.name, sp.kind), verb=tok.i, incise=incise))
    sent.doc.user_data.setdefault(_MEMORY, {})[sent.start] = speakers
    return tokens, speakers


@cache
def speech_or_act() -> frozenset[str]:
    """Speech verbs that also name an act ("confier la fabrication à", "assurer la production")."""
    return frozenset(lexicons.load("time_fr")["claim_time"]["speech_or_act"])


def _is_speech(tok: Token) -> bool:
    """A speech verb, also when the tagger left it unlemmatised ("estime" for "estimer")."""
    return tok.lemma_.lower() in _lex()["speech"] or tok.lower_ in _speech_forms()


@cache
def _speech_forms() -> frozenset[str]:
    """Present-tense forms of the -er speech verbs: "estime", "affirment"."""
    stems = [v[:-2] for v in _lex()["speech"] if v.endswith("er") and " " not in v]
    return frozenset({*(st + "e" for st in stems), *(st + "ent" for st in stems)})


def _inverted_subject(verb: Token) -> Token | None:
    """The subject after an incise verb, past adverbs and dates: ", a annoncé lundi soir l'entreprise"."""
    doc = verb.doc
    spans = [(tx.start, tx.end) for tx in doc._.ondit_timexes or []]
    j = verb.i + 1
    while j < sentence_of(verb).end:
        t = doc[j]
        in_time = any(s <= t.idx < e for s, e in spans)
        dative = any(c.dep_ == "case" and c.lower_ in {"à", "au", "aux"} for c in t.children)
        named = doc._.ondit_ents is not None and doc._.ondit_ents.entity_at(t) is not None
        if (t.pos_ in {"NOUN", "PROPN"} or named) and not in_time and not dative:
            # a known name the tagger took for a verb ("affirme Bloomberg") is a name
            # the head of its phrase: "l'agence Reuters" -> agence, "le porte-parole" -> porte-parole
            return t
        if not (
            t.pos_ in {"ADV", "DET", "ADJ", "NUM", "ADP", "PART"} or in_time or dative or t.text in {"-", "'"}
        ):
            return None
        j += 1
    return None


def _in_timex(tok: Token) -> bool:
    """ "a répété mardi Richard Yu": a date between the verb and its inverted subject is no speaker."""
    return any(tx.start <= tok.idx < tx.end for tx in tok.doc._.ondit_timexes or [])


def _after_comma(verb: Token) -> bool:
    first = min([verb.i, *(c.i for c in verb.children if c.dep_.startswith("aux"))])
    return first > 0 and verb.doc[first - 1].text in {",", "»", '"'}


def _cited_by(verb: Token, subj: Token, ents: DocEntities) -> Speaker | None:
    """ "rapporte Reuters en citant le quotidien Nikkei", "écrit le journal, qui cite deux cadres"."""
    for holder in (verb, subj):
        for c in holder.children:
            if c.lemma_.lower() == "citer" and c.dep_ in {"advcl", "acl:relcl", "acl", "xcomp", "conj"}:
                for o in c.children:
                    if o.dep_ in {"obj", "nsubj:pass"}:
                        sp = speaker_of_np(o, ents)
                        if sp is not None:
                            return sp
    if verb.lemma_.lower() == "apprendre":
        # "a appris Reuters auprès de trois sources": who told the media, read on the surface (the
        # parser often hangs "auprès de" on the media's name)
        doc = verb.doc
        end = min(len(doc), verb.i + 8)
        for i in range(verb.i + 1, end - 2):
            if doc[i].lower_ == "auprès" and doc[i + 1].lower_ in {"de", "d'", "d’", "du", "des"}:
                head = next(
                    (t for t in doc[i + 2 : min(len(doc), i + 6)] if t.pos_ in {"NOUN", "PROPN"}), None
                )
                sp = speaker_of_np(head, ents) if head is not None else None
                if sp is not None:
                    return sp
    return None


_CLOSING = re.compile(
    r"^\s*\(?\s*(?:sources?|avec|d['’]après|via)\s*:?\s*(?P<name>[A-Z][\w&.'’\- ]{1,40}?)\s*\)?\s*\.?\s*$",
    re.IGNORECASE,
)


def article_source(doc: Doc, ents: DocEntities) -> Source | None:
    """A closing "Source : Reuters" or "(avec AFP)" line names the source of the whole article."""
    from ondit.extract.furniture import dateline
    from ondit.extract.gazetteer import gazetteer

    def as_source(name: str) -> Source:
        entry = gazetteer().lookup(name)
        if entry is not None and entry.type == "MEDIA":
            return Source(entry.name, entry.kind or "media")
        return Source(name, "media")

    lines = [ln for ln in doc_text(doc).strip().split("\n") if ln.strip()]
    for line in reversed(lines[-3:]):
        m = _CLOSING.match(line)
        if m:
            return as_source(m.group("name").strip())
    for line in lines[:4]:
        dl = dateline(line)
        if dl is not None:
            return as_source(dl[1])
    return None


def chain_for(
    speakers: list[Speaker],
    parties: set[str],
    party_ids: set[str],
    outlet: str | None,
    closing: Source | None,
    first_party: str | None = None,
) -> tuple[Source, ...]:
    chain: list[Source] = []
    if outlet:
        chain.append(Source(outlet, "outlet"))
    if closing is not None and closing.name != outlet:
        chain.append(closing)
    for sp in speakers:
        if sp.via is not None:
            chain.append(sp.via)
        if sp.kind == "self":
            if first_party:
                chain.append(Source(first_party, "party"))
            continue
        kind = sp.kind
        if kind == "org":
            kind = (
                "party"
                if (sp.entity is not None and sp.entity.id in party_ids) or sp.name in parties
                else "official"
            )
        elif kind == "person":
            # a named person who is neither analyst nor official speaks for a party (an executive)
            kind = "party"
        chain.append(Source(sp.name, kind, sp.of))
    # drop repeated links ("d'après Reuters" in an article whose closing line is Reuters)
    out: list[Source] = []
    for link in chain:
        if out and out[-1].name == link.name:
            if link.kind != "outlet":
                out[-1] = link if out[-1].kind == "outlet" and False else out[-1]
            continue
        if any(o.name == link.name for o in out) and link.kind in {"agency", "media"}:
            continue
        out.append(link)
    return tuple(out)
