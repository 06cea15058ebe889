"""The pages in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium, headless) against
`ondit serve`'s app on a free port, over a store filled from examples/ plus one hostile article.

Screenshots of every page (desktop and 375-pixel phone width) go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from ondit.api.app import create_app
from ondit.api.command import report
from tests.api_support import HOSTILE, HOSTILE_ID, call, examples_store_url

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TOKEN = "browser-test-token"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _chromium() -> str | None:
    """Debian's Chromium; installed with apt when missing and we may (as root). None when impossible."""
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        for cmd in (["apt-get", "install", "-y", "chromium"], ["apt-get", "update"]):
            subprocess.run(cmd, capture_output=True, timeout=900, check=False)
        if not CHROMIUM.exists():
            subprocess.run(
                ["apt-get", "install", "-y", "chromium"], capture_output=True, timeout=900, check=False
            )
    return str(CHROMIUM) if CHROMIUM.exists() else None


@dataclass
class Site:
    base: str
    store_url: str
    ids: dict[str, Any] = field(default_factory=dict)

    def api(self, path: str) -> Any:
        r = httpx.get(self.base + path, timeout=30)
        assert r.status_code == 200, (path, r.text[:300])
        return r.json()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    store_url = examples_store_url(tmp_path_factory.mktemp("browser"))
    app = create_app(store_url, token=TOKEN)
    r = call(app, "POST", "/api/articles", json=HOSTILE, headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    site = Site(f"http://127.0.0.1:{port}", store_url)
    baidu = next(e for e in site.api("/api/entities?q=baidu")["entities"] if e["name"] == "Baidu")
    story = site.api(f"/api/entities/{baidu['id']}/story")
    talks = next(c for c in story["claims"] if c["type"] == "talks")
    hostile = site.api(f"/api/articles/{HOSTILE_ID}")
    site.ids = {
        "baidu": baidu["id"],
        "story": story,
        "claim": talks["id"],
        "article": site.api(f"/api/claims/{talks['id']}")["reports"][0]["article_id"],
        "hostile_claims": sorted({r["claim_id"] for r in hostile["reports"]}),
        "renault": site.api("/api/entities?q=renault")["entities"][0]["id"],
    }
    yield site
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        pytest.skip(f"Chromium is not at {CHROMIUM} and could not be installed with apt-get")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Tab:
    """A page with its console errors, uncaught exceptions and dialogs recorded."""

    def __init__(self, browser: Any, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)

    def goto(self, url: str) -> Any:
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.ok, (url, response and response.status)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    t = Tab(browser, DESKTOP)
    yield t
    t.close()
    assert not t.errors, t.errors
    assert not t.dialogs, t.dialogs


def expected_points(site: Site, story: dict[str, Any]) -> int:
    """One dot per report of each claim, one mark per state change."""
    n = 0
    for c in story["claims"]:
        n += len(site.api(f"/api/claims/{c['id']}")["reports"]) + len(c["transitions"])
    return n


def check_badges(page: Any) -> int:
    """Every state and certainty badge says its word; returns how many there are."""
    bad = page.eval_on_selector_all(
        ".badge[data-state], .badge[data-certainty]",
        "els => els.filter(e => e.innerText.trim() !== (e.dataset.state || e.dataset.certainty))"
        ".map(e => e.outerHTML)",
    )
    assert bad == []
    return int(page.locator(".badge[data-state], .badge[data-certainty]").count())


def pages(site: Site) -> dict[str, str]:
    ids = site.ids
    return {
        "home": "/",
        "search": "/?q=stellantis",
        "entity": f"/entities/{ids['baidu']}",
        "claim": f"/claims/{ids['claim']}",
        "article": f"/articles/{ids['article']}",
        "sources": "/sources",
        "try": "/try",
    }


# --------------------------------------------------------------------------- tests


def test_every_page_loads_readable_at_desktop_and_phone_width(site: Site, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for viewport, prefix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        t = Tab(browser, viewport)
        for name, path in pages(site).items():
            page = t.goto(site.base + path)
            if name == "entity":
                page.wait_for_selector("#timeline[data-rendered='true']")
            badges = check_badges(page)
            if name in ("home", "entity", "claim", "article"):
                assert badges > 0, name
            width = page.evaluate(
                "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
            )
            assert width[0] <= width[1], (prefix, name, width)
            page.screenshot(path=str(ARTIFACTS / f"{prefix}-{name}.png"), full_page=True)
        t.close()
        assert not t.errors, t.errors
        assert not t.dialogs


def test_search_then_entity_claim_article(site: Site, tab: Tab) -> None:
    page = tab.goto(site.base + "/")
    page.fill("#q", "baidu")
    page.press("#q", "Enter")
    page.wait_for_selector("#results")
    page.locator("a.entity-link", has_text="Baidu").first.click()
    page.wait_for_url(f"**/entities/{site.ids['baidu']}")
    chart = page.wait_for_selector("#timeline[data-rendered='true']")
    assert chart is not None
    points = page.locator("#timeline svg .scatterlayer path.point").count()
    assert points == expected_points(site, site.ids["story"]) == int(chart.get_attribute("data-points") or 0)
    assert page.locator("svg.graph circle.node").count() >= 2  # the entity and a counterpart
    page.screenshot(path=str(ARTIFACTS / "flow-entity.png"), full_page=True)

    page.locator("a.claim-link").first.click()
    page.wait_for_url("**/claims/*")
    assert page.locator("h1 .badge[data-state]").count() == 1
    assert page.locator("ol.reports > li").count() >= 1
    assert page.locator("blockquote.evidence").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "flow-claim.png"), full_page=True)

    page.locator("a.article-link").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".article-text .ent").count() > 0
    assert page.locator(".article-text .ev").count() > 0
    assert page.locator(".article-text .cue").count() > 0
    assert page.locator(".article-text a.ev-ref").count() > 0
    page.screenshot(path=str(ARTIFACTS / "flow-article.png"), full_page=True)


