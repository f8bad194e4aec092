"""Callbacks booked while waiting for a colleague (slot, consent time, the handoff they came
from; no phone number) and the queued handoffs whose customer left a message
(service.handoff.models).

Revision ID: 0020_callbacks
Revises: 0019_customer_alerts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0020_callbacks"
down_revision: str | None = "0019_customer_alerts"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "callbacks",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("conversation_id", sa.String(40), nullable=False),
        sa.Column("handoff_id", sa.String(40), nullable=True),
        sa.Column("customer_id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("slot_start", TZ, nullable=False),
        sa.Column("slot_end", TZ, nullable=False),
        sa.Column("consent_at", TZ, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE",
                                name=op.f("fk_callbacks_conversation_id_conversations")),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], ondelete="SET NULL",
                                name=op.f("fk_callbacks_handoff_id_handoffs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callbacks")),
    )
    op.create_index(op.f("ix_callbacks_conversation_id"), "callbacks", ["conversation_id"])
    op.create_index(op.f("ix_callbacks_handoff_id"), "callbacks", ["handoff_id"])
    op.create_index(op.f("ix_callbacks_customer_id"), "callbacks", ["customer_id"])
    op.create_index("ix_callbacks_status_slot_start", "callbacks", ["status", "slot_start"])
    op.create_table(
        "handoff_messages_left",
        sa.Column("handoff_id", sa.String(40), nullable=False),
        sa.Column("answer_by", TZ, nullable=True),
        sa.Column("left_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], ondelete="CASCADE",
                                name=op.f("fk_handoff_messages_left_handoff_id_handoffs")),
        sa.PrimaryKeyConstraint("handoff_id", name=op.f("pk_handoff_messages_left")),
    )


def downgrade() -> None:
    op.drop_table("handoff_messages_left")
    op.drop_index("ix_callbacks_status_slot_start", table_name="callbacks")
    op.drop_index(op.f("ix_callbacks_customer_id"), table_name="callbacks")
    op.drop_index(op.f("ix_callbacks_handoff_id"), table_name="callbacks")
    op.drop_index(op.f("ix_callbacks_conversation_id"), table_name="callbacks")
    op.drop_table("callbacks")
