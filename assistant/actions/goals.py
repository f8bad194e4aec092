"""Collecting a financial goal (``goal_form``) and saving it to the customer's profile.

The form asks for the goal type, target amount, time frame, risk tolerance and monthly
budget. A time frame, risk level or goal type given while another question is open
("actually make it 5 years") replaces the earlier answer, and the bot says so.
"""

from abc import ABC, abstractmethod
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant import names
from assistant.actions import replies
from assistant.actions.base import CustomerAction
from assistant.actions.formatting import format_money, format_months
from assistant.actions.parsing import (
    ParseError,
    parse_amount,
    parse_duration,
    parse_goal_type,
    parse_risk_level,
)
from assistant.actions.slot_filling import is_correction, text_answer
from bank.enums import GoalType
from bank.store import ProfileStore
from bank.views import GoalInput, GoalView

GOAL_VERBS = {
    GoalType.SAVE: "save",
    GoalType.BORROW: "borrow",
    GoalType.INVEST: "invest",
    GoalType.PROTECT: "protect",
}
TARGET_QUESTIONS = {
    GoalType.SAVE: "How much would you like to save? For example £5,000.",
    GoalType.BORROW: "How much would you like to borrow? For example £10,000.",
    GoalType.INVEST: "How much would you like your investments to reach? For example £20,000.",
    GoalType.PROTECT: "How much cover would you like? For example £100,000.",
}
BUDGET_QUESTIONS = {
    GoalType.BORROW: "How much could you afford to repay each month?",
    GoalType.PROTECT: "How much could you spend on cover each month?",
}
DEFAULT_BUDGET_QUESTION = "How much could you put towards it each month?"


def _goal_type(tracker: Tracker) -> GoalType | None:
    value = tracker.get_slot(names.SLOT_GOAL_TYPE)
    return GoalType(value) if value in {g.value for g in GoalType} else None


