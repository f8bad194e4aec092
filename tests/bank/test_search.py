"""Transaction search on a real database: the demo bank and one customer of our own with a
known history, so that every count and total can be checked by hand."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from bank.enums import (
    AccountKind,
    Category,
    CreditBand,
    EmploymentStatus,
    StatusReason,
    TransactionKind,
    TransactionStatus,
)
from bank.errors import UnknownAccount, UnknownCustomer
from bank.models import Account, Customer, Transaction
from bank.periods import Period
from bank.search import Direction, SearchResult, TransactionQuery, name_matches, search_transactions
from bank.store import ProfileStore
from database.engine import session_factory

SAM = "cus_search"
CURRENT, SAVINGS = "acc_search_current", "acc_search_savings"
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "in November 2026")
CARD, IN, OWN = TransactionKind.CARD_PAYMENT, TransactionKind.BANK_TRANSFER_IN, TransactionKind.TRANSFER
BOOKED, PENDING = TransactionStatus.BOOKED, TransactionStatus.PENDING
DECLINED, REVERTED = TransactionStatus.DECLINED, TransactionStatus.REVERTED
C = Category

# (account, booked at (UTC), amount, description, category, kind, status)
HISTORY: list[tuple[str, str, str, str, Category, TransactionKind, TransactionStatus]] = [
    (CURRENT, "2026-06-30T23:30", "-5.00", "BOOTS", C.SHOPPING, CARD, BOOKED),
    (CURRENT, "2026-10-25T06:00", "2500.00", "ACME LTD SALARY", C.SALARY, IN, BOOKED),
    (CURRENT, "2026-11-03T10:00", "-23.40", "TESCO STORES", C.GROCERIES, CARD, BOOKED),
    (CURRENT, "2026-11-05T12:00", "-60.00", "LATISHA JONES", C.OTHER, TransactionKind.OTHER, BOOKED),
    (CURRENT, "2026-11-10T12:00", "-30.00", "SAINSBURYS", C.GROCERIES, CARD, BOOKED),
    (CURRENT, "2026-11-12T08:00", "-14.20", "UBER TRIP", C.TRANSPORT, CARD, BOOKED),
    (CURRENT, "2026-11-15T18:00", "-41.10", "TESCO STORES", C.GROCERIES, CARD, BOOKED),
    (CURRENT, "2026-11-18T11:00", "-129.00", "ASOS.COM", C.SHOPPING, CARD, DECLINED),
    (CURRENT, "2026-11-19T11:00", "-10.00", "TESCO STORES", C.GROCERIES, CARD, REVERTED),
    (CURRENT, "2026-11-20T09:00", "-5.00", "TESCO EXPRESS", C.GROCERIES, CARD, BOOKED),
    (CURRENT, "2026-11-22T14:00", "8.50", "TESCO STORES", C.GROCERIES, CARD, BOOKED),  # money back
    (CURRENT, "2026-11-25T06:00", "2500.00", "ACME LTD SALARY", C.SALARY, IN, BOOKED),
    (CURRENT, "2026-11-26T09:00", "-250.00", "Transfer to Rainy Day Saver", C.TRANSFER, OWN, BOOKED),
    (SAVINGS, "2026-11-26T09:00", "250.00", "Transfer from Everyday Current", C.TRANSFER, OWN, BOOKED),
    (CURRENT, "2026-11-30T23:59", "-22.00", "UBER EATS", C.EATING_OUT, CARD, BOOKED),
    (CURRENT, "2026-12-02T17:00", "-12.00", "TESCO STORES", C.GROCERIES, CARD, PENDING),
]


@pytest.fixture
def sam(store: ProfileStore, profile_engine: Engine) -> Iterator[ProfileStore]:
    """The demo bank (``store``) with Sam, whose history is ``HISTORY``."""
    with session_factory(profile_engine).begin() as session:
        add_sam(session)
    yield store


def add_sam(session: Session) -> None:
    opened = datetime(2020, 1, 1, tzinfo=UTC)
    session.add(Customer(id=SAM, first_name="Sam", birth_year=1990, country_of_residence="GB",
                         credit_band=CreditBand.B, annual_income=Decimal("30000"),
                         employment_status=EmploymentStatus.EMPLOYED, created_at=opened))
    session.flush()
    accounts = [
        (CURRENT, AccountKind.CURRENT, "Everyday Current"),
        (SAVINGS, AccountKind.SAVINGS, "Rainy Day Saver"),
    ]
    for number, (account_id, account_kind, name) in enumerate(accounts):
        session.add(Account(id=account_id, customer_id=SAM, kind=account_kind, name=name,
                            masked_number=f"****900{number}", currency="GBP", balance=Decimal("0.00"),
                            credit_limit=None, opened_at=opened))
    session.flush()
    for n, (account_id, when, amount, description, category, kind, status) in enumerate(HISTORY):
        session.add(Transaction(
            id=f"txn_search_{n:03d}", account_id=account_id,
            booked_at=datetime.fromisoformat(when).replace(tzinfo=UTC), amount=Decimal(amount),
            currency="GBP", description=description, category=category, transfer_id=None, kind=kind,
            status=status,
            status_reason=StatusReason.SUSPECTED_FRAUD if status == DECLINED else None,
        ))


def search(store: ProfileStore, **query: Any) -> SearchResult:
    return store.search_transactions(SAM, TransactionQuery(**query))


# -- merchants and payees -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["tesco", "Tesco", "TESCO", "tesko", "Tescos", "tesco's", "  tesco  "])
def test_a_merchant_is_found_whatever_the_case_and_small_typos(sam: ProfileStore, text: str) -> None:
    result = search(sam, text=text, period=NOVEMBER, direction=Direction.OUT)
    assert [t.description for t in result.transactions] == ["TESCO EXPRESS", "TESCO STORES", "TESCO STORES"]
    assert result.matched_names == ("TESCO EXPRESS", "TESCO STORES")
    assert (result.total, result.money_out, result.money_in) == (3, Decimal("69.50"), Decimal("0.00"))


def test_money_back_from_a_merchant_counts_as_money_in(sam: ProfileStore) -> None:
    result = search(sam, text="tesco", period=NOVEMBER)
    assert (result.total, result.money_in, result.money_out, result.net) == (
        4, Decimal("8.50"), Decimal("69.50"), Decimal("-61.00")
    )


def test_declined_and_reverted_payments_moved_no_money_and_are_left_out(sam: ProfileStore) -> None:
    ids = {t.id for t in search(sam, page_size=50).transactions}
    assert "txn_search_007" not in ids and "txn_search_008" not in ids
    assert len(ids) == len(HISTORY) - 2


def test_pending_payments_are_found_and_marked(sam: ProfileStore) -> None:
    december = Period(date(2026, 12, 1), date(2026, 12, 7), "this month")
    (payment,) = search(sam, text="tesco", period=december).transactions
    assert payment.status == PENDING and payment.amount == Decimal("-12.00")


def test_a_payee_by_name(sam: ProfileStore) -> None:
    result = search(sam, text="latisha", direction=Direction.OUT)
    assert [t.description for t in result.transactions] == ["LATISHA JONES"]


@pytest.mark.parametrize("text", ["zzzz", "Tescoland Superstores", "🙂", "<PERSON_1>", "x" * 5000, "£££"])
def test_an_unknown_name_finds_nothing(sam: ProfileStore, text: str) -> None:
    result = search(sam, text=text)
    assert (result.total, result.pages, result.transactions) == (0, 0, ())
    assert result.money_in == result.money_out == Decimal("0.00")


@pytest.mark.parametrize("text", [None, "", "   "])
def test_no_name_matches_everything(sam: ProfileStore, text: str | None) -> None:
    assert search(sam, text=text, page_size=50).total == len(HISTORY) - 2


# -- category, direction, period, account, amounts ------------------------------------------------


def test_spending_on_a_category_in_a_month(sam: ProfileStore) -> None:
    result = search(sam, category=Category.GROCERIES, period=NOVEMBER, direction=Direction.OUT)
    assert (result.total, result.money_out) == (4, Decimal("99.50"))


def test_what_was_earned_is_the_salary_in(sam: ProfileStore) -> None:
    result = search(sam, category=Category.SALARY, direction=Direction.IN, period=NOVEMBER)
    assert (result.total, result.money_in) == (1, Decimal("2500.00"))


def test_spending_leaves_out_moves_between_own_accounts_when_asked(sam: ProfileStore) -> None:
    with_own = search(sam, direction=Direction.OUT, period=NOVEMBER)
    spent = search(sam, direction=Direction.OUT, period=NOVEMBER, exclude_own_transfers=True)
    assert with_own.money_out - spent.money_out == Decimal("250.00")
    assert spent.money_out == Decimal("195.70") and spent.total == 7


def test_one_account(sam: ProfileStore) -> None:
    result = search(sam, account_id=SAVINGS)
    assert [t.description for t in result.transactions] == ["Transfer from Everyday Current"]


def test_amount_bounds_apply_to_the_size_either_way(sam: ProfileStore) -> None:
    result = search(sam, min_amount=Decimal("40"), max_amount=Decimal("250"), page_size=50)
    assert sorted(t.amount for t in result.transactions) == [
        Decimal("-250.00"), Decimal("-60.00"), Decimal("-41.10"), Decimal("250.00")
    ]


def test_days_are_uk_days(sam: ProfileStore) -> None:
    """23:30 UTC on 30 June is 00:30 on 1 July in London (summer time); 23:59 UTC on 30 November
    is still 30 November (winter)."""
    july = search(sam, period=Period(date(2026, 7, 1), date(2026, 7, 31), "in July 2026"))
    june = search(sam, period=Period(date(2026, 6, 1), date(2026, 6, 30), "in June 2026"))
    assert [t.description for t in july.transactions] == ["BOOTS"] and june.total == 0
    assert "UBER EATS" in {t.description for t in search(sam, period=NOVEMBER, page_size=50).transactions}


def test_only_the_customers_own_transactions(sam: ProfileStore) -> None:
    """The demo customers shop at Tesco too: none of theirs are Sam's."""
    result = search(sam, text="tesco", page_size=50)
    assert {t.account_id for t in result.transactions} == {CURRENT}
    demo = sam.search_transactions("cus_001", TransactionQuery(text="tesco", page_size=50))
    assert demo.total > 0 and CURRENT not in {t.account_id for t in demo.transactions}


