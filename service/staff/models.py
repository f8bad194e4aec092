"""Staff tables: colleagues and their sign-in sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base, utcnow
from service.staff.availability import DEFAULT_MAX_CHATS, GENERAL, Availability

# The password hash of a colleague who signs in through the bank's identity provider only.
NO_PASSWORD = "!"


class StaffUser(Base):
    """A colleague who can sign in to the agent console.

    Local and test colleagues have a scrypt ``password_hash``; colleagues of the bank's
    identity provider have ``oidc_subject`` (the provider's ``sub``) and ``NO_PASSWORD``.
    ``skills``, ``max_chats`` and ``availability`` decide which handoffs they are offered.
    """

    __tablename__ = "staff_users"
    __table_args__ = (
        UniqueConstraint("username", name="uq_staff_users_username"),
        UniqueConstraint("oidc_subject", name="uq_staff_users_oidc_subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(40))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    oidc_subject: Mapped[str | None] = mapped_column(String(255), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    skills: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: [GENERAL], server_default=f'["{GENERAL}"]'
    )
    max_chats: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_MAX_CHATS, server_default=str(DEFAULT_MAX_CHATS)
    )
    availability: Mapped[str] = mapped_column(
        String(12), default=Availability.AVAILABLE.value, server_default=Availability.AVAILABLE.value
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When a console of theirs last connected or checked in (every socket recheck), on any worker.
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class StaffSession(Base):
    """A signed-in session; only the SHA-256 hash of its bearer token is stored."""

    __tablename__ = "staff_sessions"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_staff_sessions_token_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
