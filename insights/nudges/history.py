"""Nudges sent or scheduled, kept in memory: for tests and a single process."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from insights.nudges.policy import Decision, SentNudge


class MemoryNudgeHistory:
    """A :class:`~insights.nudges.ports.NudgeHistory` that remembers the decisions it is given."""

    def __init__(self) -> None:
        self._sent: dict[str, list[SentNudge]] = defaultdict(list)

    def add(self, customer_id: str, decisions: Iterable[Decision]) -> None:
        """Remember the nudges sent or held among ``decisions``."""
        for decision in decisions:
            entry = decision.sent()
            if entry is not None:
                self._sent[customer_id].append(entry)

    def sent(self, customer_id: str, since: datetime) -> Sequence[SentNudge]:
        return [e for e in self._sent[customer_id] if e.at >= since]
