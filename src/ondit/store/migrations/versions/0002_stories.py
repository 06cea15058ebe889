"""Stories: resolved claim keys, episodes, near-duplicates, novelty, cached lifecycle states.

- `articles`: `extraction_json` (the extraction without its text, so a user correction can rebuild an
  article's entities and reports without spaCy), `fingerprint` (SimHash, signed 64-bit) and
  `duplicate_of` (the article this one is a near-identical copy of).
- `reports`: `key` (the claim key over resolved entity keys), `source_key` (the innermost source
  resolved), `credit` / `credit_kind` (the source the track record credits), `is_first` and
  `days_after_first` (novelty).
- `claims`: the cached state and its summary (first and last report, counts), the grace period it was
  computed with, the day it was computed and the day it may lapse.
- `claim_transitions`: the cached transitions of each claim.

Stores made by 0001 keep their rows; their reports have an empty key until `ondit reprocess` rebuilds
them. Written by hand; `tests/test_store.py` checks that 0001 + 0002 create exactly `ondit.store.schema`.

Revision ID: 0002
Revises: 0001
Create Date: 2025-12-02
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _columns() -> list[tuple[str, sa.Column[Any]]]:
    return [
        ("articles", sa.Column("extraction_json", sa.Text, nullable=True)),
        ("articles", sa.Column("fingerprint", sa.BigInteger, nullable=True)),
        ("articles", sa.Column("duplicate_of", sa.Text, nullable=True)),
        ("claims", sa.Column("state", sa.Text, nullable=True)),
        ("claims", sa.Column("first_reported", sa.Text, nullable=True)),
        ("claims", sa.Column("last_reported", sa.Text, nullable=True)),
        ("claims", sa.Column("n_reports", sa.Integer, nullable=False, server_default="0")),
        ("claims", sa.Column("n_sources", sa.Integer, nullable=False, server_default="0")),
        ("claims", sa.Column("grace_days", sa.Integer, nullable=True)),
        ("claims", sa.Column("computed_on", sa.Text, nullable=True)),
        ("claims", sa.Column("recheck_on", sa.Text, nullable=True)),
        ("reports", sa.Column("key", sa.Text, nullable=False, server_default="")),
        ("reports", sa.Column("source_key", sa.Text, nullable=False, server_default="")),
        ("reports", sa.Column("credit", sa.Text, nullable=True)),
        ("reports", sa.Column("credit_kind", sa.Text, nullable=True)),
        ("reports", sa.Column("is_first", sa.Boolean, nullable=False, server_default=sa.false())),
        ("reports", sa.Column("days_after_first", sa.Integer, nullable=True)),
    ]


def upgrade() -> None:
    for table, column in _columns():
        op.add_column(table, column)
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])
    op.create_index("ix_reports_key", "reports", ["key"])
    op.create_table(
        "claim_transitions",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("claim_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("date", sa.Text, nullable=False),
        sa.Column("report_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_claim_transitions"),
        sa.UniqueConstraint("claim_id", "seq", name="uq_claim_transitions_claim_id_seq"),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_claim_transitions_claim_id_claims", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("claim_transitions")
    op.drop_index("ix_reports_key", "reports")
    op.drop_index("ix_articles_duplicate_of", "articles")
    for table, column in reversed(_columns()):
        op.drop_column(table, column.name)  # SQLite 3.35+ drops a column in place
