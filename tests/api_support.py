"""Shared by the API, schema and browser tests: a store filled by ingesting examples/, built once per
test process and copied into each test module's own temporary SQLite file."""

from __future__ import annotations

import asyncio
import atexit
import functools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import httpx

from ondit.ingest.pipeline import ingest
from ondit.store import open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# an article that tries everything a hostile page would: none of it may run in the browser
HOSTILE_ID = "hostile-1"
HOSTILE = {
    "id": HOSTILE_ID,
    "title": "Renault <script>window.__pwned = 'title'</script> <img src=x onerror=\"window.__pwned='img'\">",
    "outlet": "<script>window.__pwned='outlet'</script>Les Échos",
    "url": "javascript:window.__pwned='url'",
    "published": "2024-05-02",
    "lang": "fr",
    "text": (
        "Selon Reuters, Renault serait en discussion avec Nissan <script>window.__pwned = 'text'</script> "
        "pour une fusion. <img src=x onerror=\"window.__pwned='img'; alert(1)\"> Le groupe "
        "<a href=\"javascript:window.__pwned='link'\">Nissan</a> n'a pas souhaité commenter. "
        "D'après Bloomberg, Renault pourrait annoncer un accord avec Nissan "
        "<b onmouseover=alert(2)>en juin</b>."
    ),
}


@functools.cache
def _examples_db() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="ondit-api-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "examples.db"
    with open_store(f"sqlite:///{path}") as store:
        summary = ingest([EXAMPLES], store)
    assert summary.new >= 18 and not summary.rejected, summary.to_json()
    return path


def examples_store_url(folder: Path) -> str:
    """A SQLite URL, in `folder`, of a store filled by ingesting examples/ (a copy of one built once)."""
    target = folder / "ondit.db"
    shutil.copyfile(_examples_db(), target)
    return f"sqlite:///{target}"


async def _request(app: Any, method: str, url: str, **kw: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://ondit.test") as client:
        return await client.request(method, url, **kw)


def call(app: Any, method: str, url: str, **kw: Any) -> httpx.Response:
    """One request to the ASGI app through httpx.ASGITransport (an async client, run to completion)."""
    return asyncio.run(_request(app, method, url, **kw))
