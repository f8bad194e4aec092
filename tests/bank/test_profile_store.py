"""ProfileStore on the seeded demo bank: reads, transfers, cards, goals and errors."""

from datetime import UTC
from decimal import Decimal

import pytest
from sqlalchemy import Engine, event, func, select

from bank.enums import (
    AccountKind,
    CardKind,
    CardStatus,
    Category,
    GoalStatus,
    GoalType,
    RiskTolerance,
)
from bank.errors import (
    InsufficientFunds,
    InvalidAmount,
    InvalidGoal,
    InvalidReference,
    NoActiveCard,
    ProfileStoreError,
    SameAccount,
    UnknownAccount,
    UnknownCard,
    UnknownCustomer,
)
from bank.models import Transaction, Transfer
from bank.store import ProfileStore
from bank.views import AccountView, GoalInput
from database.engine import session_factory

ALEX = "cus_001"
CURRENT, SAVINGS, CREDIT = "acc_001_current", "acc_001_savings", "acc_001_credit_card"
PRIYA_CURRENT = "acc_002_current"


def _balances(store: ProfileStore, customer_id: str = ALEX) -> dict[str, Decimal]:
    return {a.id: a.balance for a in store.accounts(customer_id)}


def _count(engine: Engine, model: type) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _assert_customer_safe(error: ProfileStoreError, *private: str) -> None:
    message = str(error)
    assert message and all(secret not in message for secret in private)


# -- reads ----------------------------------------------------------------------------


def test_customer_profile_is_a_frozen_view(store: ProfileStore):
    alex = store.get_customer(ALEX)
    assert alex is not None
    assert (alex.country_of_residence, alex.birth_year) == ("GB", 1991)
    assert isinstance(alex.annual_income, Decimal)
    assert alex.created_at.tzinfo == UTC
    with pytest.raises(AttributeError):
        alex.first_name = "Sam"  # type: ignore[misc]
    assert store.get_customer("cus_999") is None
    assert [c.id for c in store.list_customers()][:2] == ["cus_001", "cus_002"]


def test_accounts_show_balances_and_credit_available(store: ProfileStore):
    accounts = {a.kind: a for a in store.accounts(ALEX)}
    assert set(accounts) == {AccountKind.CURRENT, AccountKind.SAVINGS, AccountKind.CREDIT_CARD}
    current = accounts[AccountKind.CURRENT]
    assert current.masked_number == "****4821" and current.currency == "GBP"
    assert current.available == current.balance
    card = accounts[AccountKind.CREDIT_CARD]
    assert card.available == card.balance + Decimal("3000.00")
    assert all(isinstance(a.balance, Decimal) for a in accounts.values())


def test_recent_transactions_newest_first_and_filtered_by_account(store: ProfileStore):
    latest = store.recent_transactions(ALEX)
    assert len(latest) == 5
    assert [t.booked_at for t in latest] == sorted((t.booked_at for t in latest), reverse=True)
    assert all(t.booked_at.tzinfo == UTC for t in latest)

    savings = store.recent_transactions(ALEX, SAVINGS, limit=50)
    assert savings and {t.account_id for t in savings} == {SAVINGS}
    assert len(store.recent_transactions(ALEX, limit=1000)) == 100


def test_recent_transactions_refuse_another_customers_account(store: ProfileStore):
    with pytest.raises(UnknownAccount) as error:
        store.recent_transactions(ALEX, PRIYA_CURRENT)
    _assert_customer_safe(error.value, PRIYA_CURRENT, ALEX)


# -- transfers ------------------------------------------------------------------------


def test_transfer_moves_money_and_books_both_legs(store: ProfileStore, profile_engine: Engine):
    before = _balances(store)

    done = store.transfer(ALEX, SAVINGS, CURRENT, Decimal("250.50"), reference="Rent top-up")

    after = _balances(store)
    assert after[SAVINGS] == before[SAVINGS] - Decimal("250.50") == done.source_balance
    assert after[CURRENT] == before[CURRENT] + Decimal("250.50") == done.destination_balance
    assert (done.amount, done.currency, done.reference) == (Decimal("250.50"), "GBP", "Rent top-up")
    legs = [t for t in store.recent_transactions(ALEX, limit=10) if t.transfer_id == done.id]
    assert sorted(t.amount for t in legs) == [Decimal("-250.50"), Decimal("250.50")]
    assert {t.category for t in legs} == {Category.TRANSFER}
    assert {t.description for t in legs} == {
        "Transfer to Everyday Current",
        "Transfer from Rainy Day Saver",
    }


