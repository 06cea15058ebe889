"""Shared fixtures. The spaCy model is loaded once per test session (ondit.nlp.pipeline.load is cached)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from spacy.language import Language

import ondit
from ondit.model import ArticleExtraction
from ondit.nlp.pipeline import load

PG_ADMIN_URL = os.environ.get("ONDIT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


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


def entity_types(result: ArticleExtraction) -> dict[str, str]:
    """Each entity's name and type."""
    return {e["name"]: e["type"] for e in result.to_json()["entities"]}


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database for this test run, dropped at the end."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ondit_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as e:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is needed by these tests and is not reachable at {PG_ADMIN_URL} "
            f"(set ONDIT_TEST_PG to another server): {e.orig}",
            pytrace=False,
        )
    try:
        yield sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def pg_url(pg_database: str) -> Iterator[str]:
    """A fresh schema in the run's database; the URL puts it first on the search path."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(pg_database, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = sa.make_url(pg_database).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        engine.dispose()
