"""How an amount of money is written for a customer."""

from decimal import ROUND_HALF_UP, Decimal

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
PENNY = Decimal("0.01")


def format_money(amount: Decimal, currency: str = "GBP") -> str:
    """``-£1,234.50``, ``12.00 CHF``: to the penny (half up), the sign before the symbol."""
    value = Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency.upper()}"