class ValidateGoalForm(FormValidationAction):
    """Normalise each answer (amounts, months, risk level, goal type) and note corrections."""

    def name(self) -> str:
        return names.ACTION_VALIDATE_GOAL_FORM

    # -- extraction when the entity extractor found nothing ----------------------------

    async def extract_goal_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, names.SLOT_GOAL_TYPE, parse_goal_type)

    async def extract_goal_target_amount(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, names.SLOT_GOAL_TARGET_AMOUNT, parse_amount)

    async def extract_goal_horizon_months(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, names.SLOT_GOAL_HORIZON_MONTHS, parse_duration)

    async def extract_risk_tolerance(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, names.SLOT_RISK_TOLERANCE, parse_risk_level)

    async def extract_monthly_budget(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(
            tracker, names.SLOT_MONTHLY_BUDGET, lambda text: parse_amount(text, allow_zero=True)
        )

    # -- validation ---------------------------------------------------------------------

    async def validate_goal_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            goal_type = parse_goal_type(str(value))
        except ParseError:
            dispatcher.utter_message(text=replies.GOAL_TYPE_PROBLEM)
            return {names.SLOT_GOAL_TYPE: None}
        if is_correction(tracker, names.SLOT_GOAL_TYPE, goal_type.value):
            dispatcher.utter_message(text=f"No problem, I've changed your goal to {GOAL_VERBS[goal_type]}.")
        return {names.SLOT_GOAL_TYPE: goal_type.value}

    async def validate_goal_target_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _validated_amount(names.SLOT_GOAL_TARGET_AMOUNT, value, dispatcher, tracker, False)

    async def validate_monthly_budget(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _validated_amount(names.SLOT_MONTHLY_BUDGET, value, dispatcher, tracker, True)

    async def validate_goal_horizon_months(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            months = value if isinstance(value, int) else parse_duration(str(value))
        except ParseError as error:
            dispatcher.utter_message(text=replies.DURATION_PROBLEMS[error.code])
            return {names.SLOT_GOAL_HORIZON_MONTHS: None}
        if is_correction(tracker, names.SLOT_GOAL_HORIZON_MONTHS, months):
            dispatcher.utter_message(
                text=f"No problem, I've changed the time frame to {format_months(months)}."
            )
        return {names.SLOT_GOAL_HORIZON_MONTHS: months}

    async def validate_risk_tolerance(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            risk = parse_risk_level(str(value))
        except ParseError:
            dispatcher.utter_message(text=replies.RISK_PROBLEM)
            return {names.SLOT_RISK_TOLERANCE: None}
        if is_correction(tracker, names.SLOT_RISK_TOLERANCE, risk.value):
            dispatcher.utter_message(text=f"No problem, I've changed your risk level to {risk.value}.")
        return {names.SLOT_RISK_TOLERANCE: risk.value}


def _validated_amount(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, allow_zero: bool
) -> dict[str, Any]:
    try:
        amount = parse_amount(str(value), allow_zero=allow_zero)
    except ParseError as error:
        dispatcher.utter_message(text=replies.AMOUNT_PROBLEMS[error.code])
        return {slot: None}
    if is_correction(tracker, slot, amount):
        dispatcher.utter_message(text=f"No problem, I've changed that to {format_money(amount)}.")
    return {slot: str(amount)}


# -- questions ------------------------------------------------------------------------------


class _AskGoalSlot(Action, ABC):
    """Ask one question of the goal form; subclasses say which and how."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    def question(self, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
        """The question's text and its buttons (may be empty)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text, buttons = self.question(tracker)
        dispatcher.utter_message(text=text, buttons=buttons or None)
        return []


def _inform_button(title: str, entity: str, value: str) -> dict[str, str]:
    return {"title": title, "payload": f'/{names.INTENT_INFORM}{{"{entity}":"{value}"}}'}


class ActionAskGoalType(_AskGoalSlot):
    action_name = names.ACTION_ASK_GOAL_TYPE

    def question(self, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
        buttons = [
            _inform_button(goal.value.capitalize(), names.ENTITY_GOAL_TYPE, goal.value) for goal in GoalType
        ]
        return "Happy to help you plan. What kind of goal is it?", buttons


class ActionAskGoalTargetAmount(_AskGoalSlot):
    action_name = names.ACTION_ASK_GOAL_TARGET_AMOUNT

    def question(self, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
        goal_type = _goal_type(tracker)
        text = TARGET_QUESTIONS[goal_type] if goal_type else "What amount are you aiming for?"
        return text, []


class ActionAskGoalHorizonMonths(_AskGoalSlot):
    action_name = names.ACTION_ASK_GOAL_HORIZON_MONTHS

    def question(self, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
        return 'Over what time frame? For example "18 months" or "5 years".', []


class ActionAskRiskTolerance(_AskGoalSlot):
    action_name = names.ACTION_ASK_RISK_TOLERANCE

    def question(self, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
        buttons = [
            _inform_button(level.capitalize(), names.ENTITY_RISK_LEVEL, level)
            for level in ("low", "medium", "high")
        ]
        return "How much risk are you comfortable with?", buttons


class ActionAskMonthlyBudget(_AskGoalSlot):
    action_name = names.ACTION_ASK_MONTHLY_BUDGET

    def question(self, tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
        goal_type = _goal_type(tracker)
        text = BUDGET_QUESTIONS.get(goal_type, DEFAULT_BUDGET_QUESTION) if goal_type else None
        return text or DEFAULT_BUDGET_QUESTION, []


# -- saving -------------------------------------------------------------------------------


class ActionSaveGoal(CustomerAction):
    """Save the collected goal to the profile store, summarise it and reset the form."""

    def name(self) -> str:
        return names.ACTION_SAVE_GOAL

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        goal = store.save_goal(
            customer,
            GoalInput(
                goal_type=str(tracker.get_slot(names.SLOT_GOAL_TYPE)),
                target_amount=Decimal(str(tracker.get_slot(names.SLOT_GOAL_TARGET_AMOUNT))),
                horizon_months=int(tracker.get_slot(names.SLOT_GOAL_HORIZON_MONTHS)),
                risk_tolerance=str(tracker.get_slot(names.SLOT_RISK_TOLERANCE)),
                monthly_budget=Decimal(str(tracker.get_slot(names.SLOT_MONTHLY_BUDGET))),
            ),
        )
        dispatcher.utter_message(text=goal_summary(goal))
        return _reset()

    def on_failure(self) -> list[EventType]:
        return _reset()


def goal_summary(goal: GoalView) -> str:
    """Describe a saved goal and whether the monthly budget gets there in time."""
    target, budget = format_money(goal.target_amount), format_money(goal.monthly_budget)
    horizon = format_months(goal.horizon_months)
    summary = (
        f"I've saved your goal: {GOAL_VERBS[goal.goal_type]} {target} over {horizon}, "
        f"with {goal.risk_tolerance.value} risk and {budget} a month to put towards it."
    )
    if goal.goal_type in (GoalType.SAVE, GoalType.INVEST):
        total = goal.monthly_budget * goal.horizon_months
        if total >= goal.target_amount:
            summary += f" Putting aside {budget} a month gets you there in time."
        else:
            needed = (goal.target_amount / goal.horizon_months).quantize(Decimal("0.01"))
            summary += (
                f" {budget} a month adds up to {format_money(total)}: to reach {target} "
                f"you'd need about {format_money(needed)} a month before any growth."
            )
    return summary


def _reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in names.GOAL_SLOTS]
