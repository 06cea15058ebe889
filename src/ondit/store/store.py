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
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ondit.errors import OnditError
from ondit.model import Article, ArticleExtraction, BadDateError, PubDate
from ondit.resolve.dedup import NearDuplicateIndex, simhash, to_signed
from ondit.store import db, stories
from ondit.store.db import StoreError
from ondit.store.keys import alias_fold, content_hash
from ondit.store.resolution import StoreResolver
from ondit.store.schema import (
    aliases,
    articles,
    claim_transitions,
    claims,
    entities,
    mentions,
    rejections,
    report_parties,
    reports,
    user_corrections,
)
from ondit.track.lifecycle import Transition
from ondit.track.record import SourceLink, track_records

STATS_KEYS = ("articles", "entities", "claims", "reports", "rejected")
GRACE_ENV = "ONDIT_GRACE_DAYS"
DEFAULT_GRACE_DAYS = 90


def default_grace_days() -> int:
    """The lapse grace period in days: `$ONDIT_GRACE_DAYS`, else 90 (SPEC)."""
    value = os.environ.get(GRACE_ENV, "").strip()
    if not value:
        return DEFAULT_GRACE_DAYS
    try:
        days = int(value)
    except ValueError as e:
        raise StoreError(f"${GRACE_ENV} must be a number of days, not {value!r}") from e
    if days < 0:
        raise StoreError(f"${GRACE_ENV} must not be negative ({days})")
    return days


