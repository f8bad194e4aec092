"""Serialised writes to the audit chain.

:class:`privacy.audit.AuditLog` reads the last entry and appends the next one, so two writers
at once would both take the same sequence number (the unique index then refuses one). This
process writes one audited transaction at a time, and retries a transaction that lost the
race to another process. A chain that does not match its keyed seal takes no new entry: the
action is refused (503 ``audit_chain_broken``) until the chain is checked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from privacy.audit import AuditChainBroken
from service.compliance.errors import AuditUnavailable

T = TypeVar("T")
_ATTEMPTS = 3


class AuditedTransactions:
    """Runs a unit of work that writes audit entries, in its own transaction, one at a time.

    Args:
        sessions: a ``sessionmaker`` on the database holding the audit log.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()

    def run(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in one committed transaction (retried if another writer won)."""
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                with self._lock, self._sessions.begin() as session:
                    return work(session)
            except AuditChainBroken as exc:
                raise AuditUnavailable(
                    "The audit log does not match its seal; audited actions wait until it is checked "
                    "(python -m service.compliance verify-audit)."
                ) from exc
            except (IntegrityError, OperationalError):
                if attempt == _ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def session(self) -> Session:
        """A plain session for reads that write nothing to the audit log."""
        return self._sessions()
