"""Conversations keep the privacy layer's placeholder map.

Revision ID: 0006_redaction_state
Revises: 0005_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_redaction_state"
down_revision: str | None = "0005_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("redaction_state", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("redaction_state")
