"""Tables of unusual-activity alerts: one alert per unusual transaction, and how far the
detection loop has read the transactions.

An alert keeps reason codes only (``insights.anomalies.ReasonCode`` values): the amount,
merchant and date are read from the transaction it points at.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base, choice_type, utcnow


class AlertStatus(StrEnum):
    """Where an alert stands with the customer."""

    NEW = "new"  # stored, not yet seen by the customer
    DELIVERED = "delivered"  # listed in the inbox or shown in an open chat
    READ = "read"  # the customer opened it
    CONFIRMED = "confirmed"  # "this was me"
    DISPUTED = "disputed"  # "this wasn't me": cards frozen, fraud colleague asked


class CustomerAlert(Base):
    """A transaction the scorer found unusual for its customer (one alert per transaction)."""

    __tablename__ = "customer_alerts"
    __table_args__ = (Index("ix_customer_alerts_customer_id_created_at", "customer_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    transaction_id: Mapped[str] = mapped_column(ForeignKey("transactions.id"), unique=True)
    score: Mapped[float]
    reasons: Mapped[list[Any]] = mapped_column(JSON)  # reason codes, strongest first
    status: Mapped[AlertStatus] = mapped_column(choice_type(AlertStatus, "alert_status"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class AlertWatermark(Base):
    """The last transaction (by booking time, then id) a detection loop has scored."""

    __tablename__ = "alert_watermarks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    booked_at: Mapped[datetime]
    transaction_id: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
