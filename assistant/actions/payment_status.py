"""What the account-status actions share: the question asked, UK times, one line per
payment, and what each decline or reversal reason means for the customer."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from assistant import names
from assistant.actions.formatting import format_money
from bank.enums import StatusReason
from bank.views import AccountView, TransactionView

UK = ZoneInfo("Europe/London")
# Messages that answer the bot rather than ask something: the question is in an earlier one.
_NOT_QUESTIONS = {names.INTENT_SIGNED_IN, names.INTENT_AFFIRM, names.INTENT_DENY}

REASONS: dict[StatusReason, str] = {
    StatusReason.INSUFFICIENT_FUNDS: "there wasn't enough money in the account at the time",
    StatusReason.CARD_FROZEN: "the card was frozen; you can unfreeze it in the app under Cards",
    StatusReason.INCORRECT_PIN: "the PIN was entered wrongly",
    StatusReason.SUSPECTED_FRAUD: (
        "our fraud checks stopped it to protect you; if it was you, try again and approve it in the app"
    ),
    StatusReason.LIMIT_EXCEEDED: "it was over your daily limit",
    StatusReason.CARD_EXPIRED: "the card had expired; please use your new card",
    StatusReason.ISSUER_DECLINED: (
        "the other bank refused it; please ask them why, or add money by bank transfer instead"
    ),
    StatusReason.DETAILS_MISMATCH: "the name or account details didn't match the receiving account",
    StatusReason.MERCHANT_REVERSED: "the shop cancelled it, so the money came back to you",
    StatusReason.CANCELLED_BY_CUSTOMER: "you cancelled it",
}


def asked_intent(tracker: Tracker) -> str | None:
    """The intent of the customer's latest question: the latest message's, unless that only
    answers the bot (a sign-in, yes, no), then the one before it."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        name = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if name and name not in _NOT_QUESTIONS:
            return str(name)
    name = (tracker.latest_message or {}).get("intent", {}).get("name")
    return str(name) if name else None


def when(moment: datetime, now: datetime | None = None) -> str:
    """A UK time for a customer: "today at 14:05", "yesterday at 09:12", "3 Dec at 18:40"."""
    local = moment.astimezone(UK)
    today = (now or datetime.now(UTC)).astimezone(UK).date()
    days = (today - local.date()).days
    day = {0: "today", 1: "yesterday"}.get(days, f"{local.day} {local:%b}")
    return f"{day} at {local:%H:%M}"


def day_label(day: date) -> str:
    """ "Thu 10 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


def payment_line(transaction: TransactionView, accounts: dict[str, AccountView]) -> str:
    """ "yesterday at 12:31: PRET A MANGER, £7.85 (Everyday Current)": the amount unsigned."""
    account = accounts.get(transaction.account_id)
    where = f" ({account.name})" if account else ""
    amount = format_money(abs(transaction.amount), transaction.currency)
    return f"{when(transaction.booked_at)}: {transaction.description}, {amount}{where}"


def reason_text(reason: StatusReason | None) -> str:
    """Why it was declined or reverted, for the customer ("" when unknown)."""
    return REASONS.get(reason, "") if reason else ""
