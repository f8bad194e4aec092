"""The encrypted vault of original values, keyed by (conversation id, placeholder).

Values are encrypted with AES-256-GCM under a key derived from ``PRIVACY_VAULT_KEY``;
the associated data binds each ciphertext to its conversation and placeholder. Only
:meth:`Vault.reveal` decrypts, and it needs a stated reason, which it writes to the
audit log together with the actor.
"""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from privacy.audit import AuditLog
from privacy.errors import RevealError, VaultCorruptedError
from privacy.keys import KeyRing
from privacy.models import VaultEntry
from privacy.redaction import Original

REVEAL_ACTION = "reveal"
ERASE_CONVERSATION_ACTION = "erase_conversation"
ERASE_CUSTOMER_ACTION = "erase_customer"
_MIN_REASON_CHARS = 5


def _associated_data(conversation_id: str, placeholder: str) -> bytes:
    return f"{conversation_id}\x1f{placeholder}".encode()


class Vault:
    """Stores, reveals and erases originals within the caller's session (caller commits).

    Args:
        session: a SQLAlchemy session on the database holding ``privacy_vault``.
        keys: the key ring (``KeyRing.from_settings``).
    """

    def __init__(self, session: Session, keys: KeyRing) -> None:
        self._session = session
        self._cipher = AESGCM(keys.encryption_key)
        self._audit = AuditLog(session, keys.audit_key)

    def store(
        self,
        conversation_id: str,
        originals: tuple[Original, ...] | list[Original],
        customer_id: str | None = None,
    ) -> int:
        """Encrypts and stores the originals of one redaction; returns how many were new.

        A placeholder already stored for the conversation is left as it is (the same
        placeholder always stands for the same value).
        """
        stored = set(
            self._session.scalars(
                select(VaultEntry.placeholder).where(
                    VaultEntry.conversation_id == conversation_id,
                    VaultEntry.placeholder.in_([o.placeholder for o in originals]),
                )
            )
        )
        added = 0
        for original in originals:
            if original.placeholder in stored:
                continue
            nonce = os.urandom(12)
            ciphertext = self._cipher.encrypt(
                nonce, original.value.encode(), _associated_data(conversation_id, original.placeholder)
            )
            self._session.add(
                VaultEntry(
                    conversation_id=conversation_id,
                    customer_id=customer_id,
                    placeholder=original.placeholder,
                    entity_type=original.entity_type,
                    nonce=nonce,
                    ciphertext=ciphertext,
                )
            )
            stored.add(original.placeholder)
            added += 1
        self._session.flush()
        return added

    def placeholders(self, conversation_id: str) -> list[tuple[str, str]]:
        """(placeholder, entity type) pairs stored for a conversation; decrypts nothing."""
        rows = self._session.execute(
            select(VaultEntry.placeholder, VaultEntry.entity_type)
            .where(VaultEntry.conversation_id == conversation_id)
            .order_by(VaultEntry.id)
        )
        return [(row[0], row[1]) for row in rows]

    def reveal(self, conversation_id: str, placeholder: str, actor: str, reason: str) -> str:
        """Decrypts one original and writes the reveal to the audit log.

        Role checks (only compliance reveals) belong to the caller; this method refuses a
        reveal without a reason.

        Raises:
            RevealError: empty reason or unknown placeholder.
            VaultCorruptedError: the stored value does not decrypt with this key.
        """
        if len(reason.strip()) < _MIN_REASON_CHARS:
            raise RevealError(f"a reveal needs a stated reason (at least {_MIN_REASON_CHARS} characters)")
        entry = self._session.scalars(
            select(VaultEntry).where(
                VaultEntry.conversation_id == conversation_id, VaultEntry.placeholder == placeholder
            )
        ).first()
        if entry is None:
            raise RevealError(f"nothing stored for {placeholder} in conversation {conversation_id}")
        try:
            value = self._cipher.decrypt(
                entry.nonce, entry.ciphertext, _associated_data(conversation_id, placeholder)
            ).decode()
        except InvalidTag as error:
            raise VaultCorruptedError(f"{placeholder} of {conversation_id} does not decrypt") from error
        self._audit.record(actor, REVEAL_ACTION, f"{conversation_id}/{placeholder}", reason.strip())
        return value

    def erase_conversation(self, conversation_id: str, actor: str, reason: str = "retention") -> int:
        """Deletes every original of a conversation; returns how many rows went."""
        result = self._session.execute(
            delete(VaultEntry).where(VaultEntry.conversation_id == conversation_id)
        )
        self._audit.record(actor, ERASE_CONVERSATION_ACTION, conversation_id, reason)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def erase_customer(self, customer_id: str, actor: str, reason: str = "right to erasure") -> int:
        """Deletes every original of a customer's conversations (the right to be forgotten)."""
        result = self._session.execute(delete(VaultEntry).where(VaultEntry.customer_id == customer_id))
        self._audit.record(actor, ERASE_CUSTOMER_ACTION, f"customer:{customer_id}", reason)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
