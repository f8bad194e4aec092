"""How the customer's goals are going: "am I on track for my savings goal".

Saving and investing goals are measured against the savings and ISA balances, with the
assumptions said in the answer (``insights.goal_progress``); borrowing and protection goals are
plans, not balances, so the answer offers to talk them through instead.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.formatting import format_money, format_months
from bank.enums import AccountKind, GoalStatus
from bank.store import ProfileStore
from insights.goal_progress import TRACKED, GoalProgress, goal_progress

UK = ZoneInfo("Europe/London")
SAVINGS_KINDS = frozenset({AccountKind.SAVINGS, AccountKind.ISA})
ASSUMPTIONS = (
    "This counts everything in your savings and ISA accounts towards each goal, and assumes you "
    "keep putting aside the monthly amount you told me, with no interest or growth."
)
SET_GOAL_BUTTON = {"title": "Set a goal", "payload": f"/{names.INTENT_SET_GOAL}"}


def progress_words(progress: GoalProgress) -> str:
    goal = progress.goal
    target = format_money(goal.target_amount)
    held = f"{format_money(progress.held)} of {target} ({progress.share * 100:.0f}%)"
    what = f"Your goal to {goal.goal_type.value} {target}"
    if progress.reached:
        return f"{what}: you have {held}. You've reached it."
    if progress.months_left == 0:
        return (f"{what}: you have {held}, and its time is up. Putting aside "
                f"{format_money(progress.needed_monthly)} would close the gap.")
    left = format_months(progress.months_left)
    if progress.on_track:
        return (f"{what}: you have {held}. Putting aside {format_money(goal.monthly_budget)} a month, "
                f"you'd have about {format_money(progress.projected)} in {left}: on track.")
    return (f"{what}: you have {held}. At {format_money(goal.monthly_budget)} a month you'd have about "
            f"{format_money(progress.projected)} in {left}, short of it; "
            f"{format_money(progress.needed_monthly)} a month would get you there.")


class ActionGoalProgress(CustomerAction):
    """Each active goal against what the customer holds for it, with the assumptions."""

    def name(self) -> str:
        return names.ACTION_GOAL_PROGRESS

    def today(self) -> date:
        return datetime.now(UK).date()

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        goals = [g for g in store.goals(customer) if g.status == GoalStatus.ACTIVE]
        if not goals:
            dispatcher.utter_message(text="You haven't set a goal with me yet. Shall we set one?",
                                     buttons=[SET_GOAL_BUTTON])
            return []
        held = sum((a.balance for a in store.accounts(customer) if a.kind in SAVINGS_KINDS), Decimal("0.00"))
        tracked = [goal_progress(g, held, self.today()) for g in goals if g.goal_type in TRACKED]
        lines = [f"- {progress_words(p)}" for p in tracked]
        lines += [
            f"- Your goal to {g.goal_type.value} {format_money(g.target_amount)} is a plan rather than a "
            "balance: a colleague can go through how it's going."
            for g in goals if g.goal_type not in TRACKED
        ]
        footer = f"\n{ASSUMPTIONS}" if tracked else ""
        dispatcher.utter_message(text="Your goals:\n" + "\n".join(lines) + footer)
        return []
