"""Product recommendations in the chat: the top 3 for the customer's saved goal, each with
its reasons and three buttons (tell me more, I'm interested, not for me), and the answers.

The recommender (MiniLM, FAISS indexes over the profile store) is built once per action
server process, on first use or by ``warm_up`` in a background thread at start-up.
Every answer is recorded in the profile store, where it changes later rankings.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.experiments import arm_for, record_answer
from bank.errors import InvalidGoal
from bank.store import ProfileStore
from journeys.experiments import INTRO_EXPERIMENT, STRATEGY_EXPERIMENT
from recommender.errors import InvalidFeedback, UnknownRecommendation
from recommender.strategies import DEFAULT_STRATEGY

if TYPE_CHECKING:
    from recommender.recommender import Recommender

logger = logging.getLogger(__name__)

TOP_K = 3
FEEDBACK_BUTTONS = (("Tell me more", "more_info"), ("I'm interested", "accepted"), ("Not for me", "declined"))
NO_GOAL = "I don't have a goal for you yet. Shall we set one up? Then I can suggest products that fit."
USE_BUTTONS = (
    "Which suggestion do you mean? Please use the buttons under it to tell me what you think."
)
FEEDBACK_REPLIES = {
    "accepted": (
        "Great, I've noted your interest in the {name}. You can apply in the app, and I can put "
        "you through to an adviser if you'd like to talk it over first."
    ),
    "declined": "Understood, I've noted that the {name} isn't for you. I won't suggest it again.",
}
# The introduction's wordings (the arms of the intro experiment; "plain" is the default).
INTROS = {
    "plain": "Here are {n} products that fit your goal.",
    "reasons_first": "I've looked at your goal and picked {n} products, each with the reasons it suits you.",
}


@lru_cache(maxsize=1)
def get_recommender() -> Recommender:
    """The process-wide recommender over ``DATABASE_URL``, built on the first call."""
    from recommender.recommender import Recommender
    from simulation.population import reference_columns

    return Recommender.from_settings(reference=reference_columns)


def warm_up() -> threading.Thread:
    """Build the recommender in a background thread so the first customer does not wait."""
    thread = threading.Thread(target=_warm, name="recommender-warm-up", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    try:
        get_recommender()
    except Exception as error:  # noqa: BLE001 - the first request retries and reports it
        logger.warning("recommender warm-up failed: %s", type(error).__name__)


def feedback_payload(rec_id: str, outcome: str) -> str:
    """The button payload that answers one recommendation."""
    entities = {names.ENTITY_REC_ID: rec_id, names.ENTITY_FEEDBACK: outcome}
    return f"/{names.INTENT_RECOMMENDATION_FEEDBACK}{json.dumps(entities, separators=(',', ':'))}"


def feedback_buttons(
    rec_id: str, outcomes: tuple[str, ...] = ("more_info", "accepted", "declined")
) -> list[dict[str, str]]:
    """Buttons answering one recommendation, in the order tell me more, interested, not for me."""
    return [
        {"title": title, "payload": feedback_payload(rec_id, outcome)}
        for title, outcome in FEEDBACK_BUTTONS
        if outcome in outcomes
    ]


def item_text(rank: int, item: dict[str, Any], kind: str) -> str:
    """One suggestion as the customer reads it: name, kind of product and the reasons for it."""
    reasons = " ".join(item["reasons"])
    return f"{rank}. {item['product_name']} ({kind}). {reasons}".strip()


class ActionRecommendProducts(CustomerAction):
    """Recommend the top 3 products for the customer's latest saved goal."""

    def name(self) -> str:
        return names.ACTION_RECOMMEND_PRODUCTS

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        goals = store.goals(customer)
        if not goals:
            dispatcher.utter_message(text=NO_GOAL)
            return []
        latest = goals[0]  # newest first
        goal = {
            "goal_type": latest.goal_type, "target_amount": latest.target_amount,
            "horizon_months": latest.horizon_months, "risk_tolerance": latest.risk_tolerance,
            "monthly_budget": latest.monthly_budget,
        }
        recommender = get_recommender()
        strategy = arm_for(STRATEGY_EXPERIMENT, customer, DEFAULT_STRATEGY)
        try:
            result = recommender.recommend(customer, goal, k=TOP_K, strategy=strategy).to_dict()
        except InvalidGoal as error:
            dispatcher.utter_message(text=str(error))
            return []
        if result["notice"]:
            dispatcher.utter_message(text=result["notice"])
        items = result["items"]
        if not items:
            return [SlotSet(names.SLOT_SHOWN_RECOMMENDATIONS, [])]
        segment = result.get("segment")
        intro = INTROS[arm_for(INTRO_EXPERIMENT, customer, "plain")].format(n=len(items))
        if segment:
            intro += f' Your profile puts you in our "{segment["name"]}" group: {segment["description"]}'

        dispatcher.utter_message(text=intro)
        for rank, item in enumerate(items, start=1):
            kind = recommender.catalogue.get(item["product_id"]).category_label
            dispatcher.utter_message(text=item_text(rank, item, kind),
                                     buttons=feedback_buttons(item["rec_id"]))
        shown = [{"rec_id": i["rec_id"], "product_id": i["product_id"], "name": i["product_name"]}
                 for i in items]
        return [SlotSet(names.SLOT_SHOWN_RECOMMENDATIONS, shown)]


