"""The append-only audit log: every reveal and every transcript view, hash-chained.

Each row stores the hash of the previous row and the SHA-256 of its own canonical
content (sequence, time, actor, action, target, reason, previous hash).
:meth:`AuditLog.verify_chain` recomputes the chain and reports the first broken row,
so a modified, deleted or inserted row is detected. Write access to the table should
be INSERT-only for the service's database role (see the migration).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from database.base import utcnow
from privacy.errors import PrivacyError
from privacy.models import AuditEntry

GENESIS_HASH = "0" * 64


class AuditError(PrivacyError):
    """An audit entry was refused (for example an empty actor or action)."""


@dataclass(frozen=True)
class ChainReport:
    """The result of :meth:`AuditLog.verify_chain`.

    Attributes:
        valid: True when every row links to the previous one and hashes correctly.
        entries: how many rows were checked.
        first_broken_sequence: the sequence number where the chain first breaks.
        problem: what was wrong there, in words.
    """

    valid: bool
    entries: int
    first_broken_sequence: int | None = None
    problem: str = ""


def entry_hash(
    sequence: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    target: str,
    reason: str,
    previous_hash: str,
) -> str:
    """SHA-256 of an entry's canonical JSON content."""
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
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class AuditLog:
    """Writes and verifies the audit chain within the caller's session.

    Args:
        session: a SQLAlchemy session; the caller commits (so an audit entry and the
            action it records commit together).
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def record(self, actor: str, action: str, target: str, reason: str = "") -> AuditEntry:
        """Appends one entry, e.g. ``record("compliance:ann", "reveal", "conv-1/<CARD_1>", "fraud case 42")``.

        ``target`` names what was touched (conversation id, placeholder), never the
        personal data itself.
        """
        if not actor.strip() or not action.strip():
            raise AuditError("an audit entry needs an actor and an action")
        last = self._session.scalars(select(AuditEntry).order_by(AuditEntry.sequence.desc()).limit(1)).first()
        sequence = last.sequence + 1 if last else 1
        previous = last.entry_hash if last else GENESIS_HASH
        occurred_at = utcnow()
        entry = AuditEntry(
            sequence=sequence,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            target=target,
            reason=reason,
            previous_hash=previous,
            entry_hash=entry_hash(sequence, occurred_at, actor, action, target, reason, previous),
        )
        self._session.add(entry)
        self._session.flush()
        return entry

    def entries(self, target_prefix: str | None = None) -> list[AuditEntry]:
        """Entries in order, optionally only those whose target starts with ``target_prefix``."""
        query = select(AuditEntry).order_by(AuditEntry.sequence)
        if target_prefix:
            query = query.where(AuditEntry.target.startswith(target_prefix))
        return list(self._session.scalars(query))

    def verify_chain(self) -> ChainReport:
        """Recomputes every hash and link; reports the first row where the chain breaks."""
        previous = GENESIS_HASH
        expected_sequence = 1
        count = 0
        for entry in self._session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)):
            count += 1
            if entry.sequence != expected_sequence:
                return ChainReport(False, count, entry.sequence, f"expected sequence {expected_sequence}")
            if entry.previous_hash != previous:
                return ChainReport(False, count, entry.sequence, "link to the previous entry is broken")
            recomputed = entry_hash(
                entry.sequence,
                entry.occurred_at,
                entry.actor,
                entry.action,
                entry.target,
                entry.reason,
                entry.previous_hash,
            )
            if recomputed != entry.entry_hash:
                return ChainReport(False, count, entry.sequence, "content does not match its hash")
            previous = entry.entry_hash
            expected_sequence += 1
        return ChainReport(True, count)
