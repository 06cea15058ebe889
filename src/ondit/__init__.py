"""ondit: sourced, certainty-graded, dated claims about companies, from news.

import ondit
result = ondit.extract("Xiaomi serait en discussion avec …", published="2021-03-29")
for claim in result.claims:
    print(claim.type, dict(claim.args), claim.certainty)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The subpackage ondit.extract is imported first (its __init__ is light), so that the function
# below, defined after it, is what `ondit.extract` names; later submodule imports do not rebind it.
import ondit.extract as _extract_package  # noqa: F401

if TYPE_CHECKING:
    from ondit.model import ArticleExtraction, PubDate


def extract(
    text: str,
    published: str | PubDate | None = None,
    outlet: str | None = None,
    title: str = "",
    lang: str | None = None,
    id: str | None = None,
) -> ArticleExtraction:
    """Extract claims, entities, sources, times and quantities from one article's text."""
    from ondit.extract.run import extract as _extract

    return _extract(text, published=published, outlet=outlet, title=title, lang=lang, id=id)


def __getattr__(name: str) -> Any:
    if name in {
        "Article",
        "ArticleExtraction",
        "Claim",
        "Entity",
        "PubDate",
        "Source",
        "TimeRef",
        "Quantity",
    }:
        from ondit import model

        return getattr(model, name)
    raise AttributeError(name)
