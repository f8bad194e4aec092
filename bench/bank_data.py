"""A synthetic bank at scale, bulk-loaded into a migrated PostgreSQL database with COPY.

About a thousand transactions per customer (``transactions // 1000`` customers), over 3 to 24
months of history each ending now, so "last month", "this month so far" and the months before
them hold what a real customer's would: card payments in the spending categories, direct
debits, cash, payments to payees, salary, own-account transfers, refunds, interest; some
pending, declined or reverted. Every customer has a current account, half a credit card and a
third a savings account. Rows are written in time order across all customers, as they arrive
in a live table (a customer's transactions are spread over the whole heap, not side by side).

The transaction table's secondary indexes are dropped for the load and built again from their
own definitions afterwards, and foreign keys are not checked row by row (the load makes only
valid references; this needs a superuser, as the local server's ``postgres`` is); then the
table is vacuumed and analysed.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import psycopg2
from sqlalchemy.engine import make_url

from bank.enums import AccountKind, Category, TransactionKind, TransactionStatus

PER_CUSTOMER = 1000
CHUNK = 200_000
DAY = 86_400
MONTH = 30.44 * DAY

# (category, kind, share of rows, median pounds, sign): what a row is
SPENDING = ((Category.GROCERIES, 0.22, 25.0), (Category.EATING_OUT, 0.14, 18.0),
            (Category.TRANSPORT, 0.12, 8.0), (Category.SHOPPING, 0.13, 40.0),
            (Category.ENTERTAINMENT, 0.09, 20.0))
KINDS: tuple[tuple[Category, TransactionKind, float, float, int], ...] = (
    *((category, TransactionKind.CARD_PAYMENT, share, median, -1) for category, share, median in SPENDING),
    (Category.GROCERIES, TransactionKind.CARD_PAYMENT, 0.008, 12.0, 1),  # refunds
    (Category.SHOPPING, TransactionKind.CARD_PAYMENT, 0.012, 35.0, 1),
    (Category.UTILITIES, TransactionKind.DIRECT_DEBIT, 0.04, 70.0, -1),
    (Category.RENT, TransactionKind.DIRECT_DEBIT, 0.015, 900.0, -1),
    (Category.CASH, TransactionKind.CASH_WITHDRAWAL, 0.04, 50.0, -1),
    (Category.OTHER, TransactionKind.PAYMENT, 0.04, 60.0, -1),
    (Category.SALARY, TransactionKind.BANK_TRANSFER_IN, 0.02, 2400.0, 1),
    (Category.TRANSFER, TransactionKind.TRANSFER, 0.035, 200.0, -1),
    (Category.OTHER, TransactionKind.INTEREST, 0.01, 2.0, 1),
)
MERCHANTS: dict[Category, tuple[str, ...]] = {
    Category.GROCERIES: ("TESCO STORES", "SAINSBURYS", "ASDA SUPERSTORE", "LIDL GB", "ALDI", "WAITROSE",
                         "CO-OP GROUP", "MORRISONS"),
    Category.EATING_OUT: ("PRET A MANGER", "GREGGS", "NANDOS", "COSTA COFFEE", "STARBUCKS", "DELIVEROO",
                          "JUST EAT", "WAGAMAMA"),
    Category.TRANSPORT: ("TFL TRAVEL CH", "TRAINLINE", "UBER TRIP", "SHELL", "BP", "NATIONAL EXPRESS"),
    Category.SHOPPING: ("AMAZON.CO.UK", "ARGOS", "BOOTS", "JOHN LEWIS", "PRIMARK", "NEXT RETAIL", "IKEA"),
    Category.ENTERTAINMENT: ("NETFLIX.COM", "SPOTIFY", "ODEON CINEMAS", "STEAM GAMES", "TICKETMASTER"),
    Category.UTILITIES: ("BRITISH GAS", "THAMES WATER", "OCTOPUS ENERGY", "BT GROUP", "COUNCIL TAX"),
    Category.RENT: ("FOXTONS LETTINGS", "LANDLORD RENT"),
    Category.CASH: ("CASH WITHDRAWAL", "LINK ATM"),
    Category.OTHER: ("PAYMENT TO J SMITH", "PAYMENT TO A PATEL", "INTEREST PAID"),
    Category.SALARY: ("ACME LTD SALARY", "NHS PAYROLL", "HMRC PAYE REFUND"),
    Category.TRANSFER: ("TO SAVINGS", "TO CREDIT CARD"),
}
BRANCHES = 12  # statement lines carry a branch number some of the time
STATUSES = ((TransactionStatus.BOOKED, 0.965, None), (TransactionStatus.PENDING, 0.02, None),
            (TransactionStatus.DECLINED, 0.01, "insufficient_funds"),
            (TransactionStatus.REVERTED, 0.005, "merchant_reversed"))
TRANSACTION_COLUMNS = ("id", "account_id", "booked_at", "amount", "currency", "description", "category",
                       "kind", "status", "status_reason")
NULL = r"\N"  # COPY's text format
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Bank:
    """What was loaded: customers (id and their account ids) and how long each step took."""

    customers: list[str]
    accounts: dict[str, list[str]]
    transactions: int
    load_seconds: float
    index_seconds: float
    analyze_seconds: float
    now: datetime


def progress_to_stderr(label: str, done: int, total: int) -> None:
    sys.stderr.write(f"\r{label}: {done:,}/{total:,} ({100 * done / max(total, 1):.0f}%)")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def load_bank(url: str, transactions: int, seed: int = 7, progress: Progress = progress_to_stderr) -> Bank:
    """Load ``transactions`` rows for ``transactions // 1000`` customers (at least one) into the
    migrated database at ``url`` (SQLAlchemy form) and analyse it."""
    rng = np.random.default_rng(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    customers = max(1, transactions // PER_CUSTOMER)
    plan = _plan(rng, customers, transactions, now.timestamp() - 3600)
    connection = psycopg2.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no row-by-row FK triggers
            _copy(cursor, "customers", _customer_lines(plan.customer_ids, now))
            _copy(cursor, "accounts", _account_lines(plan, now))
            indexes = _secondary_indexes(cursor)
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            connection.commit()
            started = time.perf_counter()
            done = 0
            for lines, rows in _transaction_chunks(rng, plan, transactions):
                cursor.copy_expert(f"COPY transactions ({', '.join(TRANSACTION_COLUMNS)}) FROM STDIN", lines)
                done += rows
                progress("transactions loaded", done, transactions)
            connection.commit()
            load_seconds = time.perf_counter() - started
            started = time.perf_counter()
            for _, definition in indexes:
                cursor.execute(definition)
            connection.commit()
            index_seconds = time.perf_counter() - started
        connection.autocommit = True
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) transactions")
            cursor.execute("ANALYZE customers")
            cursor.execute("ANALYZE accounts")
        analyze_seconds = time.perf_counter() - started
    finally:
        connection.close()
    return Bank(plan.customer_ids, plan.accounts_of(), transactions, round(load_seconds, 1),
                round(index_seconds, 1), round(analyze_seconds, 1), now)


@dataclass(frozen=True)
class _Plan:
    customer_ids: list[str]
    account_ids: list[str]
    account_owner: np.ndarray  # customer index of each account
    account_kind: list[AccountKind]
    current: np.ndarray  # each customer's current account index
    card: np.ndarray  # each customer's credit card account index, or -1
    starts: np.ndarray  # each customer's first possible transaction time (epoch seconds)
    counts: np.ndarray  # transactions per customer
    end: float

    def accounts_of(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {c: [] for c in self.customer_ids}
        for account, owner in zip(self.account_ids, self.account_owner.tolist(), strict=True):
            found[self.customer_ids[owner]].append(account)
        return found


def _plan(rng: np.random.Generator, customers: int, transactions: int, end: float) -> _Plan:
    months = rng.integers(3, 25, customers)
    weights = months * rng.uniform(0.5, 1.5, customers)
    counts = rng.multinomial(transactions, weights / weights.sum())
    customer_ids = [f"cus_scale_{n:07d}" for n in range(customers)]
    account_ids: list[str] = []
    owner: list[int] = []
    kinds: list[AccountKind] = []
    current = np.empty(customers, dtype=np.int64)
    card = np.full(customers, -1, dtype=np.int64)
    has_card, has_savings = rng.random(customers) < 0.5, rng.random(customers) < 0.33
    for n in range(customers):
        current[n] = len(account_ids)
        for kind, wanted in ((AccountKind.CURRENT, True), (AccountKind.CREDIT_CARD, has_card[n]),
                             (AccountKind.SAVINGS, has_savings[n])):
            if not wanted:
                continue
            if kind is AccountKind.CREDIT_CARD:
                card[n] = len(account_ids)
            account_ids.append(f"acc_scale_{len(account_ids):08d}")
            owner.append(n)
            kinds.append(kind)
    return _Plan(customer_ids, account_ids, np.asarray(owner), kinds, current, card,
                 end - months * MONTH, counts, end)


def _customer_lines(ids: Sequence[str], now: datetime) -> io.StringIO:
    created = now.isoformat()
    return io.StringIO("".join(
        f"{customer}\tSam\t{1950 + n % 50}\tGB\tB\t32000.00\temployed\t{created}\n"
        for n, customer in enumerate(ids)
    ))


def _account_lines(plan: _Plan, now: datetime) -> io.StringIO:
    opened = now.replace(year=now.year - 3).isoformat()
    return io.StringIO("".join(
        f"{account}\t{plan.customer_ids[owner]}\t{kind.value}\t{kind.value.replace('_', ' ').title()}\t"
        f"****{n % 10000:04d}\tGBP\t1000.00\t{'3000.00' if kind is AccountKind.CREDIT_CARD else NULL}\t"
        f"{opened}\n"
        for n, (account, owner, kind) in enumerate(
            zip(plan.account_ids, plan.account_owner.tolist(), plan.account_kind, strict=True))
    ))


def _copy(cursor: psycopg2.extensions.cursor, table: str, lines: io.StringIO) -> None:
    cursor.copy_expert(f"COPY {table} FROM STDIN", lines)


def _secondary_indexes(cursor: psycopg2.extensions.cursor) -> list[tuple[str, str]]:
    """The transaction table's indexes but its primary key: (name, CREATE INDEX statement)."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'transactions' "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'transactions'::regclass)"
    )
    return [(name, definition) for name, definition in cursor.fetchall()]


