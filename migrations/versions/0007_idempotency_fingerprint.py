"""Customer messages keep a keyed hash of the body first sent with their client_message_id,
so that a retry with the same id and another body is refused.

Revision ID: 0007_idempotency_fingerprint
Revises: 0006_redaction_state
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_idempotency_fingerprint"
down_revision: str | None = "0006_redaction_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("idempotency_fingerprint", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("idempotency_fingerprint")
