"""Tables owned by the service: conversations and their messages (the transcript)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database.base import Base, utcnow


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # None while the customer has not signed in (general questions only).
    customer_id: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The customer's login: when and how strongly they authenticated, and until when the
    # access token that proved it is valid.
    auth_time: Mapped[int | None] = mapped_column(Integer, nullable=True)
    acr: Mapped[str | None] = mapped_column(String(64), nullable=True)
    identity_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    # The privacy layer's placeholder map (keyed hashes, never raw values).
    redaction_state: Mapped[str | None] = mapped_column(Text, nullable=True)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.seq", cascade="all, delete-orphan"
    )


class Message(Base):
    """One turn part: a customer message (``user``), a bot reply (``bot``) or an agent's."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_messages_conversation_seq"),
        UniqueConstraint("conversation_id", "client_message_id", name="uq_messages_client_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    buttons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    custom: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="answered", index=True)
    client_message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # HMAC of the first body sent with client_message_id (never the text itself).
    idempotency_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reply_to: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