def _transaction_chunks(
    rng: np.random.Generator, plan: _Plan, total: int
) -> Iterator[tuple[io.StringIO, int]]:
    """The transactions as COPY text, oldest first across all customers, ``CHUNK`` rows at a time."""
    customer = np.repeat(np.arange(len(plan.customer_ids)), plan.counts)
    at = plan.starts[customer] + rng.random(total) * (plan.end - plan.starts[customer])
    order = np.argsort(at, kind="stable")
    customer, at = customer[order], at[order].astype("int64")
    shares = np.asarray([k[2] for k in KINDS])
    kind = rng.choice(len(KINDS), total, p=shares / shares.sum())
    names, offsets, sizes = _descriptions()
    accounts = np.asarray(plan.account_ids, dtype=object)
    for start in range(0, total, CHUNK):
        part = slice(start, min(start + CHUNK, total))
        yield _chunk(rng, plan, accounts, names, offsets, sizes, start, customer[part], at[part], kind[part])


def _chunk(
    rng: np.random.Generator, plan: _Plan, accounts: np.ndarray, names: np.ndarray, offsets: np.ndarray,
    sizes: np.ndarray, first: int, customer: np.ndarray, at: np.ndarray, kind: np.ndarray,
) -> tuple[io.StringIO, int]:
    rows = len(customer)
    medians = np.asarray([k[3] for k in KINDS])[kind]
    signs = np.asarray([k[4] for k in KINDS])[kind]
    cents = np.maximum(1, np.round(medians * np.exp(rng.normal(0, 0.6, rows)) * 100)).astype("int64") * signs
    category_index = np.asarray([list(Category).index(k[0]) for k in KINDS])[kind]
    description = names[offsets[category_index] + (rng.random(rows) * sizes[category_index]).astype("int64")]
    card_payment = np.asarray([k[1] is TransactionKind.CARD_PAYMENT for k in KINDS])[kind]
    on_card = card_payment & (plan.card[customer] >= 0) & (rng.random(rows) < 0.3)
    account = accounts[np.where(on_card, plan.card[customer], plan.current[customer])]
    shares = np.asarray([s[1] for s in STATUSES])
    status = rng.choice(len(STATUSES), rows, p=shares / shares.sum())
    stamps = np.datetime_as_string(at.astype("datetime64[s]"))
    categories = [c.value for c in Category]
    kinds = [k[1].value for k in KINDS]
    statuses = [f"{s.value}\t{reason or NULL}" for s, _, reason in STATUSES]
    text = "".join(
        f"txn_scale_{first + n:010d}\t{a}\t{s}+00\t{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}"
        f"\tGBP\t{d}\t{categories[ci]}\t{kinds[k]}\t{statuses[st]}\n"
        for n, (a, s, c, d, ci, k, st) in enumerate(zip(
            account.tolist(), stamps.tolist(), cents.tolist(), description.tolist(), category_index.tolist(),
            kind.tolist(), status.tolist(), strict=True))
    )
    return io.StringIO(text), rows


def _descriptions() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Statement lines of every category side by side: (lines, each category's offset, count)."""
    names: list[str] = []
    offsets, sizes = [], []
    for category in Category:
        lines = [f"{m} {b:03d}" if b else m for m in MERCHANTS[category] for b in range(BRANCHES)]
        offsets.append(len(names))
        sizes.append(len(lines))
        names.extend(lines)
    return np.asarray(names, dtype=object), np.asarray(offsets), np.asarray(sizes)
