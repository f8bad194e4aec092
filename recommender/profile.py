"""What the recommender may know about a customer, built through an explicit allow-list.

Protected attributes (gender, ethnicity, religion, marital status, disability) can exist in
source records (the store, synthetic populations) but :func:`profile_from_record` copies only
:data:`ALLOWED_PROFILE_FIELDS` into a :class:`CustomerProfile`, which has no field that could
hold them. Every ranking input (feature vectors, filters, scores) is computed from a
``CustomerProfile``, so a protected attribute cannot reach a ranking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from recommender.errors import ProtectedAttributeError

PROTECTED_ATTRIBUTES = frozenset({"gender", "ethnicity", "religion", "marital_status", "disability"})

SPEND_CATEGORIES = (
    "groceries",
    "rent",
    "transport",
    "eating_out",
    "utilities",
    "entertainment",
    "shopping",
    "cash",
    "other",
)
EMPLOYMENT_STATUSES = ("employed", "self_employed", "student", "retired", "unemployed")

# Store account kinds and the catalogue category each one is a holding of.
ACCOUNT_KIND_CATEGORY = {
    "current": "current_account",
    "savings": "savings",
    "isa": "isa",
    "credit_card": "credit_card",
}


@dataclass(frozen=True)
class DerivedFeatures:
    """Features derived from a customer's transactions and balances (monthly figures in GBP).

    Attributes:
        monthly_income: Estimated monthly income (credits that are not own transfers).
        monthly_spend: Average monthly spending (debits that are not own transfers).
        savings_rate: (income - spend) / income, clipped to [-1, 1].
        spending_by_category: Monthly spending per category of :data:`SPEND_CATEGORIES`.
        balance_current: Sum of current account balances.
        balance_savings: Sum of savings and ISA balances.
        balance_investments: Value of investment holdings.
        credit_debt: What is owed on credit cards and loans.
    """

    monthly_income: float = 0.0
    monthly_spend: float = 0.0
    savings_rate: float = 0.0
    spending_by_category: Mapping[str, float] = field(default_factory=dict)
    balance_current: float = 0.0
    balance_savings: float = 0.0
    balance_investments: float = 0.0
    credit_debt: float = 0.0

    @property
    def liquid_balance(self) -> float:
        """Money the customer could move today (current plus savings, never negative)."""
        return max(0.0, self.balance_current) + max(0.0, self.balance_savings)


@dataclass(frozen=True)
class CustomerProfile:
    """The allow-listed view of a customer used for every ranking decision.

    Attributes:
        customer_id: The store's customer id.
        age: Age in whole years.
        annual_income: Declared gross annual income in GBP.
        country: ISO code of the country of residence.
        credit_band: A (best) to E (weakest).
        employment_status: One of :data:`EMPLOYMENT_STATUSES` (anything else counts as unknown).
        features: Transaction-derived features.
        holdings: Catalogue product ids the customer holds (or has accepted).
        held_categories: Catalogue categories the customer holds, including store accounts.
    """

    customer_id: str
    age: int
    annual_income: float
    country: str
    credit_band: str
    employment_status: str
    features: DerivedFeatures
    holdings: frozenset[str] = frozenset()
    held_categories: frozenset[str] = frozenset()

    def holds(self, reference: str) -> bool:
        """True if the customer holds this product id or a product of this category."""
        return reference in self.holdings or reference in self.held_categories


ALLOWED_PROFILE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(CustomerProfile))


def check_allow_list(names: tuple[str, ...] | list[str] | frozenset[str]) -> None:
    """Refuse any allow-list that names a protected attribute.

    Raises:
        ProtectedAttributeError: Naming the offending attributes.
    """
    bad = sorted(PROTECTED_ATTRIBUTES & set(names))
    if bad:
        raise ProtectedAttributeError(
            f"Protected attributes cannot be ranking inputs: {', '.join(bad)}."
        )


check_allow_list(ALLOWED_PROFILE_FIELDS)


def profile_from_record(
    record: Mapping[str, Any], allowed: tuple[str, ...] = ALLOWED_PROFILE_FIELDS
) -> CustomerProfile:
    """Build a profile from a source record, copying allow-listed fields only.

    Args:
        record: Any mapping about the customer; extra keys, protected ones included, are dropped.
        allowed: The allow-list; must name no protected attribute.

    Raises:
        ProtectedAttributeError: If ``allowed`` names a protected attribute.
    """
    check_allow_list(allowed)
    values = {name: record[name] for name in allowed if name in record}
    features = values.get("features")
    if isinstance(features, Mapping):
        values["features"] = DerivedFeatures(**features)
    values["holdings"] = frozenset(values.get("holdings", ()))
    values["held_categories"] = frozenset(values.get("held_categories", ()))
    return CustomerProfile(**values)
