"""The store, on SQLite and on this machine's PostgreSQL (no spaCy: extractions are built by hand).

PostgreSQL: `ONDIT_TEST_PG` (default `postgresql+psycopg://postgres@127.0.0.1:5432/postgres`) must reach
a server where that user may create databases; each run creates `ondit_test_<random>`, each test a
schema in it, and drops them at the end. When the server is down these tests fail, they do not skip.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from ondit.model import ArticleExtraction, Claim, Entity, Mention, Quantity, Source, TimeRef
from ondit.store import Store, StoreError, claim_key, content_hash, open_store
from ondit.store.schema import metadata
from tests.conftest import PG_ADMIN_URL  # noqa: F401  (the fixtures pg_database/pg_url live there)

TABLES = {
    "articles",
    "entities",
    "aliases",
    "mentions",
    "claims",
    "reports",
    "report_parties",
    "rejections",
    "user_corrections",
    "claim_transitions",
}


# --------------------------------------------------------------------------- databases


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ondit.db'}"
    value: str = request.getfixturevalue("pg_url")
    return value


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    s = open_store(url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'ondit.db'}")
    try:
        yield s
    finally:
        s.close()


# --------------------------------------------------------------------------- extractions by hand


def ent(eid: str, name: str, text: str, type: str = "ORG", aliases: tuple[str, ...] = ()) -> Entity:
    """An entity with a mention at every place its name or an alias occurs in `text`."""
    mentions = []
    for form in (name, *aliases):
        start = text.find(form)
        while start >= 0:
            mentions.append(Mention(start, start + len(form), form))
            start = text.find(form, start + 1)
    return Entity(eid, name, type, aliases, tuple(sorted(mentions, key=lambda m: m.start)))


def claim(
    type: str,
    args: dict[str, str],
    text: str,
    certainty: str = "probable",
    source: tuple[Source, ...] = (),
    cue: str = "serait",
    arg_ids: dict[str, str] | None = None,
    **kw: Any,
) -> Claim:
    return Claim(
        type=type,
        args=tuple(args.items()),
        certainty=certainty,
        source=source,
        cue=cue,
        evidence=text,
        start=0,
        end=len(text),
        arg_ids=tuple((arg_ids or {}).items()),
        **kw,
    )


TEXT_A = "Xiaomi serait en discussion avec Great Wall Motor Co. (GWM) pour produire une voiture électrique."
TEXT_B = "Great Wall Motor a démenti être en pourparlers avec Xiaomi, selon Reuters."
TEXT_C = "Renault a écoulé 2,9 millions de véhicules en 2020, annonce le groupe Renault SA."


def article_a(id: str = "fr-a", text: str = TEXT_A) -> ArticleExtraction:
    ents = (ent("e1", "Xiaomi", text), ent("e2", "Great Wall Motor Co.", text, aliases=("GWM",)))
    src = (Source("Frandroid", "outlet"), Source("Reuters", "agency"))
    claims = (
        claim(
            "talks",
            {"agent": "Xiaomi", "partner": "Great Wall Motor Co.", "topic": "une voiture électrique"},
            text,
            source=src,
            arg_ids={"agent": "e1", "partner": "e2"},
        ),
        # the same claim restated with the same certainty and source: one report
        claim("talks", {"agent": "Xiaomi", "partner": "Great Wall Motor Co."}, text, source=src),
    )
    return ArticleExtraction(
        id=id,
        lang="fr",
        published="2021-03-24",
        outlet="Frandroid",
        title="Xiaomi et GWM",
        text=text,
        entities=ents,
        claims=claims,
        url="https://example.org/a",
        extractor_version="0.1.0",
    )


def article_b() -> ArticleExtraction:
    ents = (
        ent("e1", "Great Wall Motor", TEXT_B),
        ent("e2", "Xiaomi", TEXT_B),
        ent("e3", "Reuters", TEXT_B, "MEDIA"),
    )
    claims = (
        # symmetric parties in the other order, legal form dropped: the same claim as article A's
        claim(
            "talks",
            {"agent": "Great Wall Motor", "partner": "Xiaomi"},
            TEXT_B,
            certainty="denied",
            cue="a démenti",
            source=(Source("Les Echos", "outlet"), Source("Great Wall Motor", "party")),
            arg_ids={"agent": "e1", "partner": "e2"},
        ),
    )
    return ArticleExtraction(
        id="fr-b",
        lang="fr",
        published="2021-03-30",
        outlet="Les Echos",
        title="GWM dément",
        text=TEXT_B,
        entities=ents,
        claims=claims,
        extractor_version="0.1.0",
    )


def article_c() -> ArticleExtraction:
    ents = (ent("e1", "Renault", TEXT_C, aliases=("Renault SA",)),)
    quantity = Quantity(2_900_000, "vehicles", "2020", "2,9 millions de véhicules")
    time = TimeRef("2020", "year", False, "occurred", "en 2020")
    claims = (
        claim(
            "sales",
            {"agent": "Renault"},
            TEXT_C,
            certainty="certain",
            cue="a écoulé",
            source=(Source("L'Automobile", "outlet"), Source("Renault", "party")),
            quantity=quantity,
            time=time,
        ),
    )
    return ArticleExtraction(
        id="fr-c",
        lang="fr",
        published="2021-01-15",
        outlet="L'Automobile",
        title="Ventes",
        text=TEXT_C,
        entities=ents,
        claims=claims,
        extractor_version="0.1.0",
    )


def fk_violations(store: Store) -> list[str]:
    """Rows pointing at nothing, found by joins (both databases) and by SQLite's own check."""
    checks = {
        "mentions→articles": "SELECT COUNT(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id "
        "WHERE a.id IS NULL",
        "mentions→entities": "SELECT COUNT(*) FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
        "WHERE e.id IS NULL",
        "reports→articles": "SELECT COUNT(*) FROM reports r LEFT JOIN articles a ON a.id = r.article_id "
        "WHERE a.id IS NULL",
        "reports→claims": "SELECT COUNT(*) FROM reports r LEFT JOIN claims c ON c.id = r.claim_id "
        "WHERE c.id IS NULL",
        "aliases→entities": "SELECT COUNT(*) FROM aliases x LEFT JOIN entities e ON e.id = x.entity_id "
        "WHERE e.id IS NULL",
        "report_parties→reports": "SELECT COUNT(*) FROM report_parties p "
        "LEFT JOIN reports r ON r.id = p.report_id "
        "WHERE r.id IS NULL",
        "claims without reports": "SELECT COUNT(*) FROM claims c WHERE NOT EXISTS "
        "(SELECT 1 FROM reports r WHERE r.claim_id = c.id)",
    }
    bad = []
    with store.engine.connect() as conn:
        for name, sql in checks.items():
            if conn.exec_driver_sql(sql).scalar_one():
                bad.append(name)
        if store.dialect == "sqlite":
            bad.extend(str(tuple(r)) for r in conn.exec_driver_sql("PRAGMA foreign_key_check"))
    return bad


