"""The keyed audit chain detects modified, deleted, inserted and cut-off rows, also when the
one who changed them recomputed every hash they could (without the key), and refuses to
extend a chain that does not match its seal."""

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from privacy.audit import GENESIS_HASH, AuditChainBroken, AuditError, AuditLog, ChainReport, entry_hash
from privacy.keys import KeyRing
from privacy.models import AuditEntry, AuditSeal, Base
from tests.support.databases import throwaway_database

KEY = KeyRing.from_master(b"k" * 32).audit_key
OTHER_KEY = KeyRing.from_master(b"o" * 32).audit_key


def _log_three(session: Session) -> AuditLog:
    log = AuditLog(session, KEY)
    log.record("compliance:ann", "view_transcript", "conv-1")
    log.record("compliance:ann", "reveal", "conv-1/<CARD_1>", "fraud case 42")
    log.record("agent:bob", "view_transcript", "conv-2")
    return log


def _rehash_from(session: Session, sequence: int, key: bytes | None) -> None:
    """Recompute hashes and links from ``sequence`` on with ``key`` (None: plain SHA-256), as
    someone with write access to the table would after changing an entry."""
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)).all()
    previous = GENESIS_HASH
    for entry in entries:
        if entry.sequence >= sequence:
            entry.previous_hash = previous
            entry.entry_hash = entry_hash(key, entry.sequence, entry.occurred_at, entry.actor, entry.action,
                                          entry.target, entry.reason, previous)
        previous = entry.entry_hash
    session.flush()


def test_untouched_chain_verifies(session: Session) -> None:
    log = _log_three(session)
    report = log.verify_chain()
    assert report.valid and report.entries == 3 and report.keyed_from == 1
    first = log.entries()[0]
    assert first.previous_hash == GENESIS_HASH
    assert log.entries()[1].previous_hash == first.entry_hash
    seal = session.get(AuditSeal, 1)
    assert seal is not None and (seal.sequence, seal.entry_hash) == (3, log.entries()[2].entry_hash)


def test_hashes_are_keyed() -> None:
    moment = datetime.now(UTC)
    fields = (1, moment, "a", "reveal", "conv-1", "why", GENESIS_HASH)
    assert entry_hash(KEY, *fields) != entry_hash(OTHER_KEY, *fields) != entry_hash(None, *fields)


def test_modified_row_is_detected(session: Session) -> None:
    log = _log_three(session)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.sequence == 2)).one()
    entry.reason = "just curious"
    session.flush()
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 2
    assert report.problem == "content does not match its hash"


@pytest.mark.parametrize("key", [None, OTHER_KEY], ids=["plain-sha256", "another-key"])
def test_a_modified_row_rehashed_without_the_key_is_detected(session: Session, key: bytes | None) -> None:
    log = _log_three(session)
    session.execute(update(AuditEntry).where(AuditEntry.sequence == 2).values(reason="just curious"))
    _rehash_from(session, 2, key)
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 2


def test_deleted_row_is_detected(session: Session) -> None:
    log = _log_three(session)
    session.execute(delete(AuditEntry).where(AuditEntry.sequence == 2))
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 3


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_entries_cut_off_the_end_are_detected(session: Session, cut: int) -> None:
    log = _log_three(session)
    session.execute(delete(AuditEntry).where(AuditEntry.sequence > 3 - cut))
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 4 - cut
    assert "missing" in report.problem


def test_a_seal_moved_back_without_the_key_is_detected(session: Session) -> None:
    log = _log_three(session)
    second = session.scalars(select(AuditEntry).where(AuditEntry.sequence == 2)).one()
    session.execute(delete(AuditEntry).where(AuditEntry.sequence == 3))
    session.execute(update(AuditSeal).values(sequence=2, entry_hash=second.entry_hash))
    report = log.verify_chain()
    assert not report.valid and report.problem == "the seal does not match the audit key"


def test_a_deleted_seal_is_detected(session: Session) -> None:
    log = _log_three(session)
    session.execute(delete(AuditSeal))
    assert log.verify_chain().problem == "the audit chain has no seal"
    with pytest.raises(AuditChainBroken):  # a keyed chain is never re-sealed as if it were new
        log.record("compliance:ann", "view_transcript", "conv-3")


