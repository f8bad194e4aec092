"""How an amount of money is written for a customer."""

from decimal import Decimal

import pytest

from bank.money import format_money


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1432.18", "GBP", "£1,432.18"),
        ("-212.4", "GBP", "-£212.40"),
        ("0", "EUR", "€0.00"),
        ("0.5", "GBP", "£0.50"),
        ("1000000", "USD", "$1,000,000.00"),
        ("12345.6", "usd", "$12,345.60"),
        ("12", "CHF", "12.00 CHF"),
        ("2.345", "GBP", "£2.35"),
        ("-0.001", "GBP", "£0.00"),
    ],
)
def test_format_money(amount: str, currency: str, text: str) -> None:
    assert format_money(Decimal(amount), currency) == text
