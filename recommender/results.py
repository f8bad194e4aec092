"""What the recommender returns and records: results, items, feedback outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from recommender.errors import InvalidFeedback
from recommender.goals import GoalRequest
from recommender.segments import Segment

SHOWN = "shown"
MORE_INFO = "more_info"
ACCEPTED = "accepted"
DECLINED = "declined"
OUTCOMES = (MORE_INFO, ACCEPTED, DECLINED)
_OUTCOME_ALIASES = {
    "tell_me_more": MORE_INFO,
    "more": MORE_INFO,
    "interested": ACCEPTED,
    "im_interested": ACCEPTED,
    "accept": ACCEPTED,
    "not_for_me": DECLINED,
    "decline": DECLINED,
}

NO_CONSENT_NOTICE = (
    "You haven't agreed to us using your account and spending information to personalise "
    "suggestions, so these are general suggestions based only on the goal you told us. "
    "Eligibility is checked when you apply. You can change this in your privacy settings."
)
NOTHING_SUITABLE_NOTICE = (
    "None of our products fits this goal as it stands. Changing the amount, the time frame or "
    "the monthly budget may help, or one of our advisers can talk it through with you."
)
EMPTY_CATALOGUE_NOTICE = "We have no products to suggest right now. Please try again later."


def normalise_outcome(outcome: str) -> str:
    """Map a button payload or outcome name to more_info, accepted or declined.

    Raises:
        InvalidFeedback: For anything else.
    """
    key = outcome.strip().lower().replace(" ", "_").replace("'", "")
    key = _OUTCOME_ALIASES.get(key, key)
    if key not in OUTCOMES:
        raise InvalidFeedback("Feedback must be one of: more_info, accepted or declined.")
    return key


@dataclass(frozen=True)
class RecommendedItem:
    """One recommended product, ranked and explained.

    Attributes:
        rec_id: Id to send feedback on this recommendation.
        product_id: Catalogue id.
        product_name: Name to show.
        category: Catalogue category.
        score: Ranking score (higher is better; comparable within one result).
        reasons: Sentences a customer understands, most important first.
        facts: Key figures (rate, fees, monthly cost, risk level) for buttons and cards.
    """

    rec_id: str
    product_id: str
    product_name: str
    category: str
    score: float
    reasons: tuple[str, ...]
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecommendationResult:
    """The answer to one recommendation request.

    Attributes:
        customer_id: Who asked.
        goal: The goal ranked for.
        items: Top-k products, best first (may be empty, then ``notice`` says why).
        personalised: False when the customer has not consented to profiling.
        notice: A message to show above the items, or None.
        segment: The customer's segment (personalised answers only).
        generated_at: When the answer was made (UTC).
    """

    customer_id: str
    goal: GoalRequest
    items: tuple[RecommendedItem, ...]
    personalised: bool
    notice: str | None
    segment: Segment | None
    generated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for the API and the action server)."""
        data = asdict(self)
        data["generated_at"] = self.generated_at.isoformat()
        data["items"] = [dict(asdict(i), reasons=list(i.reasons)) for i in self.items]
        return data


@dataclass(frozen=True)
class ShownItem:
    """A recommendation as recorded when shown."""

    rec_id: str
    product_id: str
    rank: int
    score: float
    goal_type: str
    personalised: bool


@dataclass(frozen=True)
class CustomerFeedback:
    """A customer's past answers to recommendations.

    Attributes:
        accepted: Product ids the customer said they are interested in.
        declined: Product ids the customer said are not for them.
        shown_counts: Product id -> times shown.
    """

    accepted: frozenset[str] = frozenset()
    declined: frozenset[str] = frozenset()
    shown_counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedbackReceipt:
    """Feedback as recorded: which recommendation, which product, which outcome."""

    rec_id: str
    product_id: str
    outcome: str
