"""The table of proactive nudges (``insights.nudges``) stored for delivery: one row per nudge
sent or held, its wording as decided, and its receipts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base, choice_type, utcnow


class NudgeStatus(StrEnum):
    """Where a nudge stands with the customer."""

    HELD = "held"  # waiting for quiet hours to end (``deliver_at``)
    NEW = "new"  # due, not yet seen (in the inbox; in the chat if a conversation was open)
    DELIVERED = "delivered"  # listed in the inbox or shown in an open chat
    READ = "read"  # the customer opened it
    ACTED = "acted"  # the customer pressed its action
    EXPIRED = "expired"  # its time ran out, or it may no longer be sent (consent withdrawn)


class CustomerNudge(Base):
    """A nudge sent or scheduled to a customer (the nudge id is stable per kind and subject)."""

    __tablename__ = "customer_nudges"
    __table_args__ = (
        UniqueConstraint("customer_id", "id"),
        Index("ix_customer_nudges_customer_id_deliver_at", "customer_id", "deliver_at"),
        Index("ix_customer_nudges_status_deliver_at", "status", "deliver_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # Nudge.payload(): action, assumptions, figures
    product_id: Mapped[str | None] = mapped_column(String(64))
    variant: Mapped[str] = mapped_column(String(32))
    status: Mapped[NudgeStatus] = mapped_column(choice_type(NudgeStatus, "nudge_status"))
    conversation_id: Mapped[str | None] = mapped_column(String(64))  # the chat it was posted into
    deliver_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    acted_at: Mapped[datetime | None]