class ActionRecommendationFeedback(CustomerAction):
    """Record the customer's answer to one suggestion and reply to it."""

    resume = False  # the answer's button is not in the sign-in message: nothing to redo

    def name(self) -> str:
        return names.ACTION_RECOMMENDATION_FEEDBACK

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        outcome = next(tracker.get_latest_entity_values(names.ENTITY_FEEDBACK), None)
        shown: list[dict[str, Any]] = tracker.get_slot(names.SLOT_SHOWN_RECOMMENDATIONS) or []
        item = answered_item(shown, next(tracker.get_latest_entity_values(names.ENTITY_REC_ID), None))
        if not outcome or item is None:
            dispatcher.utter_message(text=USE_BUTTONS)
            return []
        recommender = get_recommender()
        try:
            receipt = recommender.record_feedback(customer, str(item["rec_id"]), str(outcome))
        except (InvalidFeedback, UnknownRecommendation):
            dispatcher.utter_message(text=USE_BUTTONS)
            return []
        if receipt.outcome == "more_info":
            product = recommender.catalogue.get(receipt.product_id)
            dispatcher.utter_message(
                text=f"{product.name}: {product.description} {product_facts(product)}".strip(),
                buttons=feedback_buttons(receipt.rec_id, ("accepted", "declined")),
            )
            # The product just described is what a typed "I'm interested" refers to.
            focused = [{**s, "focus": s["rec_id"] == receipt.rec_id} for s in shown]
            return [SlotSet(names.SLOT_SHOWN_RECOMMENDATIONS, focused)]
        record_answer(customer, accepted=receipt.outcome == "accepted")
        dispatcher.utter_message(text=FEEDBACK_REPLIES[receipt.outcome].format(name=item["name"]))
        remaining = [{**s, "focus": False} for s in shown if s["rec_id"] != receipt.rec_id]
        if receipt.outcome == "accepted":
            dispatcher.utter_message(
                text="Would you like to speak to an adviser?",
                buttons=[{"title": "Speak to an adviser", "payload": f"/{names.INTENT_REQUEST_HUMAN}"}],
            )
        elif remaining:
            dispatcher.utter_message(
                text="Would you like to hear more about one of the others?",
                buttons=[
                    {"title": f"More about {s['name']}",
                     "payload": feedback_payload(s["rec_id"], "more_info")}
                    for s in remaining
                ],
            )
        return [SlotSet(names.SLOT_SHOWN_RECOMMENDATIONS, remaining)]


def answered_item(shown: list[dict[str, Any]], rec_id: str | None) -> dict[str, Any] | None:
    """The suggestion an answer is about: the button's own, else the one just described,
    else the only one left; None when a typed answer could mean several."""
    if rec_id:
        return next((s for s in shown if s.get("rec_id") == rec_id), None)
    focused = [s for s in shown if s.get("focus")]
    if focused:
        return focused[0]
    return shown[0] if len(shown) == 1 else None


def product_facts(product: Any) -> str:
    """Key figures of a product in one sentence: rate, fees and risk level."""
    parts = []
    if product.rate_pct is not None:
        parts.append(f"{'APR' if product.is_credit else 'rate'} {product.rate_pct:g}%")
    if product.monthly_fee:
        parts.append(f"£{product.monthly_fee:,.2f} a month in fees")
    if product.annual_fee:
        parts.append(f"£{product.annual_fee:,.2f} a year in fees")
    if product.term_months_min:
        parts.append(f"a term of {product.term_months_min} to {product.term_months_max} months")
    parts.append(f"risk level {product.risk_level} of 7")
    return "Key facts: " + ", ".join(parts) + "."


if os.environ.get("ACTIONS_WARM_UP") == "1":  # set by the stack for the action server only
    warm_up()
