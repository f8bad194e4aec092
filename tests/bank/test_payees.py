"""Payees: listed, added after the check, renamed and removed (softly), with their numbers
masked in every view; malformed details, duplicates and one's own accounts refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from bank.enums import HolderKind, PayeeCheckOutcome, PaymentStatus, StandingOrderStatus
from bank.errors import (
    DuplicatePayee,
    InvalidAccountNumber,
    InvalidPayeeName,
    InvalidSortCode,
    PaymentToSelf,
    UnknownCustomer,
    UnknownPayee,
)
from bank.models import Payee
from bank.payees import PayeeStore
from bank.payments import PaymentStore, uk_today
from bank.seed import OUR_SORT_CODE
from database.engine import session_factory

ALEX, PRIYA, CURRENT = "cus_001", "cus_002", "acc_001_current"
LETITIA = ("40-11-62", "31926819")


def test_a_new_payee_is_listed_with_its_numbers_masked(payee_store: PayeeStore) -> None:
    assert payee_store.payees(ALEX) == []
    added = payee_store.add_payee(ALEX, "Letitia Jones", *LETITIA, display_name="Tish")
    assert (added.display_name, added.holder_name, added.holder_kind) == ("Tish", "Letitia Jones",
                                                                          HolderKind.PERSONAL)
    assert (added.masked_sort_code, added.masked_account_number) == ("**-**-62", "****6819")
    assert added.check_outcome == PayeeCheckOutcome.MATCH
    assert payee_store.payees(ALEX) == [added]
    assert payee_store.get_payee(ALEX, added.id) == added
    assert "31926819" not in repr(added) and "401162" not in repr(added)


def test_the_whole_numbers_are_stored_for_payments(payee_store: PayeeStore, profile_engine: Engine) -> None:
    added = payee_store.add_payee(ALEX, "Letitia Jones", "40 11 62", "3192-6819")
    with session_factory(profile_engine)() as session:
        row = session.get(Payee, added.id)
        assert row is not None and (row.sort_code, row.account_number) == ("401162", "31926819")


@pytest.mark.parametrize(
    ("name", "business", "outcome"),
    [
        ("Latisha Jones", False, PayeeCheckOutcome.CLOSE_MATCH),
        ("Mary Jones", False, PayeeCheckOutcome.NO_MATCH),
    ],
)
def test_the_checks_outcome_is_kept_with_the_payee(
    payee_store: PayeeStore, name: str, business: bool, outcome: PayeeCheckOutcome
) -> None:
    assert payee_store.add_payee(ALEX, name, *LETITIA, business=business).check_outcome == outcome


def test_a_payee_at_a_bank_outside_the_scheme_is_added_unchecked(payee_store: PayeeStore) -> None:
    added = payee_store.add_payee(ALEX, "Grace Lee", "23-05-80", "81818181")
    assert added.check_outcome == PayeeCheckOutcome.UNAVAILABLE


def test_a_business_payee(payee_store: PayeeStore) -> None:
    added = payee_store.add_payee(ALEX, "Oakwood Lettings", "401162", "70000001", business=True)
    assert (added.holder_kind, added.check_outcome) == (HolderKind.BUSINESS, PayeeCheckOutcome.MATCH)


@pytest.mark.parametrize(
    ("details", "error"),
    [
        (("Letitia Jones", "40-11-6", "31926819"), InvalidSortCode),
        (("Letitia Jones", "40-11-62", "3192681"), InvalidAccountNumber),
        (("Letitia Jones 💖", "40-11-62", "31926819"), InvalidPayeeName),
        (("L" * 500, "40-11-62", "31926819"), InvalidPayeeName),
        (("", "40-11-62", "31926819"), InvalidPayeeName),
    ],
)
def test_malformed_details_are_refused_clearly(
    payee_store: PayeeStore, details: tuple[str, str, str], error: type[Exception]
) -> None:
    with pytest.raises(error) as refused:
        payee_store.add_payee(ALEX, *details)
    assert "31926819" not in str(refused.value)
    assert payee_store.payees(ALEX) == []


def test_an_emoji_display_name_is_refused(payee_store: PayeeStore) -> None:
    with pytest.raises(InvalidPayeeName):
        payee_store.add_payee(ALEX, "Letitia Jones", *LETITIA, display_name="Tish 🌸")


def test_an_own_account_is_refused_as_a_payment_to_oneself(payee_store: PayeeStore) -> None:
    with pytest.raises(PaymentToSelf, match="oneself"):
        payee_store.add_payee(ALEX, "Alex", OUR_SORT_CODE, "70014821")
    # Another customer of ours may be a payee.
    priya = payee_store.add_payee(PRIYA, "Alex", OUR_SORT_CODE, "70014821")
    assert priya.check_outcome == PayeeCheckOutcome.MATCH


def test_the_same_account_twice_is_refused_until_removed(payee_store: PayeeStore) -> None:
    first = payee_store.add_payee(ALEX, "Letitia Jones", *LETITIA)
    with pytest.raises(DuplicatePayee):
        payee_store.add_payee(ALEX, "Letitia Jones", "401162", "31926819", display_name="Again")
    payee_store.remove_payee(ALEX, first.id)
    assert payee_store.add_payee(ALEX, "Letitia Jones", *LETITIA).id != first.id


def test_a_rename_changes_the_display_name_only(payee_store: PayeeStore) -> None:
    added = payee_store.add_payee(ALEX, "Letitia Jones", *LETITIA)
    renamed = payee_store.rename_payee(ALEX, added.id, "  Sister  ")
    assert (renamed.display_name, renamed.holder_name) == ("Sister", "Letitia Jones")
    assert payee_store.payees(ALEX) == [renamed]
    with pytest.raises(InvalidPayeeName):
        payee_store.rename_payee(ALEX, added.id, "🙂" * 3)


def test_removal_is_soft_and_stops_what_was_to_be_paid(
    payee_store: PayeeStore, payment_store: PaymentStore, profile_engine: Engine
) -> None:
    added = payee_store.add_payee(ALEX, "Letitia Jones", *LETITIA)
    later = payment_store.pay(ALEX, CURRENT, added.id, Decimal("20.00"), on=uk_today() + timedelta(days=3),
                              idempotency_key="later")
    order = payment_store.create_standing_order(ALEX, CURRENT, added.id, Decimal("10.00"), "weekly",
                                                uk_today() + timedelta(days=1))
    payee_store.remove_payee(ALEX, added.id)
    assert payee_store.payees(ALEX) == []
    with pytest.raises(UnknownPayee):
        payee_store.get_payee(ALEX, added.id)
    with pytest.raises(UnknownPayee):
        payee_store.remove_payee(ALEX, added.id)
    with session_factory(profile_engine)() as session:
        row = session.get(Payee, added.id)
        assert row is not None and row.removed_at is not None
    statuses = {p.id: p.status for p in payment_store.payments(ALEX)}
    assert statuses[later.id] == PaymentStatus.CANCELLED
    assert payment_store.standing_orders(ALEX) == []
    cancelled = payment_store.standing_orders(ALEX, include_cancelled=True)
    assert [(o.id, o.status) for o in cancelled] == [(order.id, StandingOrderStatus.CANCELLED)]


def test_payees_are_the_customers_own(payee_store: PayeeStore) -> None:
    added = payee_store.add_payee(ALEX, "Letitia Jones", *LETITIA)
    assert payee_store.payees(PRIYA) == []
    for change in (lambda: payee_store.rename_payee(PRIYA, added.id, "Mine"),
                   lambda: payee_store.remove_payee(PRIYA, added.id),
                   lambda: payee_store.get_payee(PRIYA, added.id)):
        with pytest.raises(UnknownPayee):
            change()
    with pytest.raises(UnknownCustomer):
        payee_store.payees("cus_nobody")
    with pytest.raises(UnknownCustomer):
        payee_store.add_payee("cus_nobody", "Letitia Jones", *LETITIA)


def test_payees_are_listed_by_display_name(payee_store: PayeeStore) -> None:
    payee_store.add_payee(ALEX, "Robert Smith", "401162", "12345678", display_name="Rob")
    payee_store.add_payee(ALEX, "Letitia Jones", *LETITIA, display_name="Aunt Tish")
    assert [p.display_name for p in payee_store.payees(ALEX)] == ["Aunt Tish", "Rob"]
