"""Payments to payees (now, on a date, held for review), their idempotency keys and limits,
standing orders, and credit card repayments, on both databases."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, delete, func, inspect, select, text, update

from bank.enums import (
    Frequency,
    PaymentStatus,
    RepaymentChoice,
    StandingOrderStatus,
    TransactionKind,
)
from bank.errors import (
    DailyLimitExceeded,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    InvalidIdempotencyKey,
    InvalidPaymentDate,
    InvalidReference,
    InvalidRepaymentChoice,
    NewPayeeLimitExceeded,
    NoCardStatement,
    NotACreditCard,
    NothingToRepay,
    PaymentLimitExceeded,
    PaymentNotCancellable,
    PaymentNotInReview,
    RepaymentTooLarge,
    SameAccount,
    StandingOrderAlreadyCancelled,
    UnknownAccount,
    UnknownCustomer,
    UnknownPayee,
    UnknownPayment,
    UnknownStandingOrder,
)
from bank.models import Account, CardStatement, Payment, Transaction
from bank.payees import PayeeStore
from bank.payments import (
    PaymentStore,
    daily_limit,
    first_payment_limit,
    minimum_payment,
    next_payment_date,
    payment_limit,
    uk_today,
)
from bank.seed import seed_demo_bank
from bank.store import ProfileStore
from database.engine import session_factory
from tests.support.databases import alembic_config

ALEX, PRIYA = "cus_001", "cus_002"
CURRENT, SAVINGS, CARD = "acc_001_current", "acc_001_savings", "acc_001_credit_card"
PRIYA_CURRENT = "acc_002_current"


@pytest.fixture
def letitia(payee_store: PayeeStore) -> str:
    return payee_store.add_payee(ALEX, "Letitia Jones", "40-11-62", "31926819").id


def _balance(store: ProfileStore, account_id: str, customer_id: str = ALEX) -> Decimal:
    return next(a.balance for a in store.accounts(customer_id) if a.id == account_id)


def _set_balance(engine: Engine, account_id: str, balance: Decimal) -> None:
    with session_factory(engine).begin() as session:
        session.execute(update(Account).where(Account.id == account_id).values(balance=balance))


def _legs(engine: Engine, payment_id: str) -> list[Transaction]:
    with session_factory(engine)() as session:
        return list(session.scalars(select(Transaction).where(Transaction.payment_id == payment_id)))


def _payment_count(engine: Engine) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(Payment)) or 0


# -- paying now ---------------------------------------------------------------------------------


def test_the_policy_limits(payment_store: PaymentStore) -> None:
    assert (payment_limit(), daily_limit(), first_payment_limit()) == (
        Decimal("10000"), Decimal("25000"), Decimal("5000"))


def test_a_payment_debits_the_source_once_and_books_its_leg(
    store: ProfileStore, payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    before = _balance(store, CURRENT)
    paid = payment_store.pay(ALEX, CURRENT, letitia, Decimal("25.50"), "Dinner", idempotency_key="k1")
    assert (paid.status, paid.amount, paid.reference, paid.payee_id) == (
        PaymentStatus.COMPLETED, Decimal("25.50"), "Dinner", letitia)
    assert paid.completed_at is not None and paid.scheduled_for is None
    assert paid.source_balance == before - Decimal("25.50") == _balance(store, CURRENT)
    [leg] = _legs(profile_engine, paid.id)
    assert (leg.account_id, leg.amount, leg.kind) == (CURRENT, Decimal("-25.50"), TransactionKind.PAYMENT)
    assert leg.description == "Payment to Letitia Jones"
    latest = store.recent_transactions(ALEX, CURRENT, limit=1)[0]
    assert (latest.amount, latest.kind) == (Decimal("-25.50"), TransactionKind.PAYMENT)


def test_the_same_key_twice_returns_the_first_payment_and_moves_money_once(
    store: ProfileStore, payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    before = _balance(store, CURRENT)
    first = payment_store.pay(ALEX, CURRENT, letitia, Decimal("40"), idempotency_key="same-key")
    again = payment_store.pay(ALEX, CURRENT, letitia, Decimal("40.00"), idempotency_key="same-key")
    assert again.id == first.id and again.status == PaymentStatus.COMPLETED
    assert _balance(store, CURRENT) == before - Decimal("40.00")
    assert _payment_count(profile_engine) == 1 and len(_legs(profile_engine, first.id)) == 1


def test_a_key_reused_for_another_payment_is_refused(
    payment_store: PaymentStore, letitia: str
) -> None:
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("40"), idempotency_key="k")
    for changed in (
        lambda: payment_store.pay(ALEX, CURRENT, letitia, Decimal("41"), idempotency_key="k"),
        lambda: payment_store.pay(ALEX, SAVINGS, letitia, Decimal("40"), idempotency_key="k"),
        lambda: payment_store.pay(ALEX, CURRENT, letitia, Decimal("40"), "Rent", idempotency_key="k"),
    ):
        with pytest.raises(IdempotencyConflict):
            changed()


def test_keys_are_per_customer(payee_store: PayeeStore, payment_store: PaymentStore, letitia: str) -> None:
    theirs = payee_store.add_payee(PRIYA, "Letitia Jones", "401162", "31926819").id
    mine = payment_store.pay(ALEX, CURRENT, letitia, Decimal("5"), idempotency_key="shared")
    other = payment_store.pay(PRIYA, PRIYA_CURRENT, theirs, Decimal("5"), idempotency_key="shared")
    assert mine.id != other.id


def test_the_same_key_at_once_from_two_threads_pays_once(
    store: ProfileStore, payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    before = _balance(store, CURRENT)
    ids: list[str] = []
    errors: list[BaseException] = []

    def pay() -> None:
        try:
            ids.append(payment_store.pay(ALEX, CURRENT, letitia, Decimal("12.34"), idempotency_key="race").id)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and len(ids) == 4 and len(set(ids)) == 1
    assert _balance(store, CURRENT) == before - Decimal("12.34")
    assert _payment_count(profile_engine) == 1


@pytest.mark.parametrize("amount", ["0", "0.00", "-5", "10.001", "NaN", "abc"])
def test_amounts_that_are_not_money_are_refused(
    payment_store: PaymentStore, letitia: str, amount: str
) -> None:
    with pytest.raises(InvalidAmount):
        payment_store.pay(ALEX, CURRENT, letitia, amount, idempotency_key="k")  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["", "x" * 65, "has space", "ключ"])
def test_malformed_keys_are_refused(payment_store: PaymentStore, letitia: str, key: str) -> None:
    with pytest.raises(InvalidIdempotencyKey):
        payment_store.pay(ALEX, CURRENT, letitia, Decimal("1"), idempotency_key=key)


def test_a_malformed_reference_is_refused(payment_store: PaymentStore, letitia: str) -> None:
    with pytest.raises(InvalidReference):
        payment_store.pay(ALEX, CURRENT, letitia, Decimal("1"), "way too long a reference text",
                          idempotency_key="k")


def test_insufficient_funds_move_nothing_and_leave_the_key_free(
    store: ProfileStore, payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    _set_balance(profile_engine, CURRENT, Decimal("30.00"))
    with pytest.raises(InsufficientFunds, match="isn't enough money"):
        payment_store.pay(ALEX, CURRENT, letitia, Decimal("30.01"), idempotency_key="k")
    assert _balance(store, CURRENT) == Decimal("30.00") and _payment_count(profile_engine) == 0
    paid = payment_store.pay(ALEX, CURRENT, letitia, Decimal("30.00"), idempotency_key="k")
    assert paid.source_balance == 0


def test_a_credit_card_pays_up_to_its_limit(
    store: ProfileStore, payment_store: PaymentStore, letitia: str
) -> None:
    available = next(a.available for a in store.accounts(ALEX) if a.id == CARD)
    with pytest.raises(InsufficientFunds):
        payment_store.pay(ALEX, CARD, letitia, available + Decimal("0.01"), idempotency_key="k")


def test_not_the_customers_payee_or_account(
    payee_store: PayeeStore, payment_store: PaymentStore, letitia: str
) -> None:
    with pytest.raises(UnknownPayee):
        payment_store.pay(PRIYA, PRIYA_CURRENT, letitia, Decimal("1"), idempotency_key="k")
    with pytest.raises(UnknownAccount):
        payment_store.pay(ALEX, PRIYA_CURRENT, letitia, Decimal("1"), idempotency_key="k")
    with pytest.raises(UnknownCustomer):
        payment_store.pay("cus_nobody", CURRENT, letitia, Decimal("1"), idempotency_key="k")
    payee_store.remove_payee(ALEX, letitia)
    with pytest.raises(UnknownPayee):
        payment_store.pay(ALEX, CURRENT, letitia, Decimal("1"), idempotency_key="k")


# -- limits -------------------------------------------------------------------------------------


def test_one_payment_above_the_limit_is_refused(
    payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    _set_balance(profile_engine, CURRENT, Decimal("100000"))
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("1"), idempotency_key="first")
    with pytest.raises(PaymentLimitExceeded):
        payment_store.pay(ALEX, CURRENT, letitia, Decimal("10000.01"), idempotency_key="k")
    assert payment_store.pay(ALEX, CURRENT, letitia, Decimal("10000"), idempotency_key="k").amount == 10000


def test_the_first_payment_to_a_new_payee_has_a_lower_limit(
    payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    _set_balance(profile_engine, CURRENT, Decimal("100000"))
    with pytest.raises(NewPayeeLimitExceeded):
        payment_store.pay(ALEX, CURRENT, letitia, Decimal("5000.01"), idempotency_key="k1")
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("5000"), idempotency_key="k2")
    paid = payment_store.pay(ALEX, CURRENT, letitia, Decimal("6000"), idempotency_key="k3")
    assert paid.status == PaymentStatus.COMPLETED


def test_the_daily_limit_counts_every_payment_today(
    payee_store: PayeeStore, payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    _set_balance(profile_engine, CURRENT, Decimal("100000"))
    _set_balance(profile_engine, SAVINGS, Decimal("100000"))
    robert = payee_store.add_payee(ALEX, "Robert Smith", "401162", "12345678").id
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("5000"), idempotency_key="a")
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("10000"), idempotency_key="b")
    payment_store.pay(ALEX, SAVINGS, robert, Decimal("4000"), idempotency_key="c")
    payment_store.pay(ALEX, SAVINGS, letitia, Decimal("5000"), idempotency_key="d",
                      review_reason="screening")  # held: still counts
    with pytest.raises(DailyLimitExceeded):
        payment_store.pay(ALEX, CURRENT, robert, Decimal("1000.01"), idempotency_key="e")
    later = payment_store.pay(ALEX, CURRENT, robert, Decimal("5000"), on=uk_today() + timedelta(days=1),
                              idempotency_key="f")
    assert later.status == PaymentStatus.SCHEDULED, "a later day's payment is not today's"
    assert payment_store.pay(ALEX, CURRENT, robert, Decimal("1000"), idempotency_key="e").amount == 1000


def test_card_repayments_do_not_count_in_the_daily_limit(
    payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    _set_balance(profile_engine, CURRENT, Decimal("100000"))
    _set_balance(profile_engine, CARD, Decimal("-2000"))
    payment_store.repay_credit_card(ALEX, CURRENT, CARD, "amount", Decimal("2000"), idempotency_key="r")
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("5000"), idempotency_key="a")
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("10000"), idempotency_key="b")
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("10000"), idempotency_key="c")


# -- scheduled, held for review, cancelled --------------------------------------------------------


def test_a_payment_on_a_later_day_moves_no_money_until_it_is_due(
    store: ProfileStore, payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    before = _balance(store, CURRENT)
    day = uk_today() + timedelta(days=3)
    scheduled = payment_store.pay(ALEX, CURRENT, letitia, Decimal("15"), "Rent", on=day, idempotency_key="s")
    assert (scheduled.status, scheduled.scheduled_for, scheduled.completed_at) == (
        PaymentStatus.SCHEDULED, day, None)
    assert _balance(store, CURRENT) == before and _legs(profile_engine, scheduled.id) == []
    assert payment_store.send_due_payments(uk_today()) == []
    [sent] = payment_store.send_due_payments(day)
    assert (sent.id, sent.status) == (scheduled.id, PaymentStatus.COMPLETED)
    assert _balance(store, CURRENT) == before - 15 and len(_legs(profile_engine, sent.id)) == 1
    assert payment_store.send_due_payments(day) == []


def test_a_scheduled_payment_without_the_money_fails_when_due(
    payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    day = uk_today() + timedelta(days=1)
    payment_store.pay(ALEX, CURRENT, letitia, Decimal("4000"), on=day, idempotency_key="s")
    _set_balance(profile_engine, CURRENT, Decimal("10"))
    [failed] = payment_store.send_due_payments(day)
    assert failed.status == PaymentStatus.FAILED and failed.source_balance == Decimal("10")


def test_today_is_now_and_other_days_are_refused(payment_store: PaymentStore, letitia: str) -> None:
    today = uk_today()
    assert payment_store.pay(ALEX, CURRENT, letitia, Decimal("1"), on=today, idempotency_key="t").status == (
        PaymentStatus.COMPLETED)
    for day in (today - timedelta(days=1), today + timedelta(days=400)):
        with pytest.raises(InvalidPaymentDate):
            payment_store.pay(ALEX, CURRENT, letitia, Decimal("1"), on=day, idempotency_key="u")


def test_a_payment_held_for_review_moves_no_money_until_released(
    store: ProfileStore, payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    before = _balance(store, CURRENT)
    reason = "possible scam: new payee, urgent request"
    held = payment_store.pay(ALEX, CURRENT, letitia, Decimal("99"), idempotency_key="h", review_reason=reason)
    assert (held.status, held.review_reason) == (PaymentStatus.REVIEW, reason)
    assert _balance(store, CURRENT) == before and _legs(profile_engine, held.id) == []
    assert payment_store.pay(ALEX, CURRENT, letitia, Decimal("99"), idempotency_key="h").status == "review"
    released = payment_store.release_payment(ALEX, held.id)
    assert released.status == PaymentStatus.COMPLETED and _balance(store, CURRENT) == before - 99
    assert len(_legs(profile_engine, held.id)) == 1
    with pytest.raises(PaymentNotInReview):
        payment_store.release_payment(ALEX, held.id)
    with pytest.raises(PaymentNotCancellable):
        payment_store.cancel_payment(ALEX, held.id)


def test_a_held_payment_for_a_later_day_is_scheduled_when_released(
    payment_store: PaymentStore, letitia: str
) -> None:
    day = uk_today() + timedelta(days=2)
    held = payment_store.pay(ALEX, CURRENT, letitia, Decimal("5"), on=day, idempotency_key="h",
                             review_reason="x")
    assert held.status == PaymentStatus.REVIEW
    assert payment_store.release_payment(ALEX, held.id).status == PaymentStatus.SCHEDULED


def test_a_held_or_scheduled_payment_can_be_cancelled(
    store: ProfileStore, payment_store: PaymentStore, letitia: str
) -> None:
    before = _balance(store, CURRENT)
    held = payment_store.pay(ALEX, CURRENT, letitia, Decimal("5"), idempotency_key="h", review_reason="x")
    later = payment_store.pay(ALEX, CURRENT, letitia, Decimal("5"), on=uk_today() + timedelta(days=1),
                              idempotency_key="l")
    for payment in (held, later):
        assert payment_store.cancel_payment(ALEX, payment.id).status == PaymentStatus.CANCELLED
        with pytest.raises(PaymentNotCancellable):
            payment_store.cancel_payment(ALEX, payment.id)
    with pytest.raises(PaymentNotInReview):
        payment_store.release_payment(ALEX, held.id)
    assert _balance(store, CURRENT) == before
    with pytest.raises(UnknownPayment):
        payment_store.cancel_payment(PRIYA, held.id)
    assert [p.id for p in payment_store.payments(ALEX)] == [later.id, held.id]


def test_a_held_payment_released_without_the_money_stays_held(
    payment_store: PaymentStore, letitia: str, profile_engine: Engine
) -> None:
    held = payment_store.pay(ALEX, CURRENT, letitia, Decimal("50"), idempotency_key="h", review_reason="x")
    _set_balance(profile_engine, CURRENT, Decimal("10"))
    with pytest.raises(InsufficientFunds):
        payment_store.release_payment(ALEX, held.id)
    assert payment_store.payments(ALEX)[0].status == PaymentStatus.REVIEW


# -- standing orders ----------------------------------------------------------------------------


def test_standing_orders_are_made_listed_and_cancelled(payment_store: PaymentStore, letitia: str) -> None:
    first = uk_today() + timedelta(days=7)
    order = payment_store.create_standing_order(ALEX, CURRENT, letitia, Decimal("50"), "monthly", first,
                                                "Pocket money")
    assert (order.frequency, order.next_date, order.status, order.reference) == (
        Frequency.MONTHLY, first, StandingOrderStatus.ACTIVE, "Pocket money")
    weekly = payment_store.create_standing_order(ALEX, SAVINGS, letitia, Decimal("5"), Frequency.WEEKLY,
                                                 uk_today())
    assert [o.id for o in payment_store.standing_orders(ALEX)] == [weekly.id, order.id]
    assert payment_store.cancel_standing_order(ALEX, order.id).status == StandingOrderStatus.CANCELLED
    assert [o.id for o in payment_store.standing_orders(ALEX)] == [weekly.id]
    with pytest.raises(StandingOrderAlreadyCancelled):
        payment_store.cancel_standing_order(ALEX, order.id)
    with pytest.raises(UnknownStandingOrder):
        payment_store.cancel_standing_order(PRIYA, weekly.id)


def test_a_repeated_key_sets_up_one_standing_order(payment_store: PaymentStore, letitia: str) -> None:
    first = uk_today() + timedelta(days=3)
    order = payment_store.create_standing_order(ALEX, CURRENT, letitia, Decimal("25"), "monthly", first,
                                                idempotency_key="chat-so-1")
    again = payment_store.create_standing_order(ALEX, CURRENT, letitia, Decimal("25"), "monthly", first,
                                                idempotency_key="chat-so-1")
    other = payment_store.create_standing_order(ALEX, CURRENT, letitia, Decimal("25"), "monthly", first,
                                                idempotency_key="chat-so-2")
    assert again.id == order.id and other.id != order.id
    assert [o.id for o in payment_store.standing_orders(ALEX)].count(order.id) == 1
    with pytest.raises(InvalidIdempotencyKey):
        payment_store.create_standing_order(ALEX, CURRENT, letitia, Decimal("25"), "monthly", first,
                                            idempotency_key="")


def test_a_standing_order_pays_on_its_dates_once_each(
    store: ProfileStore, payment_store: PaymentStore, letitia: str
) -> None:
    today = uk_today()
    before = _balance(store, CURRENT)
    order = payment_store.create_standing_order(ALEX, CURRENT, letitia, Decimal("7.50"), "weekly",
                                                today, "Lunch club")
    [sent] = payment_store.send_due_payments(today)
    assert (sent.status, sent.amount, sent.reference, sent.payee_id) == (
        PaymentStatus.COMPLETED, Decimal("7.50"), "Lunch club", letitia)
    assert payment_store.send_due_payments(today) == []
    assert payment_store.standing_orders(ALEX)[0].next_date == today + timedelta(days=7)
    sent_later = payment_store.send_due_payments(today + timedelta(days=14))
    assert len(sent_later) == 2, "a missed week is caught up"
    assert _balance(store, CURRENT) == before - Decimal("22.50")
    payment_store.cancel_standing_order(ALEX, order.id)
    assert payment_store.send_due_payments(today + timedelta(days=60)) == []


@pytest.mark.parametrize(
    ("day", "frequency", "expected"),
    [
        (date(2026, 1, 31), Frequency.MONTHLY, date(2026, 2, 28)),
        (date(2028, 1, 31), Frequency.MONTHLY, date(2028, 2, 29)),
        (date(2026, 12, 15), Frequency.MONTHLY, date(2027, 1, 15)),
        (date(2026, 12, 29), Frequency.WEEKLY, date(2027, 1, 5)),
    ],
)
def test_the_next_date_of_a_standing_order(day: date, frequency: Frequency, expected: date) -> None:
    assert next_payment_date(day, frequency) == expected


@pytest.mark.parametrize(
    ("amount", "frequency", "days", "error"),
    [
        ("0", "monthly", 1, InvalidAmount),
        ("10", "daily", 1, InvalidPaymentDate),
        ("10", "weekly", -1, InvalidPaymentDate),
        ("10", "weekly", 400, InvalidPaymentDate),
        ("10000.01", "weekly", 1, PaymentLimitExceeded),
    ],
)
def test_malformed_standing_orders_are_refused(
    payment_store: PaymentStore, letitia: str, amount: str, frequency: str, days: int, error: type[Exception]
) -> None:
    with pytest.raises(error):
        payment_store.create_standing_order(ALEX, CURRENT, letitia, Decimal(amount), frequency,
                                            uk_today() + timedelta(days=days))


def test_a_standing_order_needs_the_customers_payee_and_account(
    payment_store: PaymentStore, letitia: str
) -> None:
    with pytest.raises(UnknownPayee):
        payment_store.create_standing_order(PRIYA, PRIYA_CURRENT, letitia, Decimal("1"), "weekly", uk_today())
    with pytest.raises(UnknownAccount):
        payment_store.create_standing_order(ALEX, PRIYA_CURRENT, letitia, Decimal("1"), "weekly", uk_today())


# -- credit card repayments ---------------------------------------------------------------------


def _card_statement(engine: Engine, balance: str, owed_now: str) -> None:
    """Alex's card: a statement of ``balance`` issued yesterday, ``owed_now`` owed today."""
    balance_owed = Decimal(balance)
    with session_factory(engine).begin() as session:
        session.execute(
            update(CardStatement).where(CardStatement.account_id == CARD)
            .values(balance=balance_owed, minimum_payment=minimum_payment(balance_owed))
        )
        session.execute(update(Account).where(Account.id == CARD).values(balance=-Decimal(owed_now)))


