"""Read-only values the profile store returns and takes (never ORM objects)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bank.enums import (
    AccountKind,
    CardDeliveryReason,
    CardDeliveryStatus,
    CardKind,
    CardStatus,
    Category,
    CreditBand,
    EmploymentStatus,
    Frequency,
    GoalStatus,
    GoalType,
    HolderKind,
    PayeeCheckOutcome,
    PaymentStatus,
    RiskTolerance,
    StandingOrderStatus,
    StatusReason,
    TransactionKind,
    TransactionStatus,
    TransferStatus,
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
    """A transaction; only booked ones count in the balance.

    A foreign-currency payment also has ``original_amount`` in ``original_currency`` and the
    ``exchange_rate`` applied (units of that currency per pound).
    """

    id: str
    account_id: str
    booked_at: datetime
    amount: Decimal
    currency: str
    description: str
    category: Category
    transfer_id: str | None
    kind: TransactionKind = TransactionKind.OTHER
    status: TransactionStatus = TransactionStatus.BOOKED
    status_reason: StatusReason | None = None
    original_amount: Decimal | None = None
    original_currency: str | None = None
    exchange_rate: Decimal | None = None


@dataclass(frozen=True)
class DuplicateCharge:
    """Two card payments to the same merchant for the same amount, close in time."""

    first: TransactionView
    second: TransactionView


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
class TransferStatusView:
    """A transfer and where it stands; a pending one can be cancelled until
    ``cancellable_until``."""

    id: str
    source_account_id: str
    destination_account_id: str
    amount: Decimal
    reference: str | None
    created_at: datetime
    status: TransferStatus
    cancellable_until: datetime | None
    cancelled_at: datetime | None

    def can_cancel(self, now: datetime) -> bool:
        """Whether it is pending and its cancellation window is still open at ``now``."""
        return (
            self.status == TransferStatus.PENDING
            and self.cancellable_until is not None
            and now < self.cancellable_until
        )


@dataclass(frozen=True)
class CardDeliveryView:
    """A card in the post (or delivered): ``expected_by`` is the latest expected day."""

    id: str
    account_id: str
    last4: str
    reason: CardDeliveryReason
    status: CardDeliveryStatus
    ordered_at: datetime
    dispatched_at: datetime | None
    expected_by: date


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


@dataclass(frozen=True)
class PayeeCheckView:
    """The answer of a payee check. ``name_on_record`` is given for a close match only (the
    name to offer); ``business_mismatch`` when the account is personal and a business was
    named, or the other way round."""

    outcome: PayeeCheckOutcome
    name_on_record: str | None = None
    business_mismatch: bool = False


@dataclass(frozen=True)
class PayeeView:
    """A payee, its sort code and account number masked (``**-**-56``, ``****5678``)."""

    id: str
    display_name: str
    holder_name: str
    holder_kind: HolderKind
    masked_sort_code: str
    masked_account_number: str
    check_outcome: PayeeCheckOutcome
    created_at: datetime


@dataclass(frozen=True)
class PaymentView:
    """A payment to a payee (``payee_id``) or a credit card repayment
    (``destination_account_id``). ``source_balance`` is the source's balance after it."""

    id: str
    source_account_id: str
    payee_id: str | None
    destination_account_id: str | None
    amount: Decimal
    currency: str
    reference: str | None
    scheduled_for: date | None
    status: PaymentStatus
    review_reason: str | None
    created_at: datetime
    completed_at: datetime | None
    source_balance: Decimal
    customer_id: str


@dataclass(frozen=True)
class StandingOrderView:
    id: str
    source_account_id: str
    payee_id: str
    amount: Decimal
    frequency: Frequency
    next_date: date
    reference: str | None
    status: StandingOrderStatus
    created_at: datetime


@dataclass(frozen=True)
class CardStatementView:
    """A credit card's latest statement and what is left to pay of it.

    ``owed_now`` is the card's current balance owed; ``minimum_left`` and ``statement_left``
    subtract the repayments made since the statement (never below zero, never above
    ``owed_now``).
    """

    account_id: str
    issued_on: date
    due_on: date
    statement_balance: Decimal
    minimum_payment: Decimal
    paid_since: Decimal
    minimum_left: Decimal
    statement_left: Decimal
    owed_now: Decimal
