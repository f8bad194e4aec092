"""How the bot writes money and time frames."""

from decimal import Decimal

import pytest

from assistant.actions.formatting import format_money, format_months


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1432.18", "GBP", "£1,432.18"),
        ("-212.4", "GBP", "-£212.40"),
        ("0", "EUR", "€0.00"),
        ("1000000", "USD", "$1,000,000.00"),
        ("12", "CHF", "12.00 CHF"),
    ],
)
def test_format_money(amount: str, currency: str, text: str) -> None:
    assert format_money(Decimal(amount), currency) == text


@pytest.mark.parametrize(
    ("months", "text"),
    [(1, "1 month"), (6, "6 months"), (12, "1 year"), (18, "1 year and 6 months"), (60, "5 years")],
)
def test_format_months(months: int, text: str) -> None:
    assert format_months(months) == text
