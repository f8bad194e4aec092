"""Tables of the privacy package: the vault of encrypted originals and the audit log."""

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base, utcnow


class VaultEntry(Base):
    """One original value, encrypted (AES-256-GCM), stored under its placeholder.

    The associated data of the cipher binds the ciphertext to its conversation and
    placeholder, so a row copied under another key does not decrypt.
    """

    __tablename__ = "privacy_vault"
    __table_args__ = (
        UniqueConstraint("conversation_id", "placeholder", name="uq_privacy_vault_placeholder"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    placeholder: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    nonce: Mapped[bytes] = mapped_column(LargeBinary(12))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """One row of the append-only, keyed hash chain of the audit log (:mod:`privacy.audit`).

    ``entry_hash`` is HMAC-SHA256 under the audit key over ``previous_hash`` and the row's
    canonical content, so changing, deleting or inserting any row breaks the chain from there
    on, and nobody without the key can compute a replacement.
    """

    __tablename__ = "privacy_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(256))
    reason: Mapped[str] = mapped_column(Text, default="")
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditSeal(Base):
    """The keyed head of the audit chain (one row, ``id`` 1): the last entry's sequence and
    hash, and ``mac`` over them, so that entries cut off the end are detected.

    Entries with a sequence below ``keyed_from`` were written before the chain was keyed
    (plain SHA-256); the first keyed entry covers them.
    """

    __tablename__ = "privacy_audit_seal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sequence: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))
    keyed_from: Mapped[int] = mapped_column(Integer)
    mac: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