MIGRATION_LOCK = 0x0D175A0E  # PostgreSQL advisory lock key held while migrating
WRITE_LOCK = 0x0D175A0F  # PostgreSQL advisory lock key held by every write transaction


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

    def __init__(self, url: str, grace_days: int | None = None) -> None:
        self.url = url
        self.grace_days = grace_days if grace_days is not None else default_grace_days()
        self._sr: tuple[tuple[Any, ...], StoreResolver] | None = None
        self._dups: tuple[int, NearDuplicateIndex] | None = None
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
            try:
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        # one writer at a time, as on SQLite: recomputing a claim touches rows that other
                        # articles' transactions touch too, in no fixed order
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
                    yield conn
                    self._remember(conn)
            except BaseException:
                self._sr = None  # the caches may hold what was rolled back
                self._dups = None
                raise

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
        """Store one article with its entities, mentions and reports, in one transaction, and
        recompute the claims it touches (episodes, novelty, states).

        Returns False, and writes nothing, when the article is already known by id or content hash.
        """
        chash = content_hash(extraction.text, extraction.url)
        if self.known(extraction.id, chash):
            return False
        record = stories.extraction_record(extraction)
        fingerprint = to_signed(simhash(extraction.text))
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
                "extraction_json": _dumps(record),
                "fingerprint": fingerprint,
            }
            # the check above ran outside the write lock: another writer may have stored it since
            stmt = self._insert_ignore(conn, articles).returning(articles.c.id)
            if conn.execute(stmt, row).first() is None:
                return False
            keys = self._add_reports(conn, extraction.id, extraction.text, record)
            keys |= self._link_duplicates(conn, extraction.id, fingerprint)
            stories.recompute_keys(conn, keys, self.grace_days)
        return True

    # -- resolution and near-duplicates, cached across calls of this store

    def _stamp(self, conn: Connection) -> tuple[Any, ...]:
        return tuple(
            conn.execute(
                sa.select(
                    sa.select(sa.func.max(entities.c.id)).scalar_subquery(),
                    sa.select(sa.func.count()).select_from(entities).scalar_subquery(),
                    sa.select(sa.func.max(aliases.c.id)).scalar_subquery(),
                    sa.select(sa.func.max(user_corrections.c.id)).scalar_subquery(),
                )
            ).one()
        )

    def _resolver(self, conn: Connection) -> StoreResolver:
        stamp = self._stamp(conn)
        if self._sr is None or self._sr[0] != stamp:
            self._sr = (stamp, StoreResolver(conn))
        return self._sr[1]

    def _remember(self, conn: Connection) -> None:
        """After a write: what this store's caches saw is the database's state."""
        if self._sr is not None:
            self._sr = (self._stamp(conn), self._sr[1])

    def _add_reports(
        self, conn: Connection, article_id: str, text: str, record: Mapping[str, Any]
    ) -> set[str]:
        """Index one stored article (entities, mentions, reports); returns the claim keys touched."""
        return stories.index_article(conn, self._resolver(conn), article_id, text, record)

    def _dup_index(self, conn: Connection, exclude: str) -> tuple[int, NearDuplicateIndex]:
        """The fingerprints of the stored articles but `exclude` (cached while no other writer adds)."""
        stored = sa.and_(articles.c.fingerprint.is_not(None), articles.c.id != exclude)
        n = int(conn.execute(sa.select(sa.func.count()).select_from(articles).where(stored)).scalar_one())
        if self._dups is None or self._dups[0] != n:
            index = NearDuplicateIndex()
            rows = conn.execute(
                sa.select(articles.c.id, articles.c.fingerprint).where(stored).order_by(articles.c.id)
            )
            for aid, fp in rows:
                index.add(aid, fp)
            self._dups = (n, index)
        return self._dups

    def _link_duplicates(self, conn: Connection, article_id: str, fingerprint: int) -> set[str]:
        """Mark a new article as a copy of a stored one (or the stored group as copies of it, when it was
        published first); returns the claim keys whose counts change."""
        n, index = self._dup_index(conn, article_id)
        near = index.find(fingerprint)
        index.add(article_id, fingerprint)
        self._dups = (n + 1, index)
        if near is None:
            return set()
        original = conn.execute(
            sa.select(sa.func.coalesce(articles.c.duplicate_of, articles.c.id)).where(articles.c.id == near)
        ).scalar_one()
        group = [
            original,
            *conn.execute(sa.select(articles.c.id).where(articles.c.duplicate_of == original)).scalars(),
        ]
        members = [*group, article_id]
        dated = conn.execute(
            sa.select(articles.c.id, articles.c.published, articles.c.ingested_at).where(
                articles.c.id.in_(members)
            )
        ).all()
        first = min(dated, key=lambda r: (stories.report_day(r[1], r[2]), r[1] or "", r[0]))[0]
        conn.execute(sa.update(articles).where(articles.c.id.in_(members)).values(duplicate_of=first))
        conn.execute(sa.update(articles).where(articles.c.id == first).values(duplicate_of=None))
        return set(conn.execute(sa.select(reports.c.key).where(reports.c.article_id.in_(members))).scalars())

    def reject(self, origin: str, reason: str) -> bool:
        """Record an input that could not be stored; True the first time (origin, reason) is seen."""
        with self._write() as conn:
            stmt = self._insert_ignore(conn, rejections).returning(rejections.c.id)
            row = {"origin": origin, "reason": reason, "at": _now()}
            return conn.execute(stmt, row).first() is not None

    def _clear_article(self, conn: Connection, article_ids: list[str]) -> tuple[set[str], set[int]]:
        """Delete the mentions and reports of articles; returns their claim keys and entity ids."""
        its_reports = sa.select(reports.c.id).where(reports.c.article_id.in_(article_ids))
        keys = set(
            conn.execute(sa.select(reports.c.key).where(reports.c.article_id.in_(article_ids))).scalars()
        )
        entity_ids = set(
            conn.execute(
                sa.select(mentions.c.entity_id).where(mentions.c.article_id.in_(article_ids))
            ).scalars()
        ) | set(
            conn.execute(
                sa.select(report_parties.c.entity_id).where(report_parties.c.report_id.in_(its_reports))
            ).scalars()
        )
        conn.execute(sa.delete(report_parties).where(report_parties.c.report_id.in_(its_reports)))
        conn.execute(sa.delete(reports).where(reports.c.article_id.in_(article_ids)))
        conn.execute(sa.delete(mentions).where(mentions.c.article_id.in_(article_ids)))
        return keys, entity_ids

    def _drop_orphans(self, conn: Connection, entity_ids: set[int]) -> None:
        """Delete entities nothing refers to any more (no mention, no report, not a parent, no user alias,
        not made by the user)."""
        corrected = {
            v
            for (payload,) in conn.execute(sa.select(user_corrections.c.payload_json))
            for k, v in _loads(payload).items()
            if k in ("entity", "into", "key") and isinstance(v, str)
        }
        while entity_ids:
            child = entities.alias("child")
            doomed = [
                eid
                for eid, key in conn.execute(
                    sa.select(entities.c.id, entities.c.key).where(
                        entities.c.id.in_(entity_ids),
                        entities.c.origin != "user",
                        ~sa.exists().where(mentions.c.entity_id == entities.c.id),
                        ~sa.exists().where(report_parties.c.entity_id == entities.c.id),
                        ~sa.exists().where(child.c.parent_id == entities.c.id),
                        ~sa.exists().where(aliases.c.entity_id == entities.c.id, aliases.c.source == "user"),
                    )
                )
                if key not in corrected
            ]
            if not doomed:
                return
            parents = set(
                conn.execute(
                    sa.select(entities.c.parent_id).where(
                        entities.c.id.in_(doomed), entities.c.parent_id.is_not(None)
                    )
                ).scalars()
            )
            conn.execute(sa.delete(aliases).where(aliases.c.entity_id.in_(doomed)))
            conn.execute(sa.delete(entities).where(entities.c.id.in_(doomed)))
            entity_ids = parents

    def forget(self, article_id: str) -> bool:
        """Delete an article with its mentions and reports, and recompute the claims it was part of;
        claims left without reports and entities left without mentions (and without user aliases) go
        too. When the article was the original of near-identical copies, the earliest copy takes its
        place. False when the article is not stored."""
        with self._write() as conn:
            found = conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first()
            if found is None:
                return False
            keys, entity_ids = self._clear_article(conn, [article_id])
            copies = conn.execute(
                sa.select(articles.c.id, articles.c.published, articles.c.ingested_at).where(
                    articles.c.duplicate_of == article_id
                )
            ).all()
            conn.execute(sa.delete(articles).where(articles.c.id == article_id))
            if copies:
                first = min(copies, key=lambda r: (stories.report_day(r[1], r[2]), r[1] or "", r[0]))[0]
                ids = [c[0] for c in copies]
                conn.execute(sa.update(articles).where(articles.c.id.in_(ids)).values(duplicate_of=first))
                conn.execute(sa.update(articles).where(articles.c.id == first).values(duplicate_of=None))
                keys |= set(
                    conn.execute(sa.select(reports.c.key).where(reports.c.article_id.in_(ids))).scalars()
                )
            stories.recompute_keys(conn, keys, self.grace_days)
            self._drop_orphans(conn, entity_ids)
            self._dups = None  # the index cannot remove a fingerprint
        return True

    # ------------------------------------------------------------------ reading

    def stats(self) -> dict[str, int]:
        """Counts: {"articles", "entities", "claims", "reports", "rejected"}."""
        tables = (articles, entities, claims, reports, rejections)
        with self._read() as conn:
            counts = [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in tables]
        return {k: int(n) for k, n in zip(STATS_KEYS, counts, strict=True)}

    def _entity_ids_named(self, name: str) -> sa.Select[int]:
        return sa.select(aliases.c.entity_id).where(aliases.c.alias_fold == alias_fold(name))

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

    # ------------------------------------------------------------------ entities and stories

    def _entity_rows(self, conn: Connection, where: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
        parent = entities.alias("parent")
        rows = conn.execute(
            sa.select(entities, parent.c.name.label("parent_name"))
            .outerjoin(parent, parent.c.id == entities.c.parent_id)
            .where(where)
            .order_by(entities.c.name, entities.c.id)
        ).mappings()
        out = []
        for r in rows:
            out.append(
                {
                    "id": r["id"],
                    "key": r["key"],
                    "name": r["name"],
                    "type": r["type"],
                    "kind": r["kind"],
                    "country": r["country"],
                    "parent": r["parent_name"],
                    "origin": r["origin"],
                }
            )
        ids = [e["id"] for e in out]
        names: dict[int, list[str]] = {}
        for chunk in range(0, len(ids), 500):
            for eid, alias in conn.execute(
                sa.select(aliases.c.entity_id, aliases.c.alias)
                .where(aliases.c.entity_id.in_(ids[chunk : chunk + 500]))
                .order_by(aliases.c.entity_id, aliases.c.id)
            ):
                names.setdefault(eid, []).append(alias)
        for e in out:
            seen = {alias_fold(e["name"])}
            e["aliases"] = []
            for alias in names.get(e["id"], ()):
                f = alias_fold(alias)
                if f not in seen:
                    seen.add(f)
                    e["aliases"].append(alias)
        return out

    def entities(self, type: str | None = None) -> list[dict[str, Any]]:
        """Every entity, by name: id, key, name, type, kind, country, parent, origin, aliases, and how
        many mentions and claims it has."""
        with self._read() as conn:
            out = self._entity_rows(conn, entities.c.type == type if type else sa.true())
            n_mentions: dict[int, int] = dict(
                conn.execute(
                    sa.select(mentions.c.entity_id, sa.func.count()).group_by(mentions.c.entity_id)
                ).all()
            )
            n_claims: dict[int, int] = dict(
                conn.execute(
                    sa.select(report_parties.c.entity_id, sa.func.count(sa.distinct(reports.c.claim_id)))
                    .join(reports, reports.c.id == report_parties.c.report_id)
                    .group_by(report_parties.c.entity_id)
                ).all()
            )
        for e in out:
            e["mentions"] = int(n_mentions.get(e["id"], 0))
            e["claims"] = int(n_claims.get(e["id"], 0))
        return out

    def find_entities(self, name: str) -> list[dict[str, Any]]:
        """The entities a name may mean: those having it as name or alias (case, accents and legal forms
        ignored), else the one the resolver finds for it."""
        with self._read() as conn:
            found = self._entity_rows(conn, entities.c.id.in_(self._entity_ids_named(name)))
            if found:
                return found
            sr = self._resolver(conn)
            keys = {sr.resolve(name, t).key for t in ("ORG", "MEDIA", "PER", "PRODUCT")}
            return self._entity_rows(conn, entities.c.key.in_(keys))

    def entity(self, name: str | None = None, id: int | None = None) -> dict[str, Any]:
        """The one entity a name (or an id) stands for. Raises EntityNotFound, or AmbiguousEntity with the
        candidates when the name fits several entities."""
        if id is not None:
            with self._read() as conn:
                rows = self._entity_rows(conn, entities.c.id == id)
            if not rows:
                raise EntityNotFound(f"no entity with id {id}")
            return rows[0]
        assert name is not None
        found = self.find_entities(name)
        if not found:
            raise EntityNotFound(f"no entity named {name!r}")
        if len(found) > 1:
            raise AmbiguousEntity(name, found)
        return found[0]

    def _cache_valid(self, row: Mapping[str, Any], grace: int, as_of: dt.date | None, today: dt.date) -> bool:
        return (
            as_of is None
            and row["grace_days"] == grace
            and row["computed_on"] is not None
            and (row["recheck_on"] is None or today < dt.date.fromisoformat(row["recheck_on"]))
        )

    def _claim_views(
        self,
        conn: Connection,
        claim_ids: list[int],
        as_of: dt.date | None,
        grace_days: int | None,
    ) -> list[tuple[dict[str, Any], list[stories.ReportRow], stories.Summary]]:
        """(claim row, its reports, its summary as of `as_of`) for claims that exist on that day."""
        grace = self.grace_days if grace_days is None else grace_days
        today = dt.date.today()
        rows = []
        for chunk in range(0, len(claim_ids), 500):
            rows += [
                dict(r)
                for r in conn.execute(
                    sa.select(claims).where(claims.c.id.in_(claim_ids[chunk : chunk + 500]))
                ).mappings()
            ]
        reps: dict[int, list[stories.ReportRow]] = {}
        for chunk in range(0, len(claim_ids), 500):
            for r in stories.load_reports(conn, reports.c.claim_id.in_(claim_ids[chunk : chunk + 500])):
                reps.setdefault(r.claim_id, []).append(r)
        cached: dict[int, list[Transition]] = {}
        valid = [r["id"] for r in rows if self._cache_valid(r, grace, as_of, today)]
        for chunk in range(0, len(valid), 500):
            for cid, state, date, report in conn.execute(
                sa.select(
                    claim_transitions.c.claim_id,
                    claim_transitions.c.state,
                    claim_transitions.c.date,
                    claim_transitions.c.report_id,
                )
                .where(claim_transitions.c.claim_id.in_(valid[chunk : chunk + 500]))
                .order_by(claim_transitions.c.claim_id, claim_transitions.c.seq)
            ):
                cached.setdefault(cid, []).append(Transition(state, dt.date.fromisoformat(date), report))
        out = []
        for row in rows:
            rs = sorted(reps.get(row["id"], []), key=lambda r: r.order)
            if self._cache_valid(row, grace, as_of, today):
                summary = stories.Summary(
                    state=row["state"],
                    transitions=cached.get(row["id"], []),
                    first_reported=row["first_reported"],
                    last_reported=row["last_reported"],
                    n_reports=row["n_reports"],
                    n_sources=row["n_sources"],
                    recheck_on=None,
                )
            else:
                summary = stories.summarise(rs, as_of, grace, today)
            if summary.n_reports == 0:
                continue  # not reported yet on that day
            out.append((row, rs, summary))
        return out

    @staticmethod
    def _transitions_json(changes: list[Transition]) -> list[dict[str, Any]]:
        return [{"state": t.state, "date": t.date.isoformat(), "report": t.report} for t in changes]

    def story(
        self, entity_id: int, as_of: dt.date | None = None, grace_days: int | None = None
    ) -> dict[str, Any]:
        """The claims an entity is party to, grouped by counterpart, with their states (as of a day)."""
        ent = self.entity(id=entity_id)
        with self._read() as conn:
            claim_ids = sorted(
                set(
                    conn.execute(
                        sa.select(reports.c.claim_id)
                        .join(report_parties, report_parties.c.report_id == reports.c.id)
                        .where(report_parties.c.entity_id == entity_id)
                    ).scalars()
                )
            )
            views = self._claim_views(conn, claim_ids, as_of, grace_days)
        out = []
        for row, rs, s in views:
            parties = stories.party_names(stories.counted(rs))
            out.append(
                {
                    "id": row["id"],
                    "type": row["type"],
                    "args": _loads(row["args_json"]),
                    "counterpart": stories.counterpart(row["type"], parties, ent["name"]),
                    "state": s.state,
                    "first_reported": s.first_reported,
                    "last_reported": s.last_reported,
                    "reports": s.n_reports,
                    "sources": s.n_sources,
                    "transitions": self._transitions_json(s.transitions),
                }
            )
        out.sort(
            key=lambda c: (
                c["counterpart"] is None,
                (c["counterpart"] or "").casefold(),
                c["first_reported"] or "",
                c["id"],
            )
        )
        entity = {"id": ent["id"], "name": ent["name"], "type": ent["type"], "aliases": ent["aliases"]}
        return {"entity": entity, "claims": out}

    def claim(
        self, claim_id: int, as_of: dt.date | None = None, grace_days: int | None = None
    ) -> dict[str, Any] | None:
        """One claim with every report (article title, outlet, URL, date, certainty, cue, source chain,
        evidence, novelty; copies flagged) in date order, and its transitions."""
        with self._read() as conn:
            views = self._claim_views(conn, [claim_id], as_of, grace_days)
            if not views:
                return None
            row, rs, s = views[0]
            ids = [r.id for r in rs]
            details = {
                r["id"]: r
                for r in conn.execute(
                    sa.select(
                        reports,
                        articles.c.title,
                        articles.c.outlet,
                        articles.c.url,
                        articles.c.published,
                        articles.c.duplicate_of,
                    )
                    .join(articles, articles.c.id == reports.c.article_id)
                    .where(reports.c.id.in_(ids))
                ).mappings()
            }
        report_list = []
        for r in rs:
            if as_of is not None and r.day > as_of:
                continue
            d = details[r.id]
            item = {
                "id": r.id,
                "article_id": r.article_id,
                "title": d["title"],
                "outlet": d["outlet"],
                "url": d["url"],
                "published": d["published"],
                "date": r.day.isoformat(),
                "certainty": d["certainty"],
                "called_off": bool(d["called_off"]),
                "cue": d["cue"],
                "source": _loads(d["source_json"]),
                "credit": d["credit"],
                "evidence": d["evidence"],
                "args": _loads(d["args_json"]),
                "time": _loads(d["time_json"]),
                "quantity": _loads(d["quantity_json"]),
                "first": bool(d["is_first"]),
                "days_after_first": d["days_after_first"],
                "duplicate_of": d["duplicate_of"],
                "extractor_version": d["extractor_version"],
            }
            report_list.append(item)
        return {
            "id": row["id"],
            "type": row["type"],
            "key": row["key"],
            "episode": row["episode"],
            "args": _loads(row["args_json"]),
            "state": s.state,
            "first_reported": s.first_reported,
            "last_reported": s.last_reported,
            "reports": report_list,
            "counted_reports": s.n_reports,
            "sources": s.n_sources,
            "transitions": self._transitions_json(s.transitions),
        }

    def claim_ids(self) -> list[int]:
        with self._read() as conn:
            return list(conn.execute(sa.select(claims.c.id).order_by(claims.c.id)).scalars())

    def track_record(
        self, as_of: dt.date | None = None, grace_days: int | None = None
    ) -> list[dict[str, Any]]:
        """SPEC's source track record: per credited source, its claims and their outcomes (as of a day)."""
        with self._read() as conn:
            ids = list(conn.execute(sa.select(claims.c.id).order_by(claims.c.id)).scalars())
            views = self._claim_views(conn, ids, as_of, grace_days)
        items = []
        for _, rs, s in views:
            own = stories.counted(rs)
            if as_of is not None:
                own = [r for r in own if r.day <= as_of]
            first = own[0]
            items.append((_credit_chain(first.credit, first.credit_kind), s.state))
        return [
            {
                "source": t.source,
                "kind": t.kind,
                "claims": t.claims,
                "right": t.right,
                "wrong": t.wrong,
                "open": t.open,
                "reliability": round(t.reliability, 4),
                "n": t.right + t.wrong,
            }
            for t in track_records(items)
        ]

    # ------------------------------------------------------------------ corrections

    def _correct(self, conn: Connection, kind: str, payload: Mapping[str, Any]) -> None:
        conn.execute(
            user_corrections.insert().values(kind=kind, payload_json=_dumps(dict(payload)), at=_now())
        )
        self._sr = None

    def _articles_of(self, conn: Connection, entity_ids: Iterable[int]) -> list[str]:
        ids = list(entity_ids)
        found = set(
            conn.execute(sa.select(mentions.c.article_id).where(mentions.c.entity_id.in_(ids))).scalars()
        )
        found |= set(
            conn.execute(
                sa.select(reports.c.article_id)
                .join(report_parties, report_parties.c.report_id == reports.c.id)
                .where(report_parties.c.entity_id.in_(ids))
            ).scalars()
        )
        return sorted(found)

    def _rebuild(self, conn: Connection, article_ids: list[str]) -> int:
        """Re-resolve stored articles from their stored extraction (after a correction)."""
        rows = conn.execute(
            sa.select(articles.c.id, articles.c.text, articles.c.extraction_json).where(
                articles.c.id.in_(article_ids), articles.c.extraction_json.is_not(None)
            )
        ).all()
        ids = [r[0] for r in rows]
        if not ids:
            return 0
        keys, entity_ids = self._clear_article(conn, ids)
        self._sr = None
        sr = self._resolver(conn)
        for aid, text, record in rows:
            keys |= stories.index_article(conn, sr, aid, text, _loads(record))
        stories.recompute_keys(conn, keys, self.grace_days)
        self._drop_orphans(conn, entity_ids)
        return len(ids)

    def add_alias(self, name: str, alias: str) -> dict[str, Any]:
        """`ondit alias add`: ALIAS is another name of the entity NAME (kept as a user correction)."""
        ent = self.entity(name)
        with self._write() as conn:
            others = set(conn.execute(self._entity_ids_named(alias)).scalars()) - {ent["id"]}
            self._correct(conn, "alias", {"entity": ent["key"], "alias": alias})
            conn.execute(
                self._insert_ignore(conn, aliases),
                {"entity_id": ent["id"], "alias": alias, "alias_fold": alias_fold(alias), "source": "user"},
            )
            rebuilt = self._rebuild(conn, self._articles_of(conn, others))
        return {"entity": ent["name"], "alias": alias, "articles_rebuilt": rebuilt}

    def merge(
        self, into: str, other: str, into_id: int | None = None, other_id: int | None = None
    ) -> dict[str, Any]:
        """`ondit merge A B`: B is the same entity as A; B's names and reports go to A."""
        a = self.entity(into, into_id)
        b = self.entity(other, other_id)
        if a["id"] == b["id"]:
            raise EntityNotFound(f"{into!r} and {other!r} are already one entity ({a['name']})")
        with self._write() as conn:
            forms = [b["name"], *b["aliases"]]
            self._correct(conn, "merge", {"into": a["key"], "from": b["key"], "forms": forms})
            conn.execute(
                self._insert_ignore(conn, aliases),
                [
                    {"entity_id": a["id"], "alias": f, "alias_fold": alias_fold(f), "source": "user"}
                    for f in forms
                ],
            )
            conn.execute(sa.delete(aliases).where(aliases.c.entity_id == b["id"], aliases.c.source == "user"))
            conn.execute(sa.update(entities).where(entities.c.parent_id == b["id"]).values(parent_id=a["id"]))
            rebuilt = self._rebuild(conn, self._articles_of(conn, [b["id"]]))
            self._drop_orphans(conn, {b["id"]})
        return {"into": a["name"], "merged": b["name"], "articles_rebuilt": rebuilt}

    def split(self, name: str, alias: str) -> dict[str, Any]:
        """`ondit split NAME ALIAS`: ALIAS is its own entity again, no longer a name of NAME."""
        ent = self.entity(name)
        fold = alias_fold(alias)
        if fold == alias_fold(ent["name"]):
            raise EntityNotFound(
                f"{alias!r} is the name of {ent['name']!r} itself, not an alias to split off"
            )
        if fold not in {alias_fold(a) for a in ent["aliases"]}:
            raise EntityNotFound(f"{alias!r} is not an alias of {ent['name']!r}")
        key = f"{ent['type']}:{fold}"
        with self._write() as conn:
            self._correct(
                conn, "split", {"entity": ent["key"], "alias": alias, "key": key, "type": ent["type"]}
            )
            conn.execute(
                sa.delete(aliases).where(aliases.c.entity_id == ent["id"], aliases.c.alias_fold == fold)
            )
            existing = conn.execute(sa.select(entities.c.id).where(entities.c.key == key)).scalar()
            if existing is None:
                conn.execute(
                    entities.insert().values(key=key, name=alias.strip(), type=ent["type"], origin="user")
                )
                existing = conn.execute(sa.select(entities.c.id).where(entities.c.key == key)).scalar_one()
            conn.execute(
                self._insert_ignore(conn, aliases),
                {"entity_id": existing, "alias": alias, "alias_fold": fold, "source": "user"},
            )
            rebuilt = self._rebuild(conn, self._articles_of(conn, [ent["id"]]))
        return {"entity": ent["name"], "split": alias, "id": int(existing), "articles_rebuilt": rebuilt}

    def corrections(self) -> list[dict[str, Any]]:
        with self._read() as conn:
            rows = conn.execute(sa.select(user_corrections).order_by(user_corrections.c.id)).mappings()
            return [
                {"id": r["id"], "kind": r["kind"], **_loads(r["payload_json"]), "at": r["at"]} for r in rows
            ]

    # ------------------------------------------------------------------ re-extraction

    def stale_articles(self, before_version: str | None = None) -> list[Article]:
        """Stored articles whose reports an extractor older than `before_version` made (all when None)."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(
                    articles.c.id,
                    articles.c.text,
                    articles.c.title,
                    articles.c.url,
                    articles.c.published,
                    articles.c.outlet,
                    articles.c.lang,
                    articles.c.origin,
                    articles.c.extractor_version,
                ).order_by(articles.c.id)
            ).mappings()
            out = []
            for r in rows:
                if before_version is not None and not version_before(r["extractor_version"], before_version):
                    continue
                pub = None
                if r["published"]:
                    try:
                        pub = PubDate.parse(r["published"])
                    except BadDateError:
                        pub = None
                out.append(
                    Article(
                        text=r["text"],
                        title=r["title"],
                        id=r["id"],
                        url=r["url"],
                        published=pub,
                        outlet=r["outlet"],
                        lang=r["lang"],
                        origin=r["origin"],
                    )
                )
        return out

    def replace(self, extraction: ArticleExtraction) -> bool:
        """Replace a stored article's extraction (`ondit reprocess`): its entities, mentions and reports
        are rebuilt and the claims they touch recomputed; user corrections apply as always."""
        record = stories.extraction_record(extraction)
        with self._write() as conn:
            found = conn.execute(sa.select(articles.c.id).where(articles.c.id == extraction.id)).first()
            if found is None:
                return False
            conn.execute(
                sa.update(articles)
                .where(articles.c.id == extraction.id)
                .values(extraction_json=_dumps(record), extractor_version=extraction.extractor_version)
            )
            keys, entity_ids = self._clear_article(conn, [extraction.id])
            keys |= self._add_reports(conn, extraction.id, extraction.text, record)
            stories.recompute_keys(conn, keys, self.grace_days)
            self._drop_orphans(conn, entity_ids)
        return True

    def recompute(self) -> int:
        """Recompute every claim (after the grace period changed, or to refresh lapses); returns the
        number of claim keys."""
        with self._write() as conn:
            keys = set(conn.execute(sa.select(sa.distinct(reports.c.key))).scalars())
            stories.recompute_keys(conn, keys, self.grace_days)
        return len(keys)


def version_before(version: str, before: str) -> bool:
    """Whether extractor version `version` is older than `before` (numeric parts compared; an empty
    version is older than any)."""

    def parts(v: str) -> tuple[tuple[int, str], ...]:
        return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", v.strip()) if p)

    return parts(version) < parts(before)


def _credit_chain(credit: str | None, kind: str | None) -> list[SourceLink]:
    """A source chain that `ondit.track.record` credits exactly as the report's own chain was credited."""
    if not credit:
        return []
    if kind == "anonymous":
        prefix = "anonymous via "
        if credit.startswith(prefix):
            return [SourceLink(credit[len(prefix) :], "outlet"), SourceLink("", "anonymous")]
        return [SourceLink("", "anonymous")]
    return [SourceLink(credit, kind or "outlet")]


class EntityNotFound(OnditError):
    """A name that names no entity in the store (or a correction that cannot apply)."""


class AmbiguousEntity(OnditError):
    """A name that fits several entities; `candidates` lists them."""

    def __init__(self, name: str, candidates: list[dict[str, Any]]) -> None:
        super().__init__(f"{name!r} fits {len(candidates)} entities; pick one with --id")
        self.name = name
        self.candidates = candidates


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
