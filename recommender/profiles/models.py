"""Tables of the customer profile store (SQLAlchemy 2 typed declarative models).

Money is ``Numeric(14, 2)`` read as ``Decimal``; every timestamp is timezone-aware UTC.
Closed sets of values are VARCHAR columns with a CHECK constraint (same on SQLite and
PostgreSQL). The schema is created by the Alembic migrations in ``migrations/``.
"""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import DateTime, Dialect, Enum, ForeignKey, Index, MetaData, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from recommender.profiles.enums import (
    AccountKind,
    CardStatus,
    Category,
    CreditBand,
    EmploymentStatus,
    GoalStatus,
    GoalType,
    RiskTolerance,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _choice(enum: type[StrEnum], name: str) -> Enum:
    """A VARCHAR + CHECK column type holding the enum's values (not its member names)."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    """Declarative base of the profile tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {Decimal: Numeric(14, 2), datetime: UtcDateTime()}


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(64))
    birth_year: Mapped[int]
    country_of_residence: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    credit_band: Mapped[CreditBand] = mapped_column(_choice(CreditBand, "credit_band"))
    annual_income: Mapped[Decimal]
    employment_status: Mapped[EmploymentStatus] = mapped_column(
        _choice(EmploymentStatus, "employment_status")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[AccountKind] = mapped_column(_choice(AccountKind, "account_kind"))
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
    status: Mapped[CardStatus] = mapped_column(_choice(CardStatus, "card_status"))
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


class Transaction(Base):
    __tablename__ = "transactions"
    __table_args__ = (Index("ix_transactions_account_id_booked_at", "account_id", "booked_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    booked_at: Mapped[datetime]
    amount: Mapped[Decimal]  # negative for money leaving the account
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    description: Mapped[str] = mapped_column(String(128))  # merchant or counterparty
    category: Mapped[Category] = mapped_column(_choice(Category, "category"))
    transfer_id: Mapped[str | None] = mapped_column(ForeignKey("transfers.id"), index=True)


class Goal(Base):
    __tablename__ = "goals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    goal_type: Mapped[GoalType] = mapped_column(_choice(GoalType, "goal_type"))
    target_amount: Mapped[Decimal]
    horizon_months: Mapped[int]
    risk_tolerance: Mapped[RiskTolerance] = mapped_column(_choice(RiskTolerance, "risk_tolerance"))
    monthly_budget: Mapped[Decimal]
    status: Mapped[GoalStatus] = mapped_column(_choice(GoalStatus, "goal_status"), default=GoalStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
