"""After the customer signs in (``/signed_in`` from the front service): carry on with what
was waiting for it.

The pending action runs again on this message, whose customer assertion is the new login:
an account action (balance, card freeze, ...) runs here and now; a form (the transfer)
starts again with the answers kept and asks what is still missing, or shows the summary.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.accounts import ActionAccountDetails
from assistant.actions.balance import ActionCheckBalance
from assistant.actions.base import CustomerAction
from assistant.actions.budgets import ActionBudgetStatus, ActionRemoveBudget, ActionSetBudget
from assistant.actions.cancel_transfer import ActionCancelTransfer
from assistant.actions.card_delivery import ActionCardDeliveryStatus
from assistant.actions.cards import ActionFreezeCard
from assistant.actions.category_correction import ActionCorrectCategory
from assistant.actions.conversation import customer_assertion
from assistant.actions.declined_payments import ActionDeclinedPayments
from assistant.actions.duplicate_charges import ActionDuplicateCharges
from assistant.actions.exchange_details import ActionExchangeDetails
from assistant.actions.goal_progress import ActionGoalProgress
from assistant.actions.goals import ActionSaveGoal
from assistant.actions.pending_payments import ActionPendingPayments
from assistant.actions.recommendations import ActionRecommendProducts
from assistant.actions.sign_in import SIGNED_IN_TEXT, ask_to_sign_in
from assistant.actions.spending import ActionSpendingBreakdown
from assistant.actions.standing_orders import ActionCancelStandingOrder, ActionListStandingOrders
from assistant.actions.top_ups import ActionTopUps
from assistant.actions.transaction_search import ActionSearchTransactions
from assistant.actions.transactions import ActionRecentTransactions

# What runs again for each pending action, in order (a saved goal is followed by its
# recommendations, as in the form's own rule).
RESUMED: dict[str, tuple[type[CustomerAction], ...]] = {
    names.ACTION_CHECK_BALANCE: (ActionCheckBalance,),
    names.ACTION_RECENT_TRANSACTIONS: (ActionRecentTransactions,),
    names.ACTION_ACCOUNT_DETAILS: (ActionAccountDetails,),
    names.ACTION_FREEZE_CARD: (ActionFreezeCard,),
    names.ACTION_SAVE_GOAL: (ActionSaveGoal, ActionRecommendProducts),
    names.ACTION_RECOMMEND_PRODUCTS: (ActionRecommendProducts,),
    names.ACTION_CARD_DELIVERY_STATUS: (ActionCardDeliveryStatus,),
    names.ACTION_DECLINED_PAYMENTS: (ActionDeclinedPayments,),
    names.ACTION_PENDING_PAYMENTS: (ActionPendingPayments,),
    names.ACTION_CANCEL_TRANSFER: (ActionCancelTransfer,),
    names.ACTION_DUPLICATE_CHARGES: (ActionDuplicateCharges,),
    names.ACTION_EXCHANGE_DETAILS: (ActionExchangeDetails,),
    names.ACTION_TOP_UPS: (ActionTopUps,),
    names.ACTION_SEARCH_TRANSACTIONS: (ActionSearchTransactions,),
    names.ACTION_LIST_STANDING_ORDERS: (ActionListStandingOrders,),
    names.ACTION_CANCEL_STANDING_ORDER: (ActionCancelStandingOrder,),
    names.ACTION_SPENDING_BREAKDOWN: (ActionSpendingBreakdown,),
    names.ACTION_SET_BUDGET: (ActionSetBudget,),
    names.ACTION_REMOVE_BUDGET: (ActionRemoveBudget,),
    names.ACTION_BUDGET_STATUS: (ActionBudgetStatus,),
    names.ACTION_GOAL_PROGRESS: (ActionGoalProgress,),
    names.ACTION_CORRECT_CATEGORY: (ActionCorrectCategory,),
}
RESUMED_FORMS = frozenset({names.FORM_TRANSFER, names.FORM_PAYMENT, names.FORM_CARD_REPAYMENT})


class ActionResumePending(Action):
    """Run the pending action again for the customer who just signed in, and forget it."""

    def name(self) -> str:
        return names.ACTION_RESUME_PENDING

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        pending = tracker.get_slot(names.SLOT_PENDING_ACTION)
        if customer_assertion(tracker, self.name()) is None:
            return ask_to_sign_in(dispatcher, tracker, pending)
        # Cleared first, so that a resumed action asking again (a step-up) sets it anew.
        events: list[EventType] = [SlotSet(names.SLOT_PENDING_ACTION, None)]
        if pending in RESUMED_FORMS:
            return [*events, FollowupAction(pending)]
        actions = RESUMED.get(pending) if isinstance(pending, str) else None
        if not actions:
            dispatcher.utter_message(text=SIGNED_IN_TEXT)
            return events
        for action in actions:
            events += await action().run(dispatcher, tracker, domain)
        return events
