"""The transaction search action on the seeded demo bank: its one-line summary, the table
payload the web chat shows, pages, and what it says to bad or unknown questions.

The action runs in-process (``act`` with a real store; ``run`` for the sign-in check): what
the action server adds, the verified customer, is tested for every account action in
test_action_server_trust.py. Expected figures are summed here from the rows themselves.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant import names
from assistant.actions import transaction_search
from assistant.actions.formatting import format_money
from assistant.actions.transaction_search import ActionSearchTransactions
from bank.enums import TransactionStatus
from bank.models import Account, Transaction
from bank.seed import seed_demo_bank
from bank.store import ProfileStore
from database.engine import get_engine, session_factory
from tests.support.databases import alembic_config

TODAY = date(2026, 12, 7)
ALEX = "cus_001"
UK = ZoneInfo("Europe/London")
Messages = list[dict[str, Any]]


class SearchOnFixedDay(ActionSearchTransactions):
    def today(self) -> date:
        return TODAY


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> sessionmaker[Session]:
    """The demo bank on a migrated SQLite database, its 90 days of history ending ``TODAY``."""
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('search')) / 'bank.db'}"
    command.upgrade(alembic_config(url), "head")
    made = session_factory(get_engine(url))
    seed_demo_bank(made, today=TODAY)
    return made


@pytest.fixture(scope="module")
def store(sessions: sessionmaker[Session]) -> ProfileStore:
    return ProfileStore(sessions)


def tracker(
    text: str,
    intent: str = names.INTENT_SEARCH_TRANSACTIONS,
    slots: dict[str, Any] | None = None,
    earlier: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or []}
    events = [*(earlier or []), {"event": "user", "text": text, "parse_data": latest, "metadata": {}}]
    return Tracker("search-test", slots or {}, latest, events, False, None, {}, names.ACTION_LISTEN)


def ask(store: ProfileStore, text: str, customer: str = ALEX, **turn: Any) -> tuple[Messages, dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = SearchOnFixedDay().act(dispatcher, tracker(text, **turn), store, customer)
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def tables(messages: Messages) -> list[dict[str, Any]]:
    customs = [m.get("custom") or {} for m in messages]
    return [c for c in customs if c.get("type") == names.PAYLOAD_TRANSACTIONS]


def rows_of(
    sessions: sessionmaker[Session], customer: str, keep: Callable[[Transaction], bool]
) -> list[Transaction]:
    """The customer's booked and pending transactions that ``keep`` keeps, read directly."""
    moved = (TransactionStatus.BOOKED, TransactionStatus.PENDING)
    with sessions() as session:
        rows = session.scalars(
            select(Transaction)
            .join(Account, Transaction.account_id == Account.id)
            .where(Account.customer_id == customer, Transaction.status.in_(moved))
        ).all()
        return [r for r in rows if keep(r)]


def in_november(row: Transaction) -> bool:
    local = row.booked_at.astimezone(UK).date()
    return date(2026, 11, 1) <= local <= date(2026, 11, 30)


# -- answers -----------------------------------------------------------------------------------------


def test_spending_at_a_shop_last_month_with_its_table(
    store: ProfileStore, sessions: sessionmaker[Session]
) -> None:
    tesco = rows_of(sessions, ALEX, lambda r: "TESCO" in r.description and r.amount < 0 and in_november(r))
    spent = -sum((r.amount for r in tesco), Decimal(0))
    assert len(tesco) > 1

    messages, slots = ask(store, "how much did I spend at Tesco last month")

    summary = f"You spent {format_money(spent)} at Tesco in November 2026, {len(tesco)} payments."
    assert messages[0]["text"] == summary
    (table,) = tables(messages)
    assert table["summary"] == summary
    assert [c["label"] for c in table["columns"]] == ["Date", "Description", "Category", "Account", "Amount"]
    assert [c.get("align") for c in table["columns"]] == [None, None, None, None, "end"]
    assert len(table["rows"]) == min(len(tesco), 10)
    assert {r["description"] for r in table["rows"]} == {"TESCO STORES"}
    assert all(re.fullmatch(r"-£\d+\.\d\d", r["amount"]) for r in table["rows"])
    assert all(re.fullmatch(r"\d{1,2} Nov 2026", r["date"]) for r in table["rows"])
    assert (table["page"], table["pages"]) == (1, math.ceil(len(tesco) / 10))
    assert table["total"] == {"count": len(tesco), "in": "£0.00", "out": format_money(spent)}
    assert slots[names.SLOT_SEARCH_PAGE] == 1 and slots[names.SLOT_SEARCH_QUERY]["text"] == "tesco"


def test_a_misspelt_shop_is_named_as_on_the_statement(store: ProfileStore) -> None:
    messages, _ = ask(store, "how much did I spend at Tesko last month")
    text = messages[0]["text"]
    assert text.startswith("You spent £") and " at Tesco Stores in November 2026, " in text


def test_what_was_earned(store: ProfileStore) -> None:
    messages, _ = ask(store, "how much did I earn last month")
    assert messages[0]["text"] == "You received £2,684.50 in salary in November 2026, 1 payment."
    assert [r["description"] for r in tables(messages)[0]["rows"]] == ["ACME LOGISTICS LTD SALARY"]


def test_spending_on_a_category_since_payday(store: ProfileStore, sessions: sessionmaker[Session]) -> None:
    payday = date(2026, 11, 25)
    rows = rows_of(sessions, ALEX, lambda r: r.category == "groceries" and r.amount < 0
                   and r.booked_at.astimezone(UK).date() >= payday)
    messages, _ = ask(store, "what did I spend on groceries since payday")
    spent = format_money(-sum((r.amount for r in rows), Decimal(0)))
    assert messages[0]["text"] == (
        f"You spent {spent} on groceries since payday (25 November), {len(rows)} payments."
    )


