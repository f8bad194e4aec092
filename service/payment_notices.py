"""What the customer is told when a colleague releases or cancels a payment held for review:
a bot-styled system message in their most recent conversation.

The message names the amount and the last four digits of the payee's account, never the
payee's name, their whole account number or the colleague's reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from bank.enums import PaymentStatus
from bank.errors import UnknownPayee
from bank.money import format_money
from bank.payees import PayeeStore
from bank.views import PaymentView
from service.schemas import MessageOut
from service.transcripts import TranscriptStore

RELEASED, CANCELLED = "payment_released", "payment_cancelled"
CHECKED = "Our payments team has checked your payment of {amount} to {payee}"
OUTCOMES = {
    PaymentStatus.COMPLETED: " and sent it.",
    PaymentStatus.SCHEDULED: " and released it: it goes on {day} as planned.",
    PaymentStatus.CANCELLED: " and cancelled it; no money left your account. Call us if you have questions.",
}


@dataclass(frozen=True)
class Told:
    """The notice stored in the customer's conversation, to publish to its sockets."""

    conversation_id: str
    message: MessageOut


def notice_text(payment: PaymentView, account_ending: str | None) -> str:
    """The customer's words for the payment as the colleague left it (sent, scheduled or
    cancelled)."""
    payee = f"the payee with account ending {account_ending}" if account_ending else "your payee"
    on = payment.scheduled_for
    outcome = OUTCOMES[payment.status].format(day=f"{on.day} {on:%B %Y}" if on else "")
    return CHECKED.format(amount=format_money(payment.amount, payment.currency), payee=payee) + outcome


class PaymentNotices:
    """Tells customers what became of their held payments.

    Args:
        transcripts: the conversations, where the notice is stored.
        payees: the customers' payees (for the account's last four digits).
    """

    def __init__(self, transcripts: TranscriptStore, payees: PayeeStore) -> None:
        self._transcripts = transcripts
        self._payees = payees

    def account_ending(self, payment: PaymentView) -> str | None:
        """The last four digits of the payee's account; None when the payee was removed."""
        if payment.payee_id is None:
            return None
        try:
            masked = self._payees.get_payee(payment.customer_id, payment.payee_id).masked_account_number
        except UnknownPayee:
            return None
        return masked[-4:]

    def tell(self, payment: PaymentView, event: str) -> Told | None:
        """Store the notice of ``event`` (``RELEASED`` or ``CANCELLED``) in the customer's most
        recent conversation; None when they have none."""
        conversation_id = self._transcripts.latest_of_customer(payment.customer_id)
        if conversation_id is None:
            return None
        text = notice_text(payment, self.account_ending(payment))
        custom = {"system": {"event": event, "payment_id": payment.id}}
        return Told(conversation_id, self._transcripts.add_system_message(conversation_id, text, custom))
