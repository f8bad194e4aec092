"""Live segments: a customer whose profile changed is re-profiled within seconds.

Each poll looks for rows written since the last one to the tables a profile is made of (new
transactions and transfers, saved goals, answered recommendations, new holdings, consents),
asks the recommender to recompute those customers' features and segment
(``Recommender.refresh_profile``), and when the segment differs from the one the journeys last
saw, records a ``segment_changes`` row and moves the customer's journeys still going on at the
time of the change (a step within the bot's session window before it) to the new segment;
finished journeys keep the segment they had.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update

from bank.errors import UnknownCustomer
from bank.models import Account, Goal, Transaction, Transfer
from journeys.models import Journey, SegmentChange
from journeys.rollups import PER_JOURNEY_TABLES, apply, read_rows
from recommender.models import Consent, Holding, RecommendationEvent

log = logging.getLogger(__name__)
# Source name -> (customer id column, time column) of the rows that change a profile.
WATCHED: dict[str, tuple[Any, Any]] = {
    "transactions": (Account.customer_id, Transaction.booked_at),
    "transfers": (Transfer.customer_id, Transfer.created_at),
    "goals": (Goal.customer_id, Goal.created_at),
    "recommendation_events": (RecommendationEvent.customer_id, RecommendationEvent.created_at),
    "holdings": (Holding.customer_id, Holding.opened_at),
    "consents": (Consent.customer_id, Consent.recorded_at),
}
OVERLAP = timedelta(seconds=5)
Refresh = Callable[[str], str | None]  # customer id -> segment name (None: no profiling consent)


@dataclass
class SegmentReport:
    """What one poll did."""

    customers: int = 0
    refreshed: int = 0
    changed: list[dict[str, Any]] = field(default_factory=list)


class SegmentWatcher:
    """Re-profiles customers whose data changed and records their segment changes.

    Args:
        engine: The bank's database (profile store and journey store).
        refresh: Recomputes one customer's features and segment, returning the segment name.
        since: Only rows after this time count as changes (default: now, at the first poll).
        session_s: A journey with a step this close before a change is still going on (Rasa's
            ``session_expiration_time``, 60 minutes in ``assistant/domain.yml``).
    """

    def __init__(self, engine: Engine, refresh: Refresh, since: datetime | None = None,
                 session_s: float = 3600.0) -> None:
        self.engine = engine
        self.refresh = refresh
        self.session_s = session_s
        self._marks: dict[str, datetime] = {}
        self._seen: set[tuple[str, str, datetime]] = set()
        self._pending: dict[str, datetime] = {}  # customers whose re-profiling failed
        self._since = since

    def changed_customers(self) -> dict[str, datetime]:
        """Customers with rows written since the last call, each with its earliest change.

        Rows are read from a little before the last mark (a row committed late, with an
        earlier time, is not missed); the ones already seen are skipped.
        """
        now = datetime.now(UTC)
        if not self._marks:
            self._since = self._since or now
            self._marks = dict.fromkeys(WATCHED, self._since)
        floor = self._since or now
        found: dict[str, datetime] = {}
        with self.engine.connect() as connection:
            for name, (customer, at) in WATCHED.items():
                since = max(self._marks[name] - OVERLAP, floor)
                query = select(customer, at).where(at > since)
                if name == "transactions":
                    query = query.join(Account, Account.id == Transaction.account_id)
                latest = self._marks[name]
                for customer_id, when in connection.execute(query):
                    when = when if when.tzinfo else when.replace(tzinfo=UTC)
                    if (name, customer_id, when) in self._seen:
                        continue
                    self._seen.add((name, customer_id, when))
                    latest = max(latest, when)
                    found[customer_id] = min(found.get(customer_id, when), when)
                # A row dated in the future (a scheduled payment) must not hide later ones.
                self._marks[name] = min(latest, now)
        oldest = min(self._marks.values()) - OVERLAP
        self._seen = {seen for seen in self._seen if seen[2] > oldest}
        return found

    def poll(self) -> SegmentReport:
        """Re-profile the customers whose data changed since the last poll."""
        changed = self._pending
        for customer_id, at in self.changed_customers().items():
            changed[customer_id] = min(changed.get(customer_id, at), at)
        self._pending = {}
        report = SegmentReport(customers=len(changed))
        for customer_id, at in sorted(changed.items()):
            try:
                segment = self.refresh(customer_id)
            except UnknownCustomer:
                continue
            except Exception:  # noqa: BLE001 - e.g. the database busy: try again next poll
                log.exception("re-profiling a customer failed; retrying at the next poll")
                self._pending[customer_id] = at
                continue
            report.refreshed += 1
            if segment is not None:
                moved = self.record(customer_id, segment, at)
                if moved is not None:
                    report.changed.append(moved)
        return report

    def record(self, customer_id: str, segment: str, at: datetime) -> dict[str, Any] | None:
        """Store the customer's segment if it is not the one last recorded; move their
        journeys that were still going on at ``at``. Returns the change, if any."""
        with self.engine.begin() as connection:
            previous = connection.scalar(
                select(SegmentChange.segment).where(SegmentChange.customer_id == customer_id)
                .order_by(SegmentChange.id.desc()).limit(1))
            if previous == segment:
                return None
            change = {"customer_id": customer_id, "segment": segment[:60], "previous": previous,
                      "day": at.astimezone(UTC).strftime("%Y-%m-%d"), "at": datetime.now(UTC)}
            connection.execute(insert(SegmentChange).values(**change))
            going_on = list(connection.scalars(
                select(Journey.conversation_id).where(Journey.customer_id == customer_id,
                                                      Journey.ended_ts >= at.timestamp() - self.session_s)))
            before = read_rows(connection, going_on)
            for table in PER_JOURNEY_TABLES:
                connection.execute(update(table).where(table.conversation_id.in_(going_on))
                                   .values(segment=segment[:60]))
            apply(connection, before, read_rows(connection, going_on))  # the rollups move too
            moved = len(going_on)
        log.info("segment of a customer changed (%s -> %s); %d journeys moved", previous, segment, moved)
        return {**change, "journeys_moved": moved}


def recommender_refresh(get_recommender: Callable[[], Any]) -> Refresh:
    """``Recommender.refresh_profile`` as a :data:`Refresh` (the recommender is built on first use)."""
    def refresh(customer_id: str) -> str | None:
        segment = get_recommender().refresh_profile(customer_id)
        return None if segment is None else str(segment.name)
    return refresh
