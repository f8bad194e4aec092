"""Spending insights, budgets, goal progress and category corrections, the actions run
in-process on the seeded demo bank: the breakdown's words and chart agree with the store,
"usual" is stated with the months it comes from, an empty history gets a plain answer; budgets
are set (asking for what is missing), followed with a projection and removed, bad budgets get
clear answers and change nothing; goals are measured with their assumptions stated; a category
correction moves the merchant named to the category named."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from assistant import names
from assistant.actions import budgets, category_correction
from assistant.actions.budgets import ActionBudgetStatus, ActionRemoveBudget, ActionSetBudget
from assistant.actions.category_correction import ActionCorrectCategory, merchant_in, target_category
from assistant.actions.goal_progress import ActionGoalProgress
from assistant.actions.search_query import CATEGORY_LABELS
from assistant.actions.spending import ActionSpendingBreakdown, default_period
from bank.budgets import BudgetStore
from bank.categories import CategoryStore
from bank.enums import Category, GoalType, RiskTolerance
from bank.models import Account, Transaction
from bank.seed import seed_demo_bank
from bank.store import ProfileStore
from bank.views import GoalInput
from database.engine import get_engine, session_factory
from tests.support.databases import alembic_config

ALEX = "cus_001"
TODAY = date(2026, 12, 10)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProfileStore:
    url = f"sqlite:///{tmp_path / 'bank.db'}"
    command.upgrade(alembic_config(url), "head")
    sessions: sessionmaker[Session] = session_factory(get_engine(url))
    seed_demo_bank(sessions, today=TODAY)
    budget_store, category_store = BudgetStore(sessions), CategoryStore(sessions)
    monkeypatch.setattr(budgets, "get_budgets", lambda: budget_store)
    monkeypatch.setattr(category_correction, "get_categories", lambda: category_store)
    monkeypatch.setattr(ActionGoalProgress, "today", lambda self: TODAY)
    monkeypatch.setattr(budgets, "_today", lambda: TODAY)
    monkeypatch.setattr(ActionSpendingBreakdown, "today", lambda self: TODAY)
    return ProfileStore(sessions)


def said(text: str, intent: str, slots: dict[str, Any] | None = None,
         entities: tuple[dict[str, Any], ...] = ()) -> Tracker:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": list(entities)}
    events = [{"event": "user", "text": text, "parse_data": parse}]
    return Tracker("insights-test", slots or {}, parse, events, False, None, {}, names.ACTION_LISTEN)


def run(action: Any, store: ProfileStore, state: Tracker, customer: str = ALEX) -> tuple[list[dict[str, Any]],
                                                                                            dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = action.act(dispatcher, state, store, customer)
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_the_breakdown_says_what_the_chart_draws(store: ProfileStore) -> None:
    [message], _ = run(ActionSpendingBreakdown(), store, said("where does my money go", "spending_breakdown"))
    november = default_period("where does my money go", TODAY)
    assert (november.start, november.end) == (date(2026, 11, 1), date(2026, 11, 30))
    summary = store.spending(ALEX, november)
    text, chart = message["text"], message["custom"]
    assert text.startswith(f"You spent £{summary.spent:,.2f} in November 2026")
    assert chart["type"] == names.PAYLOAD_SPENDING_CHART and chart["text"] == text
    assert chart["total"] == str(summary.spent) and chart["income"] == str(summary.income)
    bars = {bar["category"]: Decimal(bar["amount"]) for bar in chart["bars"]}
    assert bars == {c.category.value: c.spent for c in summary.categories[:8]}
    assert sum(bars.values()) == summary.spent or len(summary.categories) > 8
    biggest = summary.categories[0]
    assert f"Biggest: {CATEGORY_LABELS[biggest.category].capitalize()} £{biggest.spent:,.2f}" in text


def test_usual_is_this_month_so_far_against_the_same_days_before(store: ProfileStore) -> None:
    [message], _ = run(ActionSpendingBreakdown(), store,
                       said("am I spending more than usual", "spending_breakdown"))
    text = message["text"]
    assert text.startswith("You spent") and "this month so far" in text
    # The seeded history starts 90 days before 10 December: the first days of November and
    # October are in it, those of September are not.
    assert "from the same days of the 2 months before" in text
    assert message["custom"]["usual_total"] is not None


def test_a_customer_without_transactions_gets_a_plain_answer(store: ProfileStore) -> None:
    with store._sessions.begin() as session:  # noqa: SLF001 - the test empties one customer's history
        accounts = select(Account.id).where(Account.customer_id == ALEX)
        session.execute(delete(Transaction).where(Transaction.account_id.in_(accounts)))
    [message], _ = run(ActionSpendingBreakdown(), store, said("break down my spending", "spending_breakdown"))
    assert message["text"].startswith("I can't see any transactions") and not message["custom"]


def test_a_budget_is_set_asking_for_what_is_missing(store: ProfileStore) -> None:
    [ask], slots = run(ActionSetBudget(), store, said("help me set a budget", names.INTENT_SET_BUDGET))
    assert ask["text"] == "Which category would you like a monthly budget for?"
    assert '/set_budget{"choice": "eating_out"}' in [b["payload"] for b in ask["buttons"]]
    assert "salary" not in json.dumps(ask["buttons"]) and slots == {names.SLOT_BUDGET_CATEGORY: None}
    picked = said('/set_budget{"choice": "eating_out"}', names.INTENT_SET_BUDGET,
                  entities=({"entity": names.ENTITY_CHOICE, "value": "eating_out"},))
    [how_much], slots = run(ActionSetBudget(), store, picked)
    assert how_much["text"].startswith("How much a month would you like to spend on eating out?")
    assert slots == {names.SLOT_BUDGET_CATEGORY: "eating_out"}
    answer = said("£150", names.INTENT_INFORM, {names.SLOT_BUDGET_CATEGORY: "eating_out"})
    [done], slots = run(ActionSetBudget(), store, answer)
    assert done["text"].startswith("Done: your eating out budget is £150.00 a month. Eating out: £")
    assert "At this rate (10 of 31 days gone) you'll spend about" in done["text"]
    assert slots == {names.SLOT_BUDGET_CATEGORY: None}
    [(category, limit)] = [(b.category, b.monthly_limit) for b in budgets.get_budgets().budgets(ALEX)]
    assert (category, limit) == (Category.EATING_OUT, Decimal("150.00"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("set a budget of £0 for groceries", "A budget of £0 would leave nothing for groceries"),
        ("set a budget of £1,000,000,000 for groceries", "A monthly budget can be up to £100,000.00"),
        ("set a budget of 1,20 for groceries", "I didn't catch that amount"),
        ("set a budget of £50 for unicorns", "Which category would you like a monthly budget for?"),
        ("budget my salary at £100", "I can't set a budget for salary"),
    ],
)
def test_bad_budgets_get_clear_answers_and_change_nothing(
    store: ProfileStore, text: str, expected: str
) -> None:
    [message], _ = run(ActionSetBudget(), store, said(text, names.INTENT_SET_BUDGET))
    assert expected in message["text"]
    assert budgets.get_budgets().budgets(ALEX) == []


def test_budgets_are_followed_and_removed(store: ProfileStore) -> None:
    [none], _ = run(ActionBudgetStatus(), store, said("how are my budgets", "budget_status"))
    assert none["text"].startswith("You haven't set any budgets yet")
    for text in ("set a budget of £200 for eating out", "make my transport budget £5"):
        run(ActionSetBudget(), store, said(text, names.INTENT_SET_BUDGET))
    [status], _ = run(ActionBudgetStatus(), store, said("how am I doing on my budgets", "budget_status"))
    lines = status["text"].splitlines()
    assert lines[0] == "Your budgets this month:" and len(lines) == 3
    assert lines[1].startswith("- Eating out: £") and "of £200.00 spent" in lines[1]
    [one], _ = run(ActionBudgetStatus(), store, said("what's left in my groceries budget", "budget_status"))
    assert one["text"].startswith("You don't have a groceries budget.")
    [which], _ = run(ActionRemoveBudget(), store, said("remove a budget", "remove_budget"))
    assert sorted(b["title"] for b in which["buttons"]) == ["Eating out", "Transport"]
    [gone], _ = run(ActionRemoveBudget(), store, said("remove my transport budget", "remove_budget"))
    assert gone["text"] == "Done: I've removed your transport budget."
    [missing], _ = run(ActionRemoveBudget(), store, said("delete my shopping budget", "remove_budget"))
    assert missing["text"] == "You don't have a shopping budget."
    [last], _ = run(ActionRemoveBudget(), store, said("remove the budget", "remove_budget"))
    assert last["text"] == "Done: I've removed your eating out budget."
    assert budgets.get_budgets().budgets(ALEX) == []


def test_the_projection_is_at_the_rate_so_far(store: ProfileStore) -> None:
    run(ActionSetBudget(), store, said("set a budget of £10 for groceries", names.INTENT_SET_BUDGET))
    [progress] = budgets.get_budgets().progress(ALEX, TODAY)
    assert progress.projected == (progress.spent * 31 / 10).quantize(Decimal("0.01"))
    if progress.spent > Decimal("10"):
        [status], _ = run(ActionBudgetStatus(), store, said("check my budget", "budget_status"))
        assert "over already" in status["text"] and "over." in status["text"]


def test_goals_are_measured_with_the_assumptions_stated(store: ProfileStore) -> None:
    [none], _ = run(ActionGoalProgress(), store, said("am I on track for my goal", "goal_progress"))
    assert none["text"].startswith("You haven't set a goal with me yet")
    held = sum((a.balance for a in store.accounts(ALEX) if a.kind.value in ("savings", "isa")), Decimal(0))
    store.save_goal(ALEX, GoalInput(GoalType.SAVE, held + Decimal(1200), 12, RiskTolerance.LOW, Decimal(100)))
    store.save_goal(ALEX, GoalInput(GoalType.BORROW, Decimal(5000), 24, RiskTolerance.LOW, Decimal(200)))
    [message], _ = run(ActionGoalProgress(), store, said("how is my goal going", "goal_progress"))
    text = message["text"]
    assert text.startswith("Your goals:\n- ")
    assert f"Your goal to save £{held + 1200:,.2f}: you have £{held:,.2f} of" in text
    assert "you'd have about" in text and "on track" in text, "£100 for 12 months closes a £1,200 gap"
    assert "Your goal to borrow £5,000.00 is a plan rather than a balance" in text
    assert "assumes you keep putting aside the monthly amount you told me, with no interest" in text


def test_a_category_correction_moves_the_merchant_named(store: ProfileStore) -> None:
    recent = store.recent_transactions(ALEX, limit=100)
    chosen = next(t for t in recent if t.kind.value == "card_payment" and t.category != Category.CASH)
    merchant = chosen.description.split()[0]
    text = f"{merchant} should be cash, not {chosen.category.value.replace('_', ' ')}"
    assert target_category(text) == Category.CASH
    assert target_category("Tesco is groceries not shopping") == Category.GROCERIES
    assert target_category("change Boots from entertainment to shopping") == Category.SHOPPING
    assert target_category("Tesco is wrong") is None
    assert merchant_in(text, recent) == next(t for t in recent if merchant.lower() in t.description.lower())
    assert merchant_in("unicorn emporium is shopping", recent) is None
    [done], _ = run(ActionCorrectCategory(), store, said(text, "correct_category"))
    assert done["text"].startswith("Done: ") and "is now cash" in done["text"]
    moved = [t for t in store.recent_transactions(ALEX, limit=100) if t.description == chosen.description]
    assert moved and {t.category for t in moved} == {Category.CASH}
    unknown_shop = said("unicorn emporium is shopping", "correct_category")
    [unknown], _ = run(ActionCorrectCategory(), store, unknown_shop)
    assert unknown["text"].startswith("I couldn't find that shop")
    [which], _ = run(ActionCorrectCategory(), store, said(f"{merchant} is wrong", "correct_category"))
    assert which["text"].startswith("Which category should it be?")