def test_transfer_can_use_a_credit_limit_but_not_beyond(store: ProfileStore):
    card = next(a for a in store.accounts(ALEX) if a.id == CREDIT)
    store.transfer(ALEX, CREDIT, CURRENT, card.available)  # a cash advance up to the limit
    assert _balances(store)[CREDIT] == Decimal("-3000.00")
    with pytest.raises(InsufficientFunds):
        store.transfer(ALEX, CREDIT, CURRENT, Decimal("0.01"))


def test_insufficient_funds_changes_nothing(store: ProfileStore, profile_engine: Engine):
    before = _balances(store)
    transfers = _count(profile_engine, Transfer)
    too_much = before[CURRENT] + Decimal("0.01")

    with pytest.raises(InsufficientFunds) as error:
        store.transfer(ALEX, CURRENT, SAVINGS, too_much)

    assert _balances(store) == before
    assert _count(profile_engine, Transfer) == transfers
    _assert_customer_safe(error.value, str(too_much), str(before[CURRENT]), ALEX)


@pytest.mark.parametrize(
    ("source", "destination"),
    [(CURRENT, PRIYA_CURRENT), (PRIYA_CURRENT, CURRENT), (CURRENT, "acc_404")],
)
def test_transfer_refuses_accounts_that_are_not_the_customers(store, source, destination):
    before = _balances(store)
    priya_before = _balances(store, "cus_002")
    with pytest.raises(UnknownAccount) as error:
        store.transfer(ALEX, source, destination, Decimal("10.00"))
    assert _balances(store) == before
    assert _balances(store, "cus_002") == priya_before
    _assert_customer_safe(error.value, PRIYA_CURRENT, ALEX)


def test_transfer_to_the_same_account_is_refused(store: ProfileStore):
    with pytest.raises(SameAccount):
        store.transfer(ALEX, CURRENT, CURRENT, Decimal("10.00"))


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("0"),
        Decimal("0.00"),
        Decimal("-5.00"),
        Decimal("1.005"),
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("1E+12"),
        "ten pounds",
        0.1 + 0.2,
    ],
)
def test_invalid_amounts_are_refused(store: ProfileStore, amount):
    before = _balances(store)
    with pytest.raises(InvalidAmount):
        store.transfer(ALEX, SAVINGS, CURRENT, amount)
    assert _balances(store) == before


def test_amounts_with_trailing_zeros_or_whole_pounds_are_fine(store: ProfileStore):
    assert store.transfer(ALEX, SAVINGS, CURRENT, Decimal("12.500")).amount == Decimal("12.50")
    assert store.transfer(ALEX, SAVINGS, CURRENT, 20).amount == Decimal("20.00")  # type: ignore[arg-type]


@pytest.mark.parametrize("reference", ["x" * 19, "rent\nDROP TABLE", "café ☕"])
def test_bad_references_are_refused(store: ProfileStore, reference: str):
    with pytest.raises(InvalidReference):
        store.transfer(ALEX, SAVINGS, CURRENT, Decimal("1.00"), reference=reference)