def test_pending_rows_are_marked(store: ProfileStore) -> None:
    messages, _ = ask(store, "show my transactions today")
    pending = [r for t in tables(messages) for r in t["rows"] if r["pending"]]
    assert pending and all(r["date"] == "7 Dec 2026" for r in pending)


@pytest.mark.parametrize(
    "text",
    ["how much did I spend at Zzyzx Emporium last month", "payments to Qwertyuiop", "uber payments"],
)
def test_an_unknown_name_says_no_transactions_found(store: ProfileStore, text: str) -> None:
    messages, _ = ask(store, text)
    assert len(messages) == 1 and not tables(messages)
    assert messages[0]["text"].startswith("No transactions found")
    assert "as it appears on your statement" in messages[0]["text"]


def test_no_transactions_in_a_period_says_so(store: ProfileStore) -> None:
    messages, _ = ask(store, "how much did I spend in January 2025")
    assert messages[0]["text"] == (
        "No transactions found in January 2025. You could ask about a longer period."
    )


@pytest.mark.parametrize(
    "text", ["", "   ", "🙂🙂🙂", "x" * 5000, "<PERSON_1> " * 800, "£" * 5000, "my 🦄🦄 payments"]
)
def test_bad_input_gets_an_answer_not_an_error(store: ProfileStore, text: str) -> None:
    messages, _ = ask(store, text)
    assert messages and all(len(m["text"] or "") < 600 for m in messages)
    assert re.match(r"(\d+ transactions|You spent £|Names of people are hidden)", messages[0]["text"])


def test_a_hidden_name_is_said_and_the_rest_answered(store: ProfileStore) -> None:
    messages, _ = ask(store, "how much did I send <PERSON_1> last month")
    assert messages[0]["text"].startswith(transaction_search.HIDDEN_NAME + " You spent £")
    assert "in November 2026" in messages[0]["text"]


def test_an_account_the_customer_does_not_have(store: ProfileStore) -> None:
    messages, _ = ask(store, "how much did I spend on my ISA last month")
    assert messages[0]["text"].startswith(transaction_search.UNKNOWN_ACCOUNT + " You spent £")


def test_one_named_account(store: ProfileStore) -> None:
    messages, slots = ask(store, "transactions on my credit card")
    assert {r["account"] for r in tables(messages)[0]["rows"]} == {"Platinum Credit Card"}
    assert " on your Platinum Credit Card:" in messages[0]["text"]
    assert slots[names.SLOT_SEARCH_QUERY]["account_id"] == "acc_001_credit_card"


# -- pages ---------------------------------------------------------------------------------------------


def test_show_more_pages_through_and_stops_at_the_end(store: ProfileStore) -> None:
    messages, slots = ask(store, "all my transactions this year")
    first = tables(messages)[0]
    pages = first["pages"]
    assert pages >= 3 and messages[-1]["buttons"] == [transaction_search.MORE_BUTTON]
    assert messages[-1]["text"] == f"Showing 1 to 10 of {first['total']['count']}."
    seen = [r for r in first["rows"]]
    for page in range(2, pages + 1):
        messages, slots = ask(store, "show more", intent=names.INTENT_SHOW_MORE_TRANSACTIONS, slots=slots)
        table = tables(messages)[0]
        assert table["page"] == page and slots[names.SLOT_SEARCH_PAGE] == page
        seen += table["rows"]
        assert (messages[-1]["buttons"] == []) is (page == pages)
    assert len(seen) == first["total"]["count"]

    messages, slots = ask(store, "next page", intent=names.INTENT_SHOW_MORE_TRANSACTIONS, slots=slots)
    assert not tables(messages) and messages[0]["text"].startswith(
        f"That's everything: I've already shown all {first['total']['count']} transactions this year"
    )
    assert slots[names.SLOT_SEARCH_PAGE] == pages


def test_show_more_with_no_search_before(store: ProfileStore) -> None:
    for saved in (None, {"direction": "sideways"}, "tesco"):
        messages, slots = ask(store, "show more", intent=names.INTENT_SHOW_MORE_TRANSACTIONS,
                              slots={names.SLOT_SEARCH_QUERY: saved})
        assert [m["text"] for m in messages] == [transaction_search.NOTHING_TO_CONTINUE] and slots == {}


# -- signing in -------------------------------------------------------------------------------------------


def test_after_signing_in_the_question_asked_before_is_answered(store: ProfileStore) -> None:
    question = {"event": "user", "text": "how much did I earn last month",
                "parse_data": {"intent": {"name": names.INTENT_SEARCH_TRANSACTIONS}, "entities": []}}
    dispatcher = CollectingDispatcher()
    turn = tracker("/signed_in", intent=names.INTENT_SIGNED_IN, earlier=[question])
    SearchOnFixedDay().act(dispatcher, turn, store, ALEX)
    assert dispatcher.messages[0]["text"] == "You received £2,684.50 in salary in November 2026, 1 payment."


def test_anonymous_customers_are_asked_to_sign_in_and_see_nothing() -> None:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(SearchOnFixedDay().run(dispatcher, tracker("how much did I spend at Tesco"), {}))
    assert [m["custom"] for m in dispatcher.messages] == [{"type": names.PAYLOAD_SIGN_IN_REQUIRED}]
    assert "£" not in dispatcher.messages[0]["text"]
    assert events == [{"event": "slot", "timestamp": None, "name": names.SLOT_PENDING_ACTION,
                       "value": names.ACTION_SEARCH_TRANSACTIONS}]