def test_unknown_customer_or_account(sam: ProfileStore) -> None:
    with pytest.raises(UnknownCustomer):
        sam.search_transactions("cus_nobody", TransactionQuery())
    with pytest.raises(UnknownAccount):
        search(sam, account_id="acc_001_current")  # another customer's


# -- pages ------------------------------------------------------------------------------------------


def test_pages_newest_first_with_totals_of_every_page(sam: ProfileStore) -> None:
    everything = search(sam, period=NOVEMBER, page_size=50)
    pages = [search(sam, period=NOVEMBER, page_size=4, page=n) for n in (1, 2, 3)]
    assert [p.pages for p in pages] == [3, 3, 3] and [len(p.transactions) for p in pages] == [4, 4, 3]
    assert [t for p in pages for t in p.transactions] == list(everything.transactions)
    booked = [t.booked_at for t in everything.transactions]
    assert booked == sorted(booked, reverse=True)
    assert {(p.total, p.money_in, p.money_out) for p in pages} == {
        (11, Decimal("2758.50"), Decimal("445.70"))
    }
    assert pages[0].has_more and not pages[2].has_more


@pytest.mark.parametrize("page", [4, 99, 10**6])
def test_a_page_past_the_last_is_empty_but_keeps_the_totals(sam: ProfileStore, page: int) -> None:
    result = search(sam, period=NOVEMBER, page_size=4, page=page)
    assert (result.transactions, result.total, result.pages, result.page) == ((), 11, 3, page)
    assert not result.has_more


