"""ondit's spaCy components, registered with `Language.factory`.

    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe("ondit_sentences", before="parser")
    nlp.add_pipe("ondit_entities")
    nlp.add_pipe("ondit_times")
    nlp.add_pipe("ondit_claims")
    doc = nlp("…")
    doc._.ondit_claims  # list of ondit.model.Claim

The publication date and outlet are read from `doc._.ondit_published` and
`doc._.ondit_outlet` when set before the pipeline runs (see `ondit.extract`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ondit.extract.furniture import dateline, is_furniture
from ondit.nlp.sents import doc_text

_SENT_END = {".", "!", "?", "…", "»", ":", ";", '"', "”"}

for _name, _default in (
    ("ondit_published", None),
    ("ondit_outlet", None),
    ("ondit_furniture", None),
    ("ondit_ents", None),
    ("ondit_timexes", None),
    ("ondit_quantities", None),
    ("ondit_claims", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class SentenceSetter:
    """Every line is its own sentence (a title without a full stop too); furniture lines are marked."""

    def __call__(self, doc: Doc) -> Doc:
        furniture: list[tuple[int, int]] = []
        text = doc_text(doc)
        for i, tok in enumerate(doc):
            if i == 0:
                tok.is_sent_start = True
                continue
            prev = doc[i - 1]
            if "\n" in prev.text_with_ws or (prev.is_space and "\n" in prev.text):
                if not tok.is_space:
                    tok.is_sent_start = True
            elif prev.text in _SENT_END or prev.is_space:
                pass  # the parser decides
            else:
                tok.is_sent_start = False
        # furniture: whole lines, and agency datelines opening a paragraph
        pos = 0
        for line in text.split("\n"):
            if line.strip() and is_furniture(line):
                furniture.append((pos, pos + len(line)))
            else:
                dl = dateline(line)
                if dl is not None:
                    furniture.append((pos, pos + dl[0]))
                    span = doc.char_span(pos + dl[0], pos + len(line), alignment_mode="expand")
                    if span is not None and len(span):
                        span[0].is_sent_start = True
            pos += len(line) + 1
        doc._.ondit_furniture = furniture
        return doc


@Language.factory("ondit_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSetter:
    return SentenceSetter()


class EntityRecognizer:
    def __call__(self, doc: Doc) -> Doc:
        from ondit.extract.entities import find_entities

        doc._.ondit_ents = find_entities(doc)
        return doc


@Language.factory("ondit_entities")
def make_entities(nlp: Language, name: str) -> EntityRecognizer:
    return EntityRecognizer()


class TimeQuantityTagger:
    def __call__(self, doc: Doc) -> Doc:
        from ondit.extract.quantity import find_quantities
        from ondit.extract.timex import find_timexes

        doc._.ondit_timexes = find_timexes(doc_text(doc), doc._.ondit_published)
        doc._.ondit_quantities = find_quantities(doc_text(doc))
        return doc


@Language.factory("ondit_times")
def make_times(nlp: Language, name: str) -> TimeQuantityTagger:
    return TimeQuantityTagger()


class ClaimExtractor:
    def __call__(self, doc: Doc) -> Doc:
        from ondit.extract.claims import find_claims

        if doc._.ondit_ents is None:
            EntityRecognizer()(doc)
        if doc._.ondit_timexes is None:
            TimeQuantityTagger()(doc)
        doc._.ondit_claims = find_claims(doc)
        return doc


@Language.factory("ondit_claims")
def make_claims(nlp: Language, name: str) -> ClaimExtractor:
    return ClaimExtractor()
