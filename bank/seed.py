"""A demo bank: seven customers with accounts, cards and 90 days of transactions.

Run ``python -m bank.seed [--reset]`` after ``alembic upgrade head``.
The data come from a fixed random seed; dates are relative to today. Every account's
balance equals the sum of its transactions (the first is an "Opening balance").
The demo customer is ``cus_001`` (Alex): "Everyday Current" and "Rainy Day Saver".
"""

import argparse
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, delete, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from bank.demo_customers import (
    CREDIT_CARD_SPENDING,
    CUSTOMERS,
    DEMO_LOGINS,
    EVERYDAY_SPENDING,
    MONTHLY_BILLS,
    CustomerSpec,
)
from bank.enums import AccountKind, CardStatus, Category
from bank.models import (
    Account,
    Base,
    Card,
    Customer,
    CustomerLogin,
    Goal,
    Transaction,
    Transfer,
)
from database.engine import get_engine, session_factory

RANDOM_SEED = 20240601
DAYS = 90


@dataclass
class _Ledger:
    """The rows of one customer, built in memory; ids are deterministic."""

    customer: Customer
    accounts: list[Account] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)

    def in_insert_order(self) -> list[list[Any]]:
        """Row groups, parents before children (the models have no relationships)."""
        return [[self.customer], self.accounts, self.cards, self.transfers, self.transactions]

    def transaction(
        self,
        account: Account,
        when: datetime,
        amount: Decimal,
        description: str,
        category: Category,
        transfer_id: str | None = None,
    ) -> None:
        account.balance += amount
        self.transactions.append(
            Transaction(
                id=f"txn_{account.id[4:]}_{len(self.transactions) + 1:05d}",
                account_id=account.id,
                booked_at=when,
                amount=amount,
                currency="GBP",
                description=description,
                category=category,
                transfer_id=transfer_id,
            )
        )

    def transfer(
        self,
        source: Account,
        destination: Account,
        when: datetime,
        amount: Decimal,
        reference: str,
    ) -> None:
        transfer_id = f"trf_{self.customer.id[4:]}_{len(self.transfers) + 1:04d}"
        self.transfers.append(
            Transfer(
                id=transfer_id,
                customer_id=self.customer.id,
                source_account_id=source.id,
                destination_account_id=destination.id,
                amount=amount,
                reference=reference,
                created_at=when,
            )
        )
        self.transaction(
            source, when, -amount, f"Transfer to {destination.name}", Category.TRANSFER, transfer_id
        )
        self.transaction(
            destination,
            when,
            amount,
            f"Transfer from {source.name}",
            Category.TRANSFER,
            transfer_id,
        )


@dataclass(frozen=True)
class SeedReport:
    customers: int
    accounts: int
    cards: int
    transactions: int
    skipped: bool


def seed_demo_bank(
    sessions: sessionmaker[Session],
    *,
    reset: bool = False,
    today: date | None = None,
    progress: Callable[[str], None] = lambda _line: None,
) -> SeedReport:
    """Fill an empty, migrated profile database with the demo bank.

    Args:
        sessions: sessions on the database.
        reset: delete every profile row first (goals and transfers made since included).
        today: the history covers the 90 days before it (default: today, UTC).
        progress: called with one line per step.

    Returns:
        What is in the database afterwards; ``skipped`` when customers already existed.
    """
    today = today or datetime.now(UTC).date()
    with sessions.begin() as session:
        if reset:
            for model in (CustomerLogin, Transaction, Transfer, Goal, Card, Account, Customer):
                session.execute(delete(model))
            progress("deleted the existing profile data")
        elif session.scalar(select(func.count()).select_from(Customer)):
            added = _add_missing_logins(session)
            progress(f"customers already exist: {added} demo logins added, nothing else to do "
                     "(use --reset to start again)")
            return _report(session, skipped=True)

        rng = random.Random(RANDOM_SEED)
        for spec in CUSTOMERS:
            ledger = _insert_customer(session, spec, rng, today)
            progress(
                f"{spec.id}: {len(ledger.accounts)} accounts, {len(ledger.cards)} cards, "
                f"{len(ledger.transactions)} transactions"
            )
        session.add_all(CustomerLogin(subject=d.subject, customer_id=d.customer_id) for d in DEMO_LOGINS)
        progress(f"{len(DEMO_LOGINS)} logins at the identity provider")
        return _report(session, skipped=False)


def _add_missing_logins(session: Session) -> int:
    """Add the demo logins a database seeded before logins existed lacks; how many."""
    known = set(session.scalars(select(CustomerLogin.subject)))
    customers = set(session.scalars(select(Customer.id)))
    missing = [d for d in DEMO_LOGINS if d.subject not in known and d.customer_id in customers]
    session.add_all(CustomerLogin(subject=d.subject, customer_id=d.customer_id) for d in missing)
    return len(missing)


def add_customer(sessions: sessionmaker[Session], spec: CustomerSpec, today: date | None = None) -> None:
    """Add one customer (accounts, cards, 90 days of history) to a seeded database."""
    today = today or datetime.now(UTC).date()
    with sessions.begin() as session:
        _insert_customer(session, spec, random.Random(RANDOM_SEED), today)


def spec_of(customer_id: str) -> CustomerSpec:
    """The demo bank's specification of one customer (a template for more)."""
    return next(spec for spec in CUSTOMERS if spec.id == customer_id)


def _insert_customer(session: Session, spec: CustomerSpec, rng: random.Random, today: date) -> _Ledger:
    ledger = _build_customer(spec, rng, today)
    for rows in ledger.in_insert_order():
        session.add_all(rows)
        session.flush()
    return ledger


def _report(session: Session, skipped: bool) -> SeedReport:
    def count(model: type[Base]) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return SeedReport(count(Customer), count(Account), count(Card), count(Transaction), skipped)


