"""Colleagues of the bank's identity provider (their subject), and the keyed seal on the head
of the audit chain.

Audit entries already stored keep their plain SHA-256 hashes; the first keyed write seals them
(``privacy.audit``), so nothing here needs the key.

Revision ID: 0011_staff_provider_audit_seal
Revises: 0010_identity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011_staff_provider_audit_seal"
down_revision: str | None = "0010_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("oidc_subject", sa.String(255), nullable=True))
        batch.create_unique_constraint("uq_staff_users_oidc_subject", ["oidc_subject"])
    op.create_table(
        "privacy_audit_seal",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("keyed_from", sa.Integer(), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("privacy_audit_seal")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_constraint("uq_staff_users_oidc_subject", type_="unique")
        batch.drop_column("oidc_subject")
