"""An in-memory :class:`CustomerRepository` over raw customer records (synthetic populations)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bank.errors import UnknownCustomer
from recommender.errors import UnknownRecommendation
from recommender.profile import CustomerProfile, DerivedFeatures, profile_from_record
from recommender.results import ACCEPTED, DECLINED, CustomerFeedback, ShownItem
from recommender.segments import Segment


class MemoryRepository:
    """Customer records held in memory.

    Records are raw mappings (they may carry protected attributes); profiles are built from
    them through the allow-list on every read, exactly as the store does.

    Args:
        records: Customer id -> record with the fields of :class:`CustomerProfile`.
        consents: Customer id -> purposes consented to (default: profiling for everyone).
    """

    def __init__(
        self,
        records: Mapping[str, Mapping[str, Any]] | None = None,
        consents: Mapping[str, set[str]] | None = None,
    ) -> None:
        self.records: dict[str, Mapping[str, Any]] = dict(records or {})
        self._consents = {k: set(v) for k, v in (consents or {}).items()}
        self._shown: dict[str, dict[str, ShownItem]] = {}
        self._outcomes: dict[str, list[tuple[str, str]]] = {}
        self._state: dict[str, tuple[DerivedFeatures, Segment]] = {}

    def add(self, record: Mapping[str, Any], consents: set[str] | None = None) -> None:
        """Add or replace a customer record."""
        self.records[record["customer_id"]] = record
        if consents is not None:
            self._consents[record["customer_id"]] = set(consents)

    def set_consent(self, customer_id: str, purpose: str, granted: bool) -> None:
        """Grant or withdraw a purpose."""
        purposes = self._consents.setdefault(customer_id, {"profiling"})
        (purposes.add if granted else purposes.discard)(purpose)

    def exists(self, customer_id: str) -> bool:
        return customer_id in self.records

    def has_consent(self, customer_id: str, purpose: str) -> bool:
        return purpose in self._consents.get(customer_id, {"profiling"})

    def profile(self, customer_id: str) -> CustomerProfile:
        try:
            return profile_from_record(self.records[customer_id])
        except KeyError:
            raise UnknownCustomer() from None

    def feedback(self, customer_id: str) -> CustomerFeedback:
        latest: dict[str, str] = {}
        for product_id, outcome in self._outcomes.get(customer_id, []):
            if outcome in (ACCEPTED, DECLINED):
                latest[product_id] = outcome
        shown = Counter(i.product_id for i in self._shown.get(customer_id, {}).values())
        return CustomerFeedback(
            accepted=frozenset(p for p, o in latest.items() if o == ACCEPTED),
            declined=frozenset(p for p, o in latest.items() if o == DECLINED),
            shown_counts=dict(shown),
        )

    def log_shown(self, customer_id: str, items: Sequence[ShownItem]) -> None:
        bucket = self._shown.setdefault(customer_id, {})
        for item in items:
            bucket[item.rec_id] = item

    def log_outcome(self, customer_id: str, rec_id: str, outcome: str) -> str:
        item = self._shown.get(customer_id, {}).get(rec_id)
        if item is None:
            raise UnknownRecommendation()
        self._outcomes.setdefault(customer_id, []).append((item.product_id, outcome))
        return item.product_id

    def save_profile_state(
        self, customer_id: str, features: DerivedFeatures, segment: Segment
    ) -> bool:
        changed = self._state.get(customer_id) != (features, segment)
        self._state[customer_id] = (features, segment)
        return changed

    def saved_segment(self, customer_id: str) -> Segment | None:
        state = self._state.get(customer_id)
        return state[1] if state else None

    def indexable(self) -> Iterator[tuple[CustomerProfile, dict[str, int]]]:
        from recommender.repository import interactions_of

        for customer_id in self.records:
            if self.has_consent(customer_id, "profiling"):
                profile = self.profile(customer_id)
                yield profile, interactions_of(profile, self.feedback(customer_id))
