"""The hash-chained audit log detects modified, deleted and inserted rows."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from privacy.audit import GENESIS_HASH, AuditError, AuditLog, entry_hash
from privacy.models import AuditEntry


def _log_three(session: Session) -> AuditLog:
    log = AuditLog(session)
    log.record("compliance:ann", "view_transcript", "conv-1")
    log.record("compliance:ann", "reveal", "conv-1/<CARD_1>", "fraud case 42")
    log.record("agent:bob", "view_transcript", "conv-2")
    return log


def test_untouched_chain_verifies(session: Session) -> None:
    log = _log_three(session)
    report = log.verify_chain()
    assert report.valid and report.entries == 3
    first = log.entries()[0]
    assert first.previous_hash == GENESIS_HASH
    assert log.entries()[1].previous_hash == first.entry_hash


def test_modified_row_is_detected(session: Session) -> None:
    log = _log_three(session)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.sequence == 2)).one()
    entry.reason = "just curious"
    session.flush()
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 2


def test_deleted_row_is_detected(session: Session) -> None:
    log = _log_three(session)
    session.execute(delete(AuditEntry).where(AuditEntry.sequence == 2))
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 3


def test_inserted_row_is_detected(session: Session) -> None:
    log = _log_three(session)
    second = session.scalars(select(AuditEntry).where(AuditEntry.sequence == 2)).one()
    for entry in session.scalars(
        select(AuditEntry).where(AuditEntry.sequence >= 2).order_by(AuditEntry.sequence.desc())
    ):
        entry.sequence += 1
        session.flush()
    moment = datetime.now(UTC)
    forged = AuditEntry(
        sequence=2,
        occurred_at=moment,
        actor="x",
        action="reveal",
        target="conv-9",
        reason="forged",
        previous_hash=second.previous_hash,
        entry_hash=entry_hash(2, moment, "x", "reveal", "conv-9", "forged", second.previous_hash),
    )
    session.add(forged)
    session.flush()
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 3


def test_record_needs_actor_and_action(session: Session) -> None:
    with pytest.raises(AuditError):
        AuditLog(session).record(" ", "reveal", "conv-1")


def test_filter_by_target(session: Session) -> None:
    log = _log_three(session)
    assert [e.target for e in log.entries("conv-1")] == ["conv-1", "conv-1/<CARD_1>"]