# --------------------------------------------------------------------------- schema and migrations


def test_new_database_is_migrated(store: Store) -> None:
    assert store.current_revision() == store.head_revision() == "0002"
    names = set(sa.inspect(store.engine).get_table_names())
    assert names == TABLES | {"alembic_version"}
    assert store.stats() == {"articles": 0, "entities": 0, "claims": 0, "reports": 0, "rejected": 0}


def test_migration_creates_exactly_the_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_reopening_does_not_migrate_again(url: str) -> None:
    with open_store(url) as s:
        s.add(article_a())
    with open_store(url) as s:
        s.upgrade()  # already at head: nothing to do
        assert s.current_revision() == s.head_revision()
        assert s.stats()["articles"] == 1


def test_open_store_reads_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("ONDIT_DB", f"sqlite:///{path}")
    with open_store() as s:
        assert s.current_revision() == s.head_revision()
    assert path.exists()


def test_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot open database postgresql"):
        open_store("postgresql+psycopg://postgres:secret@127.0.0.1:1/nothing")
    with pytest.raises(StoreError) as err:
        open_store("postgresql+psycopg://postgres:secret@127.0.0.1:1/nothing")
    assert "secret" not in str(err.value)


# --------------------------------------------------------------------------- adding


def test_add_twice_stores_once(store: Store) -> None:
    assert store.add(article_a(), origin="examples/a.txt") is True
    first = store.stats()
    assert store.add(article_a(), origin="examples/a.txt") is False
    assert store.stats() == first == {"articles": 1, "entities": 2, "claims": 1, "reports": 1, "rejected": 0}
    art = store.article("fr-a")
    assert art is not None and art["origin"] == "examples/a.txt"


