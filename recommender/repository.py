"""The customer data the recommender reads and writes, as a Protocol with two implementations.

:class:`recommender.store_repository.StoreRepository` works on the profile store (SQLite or
Postgres); :class:`recommender.memory_repository.MemoryRepository` keeps records in memory for
synthetic populations (benchmarks).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from recommender.profile import CustomerProfile, DerivedFeatures
from recommender.results import CustomerFeedback, ShownItem
from recommender.segments import Segment

PROFILING = "profiling"
MARKETING = "marketing"
CONSENT_PURPOSES = (PROFILING, MARKETING)


class CustomerRepository(Protocol):
    """Where customer profiles, consents and recommendation events live."""

    def exists(self, customer_id: str) -> bool:
        """True if the customer exists."""
        ...

    def has_consent(self, customer_id: str, purpose: str) -> bool:
        """The customer's latest answer for a purpose (profiling, marketing); False if none."""
        ...

    def profile(self, customer_id: str) -> CustomerProfile:
        """The allow-listed profile, features derived from current data.

        Raises:
            UnknownCustomer: If there is no such customer.
        """
        ...

    def feedback(self, customer_id: str) -> CustomerFeedback:
        """The customer's answers to past recommendations."""
        ...

    def log_shown(self, customer_id: str, items: Sequence[ShownItem]) -> None:
        """Record recommendations shown."""
        ...

    def log_outcome(self, customer_id: str, rec_id: str, outcome: str) -> str:
        """Record more_info / accepted / declined for a shown recommendation.

        Returns:
            The product id the recommendation was for.

        Raises:
            UnknownRecommendation: If ``rec_id`` was not shown to this customer.
        """
        ...

    def save_profile_state(
        self, customer_id: str, features: DerivedFeatures, segment: Segment
    ) -> bool:
        """Store derived features and segment on the profile; True if either changed."""
        ...

    def saved_segment(self, customer_id: str) -> Segment | None:
        """The segment last stored on the profile."""
        ...

    def indexable(self) -> Iterator[tuple[CustomerProfile, dict[str, int]]]:
        """Profiles of customers who consent to profiling, with their product interactions."""
        ...


def interactions_of(profile: CustomerProfile, feedback: CustomerFeedback) -> dict[str, int]:
    """Lookalike matrix values for one customer: holdings, then accepted, then declined."""
    from recommender.lookalike import ACCEPTED, DECLINED, HOLDS

    values = dict.fromkeys(feedback.declined, DECLINED)
    values.update(dict.fromkeys(feedback.accepted, ACCEPTED))
    values.update(dict.fromkeys(profile.holdings, HOLDS))
    return values
