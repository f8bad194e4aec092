"""Customer identity: the identity provider's subjects of customers' logins; conversations
may start anonymous, hold the login's time and level, expire and be revoked; their token
hash is indexed.

Revision ID: 0010_identity
Revises: 0009_journey_rollups
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010_identity"
down_revision: str | None = "0009_journey_rollups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_logins",
        sa.Column("subject", sa.String(255), primary_key=True),
        sa.Column("customer_id", sa.String(32), sa.ForeignKey("customers.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_customer_logins_customer_id", "customer_logins", ["customer_id"])
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column("customer_id", existing_type=sa.String(40), nullable=True)
        batch.add_column(sa.Column("auth_time", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("acr", sa.String(64), nullable=True))
        batch.add_column(sa.Column("identity_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_conversations_token_hash", ["token_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_token_hash")
        for column in ("revoked_at", "expires_at", "identity_expires_at", "acr", "auth_time"):
            batch.drop_column(column)
        batch.alter_column("customer_id", existing_type=sa.String(40), nullable=False)
    op.drop_index("ix_customer_logins_customer_id", "customer_logins")
    op.drop_table("customer_logins")
