"""A demo bank: seven customers with accounts, cards and 90 days of transactions.

Run ``python -m bank.seed [--reset]`` after ``alembic upgrade head``.
The data come from a fixed random seed; dates are relative to today. Every account's
balance equals the sum of its booked transactions (the first is an "Opening balance").
On top of the history, some customers have the recent cases they would ask the bot about
(``demo_customers.RECENT_CASES``): pending, declined and reverted payments, a card payment
charged twice, payments in euros, a failed top-up, a transfer made minutes before seeding
that can still be cancelled, and a card in the post. Each credit card has a statement
issued yesterday, and the payee directory (``PAYEE_DIRECTORY``) holds the accounts the payee check
knows: people and businesses at other banks, a bank outside the scheme, and ours.
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
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, delete, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from bank.demo_customers import (
    CARDS_IN_THE_POST,
    CREDIT_CARD_SPENDING,
    CUSTOMERS,
    DEMO_LOGINS,
    EVERYDAY_SPENDING,
    MONTHLY_BILLS,
    PENDING_TRANSFERS,
    RECENT_CASES,
    TRANSFER_CANCEL_WINDOW,
    CustomerSpec,
)
from bank.enums import (
    AccountKind,
    CardStatus,
    Category,
    HolderKind,
    PayeeCheckOutcome,
    TransactionKind,
    TransactionStatus,
    TransferStatus,
)
from bank.models import (
    Account,
    Base,
    Card,
    CardDelivery,
    CardStatement,
    Customer,
    CustomerLogin,
    Goal,
    Payee,
    PayeeDirectoryEntry,
    Payment,
    StandingOrder,
    Transaction,
    Transfer,
)
from bank.payments import minimum_payment
from bank.policy import fact
from database.engine import get_engine, session_factory

RANDOM_SEED = 20240601
UK = ZoneInfo("Europe/London")
DAYS = 90
OUR_SORT_CODE = "608371"
NOT_IN_SCHEME_SORT_CODE = "230580"  # a bank that takes no part in the payee check

# (sort code, account number, holder's name, kind) of accounts at other banks. Near misses
# for the check: Letitia Jones (typed "Latisha Jones"), John Paul Smith ("J Smith"),
# Katherine Morgan ("Kate Morgan"), Claire Hudson ("Clare Hudson").
PAYEE_DIRECTORY: tuple[tuple[str, str, str, HolderKind], ...] = (
    ("401162", "31926819", "Letitia Jones", HolderKind.PERSONAL),
    ("401162", "55779911", "John Paul Smith", HolderKind.PERSONAL),
    ("401162", "12345678", "Robert Smith", HolderKind.PERSONAL),
    ("401162", "24681357", "Oliver Marsh", HolderKind.PERSONAL),
    ("309457", "44556677", "Katherine Morgan", HolderKind.PERSONAL),
    ("309457", "73849261", "Muhammad Ali", HolderKind.PERSONAL),
    ("309457", "20391847", "Dr Priya Patel", HolderKind.PERSONAL),
    ("309457", "86420975", "Aisha Khan", HolderKind.PERSONAL),
    ("601613", "11223344", "Sarah Louise Jones", HolderKind.PERSONAL),
    ("601613", "66778899", "Michael Evans", HolderKind.PERSONAL),
    ("601613", "90807060", "Claire Hudson", HolderKind.PERSONAL),
    ("601613", "19283746", "Thomas Wilson", HolderKind.PERSONAL),
    ("090128", "10203040", "Elizabeth Taylor", HolderKind.PERSONAL),
    ("090128", "50607080", "Zhang Wei", HolderKind.PERSONAL),
    ("090128", "13572468", "Seán O'Brien", HolderKind.PERSONAL),
    ("090128", "97531864", "Latisha Jones", HolderKind.PERSONAL),
    ("401162", "70000001", "Oakwood Lettings Ltd", HolderKind.BUSINESS),
    ("309457", "70000002", "Acme Logistics Ltd", HolderKind.BUSINESS),
    ("601613", "70000003", "Octopus Energy Ltd", HolderKind.BUSINESS),
    ("090128", "70000004", "Bright Sparks Electrical Ltd", HolderKind.BUSINESS),
    ("401162", "70000005", "Harbour Dental Ltd", HolderKind.BUSINESS),
    ("309457", "70000006", "Smith and Sons Ltd", HolderKind.BUSINESS),
    ("601613", "70000007", "The Green Grocer Ltd", HolderKind.BUSINESS),
    ("090128", "70000008", "Jones Plumbing", HolderKind.BUSINESS),
    (NOT_IN_SCHEME_SORT_CODE, "81818181", "Grace Lee", HolderKind.PERSONAL),
    (NOT_IN_SCHEME_SORT_CODE, "82828282", "Northern Plumbing Company Ltd", HolderKind.BUSINESS),
    (NOT_IN_SCHEME_SORT_CODE, "83838383", "Daniel Ross", HolderKind.PERSONAL),
)


# Payees the demo customers saved before (customer, display name, holder, kind, sort code,
# account number): each is an account of the payee directory, so its check answers "match".
DEMO_PAYEES: tuple[tuple[str, str, str, HolderKind, str, str], ...] = (
    ("cus_004", "Latisha", "Latisha Jones", HolderKind.PERSONAL, "090128", "97531864"),
    ("cus_004", "Energy", "Octopus Energy Ltd", HolderKind.BUSINESS, "601613", "70000003"),
    ("cus_004", "Electrician", "Bright Sparks Electrical Ltd", HolderKind.BUSINESS, "090128", "70000004"),
)


def _demo_payees(today: date) -> list[Payee]:
    added = datetime.combine(today - timedelta(days=60), time(9), tzinfo=UTC)
    return [
        Payee(id=f"pye_{customer[-3:]}_{n:02d}", customer_id=customer, display_name=display,
              holder_name=holder, holder_kind=kind, sort_code=sort_code, account_number=number,
              check_outcome=PayeeCheckOutcome.MATCH, created_at=added)
        for n, (customer, display, holder, kind, sort_code, number) in enumerate(DEMO_PAYEES, start=1)
    ]


@dataclass
class _Ledger:
    """The rows of one customer, built in memory; ids are deterministic."""

    customer: Customer
    accounts: list[Account] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    deliveries: list[CardDelivery] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)

    def in_insert_order(self) -> list[list[Any]]:
        """Row groups, parents before children (the models have no relationships)."""
        return [
            [self.customer],
            self.accounts,
            self.cards,
            self.deliveries,
            self.transfers,
            self.transactions,
        ]

    def transaction(
        self,
        account: Account,
        when: datetime,
        amount: Decimal,
        description: str,
        category: Category,
        kind: TransactionKind,
        transfer_id: str | None = None,
        **status: Any,
    ) -> Transaction:
        """Book a transaction (``status``: the ``Transaction`` fields of a pending, declined,
        reverted or foreign-currency one); only a booked one changes the balance."""
        row = Transaction(
            id=f"txn_{account.id[4:]}_{len(self.transactions) + 1:05d}",
            account_id=account.id,
            booked_at=when,
            amount=amount,
            currency="GBP",
            description=description,
            category=category,
            transfer_id=transfer_id,
            kind=kind,
            status=TransactionStatus.BOOKED,
        )
        for name, value in status.items():
            setattr(row, name, value)
        if row.status == TransactionStatus.BOOKED:
            account.balance += amount
        self.transactions.append(row)
        return row

    def transfer(
        self,
        source: Account,
        destination: Account,
        when: datetime,
        amount: Decimal,
        reference: str,
        cancellable_until: datetime | None = None,
    ) -> None:
        """A completed transfer, or a pending one when it can still be cancelled."""
        transfer_id = f"trf_{self.customer.id[4:]}_{len(self.transfers) + 1:04d}"
        pending = cancellable_until is not None
        self.transfers.append(
            Transfer(
                id=transfer_id,
                customer_id=self.customer.id,
                source_account_id=source.id,
                destination_account_id=destination.id,
                amount=amount,
                reference=reference,
                created_at=when,
                status=TransferStatus.PENDING if pending else TransferStatus.COMPLETED,
                cancellable_until=cancellable_until,
            )
        )
        leg_status = TransactionStatus.PENDING if pending else TransactionStatus.BOOKED
        for account, signed, description in (
            (source, -amount, f"Transfer to {destination.name}"),
            (destination, amount, f"Transfer from {source.name}"),
        ):
            self.transaction(
                account,
                when,
                signed,
                description,
                Category.TRANSFER,
                TransactionKind.TRANSFER,
                transfer_id,
                status=leg_status,
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
            for model in (CustomerLogin, Transaction, StandingOrder, Payment, Payee, PayeeDirectoryEntry,
                          CardStatement, Transfer, Goal, CardDelivery, Card, Account, Customer):
                session.execute(delete(model))
            progress("deleted the existing profile data")
        elif session.scalar(select(func.count()).select_from(Customer)):
            if not session.scalar(select(func.count()).select_from(PayeeDirectoryEntry)):
                session.add_all(_payee_directory(list(session.scalars(select(Account)))))
            added = _add_missing_logins(session)
            progress(f"customers already exist: {added} demo logins added, nothing else to do "
                     "(use --reset to start again)")
            return _report(session, skipped=True)

        rng = random.Random(RANDOM_SEED)
        accounts: list[Account] = []
        for spec in CUSTOMERS:
            ledger = _insert_customer(session, spec, rng, today)
            accounts += ledger.accounts
            progress(
                f"{spec.id}: {len(ledger.accounts)} accounts, {len(ledger.cards)} cards, "
                f"{len(ledger.transactions)} transactions"
            )
        session.add_all(CustomerLogin(subject=d.subject, customer_id=d.customer_id) for d in DEMO_LOGINS)
        progress(f"{len(DEMO_LOGINS)} logins at the identity provider")
        session.add_all(_payee_directory(accounts))
        progress(f"{len(PAYEE_DIRECTORY)} accounts at other banks in the payee directory")
        session.add_all(_demo_payees(today))
        progress(f"{len(DEMO_PAYEES)} saved payees")
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
    session.add_all(_statements(ledger, today))
    session.flush()
    return ledger


def our_account_number(account: Account) -> str:
    """The demo account's 8-digit number at ``OUR_SORT_CODE`` (ending as its masked number)."""
    return f"7{account.customer_id[-3:]}{account.masked_number[-4:]}"


