"""Transaction search: "how much did I spend at Tesco last month", "show my Uber payments since
payday", "how much did I earn in January", and "show more" for the next page.

The answer is a one-line summary ("You spent £123.45 at Tesco in November 2026, 6 payments.")
and, when something matched, a custom payload the web chat shows as a table::

    {"type": "transactions", "summary": "...", "columns": [{"key", "label", "align"}...],
     "rows": [{"date", "description", "category", "account", "amount", "pending"}...],
     "page": 1, "pages": 3, "total": {"count": 23, "in": "£0.00", "out": "£412.10"}}

The search is kept in the ``search_query`` slot (the page shown in ``search_page``), so that
``show_more_transactions`` shows the next page of the same search.
"""

import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.conversation import latest_intent
from assistant.actions.formatting import format_money
from assistant.actions.search_query import (
    CATEGORY_LABELS,
    SearchRequest,
    next_page,
    query_from_slot,
    query_to_slot,
    read_query,
)
from bank.enums import TransactionStatus
from bank.matching import match_account
from bank.search import Direction, SearchResult, TransactionQuery
from bank.store import ProfileStore
from bank.views import AccountView, TransactionView

UK = ZoneInfo("Europe/London")
MORE_BUTTON = {"title": "Show more", "payload": f"/{names.INTENT_SHOW_MORE_TRANSACTIONS}"}
COLUMNS = [
    {"key": "date", "label": "Date"},
    {"key": "description", "label": "Description"},
    {"key": "category", "label": "Category"},
    {"key": "account", "label": "Account"},
    {"key": "amount", "label": "Amount", "align": "end"},
]
NOTHING_TO_CONTINUE = (
    'I\'m not in the middle of a search. Ask me something like "how much did I spend at Tesco last month".'
)
HIDDEN_NAME = (
    "Names of people are hidden from me to protect your privacy, so I can't search for one. "
    "Here is what I found with the rest of your question."
)
UNKNOWN_ACCOUNT = "I couldn't tell which account you meant, so I searched all your accounts."
MAX_NAME_SHOWN = 40
# Messages that answer the bot rather than ask: the question is in an earlier message.
_NOT_QUESTIONS = frozenset({names.INTENT_SIGNED_IN, names.INTENT_AFFIRM, names.INTENT_DENY})


class ActionSearchTransactions(CustomerAction):
    """Search the customer's transactions and answer with a summary and a table, a page at a time."""

    def name(self) -> str:
        return names.ACTION_SEARCH_TRANSACTIONS

    def today(self) -> date:
        """The customer's today (UK)."""
        return datetime.now(UK).date()

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        accounts = {a.id: a for a in store.accounts(customer)}
        notes: list[str] = []
        if latest_intent(tracker) == names.INTENT_SHOW_MORE_TRANSACTIONS:
            saved = query_from_slot(tracker.get_slot(names.SLOT_SEARCH_QUERY))
            if saved is None:
                dispatcher.utter_message(text=NOTHING_TO_CONTINUE)
                return []
            request = replace(saved, query=next_page(saved.query))
            if request.query.account_id not in accounts:
                request = replace(request, query=replace(request.query, account_id=None))
        else:
            text, entities = asked_message(tracker)
            request = read_query(
                text, today=self.today(), entities=entities, payday=lambda: store.last_payday(customer)
            )
            account = match_account(list(accounts.values()), request.account) if request.account else None
            if request.account and account is None:
                notes.append(UNKNOWN_ACCOUNT)
            account_id = account.id if account else None
            request = replace(request, query=replace(request.query, account_id=account_id))
        if request.hidden_name:
            notes.append(HIDDEN_NAME)
        result = store.search_transactions(customer, request.query)
        answer(dispatcher, request, result, accounts, notes)
        shown = min(result.page, max(result.pages, 1))  # past the last page, "show more" stays there
        saved = replace(request, query=replace(request.query, page=shown))
        return [
            SlotSet(names.SLOT_SEARCH_QUERY, query_to_slot(saved, request.query.account_id)),
            SlotSet(names.SLOT_SEARCH_PAGE, shown),
        ]


def answer(
    dispatcher: CollectingDispatcher,
    request: SearchRequest,
    result: SearchResult,
    accounts: dict[str, AccountView],
    notes: list[str],
) -> None:
    """Send the summary, the table of this page and, when there is more, where we are and a
    "Show more" button."""
    account = accounts.get(request.query.account_id or "")
    prefix = "".join(f"{note} " for note in notes)
    if result.total == 0:
        dispatcher.utter_message(text=prefix + nothing_found(request, account))
        return
    if not result.transactions:
        dispatcher.utter_message(
            text=f"{prefix}That's everything: I've already shown all {_count(result.total, 'transaction')}"
            f"{describe(request, account)}."
        )
        return
    summary = summarise(request, result, account)
    dispatcher.utter_message(text=prefix + summary, json_message=table_payload(summary, result, accounts))
    if result.pages > 1:
        first = (result.page - 1) * result.page_size + 1
        last = first + len(result.transactions) - 1
        dispatcher.utter_message(
            text=f"Showing {first} to {last} of {result.total}.",
            buttons=[MORE_BUTTON] if result.has_more else [],
        )


