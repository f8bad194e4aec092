"""Read-only values the profile store returns and takes (never ORM objects)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bank.enums import (
    AccountKind,
    CardKind,
    CardStatus,
    Category,
    CreditBand,
    EmploymentStatus,
    GoalStatus,
    GoalType,
    RiskTolerance,
)


@dataclass(frozen=True)
class CustomerView:
    id: str
    first_name: str
    birth_year: int
    country_of_residence: str
    credit_band: CreditBand
    annual_income: Decimal
    employment_status: EmploymentStatus
    created_at: datetime


@dataclass(frozen=True)
class AccountView:
    """An account; ``available`` adds the unused credit limit of a credit card."""

    id: str
    kind: AccountKind
    name: str
    masked_number: str
    currency: str
    balance: Decimal
    available: Decimal


@dataclass(frozen=True)
class TransactionView:
    id: str
    account_id: str
    booked_at: datetime
    amount: Decimal
    currency: str
    description: str
    category: Category
    transfer_id: str | None


@dataclass(frozen=True)
class CardView:
    id: str
    account_id: str
    kind: CardKind
    last4: str
    status: CardStatus
    status_changed_at: datetime


@dataclass(frozen=True)
class TransferView:
    """A completed transfer with both accounts' balances right after it."""

    id: str
    source_account_id: str
    destination_account_id: str
    amount: Decimal
    currency: str
    reference: str | None
    created_at: datetime
    source_balance: Decimal
    destination_balance: Decimal


@dataclass(frozen=True)
class GoalInput:
    """What a customer wants; ``save_goal`` validates it (strings or enums accepted)."""

    goal_type: GoalType | str
    target_amount: Decimal
    horizon_months: int
    risk_tolerance: RiskTolerance | str
    monthly_budget: Decimal


@dataclass(frozen=True)
class GoalView:
    id: str
    customer_id: str
    goal_type: GoalType
    target_amount: Decimal
    horizon_months: int
    risk_tolerance: RiskTolerance
    monthly_budget: Decimal
    status: GoalStatus
    created_at: datetime
