"""How the bot writes money, time frames and accounts."""

from bank.money import CURRENCY_SYMBOLS, format_money
from bank.views import AccountView

__all__ = ["CURRENCY_SYMBOLS", "account_label", "format_money", "format_months"]


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
