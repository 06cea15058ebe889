"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

This module describes the schema at the head revision; the Alembic migrations in
`ondit/store/migrations/versions/` create and change it, and a test checks that the two agree.

Layout, and what the cross-article issue builds on it:

- `articles`: one row per stored article. `id` is the input's id (or a short stable hash),
  `content_hash` the sha256 of its normalised text and URL; either one makes an article known.
  `extractor_version` says which rules made its reports (`ondit reprocess --before-version`).
- `entities` / `aliases`: one row per entity, found by `key` (type + normalised name), with every
  written form as an alias. `origin` is `text` (seen in an article), `kb` (from the packaged
  knowledge base) or `user` (made by a correction); `parent_id` links a brand to its maker.
  Aliases whose `source` is `user` are corrections and are never deleted by `forget`.
- `mentions`: where an article names an entity (character offsets into the article's text).
- `claims`: one row per claim, found by (`key`, `episode`). The key is the SPEC's key (type and
  key roles over normalised names; symmetric parties sorted; the period for sales and financials).
  Episodes split a key into 365-day stories.
- `reports`: one row per (article, claim, certainty, innermost source): everything the article
  says about the claim, with offsets and the extractor version. `report_parties` links each
  party role of a report to its entity, so merging two entities is an UPDATE of entity ids.
- `rejections`: inputs that could not become an article, once per (origin, reason).
- `user_corrections`: the user's alias / merge / split commands, replayed after every re-ingest.

Dates are ISO 8601 text (`published` at the article's own precision, timestamps in UTC with a
trailing `Z`), so they sort as text and read the same on both databases. JSON is text.
"""

from __future__ import annotations

import sqlalchemy as sa

# Deterministic constraint names, so later migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ENTITY_ORIGINS = ("kb", "text", "user")
ALIAS_SOURCES = ("text", "kb", "user")
CORRECTION_KINDS = ("alias", "merge", "split")

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("content_hash", sa.Text, nullable=False, unique=True),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("published", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("origin", sa.Text),
    sa.Column("extractor_version", sa.Text, nullable=False, server_default=""),
    sa.Column("ingested_at", sa.Text, nullable=False),
    # 0002: the extraction as JSON (without the text), so corrections rebuild an article without spaCy
    sa.Column("extraction_json", sa.Text),
    sa.Column("fingerprint", sa.BigInteger),  # SimHash of the text, signed (ondit.resolve.dedup.to_signed)
    sa.Column("duplicate_of", sa.Text),  # id of the article this one is a near-identical copy of
    sa.Index(None, "published"),
    sa.Index(None, "outlet"),
    sa.Index(None, "extractor_version"),
    sa.Index(None, "duplicate_of"),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("kind", sa.Text),  # MEDIA: "agency" or "media"
    sa.Column("country", sa.Text),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("entities.id", ondelete="SET NULL")),
    sa.Column("origin", sa.Text, nullable=False, server_default="text"),
    sa.CheckConstraint(_in("origin", ENTITY_ORIGINS), name="origin"),
    sa.Index(None, "parent_id"),
)

aliases = sa.Table(
    "aliases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    sa.Column("alias", sa.Text, nullable=False),
    sa.Column("alias_fold", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False, server_default="text"),
    sa.UniqueConstraint("alias_fold", "entity_id"),
    sa.CheckConstraint(_in("source", ALIAS_SOURCES), name="source"),
    sa.Index(None, "entity_id"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index(None, "article_id"),
    sa.Index(None, "entity_id"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("episode", sa.Integer, nullable=False, server_default="1"),
    sa.Column("args_json", sa.Text, nullable=False),
    # 0002: the cached lifecycle (recomputed whenever the claim's reports change)
    sa.Column("state", sa.Text),
    sa.Column("first_reported", sa.Text),
    sa.Column("last_reported", sa.Text),
    sa.Column("n_reports", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_sources", sa.Integer, nullable=False, server_default="0"),
    sa.Column("grace_days", sa.Integer),  # the grace period the cached state was computed with
    sa.Column("computed_on", sa.Text),  # the day the cached state was computed
    sa.Column("recheck_on", sa.Text),  # the day the cached state may lapse: recompute from then on
    sa.UniqueConstraint("key", "episode"),
    sa.Index(None, "type"),
)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("certainty", sa.Text, nullable=False),
    sa.Column("cue", sa.Text, nullable=False, server_default=""),
    sa.Column("called_off", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("source_json", sa.Text, nullable=False),
    sa.Column("innermost_name", sa.Text, nullable=False, server_default=""),  # "" = no source
    sa.Column("innermost_kind", sa.Text),
    sa.Column("time_value", sa.Text),
    sa.Column("time_precision", sa.Text),
    sa.Column("time_role", sa.Text),
    sa.Column("time_json", sa.Text),
    sa.Column("quantity_json", sa.Text),
    sa.Column("args_json", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("extractor_version", sa.Text, nullable=False, server_default=""),
    # 0002: the claim key (type and resolved key roles), the innermost source resolved, the source
    # credited for the report (SPEC track record), and novelty within its claim
    sa.Column("key", sa.Text, nullable=False, server_default=""),
    sa.Column("source_key", sa.Text, nullable=False, server_default=""),
    sa.Column("credit", sa.Text),
    sa.Column("credit_kind", sa.Text),
    sa.Column("is_first", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("days_after_first", sa.Integer),
    sa.UniqueConstraint("article_id", "claim_id", "certainty", "innermost_name"),
    sa.Index(None, "claim_id"),
    sa.Index(None, "certainty"),
    sa.Index(None, "innermost_name"),
    sa.Index(None, "key"),
)

report_parties = sa.Table(
    "report_parties",
    metadata,
    sa.Column(
        "report_id",
        sa.Integer,
        sa.ForeignKey("reports.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("role", sa.Text, primary_key=True),
    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), primary_key=True),
    sa.Index(None, "entity_id"),
)

rejections = sa.Table(
    "rejections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.UniqueConstraint("origin", "reason"),
)

claim_transitions = sa.Table(
    "claim_transitions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("date", sa.Text, nullable=False),
    sa.Column("report_id", sa.Integer),  # None for a lapse
    sa.UniqueConstraint("claim_id", "seq"),
)

user_corrections = sa.Table(
    "user_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("payload_json", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.CheckConstraint(_in("kind", CORRECTION_KINDS), name="kind"),
)
