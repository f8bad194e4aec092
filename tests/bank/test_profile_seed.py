"""The demo bank: enough varied, consistent data, seeded once."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import Engine, delete, func, select

from bank.demo_customers import DEMO_LOGINS
from bank.enums import AccountKind, CardKind, CardStatus, Category, TransactionStatus
from bank.models import Account, CustomerLogin, Transaction
from bank.seed import main, seed_demo_bank
from bank.store import ProfileStore
from database.engine import session_factory
from tests.support.databases import alembic_config


def test_demo_customer_alex_can_move_a_few_hundred_pounds(store: ProfileStore):
    alex = store.get_customer("cus_001")
    assert alex is not None and alex.first_name == "Alex"
    by_name = {a.name: a for a in store.accounts("cus_001")}
    assert by_name["Everyday Current"].kind == AccountKind.CURRENT
    assert by_name["Rainy Day Saver"].kind == AccountKind.SAVINGS
    assert by_name["Rainy Day Saver"].balance >= Decimal("1000")
    assert by_name["Everyday Current"].balance >= Decimal("300")


def test_customers_vary_and_hold_two_to_four_accounts_with_debit_cards(store: ProfileStore):
    customers = store.list_customers()
    assert len(customers) >= 6
    assert len({c.credit_band for c in customers}) >= 4
    assert len({c.employment_status for c in customers}) >= 4
    assert max(c.birth_year for c in customers) - min(c.birth_year for c in customers) >= 30
    for customer in customers:
        accounts = store.accounts(customer.id)
        assert 2 <= len(accounts) <= 4
        currents = {a.id for a in accounts if a.kind == AccountKind.CURRENT}
        debit_cards = {
            c.account_id
            for c in store.cards(customer.id)
            if c.kind == CardKind.DEBIT and c.status == CardStatus.ACTIVE
        }
        assert currents and currents == debit_cards


def test_history_covers_the_last_90_days_with_everyday_spending(profile_engine: Engine, store):
    now = datetime.now(UTC)
    with session_factory(profile_engine)() as session:
        count, first, last = session.execute(
            select(func.count(), func.min(Transaction.booked_at), func.max(Transaction.booked_at))
        ).one()
        categories = set(session.scalars(select(Transaction.category).distinct()))
    assert 300 <= count <= 2000
    assert now - timedelta(days=91) <= first and last <= now
    assert {Category.SALARY, Category.RENT, Category.GROCERIES, Category.TRANSPORT} <= categories
    assert {Category.EATING_OUT, Category.UTILITIES, Category.ENTERTAINMENT} <= categories


@pytest.mark.parametrize(
    "today",
    [date(2026, 12, 6), date(2026, 10, 24), date(2027, 3, 1), date(2028, 2, 29)],
    ids=str,
)
def test_alex_is_paid_on_every_25th_of_the_history(profile_engine: Engine, today: date):
    sessions = session_factory(profile_engine)
    seed_demo_bank(sessions, reset=True, today=today)
    with sessions() as session:
        paid_on = session.scalars(
            select(Transaction.booked_at).where(
                Transaction.account_id == "acc_001_current", Transaction.category == Category.SALARY
            )
        ).all()
        amounts = session.scalars(
            select(Transaction.amount).where(
                Transaction.account_id == "acc_001_current", Transaction.category == Category.SALARY
            )
        ).all()
    history = [today - timedelta(days=n) for n in range(1, 91)]
    assert sorted(t.date() for t in paid_on) == sorted(d for d in history if d.day == 25)
    assert len(paid_on) in (2, 3)
    assert all(amount > 0 for amount in amounts)


def test_every_balance_is_the_sum_of_its_booked_transactions(profile_engine: Engine, store):
    with session_factory(profile_engine)() as session:
        sum_rows = session.execute(
            select(Transaction.account_id, func.sum(Transaction.amount))
            .where(Transaction.status == TransactionStatus.BOOKED)
            .group_by(Transaction.account_id)
        )
        sums: dict[str, Decimal] = {account_id: total for account_id, total in sum_rows}
        balance_rows = session.execute(select(Account.id, Account.balance))
        balances: dict[str, Decimal] = {account_id: balance for account_id, balance in balance_rows}
    assert balances.keys() == sums.keys()
    for account_id, balance in balances.items():
        assert Decimal(sums[account_id]).quantize(Decimal("0.01")) == balance, account_id


def test_seeding_twice_adds_nothing_and_reset_rebuilds_the_same_bank(profile_engine, store):
    sessions = session_factory(profile_engine)
    before = [(a.id, a.balance) for c in store.list_customers() for a in store.accounts(c.id)]

    again = seed_demo_bank(sessions)
    assert again.skipped
    assert again.customers == 7

    rebuilt = seed_demo_bank(sessions, reset=True)
    assert not rebuilt.skipped
    assert (rebuilt.customers, rebuilt.transactions) == (again.customers, again.transactions)
    after = [(a.id, a.balance) for c in store.list_customers() for a in store.accounts(c.id)]
    assert after == before


def test_command_line_needs_migrations_then_seeds_once(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--database-url", url]) == 1
    assert "alembic upgrade head" in capsys.readouterr().err

    command.upgrade(alembic_config(url), "head")
    assert main(["--database-url", url]) == 0
    assert "done: 7 customers" in capsys.readouterr().out
    assert main(["--database-url", url]) == 0
    assert "unchanged: 7 customers" in capsys.readouterr().out


def test_a_bank_seeded_before_logins_gets_its_demo_logins(profile_engine: Engine,
                                                           store: ProfileStore) -> None:
    sessions = session_factory(profile_engine)
    with sessions.begin() as session:
        session.execute(delete(CustomerLogin))
    assert store.customer_for_login(DEMO_LOGINS[0].subject) is None

    again = seed_demo_bank(sessions)
    assert again.skipped
    assert [store.customer_for_login(d.subject) for d in DEMO_LOGINS] == [d.customer_id for d in DEMO_LOGINS]
    seed_demo_bank(sessions)  # and only once
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(CustomerLogin)) == len(DEMO_LOGINS)