def _payee_directory(accounts: list[Account]) -> list[PayeeDirectoryEntry]:
    """The other banks' accounts, and ours under the customers' first names."""
    names = {c.id: c.first_name for c in CUSTOMERS}
    others = [
        PayeeDirectoryEntry(sort_code=sort_code, account_number=number, holder_name=name, holder_kind=kind,
                            in_scheme=sort_code != NOT_IN_SCHEME_SORT_CODE)
        for sort_code, number, name, kind in PAYEE_DIRECTORY
    ]
    ours = [
        PayeeDirectoryEntry(sort_code=OUR_SORT_CODE, account_number=our_account_number(a),
                            holder_name=names.get(a.customer_id, a.customer_id),
                            holder_kind=HolderKind.PERSONAL, in_scheme=True, account_id=a.id)
        for a in accounts
    ]
    return others + ours


def _statements(ledger: _Ledger, today: date) -> list[CardStatement]:
    """Each credit card's latest statement, issued yesterday: what was owed at its start."""
    issued = today - timedelta(days=1)
    since = datetime.combine(issued, time(), tzinfo=UK).astimezone(UTC)
    statements = []
    for account in ledger.accounts:
        if account.kind != AccountKind.CREDIT_CARD:
            continue
        booked = sum(
            (t.amount for t in ledger.transactions
             if t.account_id == account.id and t.status == TransactionStatus.BOOKED and t.booked_at < since),
            Decimal(0),
        )
        owed = max(Decimal(0), -booked)
        statements.append(
            CardStatement(id=f"stm_{account.id[4:]}_{issued:%Y%m%d}", account_id=account.id, issued_on=issued,
                          balance=owed, minimum_payment=minimum_payment(owed),
                          due_on=issued + timedelta(days=int(fact("credit_cards.payment_due_days")))))
    return statements


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
        ledger.transaction(
            account,
            _at(start, 0),
            account_spec.opening,
            "Opening balance",
            Category.OTHER,
            TransactionKind.OTHER,
        )
    if spec.cancelled_card_last4:
        current = accounts[AccountKind.CURRENT]
        old = _card(f"card_{current.id[4:]}_old", current, spec.cancelled_card_last4, joined)
        old.status = CardStatus.CANCELLED
        ledger.cards.append(old)

    for day in _days(start, today):
        _book_day(ledger, spec, accounts, day, rng)
    _book_recent_cases(ledger, spec, accounts, _now_on(today))
    return ledger


