"""Stable identities of articles, shared by extraction and the store."""

from __future__ import annotations

import hashlib
import unicodedata


def content_hash(text: str, url: str | None) -> str:
    """sha256 of the article's URL and its text with Unicode and whitespace normalised."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(((url or "") + "\n" + norm).encode("utf-8")).hexdigest()
