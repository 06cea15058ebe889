"""The spaCy pipeline per language, loaded once per process."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

import ondit.nlp.components  # noqa: F401  (registers the ondit_* factories)

MODELS = {"fr": "fr_core_news_md"}


@cache
def load(lang: str = "fr") -> Language:
    """spaCy's model for `lang` with ondit's components added; cached for the process."""
    nlp = spacy.load(MODELS[lang], exclude=["senter"])
    nlp.add_pipe("ondit_sentences", before="parser")
    nlp.add_pipe("ondit_entities", last=True)
    nlp.add_pipe("ondit_times", last=True)
    nlp.add_pipe("ondit_claims", last=True)
    return nlp
