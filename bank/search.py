"""Searching a customer's transactions: by merchant or payee (tolerant of case and small typos),
category, period, direction (money in or out), account and amount, a page at a time, with the
totals in and out of everything that matched.

Only transactions that moved money or are moving it (booked and pending) are searched:
declined and reverted ones moved nothing. Days are the customer's days (``Europe/London`` by
default): a period's first day starts at its local midnight.
"""

import math
import re
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from rapidfuzz.distance import OSA
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bank.enums import Category, TransactionKind, TransactionStatus
from bank.errors import UnknownAccount, UnknownCustomer
from bank.models import Account, Customer, Transaction
from bank.periods import Period
from bank.views import TransactionView

UK = ZoneInfo("Europe/London")
SEARCHED_STATUSES = (TransactionStatus.BOOKED, TransactionStatus.PENDING)
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
MAX_TEXT = 100  # a merchant or payee name is never longer; longer text is cut
_Row = TypeVar("_Row", bound=tuple[Any, ...])
_WORD = re.compile(r"[a-z0-9]+")
_NAME_FILLER = frozenset({"the", "ltd", "limited", "plc", "co", "com", "uk", "www", "and", "&"})


class Direction(StrEnum):
    """Which way the money went: in, out, or both."""

    IN = "in"
    OUT = "out"
    BOTH = "both"


@dataclass(frozen=True)
class TransactionQuery:
    """What to look for; every field left at its default matches everything.

    Attributes:
        text: a merchant or payee name as the customer wrote it ("tesco", "Tesko", "uber").
        category: only this category.
        period: only these days.
        direction: money in, out or both.
        account_id: only this account (one of the customer's).
        min_amount, max_amount: bounds on the size of the amount, whichever way it went.
        exclude_own_transfers: leave out moves between the customer's own accounts (what
            "how much did I spend" means).
        page: 1 for the newest transactions.
        page_size: 1 to ``MAX_PAGE_SIZE``.
    """

    text: str | None = None
    category: Category | None = None
    period: Period | None = None
    direction: Direction = Direction.BOTH
    account_id: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    exclude_own_transfers: bool = False
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class SearchResult:
    """One page of the transactions that matched, newest first, and figures on all of them.

    Attributes:
        transactions: this page's transactions (empty past the last page).
        total: how many matched, on every page.
        money_in: the sum of the matched credits.
        money_out: the sum of the matched debits, as a positive amount.
        page: the page asked for (at least 1).
        pages: how many pages there are (0 when nothing matched).
        page_size: transactions per page.
        matched_names: the descriptions that ``text`` matched, as on the statement.
    """

    transactions: tuple[TransactionView, ...]
    total: int
    money_in: Decimal
    money_out: Decimal
    page: int
    pages: int
    page_size: int
    matched_names: tuple[str, ...] = ()

    @property
    def net(self) -> Decimal:
        return self.money_in - self.money_out

    @property
    def has_more(self) -> bool:
        return self.page < self.pages