def test_same_text_under_another_id_is_known_by_hash(store: Store) -> None:
    a = article_a()
    store.add(a)
    h = content_hash(a.text, a.url)
    assert store.known(None, h)
    assert store.known("fr-a", "0" * 64)
    assert not store.known("other", "0" * 64)
    # whitespace differences do not make a new article
    copy = article_a(id="copy-of-a", text=TEXT_A.replace(" ", "  "))
    assert store.known(copy.id, content_hash(copy.text, copy.url))
    assert store.add(copy) is False
    assert store.stats()["articles"] == 1


def test_content_hash_prefix_is_article_id() -> None:
    from ondit.extract.run import article_id
    from ondit.model import Article

    art = Article(text="Un  texte\nquelconque.", url="https://example.org/x")
    assert content_hash(art.text, art.url).startswith(article_id(art))


def test_one_claim_two_reports_across_articles(store: Store) -> None:
    store.add(article_a())
    store.add(article_b())
    # Xiaomi, Great Wall Motor, Reuters and its parent Thomson Reuters (from the knowledge base)
    assert store.stats() == {"articles": 2, "entities": 4, "claims": 1, "reports": 2, "rejected": 0}
    (only,) = store.claims()
    assert only["type"] == "talks"
    assert only["key"] == '["talks",{"parties":["kb:Great Wall Motor","kb:Xiaomi"]}]'
    # parties by their entity's canonical name
    assert only["args"] == {
        "agent": "Xiaomi",
        "partner": "Great Wall Motor",
        "topic": "une voiture électrique",
    }
    first, second = only["reports"]  # in publication order
    assert (first["article_id"], first["certainty"], first["cue"]) == ("fr-a", "probable", "serait")
    assert first["source"][-1] == {"name": "Reuters", "kind": "agency"}
    assert first["title"] == "Xiaomi et GWM" and first["url"] == "https://example.org/a"
    assert first["args"]["topic"] == "une voiture électrique"
    assert (second["article_id"], second["certainty"], second["outlet"]) == ("fr-b", "denied", "Les Echos")
    assert second["published"] == "2021-03-30"


def test_claim_key() -> None:
    a = {"type": "talks", "args": {"agent": "Xiaomi", "partner": "Great Wall Motor Co."}}
    b = {"type": "talks", "args": {"agent": "GREAT WALL MOTOR", "partner": "xiaomi"}}
    assert claim_key(a) == claim_key(b)
    acq_a = {"type": "acquisition", "args": {"agent": "Renault", "target": "Nissan"}}
    acq_b = {"type": "acquisition", "args": {"agent": "Nissan", "target": "Renault"}}
    assert claim_key(acq_a) != claim_key(acq_b)  # not symmetric
    launch_a = {"type": "product_launch", "args": {"agent": "Xiaomi", "product": "la voiture électrique"}}
    launch_b = {"type": "product_launch", "args": {"agent": "Xiaomi SA", "product": "voiture électrique"}}
    assert claim_key(launch_a) == claim_key(launch_b)
    # non-key roles do not count; the period of sales does
    sales = {
        "type": "sales",
        "args": {"agent": "Renault", "product": "voitures"},
        "quantity": {"period": "2020"},
    }
    other_product = {**sales, "args": {"agent": "Renault", "product": "véhicules"}}
    other_year = {**sales, "quantity": {"period": "2021"}}
    assert claim_key(sales) == claim_key(other_product) != claim_key(other_year)


