"""Per-article extraction: `Article -> ArticleExtraction`, pure and deterministic.

No I/O and no state across articles: the same article gives the same JSON in a
test, in a worker process and in a Spark partition. The spaCy model is loaded
once per process (`ondit.nlp.pipeline.load`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ondit import __version__
from ondit.errors import ExtractionError, NoArticleText, UnsupportedLanguage
from ondit.ids import content_hash
from ondit.model import Article, ArticleExtraction, Entity, PubDate
from ondit.nlp.lang import SUPPORTED, detect
from ondit.nlp.pipeline import load

MIN_LANG_PROB = 0.5
MIN_WORDS = 5


def article_id(article: Article) -> str:
    """The input's id when it has one, else a short stable hash of the normalised text (and URL)."""
    if article.id:
        return article.id
    return content_hash(article.text, article.url)[:16]


def check_language(article: Article) -> str:
    """The article's language (given or detected); raises UnsupportedLanguage otherwise."""
    origin = article.origin or article_id(article)
    if len(article.text.split()) < MIN_WORDS:
        raise NoArticleText(origin, f"no article text (only {len(article.text.split())} words)")
    if article.lang:
        lang = article.lang.lower().split("-")[0]
        if lang not in SUPPORTED:
            raise UnsupportedLanguage(
                origin,
                f"language {article.lang!r} is not supported (supported: {', '.join(SUPPORTED)})",
            )
        return lang
    lang, prob = detect(article.text)
    if lang not in SUPPORTED or prob < MIN_LANG_PROB:
        raise UnsupportedLanguage(
            origin,
            f"text is in {lang!r} (p={prob:.2f}), not a supported language ({', '.join(SUPPORTED)})",
        )
    return lang


def _full_text(article: Article) -> tuple[str, int]:
    """Title and body parsed together (the title is its own sentence); returns text and body offset."""
    if article.title:
        head = article.title.strip() + "\n\n"
        return head + article.text, len(head)
    return article.text, 0


def _make_doc(nlp: Language, article: Article) -> tuple[Doc, int]:
    text, offset = _full_text(article)
    doc = nlp.make_doc(text)
    doc._.ondit_published = article.published
    doc._.ondit_outlet = article.outlet
    doc.user_data["ondit_body_start"] = offset  # the title is context, not a place claims are taken from
    return doc, offset


def _result(article: Article, lang: str, doc: Doc, offset: int) -> ArticleExtraction:
    from dataclasses import replace

    ents = doc._.ondit_ents.to_entities(doc)
    claims = tuple(doc._.ondit_claims)
    # places and sectors are entities of the article when a claim uses them (a country named in
    # passing is not); companies, people, brands, products and media always are
    used: set[str] = set()
    sectors: set[str] = set()  # the phrases of sector roles: only a market entry names a sector
    for c in claims:
        for role, value in c.args:
            used.update(value if isinstance(value, tuple) else (value,))
            if role == "sector":
                sectors.update(value if isinstance(value, tuple) else (value,))
    ents = tuple(
        e
        for e in ents
        if e.type not in {"PLACE", "SECTOR"}
        or e.name in used
        or (e.type == "SECTOR" and _sector_used(e, sectors))
    )
    if offset:
        # offsets are into the article's text; claims found in the title keep negative starts
        claims = tuple(replace(c, start=c.start - offset, end=c.end - offset) for c in claims)
        ents = tuple(
            replace(
                e,
                mentions=tuple(replace(m, start=m.start - offset, end=m.end - offset) for m in e.mentions),
            )
            for e in ents
        )
    return ArticleExtraction(
        id=article_id(article),
        lang=lang,
        published=article.published.iso() if article.published else None,
        outlet=article.outlet,
        title=article.title,
        text=article.text,
        entities=ents,
        claims=claims,
        url=article.url,
        extractor_version=__version__,
    )


def _sector_used(entity: Entity, used: set[str]) -> bool:
    """A sector role holds the phrase of the text ("la voiture électrique"), the entity its canonical name."""
    forms = {entity.name.lower(), *(a.lower() for a in entity.aliases)}
    # whole words: "IA" is not in "Nvidia" nor in "Indiana"
    return any(any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", u.lower()) for f in forms) for u in used)


def extract_article(article: Article, nlp: Language | None = None) -> ArticleExtraction:
    lang = check_language(article)
    nlp = nlp or load(lang)
    doc, offset = _make_doc(nlp, article)
    return _result(article, lang, nlp(doc), offset)


def extract_many(
    articles: Iterable[Article], batch_size: int = 16
) -> Iterator[ArticleExtraction | Exception]:
    """Extract many articles with `nlp.pipe`; a bad article yields its error, the rest go on."""
    nlp = load("fr")
    pending: list[tuple[Article, str, int]] = []
    docs: list[Doc] = []

    def flush() -> Iterator[ArticleExtraction | Exception]:
        try:
            done = list(nlp.pipe(docs, batch_size=batch_size))
        except Exception:  # one article's failure must not cost the batch: redo one by one
            done = None
        for k, (art, lang, off) in enumerate(pending):
            try:
                # a batch that failed may have left its docs half-processed: start again from the text
                doc = done[k] if done is not None else nlp(_make_doc(nlp, art)[0])
                yield _result(art, lang, doc, off)
            except Exception as e:  # reported per article, the run goes on
                yield ExtractionError(
                    art.origin or article_id(art), f"extraction failed: {type(e).__name__}: {e}"
                )
        pending.clear()
        docs.clear()

    for art in articles:
        try:
            lang = check_language(art)
        except Exception as e:
            yield from flush()
            yield e
            continue
        doc, off = _make_doc(nlp, art)
        pending.append((art, lang, off))
        docs.append(doc)
        if len(docs) >= batch_size:
            yield from flush()
    yield from flush()


def extract(
    text: str,
    published: str | PubDate | None = None,
    outlet: str | None = None,
    title: str = "",
    lang: str | None = None,
    id: str | None = None,
) -> ArticleExtraction:
    """Extract one article given as text: `ondit.extract("…", published="2021-03-29")`."""
    pub = PubDate.parse(published) if isinstance(published, str) else published
    return extract_article(Article(text=text, title=title, published=pub, outlet=outlet, lang=lang, id=id))