def search_transactions(
    session: Session, customer_id: str, query: TransactionQuery, zone: ZoneInfo = UK
) -> SearchResult:
    """The page of ``query`` in the customer's transactions, and the totals of all that matched.

    Raises:
        UnknownCustomer: no such customer.
        UnknownAccount: ``query.account_id`` is not one of the customer's accounts.
    """
    account_ids = _account_ids(session, customer_id, query.account_id)
    page_size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    page = max(1, query.page)
    filtered = _filtered(select(Transaction.amount), account_ids, query, zone)
    matched_names: tuple[str, ...] = ()
    text = (query.text or "").strip()[:MAX_TEXT]
    if text:
        names = session.scalars(
            _filtered(select(Transaction.description).distinct(), account_ids, query, zone)
        ).all()
        matched_names = tuple(sorted(name for name in names if name_matches(text, name)))
        filtered = filtered.where(Transaction.description.in_(matched_names))
    amounts = list(session.scalars(filtered))
    total = len(amounts)
    rows = (
        session.scalars(
            filtered.with_only_columns(Transaction)
            .order_by(Transaction.booked_at.desc(), Transaction.id.desc())
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        if total
        else []
    )
    return SearchResult(
        transactions=tuple(_view(row) for row in rows),
        total=total,
        money_in=sum((a for a in amounts if a > 0), Decimal("0.00")),
        money_out=-sum((a for a in amounts if a < 0), Decimal("0.00")),
        page=page,
        pages=math.ceil(total / page_size),
        page_size=page_size,
        matched_names=matched_names,
    )


def last_salary_date(session: Session, customer_id: str, zone: ZoneInfo = UK) -> date | None:
    """The day of the customer's latest booked salary credit (their last payday), if any.

    Raises:
        UnknownCustomer: no such customer.
    """
    account_ids = _account_ids(session, customer_id, None)
    booked_at = session.scalar(
        select(func.max(Transaction.booked_at)).where(
            Transaction.account_id.in_(account_ids),
            Transaction.category == Category.SALARY,
            Transaction.amount > 0,
            Transaction.status == TransactionStatus.BOOKED,
        )
    )
    if booked_at is None:
        return None
    return booked_at.astimezone(zone).date()


def name_matches(text: str, name: str) -> bool:
    """Whether what the customer wrote names ``name`` (a statement's description).

    Case, punctuation and company words ("ltd", ".com") are ignored. The text matches when
    its words appear together in the name, each within a small number of typos (none for
    words of up to 3 letters, one up to 5, two beyond), or when the text is the start of a
    word of the name of at least 4 letters ("sains" for "SAINSBURYS"); the words may also be
    run together ("johnlewis").
    """
    wanted = _words(text)
    words = _words(name)
    if not wanted or not words:
        return False
    joined = "".join(wanted)
    for size in {len(wanted), 1, 2, 3}:
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            if size == len(wanted) and all(_close(w, n) for w, n in zip(wanted, window, strict=True)):
                return True
            if _close(joined, "".join(window)):
                return True
    return len(joined) >= 4 and any(word.startswith(joined) for word in words)


def _words(text: str) -> list[str]:
    words = _WORD.findall(text.casefold().replace("'s", "s"))
    kept = [w for w in words if w not in _NAME_FILLER]
    return kept or words


def _close(wanted: str, word: str) -> bool:
    allowed = 0 if len(wanted) <= 3 else 1 if len(wanted) <= 5 else 2
    return OSA.distance(wanted, word, score_cutoff=allowed) <= allowed


def _account_ids(session: Session, customer_id: str, account_id: str | None) -> list[str]:
    if session.get(Customer, customer_id) is None:
        raise UnknownCustomer()
    owned = list(session.scalars(select(Account.id).where(Account.customer_id == customer_id)))
    if account_id is None:
        return owned
    if account_id not in owned:
        raise UnknownAccount()
    return [account_id]


def _filtered(
    statement: Select[_Row], account_ids: list[str], query: TransactionQuery, zone: ZoneInfo
) -> Select[_Row]:
    """``statement`` restricted to the query's accounts, statuses, period, direction, category,
    amounts and (if asked) without transfers between the customer's own accounts."""
    statement = statement.where(
        Transaction.account_id.in_(account_ids), Transaction.status.in_(SEARCHED_STATUSES)
    )
    if query.period is not None:
        statement = statement.where(
            Transaction.booked_at >= local_midnight(query.period.start, zone),
            Transaction.booked_at < local_midnight(query.period.end + timedelta(days=1), zone),
        )
    if query.direction == Direction.IN:
        statement = statement.where(Transaction.amount > 0)
    elif query.direction == Direction.OUT:
        statement = statement.where(Transaction.amount < 0)
    if query.category is not None:
        statement = statement.where(Transaction.category == query.category)
    if query.exclude_own_transfers:
        statement = statement.where(Transaction.kind != TransactionKind.TRANSFER)
    if query.min_amount is not None:
        statement = statement.where(func.abs(Transaction.amount) >= query.min_amount)
    if query.max_amount is not None:
        statement = statement.where(func.abs(Transaction.amount) <= query.max_amount)
    return statement


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The start of ``day`` in ``zone``, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _view(row: Transaction) -> TransactionView:
    return TransactionView(**{f.name: getattr(row, f.name) for f in fields(TransactionView)})
