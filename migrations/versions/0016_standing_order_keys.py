"""Standing orders keep the key of the request that set them up, unique per customer, so that
a retried request (the same chat message) sets up one order, not two.

Orders set up before this revision have no key (NULL, which the unique index allows any
number of).

Revision ID: 0016_standing_order_keys
Revises: 0015_journey_payments
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016_standing_order_keys"
down_revision: str | None = "0015_journey_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("standing_orders", sa.Column("idempotency_key", sa.String(length=64), nullable=True))
    op.create_index(
        "uq_standing_orders_customer_key", "standing_orders", ["customer_id", "idempotency_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_standing_orders_customer_key", table_name="standing_orders")
    op.drop_column("standing_orders", "idempotency_key")