def test_the_minimum_payment_follows_the_policy() -> None:
    assert minimum_payment(Decimal("1000")) == Decimal("30.00")
    assert minimum_payment(Decimal("100")) == Decimal("5")
    assert minimum_payment(Decimal("3.20")) == Decimal("3.20")
    assert minimum_payment(Decimal("0")) == 0
    assert minimum_payment(Decimal("1234.50")) == Decimal("37.04")


def test_the_seeded_statement(payment_store: PaymentStore) -> None:
    statement = payment_store.card_statement(ALEX, CARD)
    assert statement.issued_on == uk_today() - timedelta(days=1)
    assert statement.minimum_payment == minimum_payment(statement.statement_balance)
    assert statement.due_on == statement.issued_on + timedelta(days=25)
    with pytest.raises(NotACreditCard):
        payment_store.card_statement(ALEX, CURRENT)
    with pytest.raises(UnknownAccount):
        payment_store.card_statement(PRIYA, CARD)


def test_repaying_the_minimum_then_the_rest_of_the_statement(
    store: ProfileStore, payment_store: PaymentStore, profile_engine: Engine
) -> None:
    _card_statement(profile_engine, "1000.00", "1200.00")
    before = _balance(store, CURRENT)
    minimum = payment_store.repay_credit_card(ALEX, CURRENT, CARD, "minimum", idempotency_key="m")
    assert (minimum.amount, minimum.destination_account_id, minimum.payee_id) == (
        Decimal("30.00"), CARD, None)
    legs = {leg.account_id: (leg.amount, leg.kind) for leg in _legs(profile_engine, minimum.id)}
    assert legs == {CURRENT: (Decimal("-30.00"), TransactionKind.TRANSFER),
                    CARD: (Decimal("30.00"), TransactionKind.TRANSFER)}
    statement = payment_store.card_statement(ALEX, CARD)
    assert (statement.paid_since, statement.minimum_left, statement.statement_left, statement.owed_now) == (
        Decimal("30.00"), 0, Decimal("970.00"), Decimal("1170.00"))
    with pytest.raises(NothingToRepay):
        payment_store.repay_credit_card(ALEX, CURRENT, CARD, RepaymentChoice.MINIMUM, idempotency_key="m2")
    full = payment_store.repay_credit_card(ALEX, CURRENT, CARD, "full", idempotency_key="f")
    assert full.amount == Decimal("970.00")
    assert _balance(store, CURRENT) == before - 1000 and _balance(store, CARD) == Decimal("-200.00")
    with pytest.raises(NothingToRepay):
        payment_store.repay_credit_card(ALEX, CURRENT, CARD, "full", idempotency_key="f2")


