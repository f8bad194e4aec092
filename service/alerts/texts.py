"""What the customer reads about an alert: its reasons in plain words, built from the stored
reason codes alone (never amounts or merchant names)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from bank.money import format_money
from insights.anomalies import ReasonCode

REASON_TEXT: dict[str, str] = {
    ReasonCode.AMOUNT: "Much more than you usually spend on this kind of thing",
    ReasonCode.NEW_MERCHANT: "Your first payment to this merchant",
    ReasonCode.HOUR: "At a time of day you rarely pay",
    ReasonCode.NEW_CURRENCY: "In a currency you haven't paid in before",
    ReasonCode.BURST: "One of several payments within a few minutes",
    ReasonCode.SPREE: "One of several merchants new to you within an hour",
}
UNUSUAL = "Unusual for you"


def reason_texts(codes: Sequence[str]) -> list[str]:
    """The customer's words for each reason code, in order (an unknown code: "Unusual for you")."""
    return [REASON_TEXT.get(code, UNUSUAL) for code in codes]


def alert_text(booked_at: datetime, amount: Decimal, currency: str, merchant: str) -> str:
    """The chat's question about one payment."""
    day = f"{booked_at.day} {booked_at:%B %Y} at {booked_at:%H:%M}"
    return (f"Did you make this payment? {format_money(amount, currency)} to {merchant.strip()} on {day} "
            "looks unusual for you.")