def test_unsealed_entries_after_the_head_are_detected(session: Session) -> None:
    log = _log_three(session)
    last = log.entries()[-1]
    moment = datetime.now(UTC)
    session.add(AuditEntry(
        sequence=4, occurred_at=moment, actor="x", action="reveal", target="conv-9", reason="added",
        previous_hash=last.entry_hash,
        entry_hash=entry_hash(KEY, 4, moment, "x", "reveal", "conv-9", "added", last.entry_hash),
    ))
    session.flush()
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 4 and "not sealed" in report.problem


def test_a_cut_chain_is_not_extended(session: Session) -> None:
    log = _log_three(session)
    session.execute(delete(AuditEntry).where(AuditEntry.sequence == 3))
    with pytest.raises(AuditChainBroken):
        log.record("compliance:ann", "view_transcript", "conv-3")
    assert len(log.entries()) == 2 and not log.verify_chain().valid


def test_another_key_does_not_verify(session: Session) -> None:
    _log_three(session)
    report = AuditLog(session, OTHER_KEY).verify_chain()
    assert not report.valid and report.first_broken_sequence == 1


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
        entry_hash=entry_hash(KEY, 2, moment, "x", "reveal", "conv-9", "forged", second.previous_hash),
    )
    session.add(forged)
    session.flush()
    report = log.verify_chain()
    assert not report.valid and report.first_broken_sequence == 3


def test_a_chain_written_before_keying_is_sealed_on_the_next_write(session: Session) -> None:
    log = _log_three(session)
    session.execute(delete(AuditSeal))
    _rehash_from(session, 1, None)  # as the chain was before it was keyed
    assert not log.verify_chain().valid
    log.record("compliance:ann", "view_transcript", "conv-3")
    report = log.verify_chain()
    assert report.valid and report.entries == 4 and report.keyed_from == 4
    # The first keyed entry covers the unkeyed ones before it.
    session.execute(update(AuditEntry).where(AuditEntry.sequence == 1).values(reason="changed"))
    _rehash_from(session, 1, None)
    assert log.verify_chain().first_broken_sequence == 4


def test_a_broken_unkeyed_chain_is_not_sealed(session: Session) -> None:
    log = _log_three(session)
    session.execute(delete(AuditSeal))
    _rehash_from(session, 1, None)
    session.execute(update(AuditEntry).where(AuditEntry.sequence == 2).values(reason="changed"))
    with pytest.raises(AuditChainBroken):
        log.record("compliance:ann", "view_transcript", "conv-3")


def test_record_needs_actor_action_and_a_key(session: Session) -> None:
    with pytest.raises(AuditError):
        AuditLog(session, KEY).record(" ", "reveal", "conv-1")
    with pytest.raises(AuditError):
        AuditLog(session, b"short")


def test_filter_by_target(session: Session) -> None:
    log = _log_three(session)
    assert [e.target for e in log.entries("conv-1")] == ["conv-1", "conv-1/<CARD_1>"]


@pytest.mark.postgres
def test_writers_and_readers_on_postgres_see_one_sealed_chain(tmp_path: Path) -> None:
    """Two writers race from an empty table (the first seal included) while a reader verifies:
    every write lands once, and no verification reports a break that is not there."""
    with throwaway_database("postgres", tmp_path, "audit") as url:
        engine = create_engine(url)
        Base.metadata.create_all(engine, tables=[Base.metadata.tables[AuditEntry.__tablename__],
                                                 Base.metadata.tables[AuditSeal.__tablename__]])
        reports: list[ChainReport] = []
        writing = threading.Event()

        def write(n: int) -> None:
            for i in range(n):
                for attempt in range(10):  # a writer that lost the race retries, as the service's do
                    try:
                        with Session(engine) as session, session.begin():
                            AuditLog(session, KEY).record("compliance:ann", "view", f"conv-{i}")
                        break
                    except IntegrityError:
                        if attempt == 9:
                            raise

        def verify() -> None:
            while writing.is_set():
                with Session(engine) as session:
                    reports.append(AuditLog(session, KEY).verify_chain())

        try:
            writing.set()
            reader = threading.Thread(target=verify)
            reader.start()
            writers = [threading.Thread(target=write, args=(15,)) for _ in range(2)]
            for writer in writers:
                writer.start()
            for writer in writers:
                writer.join()
            writing.clear()
            reader.join()
            with Session(engine) as session:
                final = AuditLog(session, KEY).verify_chain()
            assert final.valid and final.entries == 30, final
            assert reports and all(report.valid for report in reports), [r for r in reports if not r.valid]
        finally:
            engine.dispose()
