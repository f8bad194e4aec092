"""The action server's one profile store, built on first use (not at import)."""

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bank.budgets import BudgetStore
    from bank.categories import CategoryStore
    from bank.payees import PayeeStore
    from bank.payments import PaymentStore
    from bank.store import ProfileStore
    from screening.screener import Screener


@lru_cache(maxsize=1)
def get_store() -> "ProfileStore":
    """The process-wide ``ProfileStore`` on ``DATABASE_URL``, created on the first call."""
    from bank.store import ProfileStore

    return ProfileStore.from_settings()


@lru_cache(maxsize=1)
def get_payees() -> "PayeeStore":
    """The process-wide ``PayeeStore`` on ``DATABASE_URL``, created on the first call."""
    from bank.payees import PayeeStore

    return PayeeStore.from_settings()


@lru_cache(maxsize=1)
def get_payments() -> "PaymentStore":
    """The process-wide ``PaymentStore`` on ``DATABASE_URL``, created on the first call."""
    from bank.payments import PaymentStore

    return PaymentStore.from_settings()


@lru_cache(maxsize=1)
def get_screener() -> "Screener":
    """The sanctions screener on the list ``SCREENING_LIST_PATH`` names, loaded on first use."""
    from screening.screener import Screener

    return Screener.from_settings()


@lru_cache(maxsize=1)
def get_budgets() -> "BudgetStore":
    """The process-wide ``BudgetStore`` on ``DATABASE_URL``, created on the first call."""
    from bank.budgets import BudgetStore

    return BudgetStore.from_settings()


@lru_cache(maxsize=1)
def get_categories() -> "CategoryStore":
    """The process-wide ``CategoryStore`` on ``DATABASE_URL``, created on the first call."""
    from bank.categories import CategoryStore

    return CategoryStore.from_settings()
