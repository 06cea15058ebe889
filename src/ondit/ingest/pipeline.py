"""Ingestion: read inputs, skip what the store knows, extract the rest, store each article once.

Each article is stored in its own transaction, so a crash (even SIGKILL) loses at most the
article being written, and a re-run stores exactly what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ondit.errors import InputError
from ondit.extract.run import article_id, extract_many
from ondit.model import Article, PubDate
from ondit.store import Store, content_hash

BATCH = 16


@dataclass
class IngestSummary:
    new: int = 0
    known: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "new": self.new,
            "known": self.known,
            "rejected": [{"input": o, "reason": r} for o, r in self.rejected],
        }


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    published: PubDate | None = None,
    outlet: str | None = None,
    lang: str | None = None,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into `store`; returns how many articles were new, known and rejected."""
    from ondit.ingest.readers import read_inputs

    summary = IngestSummary()
    batch: list[Article] = []
    seen: set[str] = set()

    def tick() -> None:
        if progress is not None:
            progress(summary)

    def reject(origin: str, reason: str) -> None:
        store.reject(origin, reason)
        summary.rejected.append((origin, reason))

    def flush() -> None:
        for art, res in zip(batch, extract_many(batch, batch_size=BATCH), strict=True):
            origin = art.origin or article_id(art)
            if isinstance(res, InputError):
                reject(res.origin, res.reason)
            elif isinstance(res, Exception):
                reject(origin, f"extraction failed: {type(res).__name__}: {res}")
            elif store.add(res, origin=art.origin):
                summary.new += 1
            else:
                summary.known += 1
            tick()
        batch.clear()

    for item in read_inputs(paths, published=published, outlet=outlet, lang=lang):
        if isinstance(item, InputError):
            reject(item.origin, item.reason)
            tick()
            continue
        digest = content_hash(item.text, item.url)
        if digest in seen or store.known(item.id or article_id(item), digest):
            summary.known += 1
            tick()
            continue
        seen.add(digest)
        batch.append(item)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return summary


def reprocess(
    store: Store,
    before_version: str | None = None,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Re-extract stored articles (those an extractor older than `before_version` made, or all) and
    rebuild their entities, reports, claims and states; `new` counts the articles rebuilt. User
    corrections apply as they do at ingest."""
    summary = IngestSummary()
    todo = store.stale_articles(before_version)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        for art, res in zip(batch, extract_many(batch, batch_size=BATCH), strict=True):
            origin = art.id or art.origin or article_id(art)
            if isinstance(res, InputError):
                summary.rejected.append((origin, res.reason))
            elif isinstance(res, Exception):
                summary.rejected.append((origin, f"extraction failed: {type(res).__name__}: {res}"))
            elif store.replace(res):
                summary.new += 1
            else:
                summary.known += 1
            if progress is not None:
                progress(summary)
    return summary
