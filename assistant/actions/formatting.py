"""How the bot writes money, time frames and accounts."""

from decimal import Decimal

from bank.views import AccountView

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def format_money(amount: Decimal, currency: str = "GBP") -> str:
    """Format an amount for a customer: ``-£1,234.50``, ``12.00 CHF``."""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency.upper()}"


def format_months(months: int) -> str:
    """Format a time frame: 60 -> "5 years", 18 -> "1 year and 6 months"."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " and ".join(parts)


def account_label(account: AccountView) -> str:
    """Name an account with the end of its number: "Everyday Current (ending 4821)"."""
    return f"{account.name} (ending {account.masked_number[-4:]})"