def test_report_parties_and_entities(store: Store) -> None:
    store.add(article_a())
    store.add(article_b())
    store.add(article_c())
    # "Great Wall Motor Co." and "Great Wall Motor" are one entity with all its spellings
    gwm = store.entity_ids("great wall motor")
    assert len(gwm) == 1
    assert store.entity_ids("GWM") == gwm == store.entity_ids("Great Wall Motor Co.")
    art = store.article("fr-a")
    assert art is not None
    assert {(m["name"], m["text"]) for m in art["mentions"]} == {
        ("Xiaomi", "Xiaomi"),
        ("Great Wall Motor", "Great Wall Motor Co."),
        ("Great Wall Motor", "GWM"),
    }
    m = art["mentions"][0]
    assert TEXT_A[m["start"] : m["end"]] == m["text"]
    (rep,) = art["reports"]
    assert (
        rep["type"] == "talks" and rep["cue"] == "serait" and (rep["start"], rep["end"]) == (0, len(TEXT_A))
    )
    assert rep["claim_args"] == {
        "agent": "Xiaomi",
        "partner": "Great Wall Motor",
        "topic": "une voiture électrique",
    }
    assert store.article("nope") is None


def test_claims_filters(store: Store) -> None:
    store.add(article_a())
    store.add(article_b())
    store.add(article_c())
    assert [c["type"] for c in store.claims()] == ["talks", "sales"]
    assert [c["type"] for c in store.claims(type="sales")] == ["sales"]
    assert store.claims(type="merger") == []
    # by party, case, accents and legal forms ignored, by alias too
    for name in ("xiaomi", "XIAOMI", "Great Wall Motor", "gwm", "Great Wall Motor Co"):
        assert [c["type"] for c in store.claims(entity=name)] == ["talks"], name
    assert [c["type"] for c in store.claims(entity="RENAULT SA")] == ["sales"]
    assert [c["type"] for c in store.claims(entity="rénault")] == ["sales"]
    assert store.claims(entity="Reuters") == []  # a source, not a party
    assert store.claims(entity="Tesla") == []
    # certainty keeps claims having such a report, with all their reports
    (denied,) = store.claims(certainty="denied")
    assert [r["certainty"] for r in denied["reports"]] == ["probable", "denied"]
    assert [c["type"] for c in store.claims(certainty="certain")] == ["sales"]
    assert store.claims(certainty="possible") == []
    assert [c["type"] for c in store.claims(entity="xiaomi", type="talks", certainty="probable")] == ["talks"]
    assert store.claims(entity="renault", type="talks") == []
    (sales,) = store.claims(type="sales")
    (rep,) = sales["reports"]
    assert rep["quantity"] == {
        "value": 2900000,
        "unit": "vehicles",
        "period": "2020",
        "text": "2,9 millions de véhicules",
    }
    assert rep["time"]["value"] == "2020" and rep["time"]["role"] == "occurred"


# --------------------------------------------------------------------------- forgetting, rejecting


def test_forget(store: Store) -> None:
    store.add(article_a())
    store.add(article_b())
    store.add(article_c())
    assert store.forget("fr-a") is True
    assert store.forget("fr-a") is False
    # Xiaomi, Great Wall Motor, Reuters, Thomson Reuters (Reuters' parent), Renault
    assert store.stats() == {"articles": 2, "entities": 5, "claims": 2, "reports": 2, "rejected": 0}
    (talks,) = store.claims(type="talks")
    assert [r["article_id"] for r in talks["reports"]] == ["fr-b"]
    # "GWM" was only written in article A; the entity stays (article B mentions it)
    assert store.entity_ids("Great Wall Motor") and not fk_violations(store)
    assert store.forget("fr-b") is True
    assert store.stats() == {"articles": 1, "entities": 1, "claims": 1, "reports": 1, "rejected": 0}
    assert store.entity_ids("xiaomi") == [] and store.claims(entity="xiaomi") == []
    assert fk_violations(store) == []
    assert store.forget("fr-c") is True
    assert store.stats() == {"articles": 0, "entities": 0, "claims": 0, "reports": 0, "rejected": 0}
    assert fk_violations(store) == []
    # forgotten articles can come back
    assert store.add(article_a()) is True
    assert store.stats()["claims"] == 1


def test_forget_keeps_entities_with_user_aliases(store: Store) -> None:
    from ondit.store.schema import aliases

    store.add(article_a())
    (xiaomi,) = store.entity_ids("Xiaomi")
    with store.engine.begin() as conn:
        conn.execute(aliases.insert().values(entity_id=xiaomi, alias="Mi", alias_fold="mi", source="user"))
    store.forget("fr-a")
    assert store.entity_ids("mi") == [xiaomi]
    assert store.stats()["entities"] == 1
    assert fk_violations(store) == []


