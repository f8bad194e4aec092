"""Top-ups: money added by card, bank transfer, cash or cheque that failed or was reverted."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.payment_status import asked_intent, payment_line, reason_text
from bank.enums import TOP_UP_KINDS, TransactionStatus
from bank.store import ProfileStore
from bank.views import AccountView, TransactionView

SHOWN = 3
ASKED: dict[str, frozenset[TransactionStatus]] = {
    names.INTENT_TOP_UP_FAILED: frozenset({TransactionStatus.DECLINED}),
    names.INTENT_TOP_UP_REVERTED: frozenset({TransactionStatus.REVERTED}),
}
ANY_PROBLEM = frozenset({TransactionStatus.DECLINED, TransactionStatus.REVERTED})
OUTCOME = {
    TransactionStatus.DECLINED: "failed",
    TransactionStatus.REVERTED: "was reverted",
    TransactionStatus.PENDING: "is still pending",
}
NOTHING = {
    TransactionStatus.DECLINED: "failed",
    TransactionStatus.REVERTED: "been reverted",
}
NEXT_STEP = (
    "The money from {them} isn't in your balance. You can try again, or add money by bank "
    "transfer from your other bank using your sort code and account number."
)


class ActionTopUps(CustomerAction):
    """Show the latest failed or reverted top-ups (as asked), each with its reason."""

    def name(self) -> str:
        return names.ACTION_TOP_UPS

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        statuses = ASKED.get(asked_intent(tracker) or "", ANY_PROBLEM)
        found = store.transactions(customer, statuses=statuses, kinds=TOP_UP_KINDS, limit=20)
        top_ups = [t for t in found if t.amount > 0][:SHOWN]
        if not top_ups:
            what = " or ".join(NOTHING[s] for s in sorted(statuses))
            dispatcher.utter_message(
                text=f"None of your recent top-ups has {what}: the money you added is in your balance."
            )
            return []
        accounts = {a.id: a for a in store.accounts(customer)}
        lines = "\n".join(_top_up_line(t, accounts) for t in top_ups)
        next_step = NEXT_STEP.format(them="them" if len(top_ups) > 1 else "it")
        dispatcher.utter_message(text=f"Your latest top-ups with a problem:\n{lines}\n{next_step}")
        return []


def _top_up_line(top_up: TransactionView, accounts: dict[str, AccountView]) -> str:
    why = reason_text(top_up.status_reason)
    outcome = OUTCOME.get(top_up.status, top_up.status.value)
    return f"- {payment_line(top_up, accounts)}: {outcome}" + (f" because {why}." if why else ".")
