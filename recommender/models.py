"""Recommender tables beside the profile store: holdings, consents, recommendation events,
derived features, segments, and equality-monitoring answers.

Revision ``0003_recommendations`` creates these tables.

Rows go with their customer (``ON DELETE CASCADE``), so the profile seed's ``--reset`` works.

``equality_monitoring`` holds protected attributes (gender, ethnicity, religion, marital
status, disability) for fairness audits only: the recommender's repository never reads it.
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bank.models import Customer
from database.base import Base, choice_type, utcnow

CUSTOMER_ID = Customer.__table__.c.id


class ConsentPurpose(StrEnum):
    PROFILING = "profiling"
    MARKETING = "marketing"


class ConsentChannel(StrEnum):
    APP = "app"
    WEB_CHAT = "web_chat"
    BRANCH = "branch"
    PHONE = "phone"
    API = "api"


class EventKind(StrEnum):
    SHOWN = "shown"
    MORE_INFO = "more_info"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class HoldingStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Holding(Base):
    """A catalogue product a customer holds (accounts in ``accounts`` map to products too)."""

    __tablename__ = "holdings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey(CUSTOMER_ID, ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(String(40))
    status: Mapped[HoldingStatus] = mapped_column(
        choice_type(HoldingStatus, "holding_status"), default=HoldingStatus.ACTIVE
    )
    balance: Mapped[Decimal | None]  # value held, or owed on a loan
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class Consent(Base):
    """One consent answer; the latest per (customer, purpose) is in force. Never updated."""

    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_customer_id_purpose_recorded_at", "customer_id", "purpose", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey(CUSTOMER_ID, ondelete="CASCADE"))
    purpose: Mapped[ConsentPurpose] = mapped_column(choice_type(ConsentPurpose, "consent_purpose"))
    granted: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[ConsentChannel] = mapped_column(choice_type(ConsentChannel, "consent_channel"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecommendationEvent(Base):
    """A recommendation shown, or the customer's answer to it."""

    __tablename__ = "recommendation_events"
    __table_args__ = (
        Index("ix_recommendation_events_customer_id_created_at", "customer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rec_id: Mapped[str] = mapped_column(String(40), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey(CUSTOMER_ID, ondelete="CASCADE"))
    product_id: Mapped[str] = mapped_column(String(40))
    event: Mapped[EventKind] = mapped_column(choice_type(EventKind, "event_kind"))
    rank: Mapped[int | None]
    score: Mapped[float | None] = mapped_column(Float)
    goal_type: Mapped[str | None] = mapped_column(String(16))
    personalised: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomerFeatures(Base):
    """Features derived from the customer's transactions and balances (monthly GBP)."""

    __tablename__ = "customer_features"

    customer_id: Mapped[str] = mapped_column(ForeignKey(CUSTOMER_ID, ondelete="CASCADE"), primary_key=True)
    monthly_income: Mapped[Decimal]
    monthly_spend: Mapped[Decimal]
    savings_rate: Mapped[float] = mapped_column(Float)
    spending_by_category: Mapped[dict[str, float]] = mapped_column(JSON)
    balance_current: Mapped[Decimal]
    balance_savings: Mapped[Decimal]
    balance_investments: Mapped[Decimal]
    credit_debt: Mapped[Decimal]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomerSegment(Base):
    """The segment currently on the customer's profile."""

    __tablename__ = "customer_segments"

    customer_id: Mapped[str] = mapped_column(ForeignKey(CUSTOMER_ID, ondelete="CASCADE"), primary_key=True)
    segment_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(200))
    model_version: Mapped[str] = mapped_column(String(40))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class EqualityMonitoring(Base):
    """Protected attributes, for fairness audits only (never a ranking input)."""

    __tablename__ = "equality_monitoring"

    customer_id: Mapped[str] = mapped_column(ForeignKey(CUSTOMER_ID, ondelete="CASCADE"), primary_key=True)
    gender: Mapped[str | None] = mapped_column(String(24))
    ethnicity: Mapped[str | None] = mapped_column(String(24))
    religion: Mapped[str | None] = mapped_column(String(24))
    marital_status: Mapped[str | None] = mapped_column(String(24))
    disability: Mapped[str | None] = mapped_column(String(24))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
