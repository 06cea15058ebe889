"""The store: articles, entities, claims and reports, written once and read back.

One writer (after datasette's design, simplified for a synchronous CLI): every write goes through
the store's single write connection, under a lock, one transaction per call; on SQLite that
transaction takes the write lock up front (BEGIN IMMEDIATE), so two processes ingesting into one
file queue up instead of failing. Reads use other pooled connections and, under WAL, never wait
for the writer. An in-memory SQLite database has only one connection, so there reads use the
writer too.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ondit.model import ArticleExtraction, Claim
from ondit.store import db
from ondit.store.db import StoreError
from ondit.store.keys import (
    PHRASE_ROLES,
    claim_key,
    content_hash,
    entity_key,
    key_args,
    norm_name,
)
from ondit.store.schema import (
    aliases,
    articles,
    claims,
    entities,
    mentions,
    rejections,
    report_parties,
    reports,
)

STATS_KEYS = ("articles", "entities", "claims", "reports", "rejected")
MIGRATION_LOCK = 0x0D175A0E  # PostgreSQL advisory lock key held while migrating


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


class Store:
    """A database of articles, entities, claims and reports (SQLite or PostgreSQL).

    Use `open_store()`; close with `close()` or a `with` block.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = db.make_engine(url)
        self._memory = db.is_memory_sqlite(url)
        self._lock = threading.RLock()
        self._writer: Connection | None = None

    # ------------------------------------------------------------------ connections

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({db.display_url(self.url)!r})"

    @property
    def dialect(self) -> str:
        """The kind of database: `sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.info.pop(db.WRITER, None)
                self._writer.close()
                self._writer = None
            self.engine.dispose()

    def _writer_connection(self) -> Connection:
        if self._writer is None or self._writer.closed or self._writer.invalidated:
            if self._writer is not None:
                self._writer.close()
            self._writer = self.engine.connect()
            self._writer.info[db.WRITER] = True
        return self._writer

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """The write connection in a transaction: committed when the block ends, rolled back if it raises."""
        with self._lock:
            conn = self._writer_connection()
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        if self._memory:
            with self._lock:
                conn = self._writer_connection()
                with conn.begin() as tx:
                    yield conn
                    tx.rollback()
            return
        with self.engine.connect() as conn:
            yield conn

    def _insert_ignore(self, conn: Connection, table: sa.Table) -> sa.Insert:
        """INSERT … ON CONFLICT DO NOTHING (on any unique constraint); with RETURNING, no row when it
        did nothing (rowcount is not reliable across drivers)."""
        if conn.dialect.name == "sqlite":
            return sqlite.insert(table).on_conflict_do_nothing()
        if conn.dialect.name == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        raise StoreError(f"unsupported database {conn.dialect.name!r} (use SQLite or PostgreSQL)")

    # ------------------------------------------------------------------ migrations

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to `revision` (Alembic migrations, all in one transaction)."""
        with self._write() as conn:
            if conn.dialect.name == "postgresql":
                # two processes opening one new database: the second waits, then finds it at head
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            db.run_upgrade(conn, revision)

    def current_revision(self) -> str | None:
        """The schema revision of the database; None when it has never been migrated."""
        with self._read() as conn:
            return db.current_revision(conn)

    @staticmethod
    def head_revision() -> str:
        """The newest revision this version of ondit knows."""
        return db.head_revision()

    # ------------------------------------------------------------------ writing

    @staticmethod
    def content_hash(text: str, url: str | None) -> str:
        return content_hash(text, url)

    def known(self, article_id: str | None, content_hash: str) -> bool:
        """True when an article with this id, or with this content hash, is stored."""
        cond = articles.c.content_hash == content_hash
        if article_id:
            cond = sa.or_(cond, articles.c.id == article_id)
        with self._read() as conn:
            return conn.execute(sa.select(sa.literal(1)).where(cond).limit(1)).first() is not None

    def add(self, extraction: ArticleExtraction, origin: str | None = None) -> bool:
        """Store one article with its entities, mentions, claims and reports, in one transaction.

        Returns False, and writes nothing, when the article is already known by id or content hash.
        """
        chash = content_hash(extraction.text, extraction.url)
        if self.known(extraction.id, chash):
            return False
        with self._write() as conn:
            row = {
                "id": extraction.id,
                "content_hash": chash,
                "url": extraction.url,
                "title": extraction.title or "",
                "text": extraction.text,
                "published": extraction.published,
                "outlet": extraction.outlet,
                "lang": extraction.lang,
                "origin": origin,
                "extractor_version": extraction.extractor_version,
                "ingested_at": _now(),
            }
            # the check above ran outside the write lock: another writer may have stored it since
            stmt = self._insert_ignore(conn, articles).returning(articles.c.id)
            if conn.execute(stmt, row).first() is None:
                return False
            local = self._add_entities(conn, extraction)
            self._add_reports(conn, extraction, local)
        return True

    def _entity_id(self, conn: Connection, key: str, values: Mapping[str, Any]) -> int:
        select = sa.select(entities.c.id).where(entities.c.key == key)
        found = conn.execute(select).scalar()
        if found is None:
            conn.execute(self._insert_ignore(conn, entities), {"key": key, **values})
            found = conn.execute(select).scalar_one()
        return int(found)

    def _add_entities(self, conn: Connection, extraction: ArticleExtraction) -> dict[str, int]:
        """Get or create the article's entities; returns the article's entity ids ("e1") -> stored ids."""
        local: dict[str, int] = {}
        alias_rows: list[dict[str, Any]] = []
        mention_rows: list[dict[str, Any]] = []
        for ent in extraction.entities:
            eid = self._entity_id(
                conn,
                entity_key(ent.name, ent.type),
                {"name": ent.name, "type": ent.type, "kind": ent.kind, "origin": "text"},
            )
            local[ent.id] = eid
            for alias in (ent.name, *ent.aliases):
                alias_rows.append(
                    {"entity_id": eid, "alias": alias, "alias_fold": norm_name(alias), "source": "text"}
                )
            for m in ent.mentions:
                mention_rows.append(
                    {
                        "article_id": extraction.id,
                        "entity_id": eid,
                        "start_char": m.start,
                        "end_char": m.end,
                        "text": m.text,
                    }
                )
        if alias_rows:
            conn.execute(self._insert_ignore(conn, aliases), alias_rows)
        if mention_rows:
            conn.execute(mentions.insert(), mention_rows)
        return local

    def _claim_id(self, conn: Connection, claim: Mapping[str, Any]) -> int:
        key = claim_key(claim)
        select = sa.select(claims.c.id).where(claims.c.key == key, claims.c.episode == 1)
        found = conn.execute(select).scalar()
        if found is None:
            values = {"type": claim["type"], "key": key, "episode": 1, "args_json": _dumps(key_args(claim))}
            conn.execute(self._insert_ignore(conn, claims), values)
            found = conn.execute(select).scalar_one()
        return int(found)

    def _add_reports(self, conn: Connection, extraction: ArticleExtraction, local: dict[str, int]) -> None:
        by_name: dict[str, int] = {}
        for ent in extraction.entities:
            for name in (ent.name, *ent.aliases):
                by_name.setdefault(norm_name(name), local[ent.id])
        seen: set[tuple[int, str, str]] = set()
        for c in extraction.claims:
            cj = c.to_json()
            claim_id = self._claim_id(conn, cj)
            inner = c.source[-1] if c.source else None
            uniq = (claim_id, c.certainty, inner.name if inner else "")
            if uniq in seen:  # the same claim, certainty and source restated: the first one stands
                continue
            seen.add(uniq)
            t = c.time
            values = {
                "claim_id": claim_id,
                "article_id": extraction.id,
                "certainty": c.certainty,
                "cue": c.cue,
                "called_off": c.called_off,
                "source_json": _dumps(cj["source"]),
                "innermost_name": inner.name if inner else "",
                "innermost_kind": inner.kind if inner else None,
                "time_value": t.value if t else None,
                "time_precision": t.precision if t else None,
                "time_role": t.role if t else None,
                "time_json": _dumps(cj["time"]) if t else None,
                "quantity_json": _dumps(cj["quantity"]) if c.quantity else None,
                "args_json": _dumps(cj["args"]),
                "evidence": c.evidence,
                "start_char": c.start,
                "end_char": c.end,
                "extractor_version": extraction.extractor_version,
            }
            pk = conn.execute(reports.insert().values(**values)).inserted_primary_key
            assert pk is not None
            parties = self._parties(c, local, by_name)
            if parties:
                conn.execute(
                    self._insert_ignore(conn, report_parties),
                    [{"report_id": pk[0], "role": r, "entity_id": e} for r, e in parties],
                )

    @staticmethod
    def _parties(claim: Claim, local: dict[str, int], by_name: dict[str, int]) -> list[tuple[str, int]]:
        """The stored entity of each party role: by the extractor's entity id, else by name."""
        ids = dict(claim.arg_ids)
        out: list[tuple[str, int]] = []
        for role, value in claim.args:
            if role in PHRASE_ROLES:
                continue
            if role in ids and ids[role] in local:
                out.append((role, local[ids[role]]))
                continue
            for name in value if isinstance(value, tuple) else (value,):
                eid = by_name.get(norm_name(name))
                if eid is not None:
                    out.append((role, eid))
        return out

    def reject(self, origin: str, reason: str) -> bool:
        """Record an input that could not be stored; True the first time (origin, reason) is seen."""
        with self._write() as conn:
            stmt = self._insert_ignore(conn, rejections).returning(rejections.c.id)
            row = {"origin": origin, "reason": reason, "at": _now()}
            return conn.execute(stmt, row).first() is not None

    def forget(self, article_id: str) -> bool:
        """Delete an article with its mentions and reports; claims left without reports and entities
        found only in text and left without mentions (and without user aliases) go too.
        False when the article is not stored."""
        with self._write() as conn:
            found = conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first()
            if found is None:
                return False
            its_reports = sa.select(reports.c.id).where(reports.c.article_id == article_id)
            claim_ids = set(
                conn.execute(
                    sa.select(reports.c.claim_id).where(reports.c.article_id == article_id)
                ).scalars()
            )
            entity_ids = set(
                conn.execute(
                    sa.select(mentions.c.entity_id).where(mentions.c.article_id == article_id)
                ).scalars()
            ) | set(
                conn.execute(
                    sa.select(report_parties.c.entity_id).where(report_parties.c.report_id.in_(its_reports))
                ).scalars()
            )
            conn.execute(sa.delete(report_parties).where(report_parties.c.report_id.in_(its_reports)))
            conn.execute(sa.delete(reports).where(reports.c.article_id == article_id))
            conn.execute(sa.delete(mentions).where(mentions.c.article_id == article_id))
            conn.execute(sa.delete(articles).where(articles.c.id == article_id))
            if claim_ids:
                orphan = sa.and_(
                    claims.c.id.in_(claim_ids),
                    ~sa.exists().where(reports.c.claim_id == claims.c.id),
                )
                conn.execute(sa.delete(claims).where(orphan))
            if entity_ids:
                doomed = list(
                    conn.execute(
                        sa.select(entities.c.id).where(
                            entities.c.id.in_(entity_ids),
                            entities.c.origin == "text",
                            ~sa.exists().where(mentions.c.entity_id == entities.c.id),
                            ~sa.exists().where(report_parties.c.entity_id == entities.c.id),
                            ~sa.exists().where(
                                aliases.c.entity_id == entities.c.id, aliases.c.source == "user"
                            ),
                        )
                    ).scalars()
                )
                if doomed:
                    conn.execute(
                        sa.update(entities).where(entities.c.parent_id.in_(doomed)).values(parent_id=None)
                    )
                    conn.execute(sa.delete(aliases).where(aliases.c.entity_id.in_(doomed)))
                    conn.execute(sa.delete(entities).where(entities.c.id.in_(doomed)))
        return True

    # ------------------------------------------------------------------ reading

    def stats(self) -> dict[str, int]:
        """Counts: {"articles", "entities", "claims", "reports", "rejected"}."""
        tables = (articles, entities, claims, reports, rejections)
        with self._read() as conn:
            counts = [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in tables]
        return {k: int(n) for k, n in zip(STATS_KEYS, counts, strict=True)}

    def _entity_ids_named(self, name: str) -> sa.Select[int]:
        return sa.select(aliases.c.entity_id).where(aliases.c.alias_fold == norm_name(name))

    def claims(
        self, entity: str | None = None, type: str | None = None, certainty: str | None = None
    ) -> list[dict[str, Any]]:
        """Claims with their reports, oldest report first.

        `entity` keeps claims one of whose parties has that name or alias (case and accents
        ignored); `type` keeps claims of that type; `certainty` keeps claims having at least one
        report of that certainty (and all their reports are listed).
        """
        conds: list[sa.ColumnElement[bool]] = []
        if type:
            conds.append(claims.c.type == type)
        other = reports.alias("other")  # the filters look at all of a claim's reports, not the row's
        if certainty:
            conds.append(
                sa.exists()
                .where(other.c.claim_id == claims.c.id, other.c.certainty == certainty)
                .correlate(claims)
            )
        if entity:
            party = (
                sa.select(sa.literal(1))
                .select_from(report_parties.join(other, other.c.id == report_parties.c.report_id))
                .where(
                    other.c.claim_id == claims.c.id,
                    report_parties.c.entity_id.in_(self._entity_ids_named(entity)),
                )
                .correlate(claims)
            )
            conds.append(party.exists())
        query = (
            sa.select(
                claims.c.id.label("claim_id"),
                claims.c.type.label("claim_type"),
                claims.c.key.label("claim_key"),
                claims.c.episode,
                claims.c.args_json.label("claim_args_json"),
                reports,
                articles.c.title,
                articles.c.outlet,
                articles.c.published,
                articles.c.url,
            )
            .select_from(
                claims.join(reports, reports.c.claim_id == claims.c.id).join(
                    articles, articles.c.id == reports.c.article_id
                )
            )
            .where(*conds)
            .order_by(
                claims.c.id,
                articles.c.published.is_(None),
                articles.c.published,
                reports.c.article_id,
                reports.c.start_char,
            )
        )
        out: list[dict[str, Any]] = []
        with self._read() as conn:
            rows = conn.execute(query).mappings().all()
        for row in rows:
            if not out or out[-1]["id"] != row["claim_id"]:
                out.append(
                    {
                        "id": row["claim_id"],
                        "type": row["claim_type"],
                        "key": row["claim_key"],
                        "episode": row["episode"],
                        "args": _loads(row["claim_args_json"]),
                        "reports": [],
                    }
                )
            report = self._report(row)
            report.update(
                {
                    "article_id": row["article_id"],
                    "title": row["title"],
                    "outlet": row["outlet"],
                    "published": row["published"],
                    "url": row["url"],
                }
            )
            out[-1]["reports"].append(report)
        return out

    @staticmethod
    def _report(row: sa.RowMapping) -> dict[str, Any]:
        return {
            "id": row["id"],
            "certainty": row["certainty"],
            "cue": row["cue"],
            "called_off": bool(row["called_off"]),
            "source": _loads(row["source_json"]),
            "time": _loads(row["time_json"]),
            "quantity": _loads(row["quantity_json"]),
            "args": _loads(row["args_json"]),
            "evidence": row["evidence"],
            "start": row["start_char"],
            "end": row["end_char"],
            "extractor_version": row["extractor_version"],
        }

    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article with its mentions (and their entities) and its reports (and their claims)."""
        with self._read() as conn:
            art = conn.execute(sa.select(articles).where(articles.c.id == article_id)).mappings().first()
            if art is None:
                return None
            ments = conn.execute(
                sa.select(
                    mentions.c.entity_id,
                    entities.c.name,
                    entities.c.type,
                    mentions.c.start_char,
                    mentions.c.end_char,
                    mentions.c.text,
                )
                .join(entities, entities.c.id == mentions.c.entity_id)
                .where(mentions.c.article_id == article_id)
                .order_by(mentions.c.start_char, mentions.c.end_char)
            ).mappings()
            mention_list = [
                {
                    "entity_id": m["entity_id"],
                    "name": m["name"],
                    "type": m["type"],
                    "start": m["start_char"],
                    "end": m["end_char"],
                    "text": m["text"],
                }
                for m in ments
            ]
            reps = conn.execute(
                sa.select(
                    reports, claims.c.type.label("claim_type"), claims.c.args_json.label("claim_args_json")
                )
                .join(claims, claims.c.id == reports.c.claim_id)
                .where(reports.c.article_id == article_id)
                .order_by(reports.c.start_char, reports.c.id)
            ).mappings()
            report_list = []
            for r in reps:
                report = {"claim_id": r["claim_id"], "type": r["claim_type"]}
                report.update(self._report(r))
                report["claim_args"] = _loads(r["claim_args_json"])
                report_list.append(report)
        out = {k: art[k] for k in art.keys()}  # noqa: SIM118 - RowMapping.keys()
        out["mentions"] = mention_list
        out["reports"] = report_list
        return out

    def entity_ids(self, name: str) -> list[int]:
        """The entities that have this name or alias (case, accents and legal forms ignored)."""
        with self._read() as conn:
            return sorted(set(conn.execute(self._entity_ids_named(name)).scalars()))


def open_store(url: str | None = None, *, upgrade: bool = True) -> Store:
    """Open the store at `url` (else `$ONDIT_DB`, else `sqlite:///ondit.db`).

    A database that was never migrated is brought to the current schema when `upgrade` is true
    (the default). Raises StoreError when the database cannot be reached.
    """
    store = Store(db.resolve_url(url))
    try:
        if store.current_revision() is None and upgrade:
            store.upgrade()
    except sa.exc.OperationalError as e:
        store.close()
        reason = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        raise StoreError(f"cannot open database {db.display_url(store.url)}: {reason}") from e
    except BaseException:
        store.close()
        raise
    return store
