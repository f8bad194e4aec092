"""When each colleague's console was last seen connected (``staff_users.last_seen_at``), so a
worker can tell a console that went for good from one that reconnected to another worker.

Revision ID: 0021_staff_last_seen
Revises: 0020_callbacks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0021_staff_last_seen"
down_revision: str | None = "0020_callbacks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("last_seen_at")