def test_rejections_counted_once(store: Store) -> None:
    assert store.reject("in/empty.txt", "empty file") is True
    assert store.reject("in/empty.txt", "empty file") is False
    assert store.reject("in/english.html", "text is in 'en'") is True
    assert store.stats()["rejected"] == 2


def test_crash_mid_article_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any) -> None:
        raise RuntimeError("killed while writing reports")

    monkeypatch.setattr(Store, "_add_reports", boom)
    with pytest.raises(RuntimeError):
        store.add(article_a())
    assert store.stats() == {"articles": 0, "entities": 0, "claims": 0, "reports": 0, "rejected": 0}
    monkeypatch.undo()
    assert store.add(article_a()) is True
    assert store.stats()["reports"] == 1


def test_concurrent_writers(url: str) -> None:
    """Threads sharing one store, and two stores on one database (two processes), store each article once."""
    arts = [article_a(id=f"x{i}", text=f"{TEXT_A} Numéro {i}.") for i in range(30)]
    with open_store(url) as one, open_store(url) as two:
        results: list[bool] = []
        errors: list[BaseException] = []

        def work(s: Store, chunk: list[ArticleExtraction]) -> None:
            try:
                for a in chunk:
                    results.append(s.add(a))
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [
            threading.Thread(target=work, args=(one, arts)),
            threading.Thread(target=work, args=(one, arts[::-1])),
            threading.Thread(target=work, args=(two, arts)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert results.count(True) == len(arts)
        assert one.stats() == {"articles": 30, "entities": 2, "claims": 1, "reports": 30, "rejected": 0}
        assert fk_violations(one) == []


# --------------------------------------------------------------------------- SQLite specifics


def test_sqlite_wal_pragmas_and_integrity(sqlite_store: Store) -> None:
    sqlite_store.add(article_a())
    sqlite_store.add(article_b())
    sqlite_store.forget("fr-a")
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_sqlite_foreign_keys_are_enforced(sqlite_store: Store) -> None:
    from ondit.store.schema import mentions

    with pytest.raises(sa.exc.IntegrityError), sqlite_store.engine.begin() as conn:
        conn.execute(
            mentions.insert().values(article_id="nope", entity_id=1, start_char=0, end_char=1, text="x")
        )


def test_in_memory_sqlite() -> None:
    with open_store("sqlite://") as s:
        assert s.add(article_a()) is True
        assert s.add(article_a()) is False
        assert s.stats()["reports"] == 1
        assert s.claims(entity="gwm")[0]["type"] == "talks"


_WRITER_SCRIPT = """
import sys
from tests.test_store import TEXT_A, article_a
from ondit.store import open_store

with open_store(sys.argv[1]) as s:
    for i in range(int(sys.argv[2])):
        s.add(article_a(id=f"k{i}", text=f"{TEXT_A} Numéro {i}."))
        if i == 20:
            print("started", flush=True)
"""


def test_sigkill_mid_run_then_rerun(tmp_path: Path) -> None:
    """A writer killed mid-run leaves whole articles only; a second run completes the set exactly once."""
    import signal
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'ondit.db'}"
    n = 400
    cmd = [sys.executable, "-c", _WRITER_SCRIPT, url, str(n)]
    root = Path(__file__).resolve().parent.parent
    with subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with open_store(url) as s:
        partial = s.stats()
        assert 0 < partial["articles"] < n, partial
        assert partial["reports"] == partial["articles"]  # never an article without its report
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    subprocess.run(cmd, cwd=root, check=True, stdout=subprocess.DEVNULL)
    with open_store(url) as s:
        assert s.stats() == {"articles": n, "entities": 2, "claims": 1, "reports": n, "rejected": 0}
        assert fk_violations(s) == []
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_two_stores_opening_one_new_database(url: str) -> None:
    """Two processes starting on a new database: one migrates, the other waits and finds it done."""
    stores: list[Store] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            stores.append(open_store(url))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert {s.current_revision() for s in stores} == {Store.head_revision()}
    finally:
        for s in stores:
            s.close()
