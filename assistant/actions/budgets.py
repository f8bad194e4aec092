"""Monthly budgets per spending category: set or change one ("set a budget of £200 for eating
out"), remove one or all, and how they are going this month with a projection.

Setting asks for what is missing in the same action: the category (one button each; a category
we don't have is answered with the ones we do), then the amount, remembered in
``budget_category`` while the customer answers. Projections assume the month goes on at the
rate so far, and the answer says so.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.formatting import format_money
from assistant.actions.parsing import ParseError, parse_amount
from assistant.actions.profiles import get_budgets
from assistant.actions.search_query import CATEGORY_LABELS, category_in, category_of
from assistant.actions.transaction_search import said
from bank.budgets import NOT_BUDGETED, BudgetProgress, budget_limit
from bank.enums import Category
from bank.errors import InvalidBudget, UnknownBudget
from bank.store import ProfileStore

UK = ZoneInfo("Europe/London")
BUDGET_CATEGORIES = tuple(c for c in Category if c not in NOT_BUDGETED and c is not Category.TRANSFER)
_ALL = ("all my budgets", "all budgets", "every budget", "all of them", "my budgets", "all the budgets")


def category_label(category: Category) -> str:
    return CATEGORY_LABELS[category]


def category_buttons(
    intent: str, categories: tuple[Category, ...] = BUDGET_CATEGORIES
) -> list[dict[str, str]]:
    """One button a category, sending ``intent`` with the category as its choice."""
    return [
        {"title": category_label(c).capitalize(),
         "payload": f"/{intent}{json.dumps({names.ENTITY_CHOICE: c.value})}"}
        for c in categories
    ]


def chosen_category(tracker: Tracker) -> Category | None:
    """The category a button chose, or the one the customer's message names."""
    choice = next(tracker.get_latest_entity_values(names.ENTITY_CHOICE), None)
    if isinstance(choice, str):
        return category_of(choice)
    text = said(tracker)
    return None if text.startswith("/") else category_in(text)


def progress_words(progress: BudgetProgress) -> str:
    """ "Eating out: £70.00 of £150.00 spent, £80.00 left. At this rate (10 days in) you'll
    spend about £217.00 this month, about £67.00 over." """
    name = category_label(progress.category).capitalize()
    spent = f"{format_money(progress.spent)} of {format_money(progress.monthly_limit)} spent"
    left = (f"{format_money(progress.left)} left" if progress.left >= 0
            else f"{format_money(-progress.left)} over already")
    rate = f"At this rate ({progress.days_gone} of {progress.days_in_month} days gone) you'll spend about " \
           f"{format_money(progress.projected)} this month"
    if progress.projected_over > 0:
        rate += f", about {format_money(progress.projected_over)} over"
    elif progress.spent > 0:
        rate += ", within it"
    return f"{name}: {spent}, {left}. {rate}."


def _today() -> date:
    return datetime.now(UK).date()


class ActionSetBudget(CustomerAction):
    """Set or change a category's monthly budget, asking for the category or the amount."""

    def name(self) -> str:
        return names.ACTION_SET_BUDGET

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        pending = category_of(str(tracker.get_slot(names.SLOT_BUDGET_CATEGORY) or ""))
        category = chosen_category(tracker) or pending
        if category is None or category not in BUDGET_CATEGORIES:
            named = "" if category is None else f"I can't set a budget for {category_label(category)}. "
            dispatcher.utter_message(
                text=f"{named}Which category would you like a monthly budget for?",
                buttons=category_buttons(names.INTENT_SET_BUDGET),
            )
            return [SlotSet(names.SLOT_BUDGET_CATEGORY, None)]
        text = said(tracker)
        try:
            amount = None if text.startswith("/") else parse_amount(text, allow_zero=True)
        except ParseError as error:
            if error.code != "missing":
                dispatcher.utter_message(text=f"I didn't catch that amount. {_ask_amount(category)}")
                return [SlotSet(names.SLOT_BUDGET_CATEGORY, category.value)]
            amount = None
        if amount is None:
            dispatcher.utter_message(text=_ask_amount(category))
            return [SlotSet(names.SLOT_BUDGET_CATEGORY, category.value)]
        if amount == 0:
            dispatcher.utter_message(
                text=f"A budget of £0 would leave nothing for {category_label(category)}. To stop following "
                f'it, say "remove my {category_label(category)} budget". {_ask_amount(category)}'
            )
            return [SlotSet(names.SLOT_BUDGET_CATEGORY, category.value)]
        try:
            budget = get_budgets().set_budget(customer, category, amount)
        except InvalidBudget:
            dispatcher.utter_message(
                text=f"A monthly budget can be up to {format_money(budget_limit())}. {_ask_amount(category)}"
            )
            return [SlotSet(names.SLOT_BUDGET_CATEGORY, category.value)]
        [progress] = [p for p in get_budgets().progress(customer, _today()) if p.category == category]
        limit = format_money(budget.monthly_limit)
        done = f"Done: your {category_label(category)} budget is {limit} a month."
        dispatcher.utter_message(text=f"{done} {progress_words(progress)}")
        return [SlotSet(names.SLOT_BUDGET_CATEGORY, None)]


def _ask_amount(category: Category) -> str:
    return f"How much a month would you like to spend on {category_label(category)}? For example £200."


class ActionRemoveBudget(CustomerAction):
    """Remove the budget of the category named (or chosen), or all of them."""

    def name(self) -> str:
        return names.ACTION_REMOVE_BUDGET

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        budgets = get_budgets().budgets(customer)
        if not budgets:
            dispatcher.utter_message(text="You don't have any budgets to remove.")
            return []
        category = chosen_category(tracker)
        everything = category is None and any(phrase in said(tracker).lower() for phrase in _ALL)
        if category is None and not everything and len(budgets) > 1:
            mine = tuple(b.category for b in budgets)
            dispatcher.utter_message(text="Which budget would you like to remove?",
                                     buttons=category_buttons(names.INTENT_REMOVE_BUDGET, mine))
            return []
        if everything:
            removed = get_budgets().remove_budget(customer)
            dispatcher.utter_message(text=f"Done: I've removed all {removed} of your budgets.")
            return []
        category = category or budgets[0].category
        try:
            get_budgets().remove_budget(customer, category)
        except UnknownBudget:
            dispatcher.utter_message(text=f"You don't have a {category_label(category)} budget.")
            return []
        dispatcher.utter_message(text=f"Done: I've removed your {category_label(category)} budget.")
        return []


class ActionBudgetStatus(CustomerAction):
    """How each budget (or the one named) is going this month, with a projection."""

    def name(self) -> str:
        return names.ACTION_BUDGET_STATUS

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        progress = get_budgets().progress(customer, _today())
        if not progress:
            dispatcher.utter_message(
                text='You haven\'t set any budgets yet. Try "set a budget of £200 for eating out".',
                buttons=[{"title": "Set a budget", "payload": f"/{names.INTENT_SET_BUDGET}"}],
            )
            return []
        named = chosen_category(tracker)
        shown = [p for p in progress if p.category == named] or progress
        note = ""
        if named is not None and shown is progress:
            note = f"You don't have a {category_label(named)} budget. "
        lines = "\n".join(f"- {progress_words(p)}" for p in shown)
        dispatcher.utter_message(text=f"{note}Your budgets this month:\n{lines}")
        return []