def test_sources_table_sorts(site: Site, tab: Tab) -> None:
    page = tab.goto(site.base + "/sources")
    page.locator("th a", has_text="source").click()
    page.wait_for_url("**sort=source**")
    names = page.eval_on_selector_all(
        ".sources-table tbody tr td:first-child", "els => els.map(e => e.innerText)"
    )
    assert len(names) > 1
    order = "asc" if "order=asc" in page.url else "desc"
    assert names == sorted(names, key=str.casefold, reverse=order == "desc")


def test_try_it_annotates_and_stores_nothing(site: Site, tab: Tab) -> None:
    before = site.api("/api/claims?limit=500")
    page = tab.goto(site.base + "/try")
    page.fill("#text", "Selon Reuters, Xiaomi serait en discussion avec Great Wall Motor pour ses voitures.")
    page.fill("#published", "2021-03-24")
    page.click("form.try button")
    page.wait_for_selector("#extraction")
    assert page.locator("#extraction .badge[data-certainty='probable']").count() >= 1
    assert page.locator("#extraction .ent").count() >= 2
    check_badges(page)
    page.screenshot(path=str(ARTIFACTS / "try-result.png"), full_page=True)
    assert site.api("/api/claims?limit=500") == before


def test_hostile_article_runs_nothing(site: Site, tab: Tab) -> None:
    ids = site.ids
    urls = [
        f"/articles/{HOSTILE_ID}",
        f"/entities/{ids['renault']}",
        *(f"/claims/{c}" for c in ids["hostile_claims"]),
        "/sources",
        "/",
    ]
    for url in urls:
        page = tab.goto(site.base + url)
        for el in page.locator("main b, main a, main span, main h1").all()[:200]:
            el.hover(timeout=2000, force=True)
        assert page.evaluate("() => window.__pwned") is None, url
        assert page.locator("main script:not(#timeline-data), main img").count() == 0, url
        assert (
            page.eval_on_selector_all(
                "a[href]", "els => els.filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length"
            )
            == 0
        )
    page = tab.goto(site.base + f"/articles/{HOSTILE_ID}")
    assert "<script>window.__pwned" in page.locator(".article-text").inner_text()  # shown, as text
    assert "<img src=x" in page.locator("h1").inner_text()
    page.screenshot(path=str(ARTIFACTS / "hostile-article.png"), full_page=True)
    # pasted into the try-it page: shown as text too
    page = tab.goto(site.base + "/try")
    page.fill("#text", HOSTILE["text"])
    page.click("form.try button")
    page.wait_for_selector("#extraction")
    assert page.evaluate("() => window.__pwned") is None
    assert "<script>" in page.locator("#extraction .article-text").inner_text()
    assert not tab.dialogs


def test_report_file_works_offline(site: Site, browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "baidu.html"
    report("Baidu", out, site.store_url, None)
    t = Tab(browser, DESKTOP)
    requested: list[str] = []

    def only_the_file(route: Any) -> None:
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    t.page.route("**/*", only_the_file)
    t.page.goto(out.as_uri(), wait_until="load")
    chart = t.page.wait_for_selector("#timeline[data-rendered='true']")
    assert chart is not None
    points = t.page.locator("#timeline svg .scatterlayer path.point").count()
    assert points == int(chart.get_attribute("data-points") or 0) > 0
    check_badges(t.page)
    t.page.screenshot(path=str(ARTIFACTS / "report-baidu.png"), full_page=True)
    t.close()
    assert [u for u in requested if not u.startswith("file://")] == []
    assert not t.errors, t.errors