def _build_customer(spec: CustomerSpec, rng: random.Random, today: date) -> _Ledger:
    start = today - timedelta(days=DAYS)
    joined = _at(start - timedelta(days=rng.randint(400, 3000)), 10)
    ledger = _Ledger(
        Customer(
            id=spec.id,
            first_name=spec.first_name,
            birth_year=spec.birth_year,
            country_of_residence=spec.country_of_residence,
            credit_band=spec.credit_band,
            annual_income=spec.annual_income,
            employment_status=spec.employment_status,
            created_at=joined,
        )
    )
    accounts: dict[AccountKind, Account] = {}
    for n, account_spec in enumerate(spec.accounts):
        account = Account(
            id=f"acc_{spec.id[4:]}_{account_spec.kind.value}",
            customer_id=spec.id,
            kind=account_spec.kind,
            name=account_spec.name,
            masked_number=f"****{account_spec.number}",
            currency="GBP",
            balance=Decimal("0.00"),
            credit_limit=account_spec.credit_limit,
            opened_at=joined + timedelta(days=30 * n),
        )
        ledger.accounts.append(account)
        accounts[account_spec.kind] = account
        if account_spec.card_last4:
            ledger.cards.append(_card(f"card_{account.id[4:]}", account, account_spec.card_last4, joined))
        ledger.transaction(account, _at(start, 0), account_spec.opening, "Opening balance", Category.OTHER)
    if spec.cancelled_card_last4:
        current = accounts[AccountKind.CURRENT]
        old = _card(f"card_{current.id[4:]}_old", current, spec.cancelled_card_last4, joined)
        old.status = CardStatus.CANCELLED
        ledger.cards.append(old)

    for day in _days(start, today):
        _book_day(ledger, spec, accounts, day, rng)
    return ledger


def _book_day(
    ledger: _Ledger,
    spec: CustomerSpec,
    accounts: dict[AccountKind, Account],
    day: date,
    rng: random.Random,
) -> None:
    current = accounts[AccountKind.CURRENT]
    payer, income = spec.monthly_income
    if day.day == 25:
        ledger.transaction(current, _at(day, 6), income, payer, Category.SALARY)
    payee, housing, housing_category = spec.housing
    if day.day == 1:
        ledger.transaction(current, _at(day, 7), -housing, payee, housing_category)
    for payee, category, amount, day_of_month in MONTHLY_BILLS:
        if day.day == day_of_month and _pays_bill(spec, payee):
            ledger.transaction(current, _at(day, 8), -amount, payee, category)
    savings = accounts.get(AccountKind.SAVINGS)
    if day.day == 26 and savings is not None and spec.monthly_saving > 0:
        ledger.transfer(current, savings, _at(day, 9), spec.monthly_saving, "MONTHLY SAVING")
    if day.day == 28:
        for kind in (AccountKind.SAVINGS, AccountKind.ISA):
            if kind in accounts:
                interest = (accounts[kind].balance * Decimal("0.0030")).quantize(Decimal("0.01"))
                ledger.transaction(accounts[kind], _at(day, 3), interest, "Interest", Category.OTHER)
    card = accounts.get(AccountKind.CREDIT_CARD)
    if card is not None:
        if rng.random() < 0.12:
            merchant, category, low, high = rng.choice(CREDIT_CARD_SPENDING)
            ledger.transaction(
                card, _at(day, rng.randint(10, 21)), -_money(rng, low, high), merchant, category
            )
        if day.day == 20 and card.balance < 0:
            ledger.transfer(current, card, _at(day, 9), -card.balance, "CARD PAYMENT")

    for merchant, category, low, high, per_week in EVERYDAY_SPENDING:
        if rng.random() < per_week * spec.spend_level / 7:
            amount = _money(rng, low, high)
            if current.balance - amount > 50:  # people stop spending before they go overdrawn
                ledger.transaction(current, _at(day, rng.randint(8, 21)), -amount, merchant, category)


def _pays_bill(spec: CustomerSpec, payee: str) -> bool:
    """Everyone pays utilities; subscriptions depend on the customer (stable per pair)."""
    if payee in ("OCTOPUS ENERGY", "THAMES WATER", "VODAFONE"):
        return True
    return (sum(map(ord, spec.id + payee)) % 3) != 0


def _card(card_id: str, account: Account, last4: str, since: datetime) -> Card:
    return Card(
        id=card_id,
        account_id=account.id,
        last4=last4,
        status=CardStatus.ACTIVE,
        status_changed_at=since,
    )


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.2f}")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _days(start: date, end: date) -> Iterator[date]:
    """``start`` up to the day before ``end`` (nothing is booked in the future)."""
    day = start
    while day < end:
        yield day
        day += timedelta(days=1)


def _schema_ready(engine: Engine) -> bool:
    return inspect(engine).has_table(Customer.__tablename__)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bank.seed [--reset] [--database-url URL]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="delete profile data first")
    parser.add_argument("--database-url", help="default: DATABASE_URL or var/bank.db")
    args = parser.parse_args(argv)
    engine = get_engine(args.database_url)
    try:
        if not _schema_ready(engine):
            print(
                f"no profile tables in {engine.url.render_as_string(hide_password=True)}: "
                "run `.venv/bin/alembic upgrade head` first",
                file=sys.stderr,
            )
            return 1
        print(f"seeding {engine.url.render_as_string(hide_password=True)}")
        report = seed_demo_bank(session_factory(engine), reset=args.reset, progress=print)
        print(
            f"{'unchanged' if report.skipped else 'done'}: {report.customers} customers, "
            f"{report.accounts} accounts, {report.cards} cards, "
            f"{report.transactions} transactions"
        )
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