def test_repaying_a_named_amount_up_to_what_is_owed(
    store: ProfileStore, payment_store: PaymentStore, profile_engine: Engine
) -> None:
    _card_statement(profile_engine, "100.00", "150.00")
    with pytest.raises(RepaymentTooLarge):
        payment_store.repay_credit_card(ALEX, SAVINGS, CARD, "amount", Decimal("150.01"), idempotency_key="a")
    paid = payment_store.repay_credit_card(ALEX, SAVINGS, CARD, "amount", Decimal("150"), idempotency_key="a")
    assert paid.amount == 150 and _balance(store, CARD) == 0
    with pytest.raises(NothingToRepay):
        payment_store.repay_credit_card(ALEX, SAVINGS, CARD, "amount", Decimal("1"), idempotency_key="b")


def test_full_is_what_is_owed_now_when_less_than_the_statement(
    payment_store: PaymentStore, profile_engine: Engine
) -> None:
    _card_statement(profile_engine, "500.00", "120.00")
    assert payment_store.repay_credit_card(ALEX, CURRENT, CARD, "full", idempotency_key="f").amount == 120


def test_a_repayment_is_idempotent(
    store: ProfileStore, payment_store: PaymentStore, profile_engine: Engine
) -> None:
    _card_statement(profile_engine, "1000.00", "1000.00")
    before = _balance(store, CURRENT)
    first = payment_store.repay_credit_card(ALEX, CURRENT, CARD, "minimum", idempotency_key="r")
    again = payment_store.repay_credit_card(ALEX, CURRENT, CARD, "minimum", idempotency_key="r")
    assert again.id == first.id and _balance(store, CURRENT) == before - 30
    with pytest.raises(IdempotencyConflict):
        payment_store.repay_credit_card(ALEX, SAVINGS, CARD, "minimum", idempotency_key="r")