@pytest.mark.parametrize(
    ("page", "size", "expected"), [(0, 10, (1, 10)), (-3, 0, (1, 1)), (1, 500, (1, 50))]
)
def test_page_and_size_are_kept_in_range(
    sam: ProfileStore, page: int, size: int, expected: tuple[int, int]
) -> None:
    result = search(sam, page=page, page_size=size)
    assert (result.page, result.page_size) == expected


# -- payday -----------------------------------------------------------------------------------------


def test_last_payday_is_the_latest_salary_credit(sam: ProfileStore) -> None:
    assert sam.last_payday(SAM) == date(2026, 11, 25)


def test_no_salary_no_payday(store: ProfileStore, profile_engine: Engine) -> None:
    with session_factory(profile_engine).begin() as session:
        add_sam(session)
        session.execute(delete(Transaction).where(Transaction.category == Category.SALARY))
    assert store.last_payday(SAM) is None
    with pytest.raises(UnknownCustomer):
        store.last_payday("cus_nobody")


# -- the name matcher alone -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "matches"),
    [
        ("tesco", "TESCO STORES", True),
        ("tesko", "TESCO STORES", True),
        ("tesco stores", "TESCO STORES", True),
        ("sainsbury's", "SAINSBURYS", True),
        ("sains", "SAINSBURYS", True),  # the start of a word of 4 letters or more
        ("red lion", "THE RED LION", True),
        ("the red lion", "THE RED LION", True),
        ("netflix", "NETFLIX.COM", True),
        ("johnlewis", "JOHN LEWIS", True),
        ("amazn", "AMAZON MARKETPLACE", True),
        ("uber", "UBER TRIP", True),
        ("tfl", "TFL TRAVEL CHARGE", True),
        ("letisha", "LATISHA JONES", True),
        ("acme", "ACME LTD SALARY", True),
        # must not match
        ("tlf", "TFL TRAVEL CHARGE", False),  # short words need to be exact
        ("bp", "BOOTS", False),
        ("a", "ALDI", False),
        ("lidl", "ALDI", False),
        ("aldi", "ASDA", False),
        ("uber", "UBS BANK", False),
        ("spotify premium", "SPOTIFY", False),
        ("", "TESCO STORES", False),
        ("🙂", "TESCO STORES", False),
        ("tesco", "", False),
    ],
)
def test_name_matches(text: str, name: str, matches: bool) -> None:
    assert name_matches(text, name) is matches


def test_search_takes_a_session_directly(sam: ProfileStore, profile_engine: Engine) -> None:
    with session_factory(profile_engine)() as session:
        result = search_transactions(session, SAM, TransactionQuery(text="uber"))
    assert sorted(t.description for t in result.transactions) == ["UBER EATS", "UBER TRIP"]
