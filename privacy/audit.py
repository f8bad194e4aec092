"""The append-only audit log: every reveal, transcript view, search, export and erasure, in a
keyed hash chain whose head is sealed with the same key.

Design:

- Each entry stores ``entry_hash`` = HMAC-SHA256(audit key, canonical JSON of its sequence,
  time, actor, action, target, reason and ``previous_hash``), ``previous_hash`` being the
  entry before's ``entry_hash``.
- One row of ``privacy_audit_seal`` holds the head: the last sequence, its ``entry_hash``
  and ``mac`` = HMAC-SHA256(audit key, those and ``keyed_from``). It is rewritten in the same
  transaction as each new entry.
- The audit key is derived (HKDF) from ``PRIVACY_VAULT_KEY`` (:attr:`KeyRing.audit_key`), so it
  lives in the secret store with the vault key: required in production (checked at start),
  ephemeral in local and test runs without one, kept in ``var/`` by ``make up``.

Without the key, someone who can write the table cannot hide a change:
:meth:`AuditLog.verify_chain` finds a rewritten entry (its keyed hash cannot be recomputed), a
deleted or inserted one (the sequence or the link breaks), entries cut off the end, the last
one or all of them included (the seal names a later head, and moving the seal back needs the
key), and entries added after the head (unsealed). A writer checks the seal before it extends
the chain and refuses (:class:`AuditChainBroken`) if the chain does not match it, so a cut
is never sealed over. The database role of the service should have INSERT only on the log
(see the migration).

Not detected from the database alone: a restore of an older copy of both the log and its
seal (a rollback to a state that was genuine). Every sealed sequence is logged, so the logs
kept elsewhere give the head to compare with.

Entries written before the chain was keyed (plain SHA-256, sequence below ``keyed_from``) are
covered through the first keyed entry, whose hash covers theirs; such a chain is sealed on its
first keyed write, only if it is intact, with a warning in the log.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from database.base import utcnow
from privacy.errors import PrivacyError
from privacy.models import AuditEntry, AuditSeal

GENESIS_HASH = "0" * 64
SEAL_ID = 1
MIN_KEY_BYTES = 32
log = logging.getLogger(__name__)


class AuditError(PrivacyError):
    """An audit entry was refused (for example an empty actor or action)."""


class AuditChainBroken(AuditError):
    """The chain does not match its seal (or has none): nothing is added until it is checked."""


@dataclass(frozen=True)
class ChainReport:
    """The result of :meth:`AuditLog.verify_chain`.

    Attributes:
        valid: True when every row links to the previous one, hashes correctly under the key,
            and the last one is the sealed head.
        entries: how many rows were checked.
        first_broken_sequence: the sequence number where the chain first breaks.
        problem: what was wrong there, in words.
        keyed_from: the first sequence written with the key (1 unless the chain predates it).
    """

    valid: bool
    entries: int
    first_broken_sequence: int | None = None
    problem: str = ""
    keyed_from: int = 1


def entry_hash(
    key: bytes | None,
    sequence: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    target: str,
    reason: str,
    previous_hash: str,
) -> str:
    """HMAC-SHA256 under ``key`` of an entry's canonical JSON (plain SHA-256 when ``key`` is
    None: entries written before the chain was keyed)."""
    moment = occurred_at if occurred_at.tzinfo else occurred_at.replace(tzinfo=UTC)
    canonical = json.dumps(
        {
            "sequence": sequence,
            "occurred_at": moment.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "target": target,
            "reason": reason,
            "previous_hash": previous_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    if key is None:
        return hashlib.sha256(canonical).hexdigest()
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def seal_mac(key: bytes, sequence: int, head_hash: str, keyed_from: int) -> str:
    """HMAC-SHA256 under ``key`` of the seal's content."""
    content = f"privacy-audit-seal\x1f{sequence}\x1f{head_hash}\x1f{keyed_from}".encode()
    return hmac.new(key, content, hashlib.sha256).hexdigest()