@pytest.mark.parametrize(
    ("source", "card", "choice", "amount", "error"),
    [
        (CURRENT, CARD, "most", None, InvalidRepaymentChoice),
        (CURRENT, CARD, "amount", None, InvalidRepaymentChoice),
        (CURRENT, CARD, "full", Decimal("5"), InvalidRepaymentChoice),
        (CURRENT, CARD, "amount", Decimal("-5"), InvalidAmount),
        (CURRENT, SAVINGS, "full", None, NotACreditCard),
        (CARD, CARD, "full", None, SameAccount),
        (PRIYA_CURRENT, CARD, "full", None, UnknownAccount),
    ],
)
def test_malformed_repayments_are_refused(
    payment_store: PaymentStore, source: str, card: str, choice: str, amount: Decimal | None,
    error: type[Exception]
) -> None:
    with pytest.raises(error):
        payment_store.repay_credit_card(ALEX, source, card, choice, amount, idempotency_key="x")


def test_a_repayment_needs_the_money(payment_store: PaymentStore, profile_engine: Engine) -> None:
    _card_statement(profile_engine, "1000.00", "1000.00")
    _set_balance(profile_engine, CURRENT, Decimal("10"))
    with pytest.raises(InsufficientFunds):
        payment_store.repay_credit_card(ALEX, CURRENT, CARD, "minimum", idempotency_key="r")


