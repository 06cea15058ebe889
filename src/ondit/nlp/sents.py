"""Sentence lookups computed once per Doc (spaCy's `Token.sent` scans the Doc each time)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from spacy.tokens import Doc, Span, Token

T = TypeVar("T")

_KEY = "ondit_sent_index"


def sentences(doc: Doc) -> list[Span]:
    """The Doc's sentences, computed once and kept in `doc.user_data`."""
    cached = doc.user_data.get(_KEY)
    if cached is None:
        sents = list(doc.sents)
        starts = [0] * len(doc)
        for n, s in enumerate(sents):
            for i in range(s.start, s.end):
                starts[i] = n
        cached = (sents, starts)
        doc.user_data[_KEY] = cached
    result: list[Span] = cached[0]
    return result


def sentence_of(tok: Token) -> Span:
    sentences(tok.doc)
    sents, starts = tok.doc.user_data[_KEY]
    span: Span = sents[starts[tok.i]]
    return span


def sent_start(tok: Token) -> int:
    return sentence_of(tok).start


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once (`Doc.text` joins every token on each access)."""
    cached = doc.user_data.get("ondit_text")
    if cached is None:
        cached = doc.text
        doc.user_data["ondit_text"] = cached
    text: str = cached
    return text


def once(doc: Doc, table: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` the first time `key` is asked for in `doc`'s `table`, the kept value after."""
    values: dict[Hashable, Any] = doc.user_data.setdefault(table, {})
    if key not in values:
        values[key] = compute()
    result: T = values[key]
    return result