def summarise(request: SearchRequest, result: SearchResult, account: AccountView | None) -> str:
    """ "You spent £123.45 at Tesco in November 2026, 6 payments." and the like."""
    what = describe(request, account, result.matched_names)
    query = request.query
    if query.direction == Direction.OUT:
        return f"You spent {format_money(result.money_out)}{what}, {_count(result.total, 'payment')}."
    if query.direction == Direction.IN:
        return f"You received {format_money(result.money_in)}{what}, {_count(result.total, 'payment')}."
    moved = [f"{format_money(result.money_in)} in"] if result.money_in else []
    moved += [f"{format_money(result.money_out)} out"] if result.money_out or not moved else []
    return f"{_count(result.total, 'transaction').capitalize()}{what}: {', '.join(moved)}."


def nothing_found(request: SearchRequest, account: AccountView | None) -> str:
    """ "No transactions found at Tesko in November 2026." with a hint."""
    hint = (
        " Please check the name as it appears on your statement, or ask about a longer period."
        if request.query.text
        else " You could ask about a longer period."
    )
    return f"No transactions found{describe(request, account)}.{hint}"


def describe(request: SearchRequest, account: AccountView | None, matched: tuple[str, ...] = ()) -> str:
    """What was searched, as the end of a sentence: " at Tesco on your Everyday Current in
    November 2026". A name the customer misspelt is said as on the statement when it matched
    one name only ("Tesko": "at Tesco Stores")."""
    query = request.query
    parts: list[str] = []
    if query.text:
        default = {Direction.OUT: "at", Direction.IN: "from", Direction.BOTH: "with"}[query.direction]
        preposition = request.name_preposition or default
        misspelt = len(matched) == 1 and not _written_in(query.text, matched[0])
        parts.append(f"{preposition} {statement_name(matched[0]) if misspelt else shown_name(query.text)}")
    if query.category is not None:
        label = CATEGORY_LABELS[query.category]
        parts.append(f"in {label}" if query.direction == Direction.IN else f"on {label}")
    parts += _amount_words(query)
    if account is not None:
        parts.append(f"on your {account.name}")
    if query.period is not None:
        parts.append(query.period.label)
    return "".join(f" {part}" for part in parts)


def shown_name(text: str) -> str:
    """The name as the customer wrote it, capitalised when they wrote it in lower case."""
    name = " ".join(text.split())
    if len(name) > MAX_NAME_SHOWN:
        name = name[: MAX_NAME_SHOWN - 1].rstrip() + "…"
    if name == name.lower():
        name = " ".join(word[:1].upper() + word[1:] for word in name.split())
    return f"“{name}”" if len(name.split()) > 3 else name


def statement_name(description: str) -> str:
    """A statement's description in ordinary case: "TESCO STORES" -> "Tesco Stores"."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in description.split())


def _written_in(text: str, description: str) -> bool:
    """Whether every word the customer wrote is a word of the description, whatever the case."""
    words = set(re.findall(r"\w+", description.casefold()))
    return all(word in words for word in re.findall(r"\w+", text.casefold()))


def table_payload(summary: str, result: SearchResult, accounts: dict[str, AccountView]) -> dict[str, Any]:
    """The ``transactions`` custom payload of this page of results."""
    return {
        "type": names.PAYLOAD_TRANSACTIONS,
        "summary": summary,
        "columns": COLUMNS,
        "rows": [_row(t, accounts) for t in result.transactions],
        "page": result.page,
        "pages": result.pages,
        "total": {
            "count": result.total,
            "in": format_money(result.money_in),
            "out": format_money(result.money_out),
        },
    }


def asked_message(tracker: Tracker) -> tuple[str, list[dict[str, Any]]]:
    """The text and entities of the customer's question: the latest message, unless that only
    answers the bot (a sign-in, yes, no), then the one before it."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") in _NOT_QUESTIONS:
            continue
        return str(event.get("text") or ""), list(parse.get("entities") or [])
    latest = tracker.latest_message or {}
    return str(latest.get("text") or ""), list(latest.get("entities") or [])


def said(tracker: Tracker) -> str:
    """What the customer asked: the latest message, or after a sign-in the one before it."""
    if latest_intent(tracker) == names.INTENT_SIGNED_IN:
        return asked_message(tracker)[0]
    return str((tracker.latest_message or {}).get("text") or "")


def _row(transaction: TransactionView, accounts: dict[str, AccountView]) -> dict[str, Any]:
    day = transaction.booked_at.astimezone(UK)
    account = accounts.get(transaction.account_id)
    return {
        "date": f"{day.day} {day:%b %Y}",
        "description": transaction.description,
        "category": CATEGORY_LABELS[transaction.category].capitalize(),
        "account": account.name if account else "",
        "amount": format_money(transaction.amount, transaction.currency),
        "pending": transaction.status == TransactionStatus.PENDING,
    }


def _amount_words(query: TransactionQuery) -> list[str]:
    low, high = query.min_amount, query.max_amount
    if low is not None and high is not None:
        return [f"between {format_money(low)} and {format_money(high)}"]
    if low is not None:
        return [f"over {format_money(low)}"]
    if high is not None:
        return [f"under {format_money(high)}"]
    return []


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