def _uk_time(now: datetime, days_ago: int, clock: str) -> datetime:
    """That UK clock time ``days_ago`` days before ``now``'s day, and never later than an hour
    before ``now`` (today's cases happened before the seeding)."""
    hour, minute = map(int, clock.split(":"))
    day = now.astimezone(UK).date() - timedelta(days=days_ago)
    moment = datetime.combine(day, time(hour, minute), tzinfo=UK).astimezone(UTC)
    return min(moment, now - timedelta(hours=1))


def _now_on(today: date) -> datetime:
    """The moment the recent cases are relative to: now when seeding for today, else noon."""
    now = datetime.now(UTC)
    return now if now.date() == today else _at(today, 12)


def _book_recent_cases(ledger: _Ledger, spec: CustomerSpec, accounts: dict[AccountKind, Account],
                       now: datetime) -> None:
    """The customer's pending, declined, reverted, doubled and foreign payments, a transfer
    that can still be cancelled and a card in the post, all relative to ``now``."""
    for case in RECENT_CASES.get(spec.id, ()):
        extra: dict[str, Any] = {"status": case.status, "status_reason": case.reason}
        if case.foreign is not None:
            original, currency, rate = case.foreign
            extra |= {"original_amount": original, "original_currency": currency, "exchange_rate": rate}
        when = _uk_time(now, *case.when)
        ledger.transaction(accounts[case.account], when, case.amount, case.description, case.category,
                           case.kind, **extra)
    pending = PENDING_TRANSFERS.get(spec.id)
    if pending is not None:
        made = now - timedelta(minutes=pending.minutes_ago)
        ledger.transfer(accounts[pending.source], accounts[pending.destination], made, pending.amount,
                        pending.reference, cancellable_until=made + TRANSFER_CANCEL_WINDOW)
    post = CARDS_IN_THE_POST.get(spec.id)
    if post is not None:
        account = accounts[post.account]
        dispatched = post.dispatched_days_ago
        ledger.deliveries.append(
            CardDelivery(
                id=f"dlv_{account.id[4:]}_{post.last4}",
                account_id=account.id,
                last4=post.last4,
                reason=post.reason,
                status=post.status,
                ordered_at=now - timedelta(days=post.ordered_days_ago),
                dispatched_at=None if dispatched is None else now - timedelta(days=dispatched),
                expected_by=now.date() + timedelta(days=post.expected_in_days),
            )
        )


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
        ledger.transaction(
            current, _at(day, 6), income, payer, Category.SALARY, TransactionKind.BANK_TRANSFER_IN
        )
    payee, housing, housing_category = spec.housing
    if day.day == 1:
        ledger.transaction(
            current, _at(day, 7), -housing, payee, housing_category, TransactionKind.DIRECT_DEBIT
        )
    for payee, category, amount, day_of_month in MONTHLY_BILLS:
        if day.day == day_of_month and _pays_bill(spec, payee):
            ledger.transaction(current, _at(day, 8), -amount, payee, category, TransactionKind.DIRECT_DEBIT)
    savings = accounts.get(AccountKind.SAVINGS)
    if day.day == 26 and savings is not None and spec.monthly_saving > 0:
        ledger.transfer(current, savings, _at(day, 9), spec.monthly_saving, "MONTHLY SAVING")
    if day.day == 28:
        for kind in (AccountKind.SAVINGS, AccountKind.ISA):
            if kind in accounts:
                interest = (accounts[kind].balance * Decimal("0.0030")).quantize(Decimal("0.01"))
                ledger.transaction(
                    accounts[kind],
                    _at(day, 3),
                    interest,
                    "Interest",
                    Category.OTHER,
                    TransactionKind.INTEREST,
                )
    card = accounts.get(AccountKind.CREDIT_CARD)
    if card is not None:
        if rng.random() < 0.12:
            merchant, category, low, high = rng.choice(CREDIT_CARD_SPENDING)
            ledger.transaction(
                card,
                _at(day, rng.randint(10, 21)),
                -_money(rng, low, high),
                merchant,
                category,
                TransactionKind.CARD_PAYMENT,
            )
        if day.day == 20 and card.balance < 0:
            ledger.transfer(current, card, _at(day, 9), -card.balance, "CARD PAYMENT")

    for merchant, category, low, high, per_week in EVERYDAY_SPENDING:
        if rng.random() < per_week * spec.spend_level / 7:
            amount = _money(rng, low, high)
            if current.balance - amount > 50:  # people stop spending before they go overdrawn
                when = _at(day, rng.randint(8, 21))
                ledger.transaction(current, when, -amount, merchant, category, _paid_by(category))


def _paid_by(category: Category) -> TransactionKind:
    """Everyday spending is paid by card, except cash taken out at a cash machine."""
    return TransactionKind.CASH_WITHDRAWAL if category == Category.CASH else TransactionKind.CARD_PAYMENT


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