def test_minimum_or_full_needs_a_statement(payment_store: PaymentStore, profile_engine: Engine) -> None:
    with session_factory(profile_engine).begin() as session:
        session.execute(delete(CardStatement).where(CardStatement.account_id == CARD))
    with pytest.raises(NoCardStatement):
        payment_store.repay_credit_card(ALEX, CURRENT, CARD, "minimum", idempotency_key="r")
    with pytest.raises(NoCardStatement):
        payment_store.card_statement(ALEX, CARD)


# -- the migration ------------------------------------------------------------------------------


def test_the_payments_revision_upgrades_and_downgrades_with_payments_stored(
    empty_database_url: str,
) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    engine = create_engine(empty_database_url)
    try:
        sessions = session_factory(engine)
        seed_demo_bank(sessions)
        payee = PayeeStore(sessions).add_payee(ALEX, "Letitia Jones", "401162", "31926819")
        paid = PaymentStore(sessions).pay(ALEX, CURRENT, payee.id, Decimal("5"), idempotency_key="m")
        command.downgrade(config, "0013_staff_skills_routing")
        tables = set(inspect(engine).get_table_names())
        assert not tables & {"payee_directory", "payees", "payments", "standing_orders", "card_statements"}
        with engine.connect() as connection:
            kinds = connection.execute(
                text("SELECT kind FROM transactions WHERE description = 'Payment to Letitia Jones'")
            ).scalars().all()
        assert kinds == ["other"], "the leg is kept, as a kind the older schema knows"
        command.upgrade(config, "head")
        assert {"payees", "payments"} <= set(inspect(engine).get_table_names())
        assert paid.status == PaymentStatus.COMPLETED
    finally:
        engine.dispose()
