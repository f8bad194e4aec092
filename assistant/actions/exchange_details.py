"""Foreign-currency payments: the amount charged, the exchange rate applied and our fee
(the bank's published facts: bank/policy.yml)."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.buttons import HELP_BUTTONS
from assistant.actions.formatting import CURRENCY_SYMBOLS, format_money
from assistant.actions.payment_status import asked_intent, when
from bank.enums import TransactionKind
from bank.policy import fact
from bank.store import ProfileStore
from bank.views import AccountView, TransactionView

SHOWN = 3
ASKED: dict[str, tuple[str, frozenset[TransactionKind]]] = {
    names.INTENT_CARD_PAYMENT_WRONG_EXCHANGE_RATE: (
        "card payments",
        frozenset({TransactionKind.CARD_PAYMENT}),
    ),
    names.INTENT_WRONG_EXCHANGE_RATE_FOR_CASH_WITHDRAWAL: (
        "cash withdrawals",
        frozenset({TransactionKind.CASH_WITHDRAWAL}),
    ),
}
ANY = ("payments", frozenset({TransactionKind.CARD_PAYMENT, TransactionKind.CASH_WITHDRAWAL}))


class ActionExchangeDetails(CustomerAction):
    """Show the latest foreign-currency payments of the kind asked about, with rate and fee."""

    def name(self) -> str:
        return names.ACTION_EXCHANGE_DETAILS

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        label, kinds = ASKED.get(asked_intent(tracker) or "", ANY)
        foreign = store.transactions(customer, kinds=kinds, foreign=True, limit=SHOWN)
        if not foreign:
            dispatcher.utter_message(
                text=f"I can't see any {label} in another currency on your accounts recently."
            )
            return []
        accounts = {a.id: a for a in store.accounts(customer)}
        lines = "\n".join(f"- {exchange_line(t, accounts)}" for t in foreign)
        dispatcher.utter_message(
            text=f"Your latest {label} in another currency:\n{lines}\n{how_rates_work()}",
            buttons=HELP_BUTTONS,
        )
        return []


def exchange_line(t: TransactionView, accounts: dict[str, AccountView]) -> str:
    """ "5 Dec at 14:00: CAFE DE FLORE PARIS, €48.60 at €1.1520 to £1 = £42.19 (Everyday Current)"."""
    account = accounts.get(t.account_id)
    where = f" ({account.name})" if account else ""
    in_pounds = format_money(abs(t.amount), t.currency)
    if t.original_amount is None or not t.original_currency or not t.exchange_rate:
        return f"{when(t.booked_at)}: {t.description}, {in_pounds}{where}"
    charged = format_money(abs(t.original_amount), t.original_currency)
    symbol = CURRENCY_SYMBOLS.get(t.original_currency, "")
    rate = f"{symbol}{t.exchange_rate:.4f}" if symbol else f"{t.exchange_rate:.4f} {t.original_currency}"
    return f"{when(t.booked_at)}: {t.description}, {charged} at {rate} to £1 = {in_pounds}{where}"


def how_rates_work() -> str:
    """How we convert and what we charge, from the bank's published facts."""
    return (
        f"We convert at {fact('exchange.card_rate')} on the day the payment is processed, which "
        "can be a day or two after you paid, so it may differ from the rate you saw at the time; "
        f"we charge {fact('exchange.card_fee')} on top. If a rate still looks wrong, a colleague "
        "can look into it."
    )
