"""Tables of the customer profile store (SQLAlchemy 2 typed declarative models).

Money is ``Numeric(14, 2)`` read as ``Decimal``; every timestamp is timezone-aware UTC.
Closed sets of values are VARCHAR columns with a CHECK constraint (same on SQLite and
PostgreSQL). The schema is created by the Alembic migrations in ``migrations/``.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bank.enums import (
    AccountKind,
    CardStatus,
    Category,
    CreditBand,
    EmploymentStatus,
    GoalStatus,
    GoalType,
    RiskTolerance,
)
from database.base import Base, choice_type, utcnow


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