class AuditLog:
    """Writes and verifies the audit chain within the caller's session.

    Args:
        session: a SQLAlchemy session; the caller commits (so an audit entry and the
            action it records commit together).
        key: the audit key (:attr:`privacy.keys.KeyRing.audit_key`, at least 32 bytes).
    """

    def __init__(self, session: Session, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise AuditError(f"the audit key must have at least {MIN_KEY_BYTES} bytes")
        self._session = session
        self._key = key

    def record(self, actor: str, action: str, target: str, reason: str = "") -> AuditEntry:
        """Appends one entry, e.g. ``record("compliance:ann", "reveal", "conv-1/<CARD_1>", "fraud case 42")``.

        ``target`` names what was touched (conversation id, placeholder), never the
        personal data itself.

        Raises:
            AuditChainBroken: the chain does not match its seal (nothing is written).
        """
        if not actor.strip() or not action.strip():
            raise AuditError("an audit entry needs an actor and an action")
        seal, last = self._sealed_head(read_only=False)
        head_sequence, head_hash = (last.sequence, last.entry_hash) if last else (0, GENESIS_HASH)
        if seal is None:
            seal = self._first_seal(head_sequence)
        else:
            problem = self._seal_problem(seal, head_sequence, head_hash)
            if problem:
                raise AuditChainBroken(f"the audit chain does not match its seal ({problem[1]})")
        sequence = head_sequence + 1
        occurred_at = utcnow()
        entry = AuditEntry(
            sequence=sequence,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            target=target,
            reason=reason,
            previous_hash=head_hash,
            entry_hash=entry_hash(self._key, sequence, occurred_at, actor, action, target, reason, head_hash),
        )
        self._session.add(entry)
        seal.sequence, seal.entry_hash, seal.sealed_at = sequence, entry.entry_hash, occurred_at
        seal.mac = seal_mac(self._key, sequence, entry.entry_hash, seal.keyed_from)
        self._session.flush()
        log.info("audit chain sealed at sequence %d", sequence)
        return entry

    def _last(self) -> AuditEntry | None:
        return self._session.scalars(select(AuditEntry).order_by(AuditEntry.sequence.desc()).limit(1)).first()

    def _sealed_head(self, read_only: bool) -> tuple[AuditSeal | None, AuditEntry | None]:
        """The seal, locked (shared for a reader, exclusive for a writer: PostgreSQL), and the
        last entry, read consistently: writers hold the lock while they add an entry."""
        lock: bool | dict[str, bool] = {"read": True} if read_only else True
        seal = self._session.get(AuditSeal, SEAL_ID, with_for_update=lock)
        last = self._last()
        if seal is None and last is not None:
            # Another writer may have sealed a new chain since: read both again, under its lock.
            seal = self._session.get(AuditSeal, SEAL_ID, with_for_update=lock, populate_existing=True)
            if seal is not None:
                last = self._last()
        return seal, last

    def _first_seal(self, head_sequence: int) -> AuditSeal:
        """The seal of a chain that has none: new, or written before keying and intact."""
        keyed_from = head_sequence + 1
        if head_sequence:
            report = self._walk(keyed_from)
            if not report.valid:
                raise AuditChainBroken(
                    f"the audit chain has no seal and is broken at sequence {report.first_broken_sequence}"
                )
            log.warning("audit chain: sealing %d entries written before it was keyed", head_sequence)
        seal = AuditSeal(id=SEAL_ID, sequence=0, entry_hash=GENESIS_HASH, keyed_from=keyed_from, mac="",
                         sealed_at=utcnow())
        self._session.add(seal)
        return seal

    def _seal_problem(self, seal: AuditSeal, head_sequence: int, head_hash: str) -> tuple[int, str] | None:
        """Where and why the chain's head is not the sealed one (None when it is)."""
        expected = seal_mac(self._key, seal.sequence, seal.entry_hash, seal.keyed_from)
        if not hmac.compare_digest(expected, seal.mac):
            return seal.sequence, "the seal does not match the audit key"
        if seal.sequence > head_sequence:
            return (head_sequence + 1,
                    f"entries after sequence {head_sequence} are missing (sealed up to {seal.sequence})")
        if seal.sequence < head_sequence:
            return seal.sequence + 1, f"entries after sequence {seal.sequence} are not sealed"
        if not hmac.compare_digest(seal.entry_hash, head_hash):
            return head_sequence, "the last entry is not the sealed one"
        return None

    def entries(self, target_prefix: str | None = None) -> list[AuditEntry]:
        """Entries in order, optionally only those whose target starts with ``target_prefix``."""
        query = select(AuditEntry).order_by(AuditEntry.sequence)
        if target_prefix:
            query = query.where(AuditEntry.target.startswith(target_prefix))
        return list(self._session.scalars(query))

    def verify_chain(self) -> ChainReport:
        """Recomputes every keyed hash and link and checks the seal; reports the first row where
        the chain breaks. On PostgreSQL writers wait until the caller's transaction ends."""
        seal, last = self._sealed_head(read_only=True)
        if seal is None:
            count = self._session.scalar(select(func.count()).select_from(AuditEntry)) or 0
            if last is None:
                return ChainReport(True, 0)
            return ChainReport(False, count, 1, "the audit chain has no seal", count + 1)
        report = self._walk(seal.keyed_from)
        if not report.valid:
            return report
        head_sequence, head_hash = (last.sequence, last.entry_hash) if last else (0, GENESIS_HASH)
        problem = self._seal_problem(seal, head_sequence, head_hash)
        if problem:
            return ChainReport(False, report.entries, problem[0], problem[1], seal.keyed_from)
        return report

    def _walk(self, keyed_from: int) -> ChainReport:
        """Checks sequence, link and hash of every entry (keyed from ``keyed_from`` on)."""
        previous = GENESIS_HASH
        count = 0
        for entry in self._session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)):
            count += 1
            problem = self._entry_problem(entry, count, previous, keyed_from)
            if problem:
                return ChainReport(False, count, entry.sequence, problem, keyed_from)
            previous = entry.entry_hash
        return ChainReport(True, count, keyed_from=keyed_from)

    def _entry_problem(self, entry: AuditEntry, sequence: int, previous: str, keyed_from: int) -> str | None:
        """Why ``entry`` is not the ``sequence``-th of the chain after ``previous`` (None if it is)."""
        if entry.sequence != sequence:
            return f"expected sequence {sequence}"
        if entry.previous_hash != previous:
            return "link to the previous entry is broken"
        recomputed = entry_hash(
            self._key if entry.sequence >= keyed_from else None,
            entry.sequence,
            entry.occurred_at,
            entry.actor,
            entry.action,
            entry.target,
            entry.reason,
            entry.previous_hash,
        )
        if not hmac.compare_digest(recomputed, entry.entry_hash):
            return "content does not match its hash"
        return None
