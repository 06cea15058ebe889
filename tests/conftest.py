"""Shared fixtures. The spaCy model is loaded once per test session (ondit.nlp.pipeline.load is cached)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from spacy.language import Language

import ondit
from ondit.model import ArticleExtraction
from ondit.nlp.pipeline import load


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load("fr")


@pytest.fixture(scope="session")
def run(nlp: Language) -> Callable[..., ArticleExtraction]:
    def _run(
        text: str, published: str | None = "2023-10-20", outlet: str | None = "Les Echos", **kw: Any
    ) -> ArticleExtraction:
        return ondit.extract(text, published=published, outlet=outlet, **kw)

    return _run


def claims_of(result: ArticleExtraction, type: str | None = None) -> list[dict[str, Any]]:
    out = [c.to_json() for c in result.claims]
    return [c for c in out if type is None or c["type"] == type]
