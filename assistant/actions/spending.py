"""Where the customer's money went: "where does my money go", "am I spending more than usual",
"did I spend more than I earned last month".

The answer names the period, the total against the customer's usual (the same days of the
months before that their history covers, with how many months that is), the biggest
categories with their usual, the top merchants and money in against money out. The same
figures go in a custom payload the web chat draws as a bar chart; the text is the version
for the app and for screen readers::

    {"type": "spending_chart", "title": "Spending in November 2026", "currency": "GBP",
     "bars": [{"category": "groceries", "label": "Groceries", "amount": "320.00",
               "usual": "280.00"}...],
     "total": "1234.56", "usual_total": "1100.00", "income": "2400.00", "text": "..."}

With no period named: "this month" so far when the customer asks about their usual, else the
last whole month.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.formatting import format_money
from assistant.actions.search_query import CATEGORY_LABELS
from assistant.actions.transaction_search import asked_message
from bank.periods import PaydayUnknown, Period, parse_period
from bank.spending import CategorySpending, SpendingSummary
from bank.store import ProfileStore

UK = ZoneInfo("Europe/London")
SHOWN_CATEGORIES = 4
SHOWN_MERCHANTS = 3
CHART_BARS = 8
NEAR_USUAL = Decimal("0.10")  # within 10% of usual reads as "about usual"
_ABOUT_USUAL = re.compile(r"\b(?:usual|normal|normally|usually|typical|average|more than i|less than i)\b")


def default_period(text: str, today: date) -> Period:
    """This month so far for a question about the usual, else the last whole month."""
    if _ABOUT_USUAL.search(text.lower()):
        return Period(today.replace(day=1), today, "this month so far")
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last, f"in {last:%B %Y}")


def label(category: CategorySpending) -> str:
    return CATEGORY_LABELS[category.category].capitalize()


def compared(amount: Decimal, usual: Decimal | None) -> str:
    """ "about usual", "£40.00 more than usual", "£5.00 less than usual"; "" without a usual."""
    if usual is None:
        return ""
    difference = amount - usual
    if (usual > 0 and abs(difference) <= usual * NEAR_USUAL) or difference == 0:
        return "about usual"
    if difference > 0:
        return f"{format_money(difference)} more than usual"
    return f"{format_money(-difference)} less than usual"


def describe(summary: SpendingSummary) -> str:
    """The whole answer in words."""
    period = summary.period.label
    if summary.history_start is None:
        return "I can't see any transactions on your accounts yet, so there's no spending to break down."
    if summary.spent <= 0 and summary.income <= 0:
        return f"I can't see any spending or money coming in {period}."
    total = f"You spent {format_money(summary.spent)} {period}"
    if summary.usual_total is None:
        total += ". I need at least one earlier month of your history to say what's usual for you."
    else:
        months = "month" if summary.usual_periods == 1 else f"{summary.usual_periods} months"
        total += (f": {compared(summary.spent, summary.usual_total)} (usually "
                  f"{format_money(summary.usual_total)}, from the same days of the {months} before).")
    parts = [total]
    spent = [c for c in summary.categories if c.spent > 0][:SHOWN_CATEGORIES]
    if spent:
        parts.append("Biggest: " + "; ".join(_category_words(c) for c in spent) + ".")
    if summary.merchants:
        parts.append("Top places: " + ", ".join(
            f"{m.name.title()} {format_money(m.spent)}" for m in summary.merchants[:SHOWN_MERCHANTS]) + ".")
    if summary.income > 0:
        kept = summary.kept
        outcome = (f"you kept {format_money(kept)}" if kept >= 0
                   else f"{format_money(-kept)} more went out than came in")
        parts.append(f"Money in: {format_money(summary.income)}, so {outcome}.")
    return " ".join(parts)


def _category_words(category: CategorySpending) -> str:
    versus = compared(category.spent, category.usual)
    return f"{label(category)} {format_money(category.spent)}" + (f" ({versus})" if versus else "")


def chart_payload(summary: SpendingSummary, text: str) -> dict[str, Any]:
    """The bar chart the web chat draws: one bar a category, with the usual amount."""
    return {
        "type": names.PAYLOAD_SPENDING_CHART,
        "title": f"Spending {summary.period.label}",
        "currency": "GBP",
        "bars": [
            {"category": c.category.value, "label": label(c), "amount": str(c.spent),
             "usual": None if c.usual is None else str(c.usual)}
            for c in summary.categories[:CHART_BARS]
        ],
        "total": str(summary.spent),
        "usual_total": None if summary.usual_total is None else str(summary.usual_total),
        "income": str(summary.income),
        "text": text,
    }


class ActionSpendingBreakdown(CustomerAction):
    """Break down the customer's spending for the period they named (or a sensible one)."""

    def name(self) -> str:
        return names.ACTION_SPENDING_BREAKDOWN

    def today(self) -> date:
        return datetime.now(UK).date()

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        text, _entities = asked_message(tracker)
        today = self.today()
        try:
            period = parse_period(text, today, lambda: store.last_payday(customer))
        except PaydayUnknown:
            period = None
        period = period or default_period(text, today)
        if period.start > today:
            dispatcher.utter_message(text="That period hasn't started yet, so there's no spending to show.")
            return []
        summary = store.spending(customer, Period(period.start, min(period.end, today), period.label))
        words = describe(summary)
        has_bars = any(c.spent > 0 or (c.usual or 0) > 0 for c in summary.categories)
        dispatcher.utter_message(text=words, json_message=chart_payload(summary, words) if has_bars else None)
        return []
