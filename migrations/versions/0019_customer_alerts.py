"""Unusual-activity alerts (one per transaction, reason codes only) and the detection loop's
watermark (service.alerts.models); proactive nudges stored for delivery
(service.alerts.nudge_models).

Revision ID: 0019_customer_alerts
Revises: 0018_budgets
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0019_customer_alerts"
down_revision: str | None = "0018_budgets"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
STATUSES = ("new", "delivered", "read", "confirmed", "disputed")
NUDGE_STATUSES = ("held", "new", "delivered", "read", "acted", "expired")


def upgrade() -> None:
    allowed = f"status IN ({', '.join(repr(s) for s in STATUSES)})"
    op.create_table(
        "customer_alerts",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("transaction_id", sa.String(32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("delivered_at", TZ, nullable=True),
        sa.Column("read_at", TZ, nullable=True),
        sa.Column("answered_at", TZ, nullable=True),
        sa.CheckConstraint(allowed, name=op.f("ck_customer_alerts_alert_status")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_customer_alerts_customer_id_customers")),
        sa.ForeignKeyConstraint(["transaction_id"], ["transactions.id"],
                                name=op.f("fk_customer_alerts_transaction_id_transactions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_alerts")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_customer_alerts_transaction_id")),
    )
    op.create_index("ix_customer_alerts_customer_id_created_at", "customer_alerts",
                    ["customer_id", "created_at"])
    op.create_table(
        "alert_watermarks",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("booked_at", TZ, nullable=False),
        sa.Column("transaction_id", sa.String(32), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_alert_watermarks")),
    )
    nudge_allowed = f"status IN ({', '.join(repr(s) for s in NUDGE_STATUSES)})"
    op.create_table(
        "customer_nudges",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=True),
        sa.Column("variant", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=True),
        sa.Column("deliver_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("delivered_at", TZ, nullable=True),
        sa.Column("read_at", TZ, nullable=True),
        sa.Column("acted_at", TZ, nullable=True),
        sa.CheckConstraint(nudge_allowed, name=op.f("ck_customer_nudges_nudge_status")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_customer_nudges_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_nudges")),
        sa.UniqueConstraint("customer_id", "id", name=op.f("uq_customer_nudges_customer_id_id")),
    )
    op.create_index("ix_customer_nudges_customer_id_deliver_at", "customer_nudges",
                    ["customer_id", "deliver_at"])
    op.create_index("ix_customer_nudges_status_deliver_at", "customer_nudges", ["status", "deliver_at"])


def downgrade() -> None:
    op.drop_index("ix_customer_nudges_status_deliver_at", table_name="customer_nudges")
    op.drop_index("ix_customer_nudges_customer_id_deliver_at", table_name="customer_nudges")
    op.drop_table("customer_nudges")
    op.drop_table("alert_watermarks")
    op.drop_index("ix_customer_alerts_customer_id_created_at", table_name="customer_alerts")
    op.drop_table("customer_alerts")
