"""The encrypted vault: store, audited reveal with a reason, erasure, no raw bytes stored."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from privacy.audit import AuditLog
from privacy.errors import RevealError, VaultCorruptedError
from privacy.keys import KeyRing
from privacy.models import VaultEntry
from privacy.redaction import Original
from privacy.vault import Vault

CARD = Original("<CARD_1>", "CARD", "4111 1111 1111 1111")
NAME = Original("<PERSON_1>", "PERSON", "Jane Austen")


def test_store_then_reveal_with_reason_is_audited(session: Session, keys: KeyRing) -> None:
    vault = Vault(session, keys)
    assert vault.store("conv-1", [CARD, NAME], customer_id="cust-1") == 2
    assert vault.store("conv-1", [CARD]) == 0  # already there
    assert vault.reveal("conv-1", "<CARD_1>", "compliance:ann", "fraud case 42") == CARD.value
    entries = AuditLog(session, keys.audit_key).entries()
    assert [(e.actor, e.action, e.target, e.reason) for e in entries] == [
        ("compliance:ann", "reveal", "conv-1/<CARD_1>", "fraud case 42")
    ]


@pytest.mark.parametrize("reason", ["", "   ", "ok"])
def test_reveal_needs_a_reason(session: Session, keys: KeyRing, reason: str) -> None:
    vault = Vault(session, keys)
    vault.store("conv-1", [CARD])
    with pytest.raises(RevealError):
        vault.reveal("conv-1", "<CARD_1>", "compliance:ann", reason)
    assert AuditLog(session, keys.audit_key).entries() == []


def test_unknown_placeholder_is_refused(session: Session, keys: KeyRing) -> None:
    with pytest.raises(RevealError):
        Vault(session, keys).reveal("conv-1", "<CARD_9>", "compliance:ann", "fraud case 42")


def test_stored_bytes_hold_no_raw_value(session: Session, keys: KeyRing) -> None:
    Vault(session, keys).store("conv-1", [CARD, NAME])
    session.commit()
    dump = b"".join(
        b"|".join(str(v).encode() if not isinstance(v, bytes) else v for v in row)
        for row in session.execute(text("SELECT * FROM privacy_vault"))
    )
    for raw in (b"4111", b"Austen", "Jane Austen".encode("utf-16-le")):
        assert raw not in dump


def test_another_key_cannot_decrypt(session: Session, keys: KeyRing) -> None:
    Vault(session, keys).store("conv-1", [CARD])
    with pytest.raises(VaultCorruptedError):
        Vault(session, KeyRing.from_master(b"x" * 32)).reveal("conv-1", "<CARD_1>", "c:ann", "fraud case 42")


def test_ciphertext_moved_to_another_conversation_does_not_decrypt(session: Session, keys: KeyRing) -> None:
    vault = Vault(session, keys)
    vault.store("conv-1", [CARD])
    entry = session.scalars(select(VaultEntry)).one()
    entry.conversation_id = "conv-2"
    session.flush()
    with pytest.raises(VaultCorruptedError):
        vault.reveal("conv-2", "<CARD_1>", "c:ann", "fraud case 42")


def test_erase_conversation_and_customer(session: Session, keys: KeyRing) -> None:
    vault = Vault(session, keys)
    vault.store("conv-1", [CARD], customer_id="cust-1")
    vault.store("conv-2", [NAME], customer_id="cust-1")
    vault.store("conv-3", [NAME], customer_id="cust-2")
    assert vault.erase_conversation("conv-3", "system:retention") == 1
    assert vault.erase_customer("cust-1", "admin:bob") == 2
    assert session.scalars(select(VaultEntry)).all() == []
    actions = [e.action for e in AuditLog(session, keys.audit_key).entries()]
    assert actions == ["erase_conversation", "erase_customer"]
    assert vault.placeholders("conv-1") == []
