"""Tables of the customer profile store (SQLAlchemy 2 typed declarative models).

Money is ``Numeric(14, 2)`` read as ``Decimal``; every timestamp is timezone-aware UTC.
Closed sets of values are VARCHAR columns with a CHECK constraint (same on SQLite and
PostgreSQL). The schema is created by the Alembic migrations in ``migrations/``.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bank.enums import (
    AccountKind,
    CardDeliveryReason,
    CardDeliveryStatus,
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
from database.base import Base, choice_type, utcnow
from database.sealed import Sealed


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(64))
    birth_year: Mapped[int]
    country_of_residence: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    credit_band: Mapped[CreditBand] = mapped_column(choice_type(CreditBand, "credit_band"))
    annual_income: Mapped[Decimal]
    employment_status: Mapped[EmploymentStatus] = mapped_column(
        choice_type(EmploymentStatus, "employment_status")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[AccountKind] = mapped_column(choice_type(AccountKind, "account_kind"))
    name: Mapped[str] = mapped_column(String(64))
    masked_number: Mapped[str] = mapped_column(String(16))  # "****1234"
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    balance: Mapped[Decimal]
    credit_limit: Mapped[Decimal | None]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)


class Card(Base):
    __tablename__ = "cards"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    last4: Mapped[str] = mapped_column(String(4))
    status: Mapped[CardStatus] = mapped_column(choice_type(CardStatus, "card_status"))
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transfer(Base):
    __tablename__ = "transfers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    source_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    destination_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    amount: Mapped[Decimal]
    reference: Mapped[str | None] = mapped_column(String(18))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[TransferStatus] = mapped_column(
        choice_type(TransferStatus, "transfer_status"), default=TransferStatus.COMPLETED
    )
    cancellable_until: Mapped[datetime | None]  # a pending transfer can be cancelled until then
    cancelled_at: Mapped[datetime | None]


class CustomerLogin(Base):
    """The identity provider's subject of a customer's login (one customer may have several)."""

    __tablename__ = "customer_logins"

    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transaction(Base):
    __tablename__ = "transactions"
    __table_args__ = (Index("ix_transactions_account_id_booked_at", "account_id", "booked_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    booked_at: Mapped[datetime]
    amount: Mapped[Decimal]  # negative for money leaving the account
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    description: Mapped[str] = mapped_column(String(128))  # merchant or counterparty
    category: Mapped[Category] = mapped_column(choice_type(Category, "category"))
    transfer_id: Mapped[str | None] = mapped_column(ForeignKey("transfers.id"), index=True)
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("payments.id"), index=True)
    kind: Mapped[TransactionKind] = mapped_column(
        choice_type(TransactionKind, "transaction_kind"), default=TransactionKind.OTHER
    )
    status: Mapped[TransactionStatus] = mapped_column(
        choice_type(TransactionStatus, "transaction_status"), default=TransactionStatus.BOOKED
    )
    # why it was declined or reverted (None while pending or booked)
    status_reason: Mapped[StatusReason | None] = mapped_column(
        choice_type(StatusReason, "status_reason", length=24)
    )
    # A payment in another currency: what the merchant charged (signed like ``amount``) and
    # the rate we applied (units of that currency per pound).
    original_amount: Mapped[Decimal | None]
    original_currency: Mapped[str | None] = mapped_column(String(3))
    exchange_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))


class CardDelivery(Base):
    """A card on its way to the customer: a new, replacement or renewal card in the post."""

    __tablename__ = "card_deliveries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    last4: Mapped[str] = mapped_column(String(4))
    reason: Mapped[CardDeliveryReason] = mapped_column(
        choice_type(CardDeliveryReason, "card_delivery_reason")
    )
    status: Mapped[CardDeliveryStatus] = mapped_column(
        choice_type(CardDeliveryStatus, "card_delivery_status")
    )
    ordered_at: Mapped[datetime]
    dispatched_at: Mapped[datetime | None]
    expected_by: Mapped[date] = mapped_column(Date)


class Goal(Base):
    __tablename__ = "goals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    goal_type: Mapped[GoalType] = mapped_column(choice_type(GoalType, "goal_type"))
    target_amount: Mapped[Decimal]
    horizon_months: Mapped[int]
    risk_tolerance: Mapped[RiskTolerance] = mapped_column(choice_type(RiskTolerance, "risk_tolerance"))
    monthly_budget: Mapped[Decimal]
    status: Mapped[GoalStatus] = mapped_column(
        choice_type(GoalStatus, "goal_status"), default=GoalStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Budget(Base):
    """A customer's monthly spending limit for one category (one budget per category)."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("customer_id", "category"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    category: Mapped[Category] = mapped_column(choice_type(Category, "category"))
    monthly_limit: Mapped[Decimal]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CategoryCorrection(Base):
    """A category the customer gave a merchant: their transactions from it are in it, those to
    come included. ``description`` is the merchant's key (``bank.categories.merchant_key``)."""

    __tablename__ = "category_corrections"
    __table_args__ = (UniqueConstraint("customer_id", "description"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    description: Mapped[str] = mapped_column(String(128))
    category: Mapped[Category] = mapped_column(choice_type(Category, "category"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PayeeDirectoryEntry(Base):
    """An account the payee check can answer for: the payment scheme's view of who holds it.

    ``account_id`` is set when the account is one of ours; ``in_scheme`` is false for a bank
    that takes no part in the check (its answer is "unavailable").
    """

    __tablename__ = "payee_directory"

    sort_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    account_number: Mapped[str] = mapped_column(String(8), primary_key=True)
    holder_name: Mapped[str] = mapped_column(String(70))
    holder_kind: Mapped[HolderKind] = mapped_column(choice_type(HolderKind, "holder_kind"))
    in_scheme: Mapped[bool] = mapped_column(default=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)


class Payee(Base):
    """Someone the customer pays. Names, sort code and account number are kept whole (payments
    need them) but sealed (:mod:`database.sealed`); views show the account masked."""

    __tablename__ = "payees"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    display_name: Mapped[str] = mapped_column(Sealed("payees.display_name"))
    holder_name: Mapped[str] = mapped_column(Sealed("payees.holder_name"))
    holder_kind: Mapped[HolderKind] = mapped_column(choice_type(HolderKind, "holder_kind"))
    sort_code: Mapped[str] = mapped_column(Sealed("payees.sort_code", deterministic=True))
    account_number: Mapped[str] = mapped_column(Sealed("payees.account_number", deterministic=True))
    check_outcome: Mapped[PayeeCheckOutcome] = mapped_column(
        choice_type(PayeeCheckOutcome, "payee_check_outcome")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]


class Payment(Base):
    """Money sent to a payee, or to one of the customer's credit cards (a repayment).

    ``idempotency_key`` is unique per customer: repeating a request returns the first payment.
    """

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("customer_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    source_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    payee_id: Mapped[str | None] = mapped_column(ForeignKey("payees.id"), index=True)
    destination_account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[Decimal]
    reference: Mapped[str | None] = mapped_column(String(18))
    scheduled_for: Mapped[date | None] = mapped_column(Date)  # None: sent when made
    status: Mapped[PaymentStatus] = mapped_column(choice_type(PaymentStatus, "payment_status"))
    review_reason: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class StandingOrder(Base):
    """A payment to a payee repeated weekly or monthly from ``next_date`` on.

    ``idempotency_key``, when given, is unique per customer: repeating the request that set
    the order up returns the first order.
    """

    __tablename__ = "standing_orders"
    __table_args__ = (
        Index("uq_standing_orders_customer_key", "customer_id", "idempotency_key", unique=True),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    source_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    payee_id: Mapped[str] = mapped_column(ForeignKey("payees.id"), index=True)
    amount: Mapped[Decimal]
    frequency: Mapped[Frequency] = mapped_column(choice_type(Frequency, "frequency"))
    next_date: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(18))
    status: Mapped[StandingOrderStatus] = mapped_column(
        choice_type(StandingOrderStatus, "standing_order_status")
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]


class CardStatement(Base):
    """A credit card's monthly statement: what was owed on ``issued_on`` and the least to pay
    by ``due_on`` (``policy.yml``: ``credit_cards``)."""

    __tablename__ = "card_statements"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    balance: Mapped[Decimal]  # owed, positive
    minimum_payment: Mapped[Decimal]
    due_on: Mapped[date] = mapped_column(Date)
