"""Engines and migrations: connection settings for SQLite and PostgreSQL, Alembic run in-process."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from ondit.errors import OnditError

DEFAULT_URL = "sqlite:///ondit.db"
ENV_VAR = "ONDIT_DB"
BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# Set in `Connection.info` of the store's one write connection: its transactions take SQLite's
# write lock up front (BEGIN IMMEDIATE), so they wait for another writer (busy_timeout) instead of
# failing when a read turns into a write.
WRITER = "ondit_writer"


class StoreError(OnditError):
    """A database that cannot be opened, or is not at the schema ondit expects."""


def resolve_url(url: str | None = None) -> str:
    """The database URL: the argument, else `$ONDIT_DB`, else `sqlite:///ondit.db`."""
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def display_url(url: str | sa.URL) -> str:
    """The URL with its password hidden, for messages."""
    return sa.make_url(url).render_as_string(hide_password=True)


def is_memory_sqlite(url: str | sa.URL) -> bool:
    u = sa.make_url(url)
    db = u.database or ""
    return u.get_backend_name() == "sqlite" and (db in ("", ":memory:") or "mode=memory" in str(u))


def _set_wal(cursor: Any) -> None:
    """Switch to WAL. On a new database that another process is creating at this very moment, the
    switch needs a lock SQLite does not wait for (busy_timeout does not apply): retry for a while."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, decides where transactions begin (see `_sqlite_on_begin`)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _set_wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(WRITER) else "BEGIN")


def make_engine(url: str | sa.URL) -> Engine:
    """An engine with ondit's settings; on SQLite every connection gets WAL, foreign keys and a busy
    timeout, and transactions are real (DDL included), so a migration or an article is all or nothing."""
    u = sa.make_url(url)
    if u.get_backend_name() == "sqlite":
        engine = sa.create_engine(u, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return sa.create_engine(u, pool_pre_ping=True)


def alembic_config(url: str | sa.URL) -> Config:
    """An Alembic configuration for the packaged migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    rendered = sa.make_url(url).render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest revision of the packaged migrations."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise StoreError(f"no migrations found in {MIGRATIONS}")
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at; None for a database ondit has never migrated."""
    return MigrationContext.configure(conn).get_current_revision()


def run_upgrade(conn: Connection, revision: str = "head") -> None:
    """Run the migrations up to `revision` on `conn`, inside the transaction the caller holds."""
    cfg = alembic_config(conn.engine.url)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)