def test_a_failure_midway_leaves_no_half_transfer(store: ProfileStore, profile_engine: Engine):
    """The database fails while booking the transactions: balances must not have moved."""
    before = _balances(store)
    counts = (_count(profile_engine, Transfer), _count(profile_engine, Transaction))

    def fail_on_transactions(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO TRANSACTIONS"):
            raise RuntimeError("simulated database failure")

    event.listen(profile_engine, "before_cursor_execute", fail_on_transactions)
    try:
        with pytest.raises(RuntimeError, match="simulated"):
            store.transfer(ALEX, SAVINGS, CURRENT, Decimal("100.00"))
    finally:
        event.remove(profile_engine, "before_cursor_execute", fail_on_transactions)

    assert _balances(store) == before
    assert (_count(profile_engine, Transfer), _count(profile_engine, Transaction)) == counts


# -- cards ----------------------------------------------------------------------------


def test_freeze_the_only_debit_card_twice_then_unfreeze(store: ProfileStore):
    frozen = store.freeze_card(ALEX)
    assert (frozen.id, frozen.kind, frozen.status) == ("card_001_current", CardKind.DEBIT, CardStatus.FROZEN)
    again = store.freeze_card(ALEX)
    assert again == frozen  # idempotent: nothing changed, not even the timestamp
    credit = next(c for c in store.cards(ALEX) if c.kind == CardKind.CREDIT)
    assert credit.status == CardStatus.ACTIVE

    active = store.unfreeze_card(ALEX, frozen.id)
    assert active.status == CardStatus.ACTIVE and active.status_changed_at >= frozen.status_changed_at


def test_freeze_a_named_credit_card(store: ProfileStore):
    assert store.freeze_card(ALEX, "card_001_credit_card").status == CardStatus.FROZEN
    debit = next(c for c in store.cards(ALEX) if c.kind == CardKind.DEBIT)
    assert debit.status == CardStatus.ACTIVE


def test_cancelled_cards_cannot_be_frozen_or_unfrozen(store: ProfileStore):
    tom = "cus_003"
    cancelled = next(c for c in store.cards(tom) if c.status == CardStatus.CANCELLED)
    with pytest.raises(NoActiveCard):
        store.freeze_card(tom, cancelled.id)
    with pytest.raises(NoActiveCard):
        store.unfreeze_card(tom, cancelled.id)
    assert store.freeze_card(tom).id != cancelled.id  # the replacement card is chosen


def test_another_customers_card_is_unknown(store: ProfileStore):
    with pytest.raises(UnknownCard):
        store.freeze_card(ALEX, "card_002_current")
    assert next(c for c in store.cards("cus_002") if c.id == "card_002_current").status == (CardStatus.ACTIVE)


# -- goals ----------------------------------------------------------------------------


def test_goals_are_saved_and_listed_newest_first(store: ProfileStore):
    assert store.goals(ALEX) == []
    first = store.save_goal(ALEX, GoalInput("save", Decimal("5000.00"), 24, "low", Decimal("200.00")))
    second = store.save_goal(
        ALEX,
        GoalInput(GoalType.INVEST, Decimal("10000"), 120, RiskTolerance.HIGH, Decimal("150")),
    )
    assert (first.goal_type, first.risk_tolerance, first.status) == (
        GoalType.SAVE,
        RiskTolerance.LOW,
        GoalStatus.ACTIVE,
    )
    assert [g.id for g in store.goals(ALEX)] == [second.id, first.id]
    assert store.goals("cus_002") == []


@pytest.mark.parametrize(
    ("goal", "error"),
    [
        (GoalInput("retire", Decimal("100"), 12, "low", Decimal("10")), InvalidGoal),
        (GoalInput("save", Decimal("100"), 12, "reckless", Decimal("10")), InvalidGoal),
        (GoalInput("save", Decimal("100"), 0, "low", Decimal("10")), InvalidGoal),
        (GoalInput("save", Decimal("-100"), 12, "low", Decimal("10")), InvalidAmount),
        (GoalInput("save", Decimal("100"), 12, "low", Decimal("10.001")), InvalidAmount),
    ],
)
def test_invalid_goals_are_refused(store: ProfileStore, goal: GoalInput, error: type):
    with pytest.raises(error):
        store.save_goal(ALEX, goal)
    assert store.goals(ALEX) == []


# -- unknown customer -----------------------------------------------------------------

UNKNOWN = "cus_404"


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.accounts(UNKNOWN),
        lambda s: s.find_account(UNKNOWN, "savings"),
        lambda s: s.recent_transactions(UNKNOWN),
        lambda s: s.cards(UNKNOWN),
        lambda s: s.freeze_card(UNKNOWN),
        lambda s: s.unfreeze_card(UNKNOWN, "card_001_current"),
        lambda s: s.transfer(UNKNOWN, SAVINGS, CURRENT, Decimal("1.00")),
        lambda s: s.goals(UNKNOWN),
        lambda s: s.save_goal(UNKNOWN, GoalInput("save", Decimal("1"), 1, "low", Decimal("0"))),
    ],
)
def test_unknown_customer_is_refused_everywhere(store: ProfileStore, call):
    before = _balances(store)
    with pytest.raises(UnknownCustomer) as error:
        call(store)
    _assert_customer_safe(error.value, UNKNOWN)
    assert _balances(store) == before


def test_views_are_never_orm_objects(store: ProfileStore):
    account = store.find_account(ALEX, "savings")
    assert type(account) is AccountView
