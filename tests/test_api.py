"""The JSON API and the pages, through httpx.ASGITransport, over a store filled from examples/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import pytest

from ondit.api import app as api_app
from ondit.api.app import create_app
from ondit.api.command import render_report, report
from ondit.model import CLAIM_TYPES, ENTITY_TYPES
from ondit.store import open_store
from ondit.store.store import AmbiguousEntity, EntityNotFound
from ondit.track.lifecycle import STATES
from tests.api_support import HOSTILE, HOSTILE_ID, call, examples_store_url

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return examples_store_url(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def app(store_url: str) -> Any:
    return create_app(store_url, token=None)


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return create_app(examples_store_url(tmp_path_factory.mktemp("api-rw")), token=TOKEN)


def get(app: Any, url: str, status: int = 200) -> Any:
    r = call(app, "GET", url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    return r.json() if r.headers["content-type"].startswith("application/json") else r.text


def entity_id(app: Any, name: str) -> int:
    found = get(app, f"/api/entities?q={name}")["entities"]
    return int(next(e["id"] for e in found if e["name"] == name))


def all_claims(app: Any, query: str = "", limit: int = 7) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        url = f"/api/claims?limit={limit}{query}" + (f"&cursor={cursor}" if cursor else "")
        page = get(app, url)
        out += page["claims"]
        cursor = page["next_cursor"]
        if cursor is None:
            return out


def error(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in r.text


# --------------------------------------------------------------------------- the API's vocabulary


def test_query_choices_are_the_models() -> None:
    assert get_args(api_app.ClaimTypeName) == CLAIM_TYPES
    assert get_args(api_app.EntityTypeName) == ENTITY_TYPES
    assert get_args(api_app.StateName) == (*STATES, "unstated")


# --------------------------------------------------------------------------- entities and stories


def test_entity_search_by_part_of_name_and_alias(app: Any) -> None:
    found = get(app, "/api/entities?q=stellan")["entities"]
    assert "Stellantis" in [e["name"] for e in found]
    # accents and case ignored; an alias finds its entity
    assert "Hélène Quémener" in [e["name"] for e in get(app, "/api/entities?q=HELENE")["entities"]]
    assert "ACC" in [e["name"] for e in get(app, "/api/entities?q=automotive cells")["entities"]]
    assert get(app, "/api/entities?q=zzzznothing") == {"entities": [], "total": 0}
    everything = get(app, "/api/entities?limit=1000")
    assert everything["total"] == len(everything["entities"]) > 50
    orgs = get(app, "/api/entities?type=ORG&limit=1000")["entities"]
    assert orgs and {e["type"] for e in orgs} == {"ORG"}


def test_entity(app: Any) -> None:
    eid = entity_id(app, "Bouygues Telecom")
    e = get(app, f"/api/entities/{eid}")
    assert e["name"] == "Bouygues Telecom" and e["type"] == "ORG" and e["parent"] == "Bouygues"
    assert e["claims"] > 0 and e["mentions"] > 0
    error(call(app, "GET", "/api/entities/999999"), 404, "not_found")
    error(call(app, "GET", "/api/entities/abc"), 422, "invalid_parameter")
    error(call(app, "GET", "/api/entities/0"), 422, "invalid_parameter")
    error(call(app, "GET", "/api/entities?type=COMPANY"), 422, "invalid_parameter")


def test_story_is_what_ondit_story_prints(app: Any, store_url: str) -> None:
    eid = entity_id(app, "Baidu")
    story = get(app, f"/api/entities/{eid}/story")
    with open_store(store_url) as store:
        expected = store.story(eid)
    assert story == {**expected, "as_of": None}
    talks = next(c for c in story["claims"] if c["type"] == "talks" and c["counterpart"] == "Stellantis")
    assert [t["state"] for t in talks["transitions"]][:2] == ["reported", "denied"]
    # as of a past day: only what had been reported by then
    early = get(app, f"/api/entities/{eid}/story?as_of=2024-02-12")
    assert early["as_of"] == "2024-02-12"
    assert 0 < len(early["claims"]) < len(story["claims"])
    assert get(app, f"/api/entities/{eid}/story?as_of=2000-01-01")["claims"] == []
    error(call(app, "GET", f"/api/entities/{eid}/story?as_of=yesterday"), 422, "invalid_parameter")
    error(call(app, "GET", "/api/entities/999999/story"), 404, "not_found")


# --------------------------------------------------------------------------- claims


def test_claims_pages_cover_every_claim_once(app: Any) -> None:
    claims = all_claims(app)
    stats_claims = len(all_claims(app, limit=500))
    assert len(claims) == stats_claims == len({c["id"] for c in claims}) > 20
    days = [(c["last_reported"] or "", c["id"]) for c in claims]
    assert days == sorted(days, reverse=True)  # newest first
    error(call(app, "GET", "/api/claims?cursor=not-a-cursor"), 422, "invalid_cursor")
    error(call(app, "GET", "/api/claims?limit=0"), 422, "invalid_parameter")
    error(call(app, "GET", "/api/claims?state=true"), 422, "invalid_parameter")


def test_claim_filters(app: Any) -> None:
    talks = all_claims(app, "&type=talks")
    assert talks and {c["type"] for c in talks} == {"talks"}
    denied = all_claims(app, "&state=denied")
    assert denied and {c["state"] for c in denied} == {"denied"}
    for c in denied:
        assert get(app, f"/api/claims/{c['id']}")["state"] == "denied"
    eid = entity_id(app, "Baidu")
    by_id = {c["id"] for c in all_claims(app, f"&entity={eid}")}
    by_name = {c["id"] for c in all_claims(app, "&entity=baidu")}
    story = get(app, f"/api/entities/{eid}/story")
    assert by_id == by_name == {c["id"] for c in story["claims"]}
    assert all_claims(app, "&entity=nobody-at-all") == []
    in_2022 = all_claims(app, "&since=2022-01-01&until=2022-12-31")
    assert in_2022
    for c in in_2022:
        days = [r["date"] for r in get(app, f"/api/claims/{c['id']}")["reports"]]
        assert any("2022-01-01" <= d <= "2022-12-31" for d in days)
    assert all_claims(app, "&until=1999-12-31") == []


def test_claim_has_reports_sources_and_offsets(app: Any) -> None:
    eid = entity_id(app, "Baidu")
    talks = next(c for c in get(app, f"/api/entities/{eid}/story")["claims"] if c["type"] == "talks")
    claim = get(app, f"/api/claims/{talks['id']}")
    assert claim["state"] == talks["state"] and claim["transitions"] == talks["transitions"]
    assert len(claim["reports"]) >= 3
    texts: dict[str, str] = {}
    for r in claim["reports"]:
        assert r["source"] and r["source"][0]["kind"] == "outlet"
        assert r["certainty"] in ("certain", "probable", "possible", "doubtful", "denied", "uncommitted")
        text = texts.setdefault(r["article_id"], get(app, f"/api/articles/{r['article_id']}")["text"])
        assert text[r["start"] : r["end"]] == r["evidence"]
        if r["cue_start"] is not None:
            assert r["evidence"][r["cue_start"] : r["cue_end"]].casefold() == r["cue"].casefold()
    assert any(r["certainty"] == "denied" for r in claim["reports"])
    error(call(app, "GET", "/api/claims/999999"), 404, "not_found")
    error(call(app, "GET", "/api/claims/-1"), 422, "invalid_parameter")


# --------------------------------------------------------------------------- sources, articles


def test_sources_track_record(app: Any) -> None:
    sources = get(app, "/api/sources")["sources"]
    assert sources
    for s in sources:
        assert s["n"] == s["right"] + s["wrong"]
        assert s["claims"] == s["right"] + s["wrong"] + s["open"]
        assert s["reliability"] == pytest.approx((s["right"] + 1) / (s["n"] + 2), abs=1e-4)


def test_article_text_and_annotations(app: Any) -> None:
    art = get(app, "/api/articles/ex-001")
    assert art["title"].startswith("Baidu serait en discussion")
    assert art["reports"] and art["mentions"]
    for m in art["mentions"]:
        where = art["title"] if m["in_title"] else art["text"]
        assert where[m["start"] : m["end"]] == m["text"]
    assert any(m["in_title"] for m in art["mentions"])
    for r in art["reports"]:
        assert art["text"][r["start"] : r["end"]] == r["evidence"]
    error(call(app, "GET", "/api/articles/no-such-article"), 404, "not_found")


# --------------------------------------------------------------------------- extraction and ingest


def test_extract_stores_nothing(app: Any) -> None:
    before = get(app, "/api/sources")
    body = {
        "text": "Selon Reuters, Xiaomi serait en discussion avec Great Wall Motor pour ses voitures.",
        "published": "2021-03-24",
        "outlet": "Frandroid",
    }
    out = get_json(call(app, "POST", "/api/extract", json=body))
    assert out["published"] == "2021-03-24"
    talks = [c for c in out["claims"] if c["type"] == "talks"]
    assert talks and talks[0]["certainty"] == "probable"
    assert talks[0]["evidence"][talks[0]["cue_start"] : talks[0]["cue_end"]] == talks[0]["cue"]
    assert get(app, "/api/sources") == before
    assert get(app, "/api/entities?q=xiaomi")["entities"] == []
    error(
        call(app, "POST", "/api/extract", json={**body, "published": "24/03/2021"}), 422, "invalid_parameter"
    )
    error(call(app, "POST", "/api/extract", json={"text": "trop court"}), 422, "unusable_text")
    error(
        call(app, "POST", "/api/extract", json={"text": "This is plainly an English sentence, sir."}),
        422,
        "unusable_text",
    )
    error(call(app, "POST", "/api/extract", json={"title": "no text"}), 422, "invalid_parameter")
    r = call(app, "POST", "/api/extract", content=b"{not json", headers={"content-type": "application/json"})
    error(r, 422, "invalid_parameter")


def get_json(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.text[:500]
    return r.json()


def test_bodies_are_limited(store_url: str) -> None:
    small = create_app(store_url, token=TOKEN, max_body=2_000)
    big = {"text": "Renault serait en discussion avec Nissan. " * 100}
    error(call(small, "POST", "/api/extract", json=big), 413, "payload_too_large")
    headers = {"authorization": f"Bearer {TOKEN}"}
    error(call(small, "POST", "/api/articles", json=big, headers=headers), 413, "payload_too_large")

    async def chunks() -> Any:  # no Content-Length: the limit counts what arrives
        for _ in range(10):
            yield b"x" * 500

    r = call(small, "POST", "/api/extract", content=chunks(), headers={"content-type": "application/json"})
    error(r, 413, "payload_too_large")
    r = call(small, "POST", "/try", content=b"text=" + b"a" * 3000)
    assert r.status_code == 413 and "text/html" in r.headers["content-type"]


def test_ingest_needs_the_token(app: Any, writable: Any) -> None:
    error(call(app, "POST", "/api/articles", json=HOSTILE), 403, "read_only")
    error(
        call(app, "POST", "/api/articles", json=HOSTILE, headers={"authorization": f"Bearer {TOKEN}"}),
        403,
        "read_only",
    )
    r = call(writable, "POST", "/api/articles", json=HOSTILE)
    error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    error(
        call(writable, "POST", "/api/articles", json=HOSTILE, headers={"authorization": "Bearer wrong"}),
        401,
        "unauthorized",
    )
    error(
        call(writable, "POST", "/api/articles", json=HOSTILE, headers={"authorization": f"Basic {TOKEN}"}),
        401,
        "unauthorized",
    )
    get(writable, f"/api/articles/{HOSTILE_ID}", status=404)

    headers = {"authorization": f"Bearer {TOKEN}"}
    out = get_json(call(writable, "POST", "/api/articles", json=HOSTILE, headers=headers), 201)
    assert out == {"id": HOSTILE_ID, "stored": True, "claims": out["claims"]} and out["claims"] >= 2
    again = get_json(call(writable, "POST", "/api/articles", json=HOSTILE, headers=headers), 200)
    assert again["stored"] is False
    art = get(writable, f"/api/articles/{HOSTILE_ID}")
    assert art["title"] == HOSTILE["title"] and "<script>" in art["text"]  # kept as written, as data
    renault = get(writable, "/api/entities?q=renault")["entities"][0]
    assert any(c["type"] == "talks" for c in get(writable, f"/api/entities/{renault['id']}/story")["claims"])
    # the claims list sees the new article at once
    assert any(c["type"] == "talks" and c["args"].get("partner") == "Nissan" for c in all_claims(writable))
    error(
        call(writable, "POST", "/api/articles", json={**HOSTILE, "id": "a/b"}, headers=headers),
        422,
        "invalid_parameter",
    )
    error(
        call(writable, "POST", "/api/articles", json={"text": "court"}, headers=headers), 422, "unusable_text"
    )


def test_hostile_article_is_escaped_in_every_page(writable: Any) -> None:
    headers = {"authorization": f"Bearer {TOKEN}"}
    call(writable, "POST", "/api/articles", json=HOSTILE, headers=headers)
    art = get(writable, f"/api/articles/{HOSTILE_ID}")
    renault = get(writable, "/api/entities?q=renault")["entities"][0]["id"]
    pages = [
        f"/articles/{HOSTILE_ID}",
        f"/entities/{renault}",
        *{f"/claims/{r['claim_id']}" for r in art["reports"]},
        "/sources",
        "/",
    ]
    for url in pages:
        page = get(writable, url)
        assert "<script>window" not in page and "<img src=x" not in page, url
        assert "onerror=" not in page.replace("onerror=&#34;", "").replace("onerror=&quot;", ""), url
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", page, re.I), url
        assert not re.search(r"<(img|b|a)\s+[^>]*on\w+\s*=", page, re.I), url
    assert "&lt;script&gt;window.__pwned" in get(writable, f"/articles/{HOSTILE_ID}")


# --------------------------------------------------------------------------- errors, headers, pages


def test_no_stack_trace_reaches_the_client(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = create_app(store_url, token=None)

    def boom(*_: Any, **__: Any) -> Any:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(broken.state.store, "track_record", boom)
    r = call(broken, "GET", "/api/sources")
    error(r, 500, "internal_error")
    assert "secret" not in r.text and "RuntimeError" not in r.text
    r = call(broken, "GET", "/sources")
    assert r.status_code == 500 and "secret" not in r.text and "Traceback" not in r.text


def test_security_headers_and_unknown_routes(app: Any) -> None:
    r = call(app, "GET", "/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    error(call(app, "GET", "/api/nothing-here"), 404, "not_found")
    error(call(app, "DELETE", "/api/claims"), 405, "method_not_allowed")
    r = call(app, "GET", "/nothing-here")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert call(app, "GET", "/static/vendor/plotly.min.js").text.startswith("/**")


def test_pages(app: Any) -> None:
    eid = entity_id(app, "Baidu")
    home = get(app, "/?q=baidu")
    assert f'href="/entities/{eid}"' in home and "Latest claims" in home
    entity = get(app, f"/entities/{eid}")
    assert 'id="timeline"' in entity and "/static/vendor/plotly.min.js" in entity
    assert "https://" not in entity.split("</main>")[0].split("<main>")[0]  # no CDN in the head
    claim_id = get(app, f"/api/entities/{eid}/story")["claims"][0]["id"]
    claim = get(app, f"/claims/{claim_id}")
    first = get(app, f"/api/claims/{claim_id}")["reports"][0]["article_id"]
    assert f'href="/articles/{first}"' in claim and "Source chain" in claim
    article = get(app, "/articles/ex-001")
    assert 'class="ent ent-org"' in article and 'class="ev-ref" href="/claims/' in article
    sources = get(app, "/sources?sort=source&order=asc")
    names = re.findall(r"<tr><td>([^<]*)</td>", sources)
    assert names == sorted(names, key=str.casefold)
    assert get(app, "/sources?sort=nope", status=422)
    assert "<textarea" in get(app, "/try")
    tried = call(
        app,
        "POST",
        "/try",
        data={"text": "Selon Reuters, Renault serait en discussion avec Nissan.", "published": "2024-01-02"},
    )
    assert tried.status_code == 200 and 'data-certainty="probable"' in tried.text
    failed = call(app, "POST", "/try", data={"text": "court", "published": ""})
    assert failed.status_code == 422 and 'class="error"' in failed.text


# --------------------------------------------------------------------------- ondit report / serve


def test_report_is_one_self_contained_file(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "baidu.html"
    report("Baidu", out, store_url, None)
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert not re.search(r"""src=["']?https?://""", page)  # links to the original articles stay links
    assert "Plotly" in page and 'id="timeline-data"' in page and "Content-Security-Policy" in page
    assert 'href="#claim-' in page and 'href="/claims/' not in page
    with pytest.raises(EntityNotFound):
        report("Nobody Inc", tmp_path / "x.html", store_url, None)
    with pytest.raises(EntityNotFound):
        report(" ", tmp_path / "x.html", store_url, None)
    with pytest.raises(EntityNotFound):
        report("Baidu", tmp_path / "x.html", store_url, 999_999)
    with pytest.raises(AmbiguousEntity):
        report("La Poste", tmp_path / "x.html", store_url, None)
    with open_store(store_url) as store:
        ids = [e["id"] for e in store.find_entities("La Poste")]
        assert render_report(store, ids[0]).startswith("<!doctype html>")
    report("", tmp_path / "by-id.html", store_url, ids[0])
    assert (tmp_path / "by-id.html").stat().st_size > 1_000_000


def test_serve_takes_the_token_from_the_environment(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from ondit.api import command

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.setenv("ONDIT_TOKEN", "from-env")
    command.serve(store_url, "127.0.0.1", 8765, None)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8765
    r = call(
        seen["app"], "POST", "/api/articles", json={"text": "x"}, headers={"authorization": "Bearer nope"}
    )
    error(r, 401, "unauthorized")
    monkeypatch.delenv("ONDIT_TOKEN")
    command.serve(store_url, "127.0.0.1", 8765, None)
    error(call(seen["app"], "POST", "/api/articles", json={"text": "x"}), 403, "read_only")
