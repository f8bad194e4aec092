"""The savings product an idle-cash nudge may suggest: only one the recommender itself would show.

The recommender (``recommender.Recommender``) is read through :class:`ProductRecommender`, the
catalogue (``recommender.catalogue.Catalogue``) through :class:`ProductCatalogue`; both match
the recommender's own classes, which this package does not import. A product qualifies only when
the recommender's answer is personalised (the customer's eligibility was checked: age, income,
residency, credit band, holdings) and lists it among the suitable, fairly ranked products (its
filters and scoring never read a protected attribute), and it is a savings account or cash ISA
with instant access and a rate, so the money stays the customer's to spend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any, Protocol

SAVINGS_CATEGORIES = frozenset({"savings", "isa"})
GOAL_HORIZON_MONTHS = 12
GOAL_TEXT = "Earn interest on spare cash I may still need, with instant access."


class RecommendedProduct(Protocol):
    """One item of a recommendation (``recommender.results.RecommendedItem``)."""

    @property
    def rec_id(self) -> str: ...

    @property
    def product_id(self) -> str: ...

    @property
    def product_name(self) -> str: ...

    @property
    def reasons(self) -> Sequence[str]: ...


class Recommendation(Protocol):
    """The recommender's answer (``recommender.results.RecommendationResult``)."""

    @property
    def items(self) -> Sequence[RecommendedProduct]: ...

    @property
    def personalised(self) -> bool: ...


class ProductRecommender(Protocol):
    """Ranks suitable products for a goal (``recommender.Recommender``)."""

    def recommend(self, customer_id: str, goal: Mapping[str, Any], k: int = 3,
                  strategy: str = ...) -> Recommendation: ...


class CatalogueProduct(Protocol):
    """The catalogue's figures of one product (``recommender.catalogue.Product``)."""

    @property
    def id(self) -> str: ...

    @property
    def category(self) -> str: ...

    @property
    def access(self) -> str: ...

    @property
    def rate_pct(self) -> float | None: ...

    @property
    def min_amount(self) -> float: ...

    @property
    def max_amount(self) -> float: ...


class ProductCatalogue(Protocol):
    """Products by id (``recommender.catalogue.Catalogue``)."""

    def __contains__(self, product_id: object) -> bool: ...

    def get(self, product_id: str) -> CatalogueProduct: ...


@dataclass(frozen=True)
class SavingsOffer:
    """A product the recommender showed for the idle cash, and what it would pay.

    Attributes:
        product_id: Catalogue id.
        product_name: Its name.
        rec_id: The recommendation's id, for the recommender's feedback when the customer acts.
        rate_pct: The catalogue's yearly rate.
        amount: The cash it would hold (within the product's limits).
        yearly_interest: ``amount`` times the rate, for a year, before tax, without compounding.
        reasons: The recommender's reasons, most important first.
    """

    product_id: str
    product_name: str
    rec_id: str
    rate_pct: Decimal
    amount: Decimal
    yearly_interest: Decimal
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class NoOffer:
    """Why no product may be suggested."""

    reason: str


def savings_goal(amount: Decimal) -> dict[str, Any]:
    """The goal the recommender ranks for: keep ``amount`` safe and accessible for a year."""
    return {"goal_type": "save", "target_amount": str(amount), "horizon_months": GOAL_HORIZON_MONTHS,
            "risk_tolerance": "low", "monthly_budget": "0", "text": GOAL_TEXT}


def yearly_interest(amount: Decimal, rate_pct: Decimal) -> Decimal:
    """Simple interest for a year, rounded down to the penny."""
    return (amount * rate_pct / 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def why_not(product: CatalogueProduct, amount: Decimal) -> str | None:
    """Why a recommended product still does not fit idle cash (None when it does)."""
    if product.category not in SAVINGS_CATEGORIES:
        return f"{product.id} is not a savings account"
    if product.access != "instant":
        return f"{product.id} does not give instant access"
    if not product.rate_pct or product.rate_pct <= 0:
        return f"{product.id} pays no interest"
    if Decimal(str(product.min_amount)) > amount:
        return f"{product.id} needs more than the idle cash"
    return None


def savings_offer(recommender: ProductRecommender, catalogue: ProductCatalogue, customer_id: str,
                  amount: Decimal, min_interest: Decimal) -> SavingsOffer | NoOffer:
    """The best product the recommender shows for ``amount`` of idle cash, with its interest."""
    result = recommender.recommend(customer_id, savings_goal(amount), k=5)
    if not result.personalised:
        return NoOffer("eligibility unknown: the recommender's answer is not personalised")
    refusals = []
    for item in result.items:
        if item.product_id not in catalogue:
            refusals.append(f"{item.product_id} is not in the catalogue")
            continue
        product = catalogue.get(item.product_id)
        problem = why_not(product, amount)
        if problem:
            refusals.append(problem)
            continue
        rate = Decimal(str(product.rate_pct))
        held = min(amount, Decimal(str(product.max_amount)))
        interest = yearly_interest(held, rate)
        if interest < min_interest:
            refusals.append(f"{item.product_id} would pay only £{interest}")
            continue
        return SavingsOffer(item.product_id, item.product_name, item.rec_id, rate, held, interest,
                            tuple(item.reasons))
    return NoOffer("no suitable savings product: " + ("; ".join(refusals) or "none recommended"))
