"""Privacy tables: the encrypted vault of originals and the hash-chained audit log.

Revision ID: 0005_privacy
Revises: 0004_staff_handoff
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_privacy"
down_revision: str | None = "0004_staff_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_vault",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=True),
        sa.Column("placeholder", sa.String(64), nullable=False),
        sa.Column("entity_type", sa.String(32), nullable=False),
        sa.Column("nonce", sa.LargeBinary(12), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("conversation_id", "placeholder", name="uq_privacy_vault_placeholder"),
    )
    op.create_index("ix_privacy_vault_conversation_id", "privacy_vault", ["conversation_id"])
    op.create_index("ix_privacy_vault_customer_id", "privacy_vault", ["customer_id"])
    op.create_table(
        "privacy_audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sequence", sa.Integer(), nullable=False, unique=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(256), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False, unique=True),
    )


def downgrade() -> None:
    op.drop_table("privacy_audit_log")
    op.drop_index("ix_privacy_vault_customer_id", table_name="privacy_vault")
    op.drop_index("ix_privacy_vault_conversation_id", table_name="privacy_vault")
    op.drop_table("privacy_vault")
