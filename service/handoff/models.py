"""Handoff tables: handoffs, the triggers that fired, the
agents' private notes, an audit trail of who did what, and the callbacks and messages left
while waiting.

A handoff row keeps only what was derived from the conversation (reason, intents, goal,
sentiment, summary); the transcript and the customer's profile are read live when an agent
opens the packet, so no copy of them lands here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base, utcnow
from service.staff.availability import GENERAL


class Handoff(Base):
    """One escalation of a conversation, from the trigger to resolve or close."""

    __tablename__ = "handoffs"
    __table_args__ = (
        Index("ix_handoffs_queue", "status", "priority", "queued_at"),
        Index("ix_handoffs_skill_queue", "status", "skill"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(40))
    priority: Mapped[int] = mapped_column(Integer)
    # The skill whose colleagues are offered it first (policy.yml ``routing``).
    skill: Mapped[str] = mapped_column(String(32), default=GENERAL, server_default=GENERAL)
    packet: Mapped[dict[str, Any]] = mapped_column(JSON)
    triggered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True, index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class EscalationTrigger(Base):
    """A trigger that fired on a conversation (each fires once unless repeatable)."""

    __tablename__ = "escalation_triggers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(40))
    priority: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(200))
    handoff_id: Mapped[str | None] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=True
    )
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandoffNote(Base):
    """An agent's private note on a handoff (never shown to the customer)."""

    __tablename__ = "handoff_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandoffEvent(Base):
    """Audit trail: queued, claimed, transferred, resolved, closed; by whom, to whom."""

    __tablename__ = "handoff_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Callback(Base):
    """A callback the customer booked, with the time they consented to be called (on the
    number the bank holds for them: no number is stored here)."""

    __tablename__ = "callbacks"
    __table_args__ = (Index("ix_callbacks_status_slot_start", "status", "slot_start"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    handoff_id: Mapped[str | None] = mapped_column(
        ForeignKey("handoffs.id", ondelete="SET NULL"), nullable=True, index=True
    )
    customer_id: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(12))
    slot_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    slot_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MessageLeft(Base):
    """A queued handoff whose customer left a message, answered when colleagues are back."""

    __tablename__ = "handoff_messages_left"

    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), primary_key=True)
    answer_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    left_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
