"""What customers type to name an account, resolved against the demo bank."""

from decimal import Decimal

import pytest

from bank.enums import AccountKind
from bank.matching import match_account
from bank.store import ProfileStore
from bank.views import AccountView

# (customer, what they type, expected account id or None)
RESOLUTIONS = [
    ("cus_001", "savings", "acc_001_savings"),
    ("cus_001", "my savings account", "acc_001_savings"),
    ("cus_001", "Rainy Day Saver", "acc_001_savings"),
    ("cus_001", "rainy day", "acc_001_savings"),
    ("cus_001", "current", "acc_001_current"),
    ("cus_001", "my current account", "acc_001_current"),
    ("cus_001", "Checking", "acc_001_current"),
    ("cus_001", "everyday current", "acc_001_current"),
    ("cus_001", "the account ending 4821", "acc_001_current"),
    ("cus_001", "****7310", "acc_001_savings"),
    ("cus_001", "credit card", "acc_001_credit_card"),
    ("cus_001", "my Platinum card", "acc_001_credit_card"),
    ("cus_002", "ISA", "acc_002_isa"),
    ("cus_002", "cash isa", "acc_002_isa"),
    ("cus_002", "individual savings account", "acc_002_isa"),
    ("cus_002", "holiday saver", "acc_002_savings"),
    ("cus_007", "stocks and shares ISA", "acc_007_isa"),
    # nothing, or not theirs
    ("cus_001", "ISA", None),
    ("cus_001", "my account", None),
    ("cus_001", "", None),
    ("cus_001", "holiday fund", None),
    ("cus_001", "ending 3307", None),  # Priya's current account
    ("cus_001", "9999", None),
    ("cus_001", "rainy day current", None),  # contradicts itself
]


@pytest.mark.parametrize(("customer_id", "text", "expected"), RESOLUTIONS)
def test_find_account(store: ProfileStore, customer_id: str, text: str, expected: str | None):
    found = store.find_account(customer_id, text)
    assert (found.id if found else None) == expected


def _account(account_id: str, kind: AccountKind, name: str, number: str) -> AccountView:
    return AccountView(account_id, kind, name, f"****{number}", "GBP", Decimal(0), Decimal(0))


TWO_SAVERS = [
    _account("a1", AccountKind.CURRENT, "Everyday Current", "1111"),
    _account("a2", AccountKind.SAVINGS, "Holiday Saver", "2222"),
    _account("a3", AccountKind.SAVINGS, "Rainy Day Saver", "3333"),
    _account("a4", AccountKind.SAVINGS, "House Deposit", "1111"),  # same last four as a1
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("savings", None),  # two savings accounts: ask, don't guess
        ("saver", None),
        ("holiday saver", "a2"),
        ("house deposit", "a4"),
        ("1111", None),  # two accounts end in 1111
        ("2222", "a2"),
        ("current", "a1"),
    ],
)
def test_ambiguous_texts_resolve_to_nothing(text: str, expected: str | None):
    found = match_account(TWO_SAVERS, text)
    assert (found.id if found else None) == expected
