"""Initial schema: articles, entities, aliases, mentions, claims, reports, rejections, corrections.

Written by hand; `tests/test_store.py` checks that it creates exactly `ondit.store.schema`.

Revision ID: 0001
Revises:
Create Date: 2025-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("published", sa.Text, nullable=True),
        sa.Column("outlet", sa.Text, nullable=True),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=True),
        sa.Column("extractor_version", sa.Text, nullable=False, server_default=""),
        sa.Column("ingested_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_extractor_version", "articles", ["extractor_version"])

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=True),
        sa.Column("country", sa.Text, nullable=True),
        sa.Column("parent_id", sa.Integer, nullable=True),
        sa.Column("origin", sa.Text, nullable=False, server_default="text"),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
        sa.UniqueConstraint("key", name="uq_entities_key"),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["entities.id"], name="fk_entities_parent_id_entities", ondelete="SET NULL"
        ),
        sa.CheckConstraint("origin IN ('kb', 'text', 'user')", name="ck_entities_origin"),
    )
    op.create_index("ix_entities_parent_id", "entities", ["parent_id"])

    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("alias_fold", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False, server_default="text"),
        sa.PrimaryKeyConstraint("id", name="pk_aliases"),
        sa.UniqueConstraint("alias_fold", "entity_id", name="uq_aliases_alias_fold_entity_id"),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name="fk_aliases_entity_id_entities", ondelete="CASCADE"
        ),
        sa.CheckConstraint("source IN ('text', 'kb', 'user')", name="ck_aliases_source"),
    )
    op.create_index("ix_aliases_entity_id", "aliases", ["entity_id"])

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_mentions_article_id_articles", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name="fk_mentions_entity_id_entities"),
    )
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"])
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("episode", sa.Integer, nullable=False, server_default="1"),
        sa.Column("args_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.UniqueConstraint("key", "episode", name="uq_claims_key_episode"),
    )
    op.create_index("ix_claims_type", "claims", ["type"])

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("claim_id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("certainty", sa.Text, nullable=False),
        sa.Column("cue", sa.Text, nullable=False, server_default=""),
        sa.Column("called_off", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("source_json", sa.Text, nullable=False),
        sa.Column("innermost_name", sa.Text, nullable=False, server_default=""),
        sa.Column("innermost_kind", sa.Text, nullable=True),
        sa.Column("time_value", sa.Text, nullable=True),
        sa.Column("time_precision", sa.Text, nullable=True),
        sa.Column("time_role", sa.Text, nullable=True),
        sa.Column("time_json", sa.Text, nullable=True),
        sa.Column("quantity_json", sa.Text, nullable=True),
        sa.Column("args_json", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("extractor_version", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.UniqueConstraint(
            "article_id",
            "claim_id",
            "certainty",
            "innermost_name",
            name="uq_reports_article_id_claim_id_certainty_innermost_name",
        ),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_reports_claim_id_claims"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_reports_article_id_articles", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_reports_claim_id", "reports", ["claim_id"])
    op.create_index("ix_reports_certainty", "reports", ["certainty"])
    op.create_index("ix_reports_innermost_name", "reports", ["innermost_name"])

    op.create_table(
        "report_parties",
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("report_id", "role", "entity_id", name="pk_report_parties"),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_report_parties_report_id_reports", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name="fk_report_parties_entity_id_entities"),
    )
    op.create_index("ix_report_parties_entity_id", "report_parties", ["entity_id"])

    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rejections"),
        sa.UniqueConstraint("origin", "reason", name="uq_rejections_origin_reason"),
    )

    op.create_table(
        "user_corrections",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_corrections"),
        sa.CheckConstraint("kind IN ('alias', 'merge', 'split')", name="ck_user_corrections_kind"),
    )


def downgrade() -> None:
    for table in (
        "user_corrections",
        "rejections",
        "report_parties",
        "reports",
        "claims",
        "mentions",
        "aliases",
        "entities",
        "articles",
    ):
        op.drop_table(table)
