"""A payment's shape, read together with what the customer said in the conversation, and the
warning it calls for before the customer confirms.

A payment to a new payee that is large, or large against the balance it leaves, is the usual
shape of an authorised push-payment scam; with a scam signal in the conversation (someone
claiming to be the bank, a "safe account", secrecy, remote access, an investment that pays
too well) the warning is firm and a fraud specialist is offered before any money moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from fraud.signals import STRONG, ScamSignal, Signal

LARGE_TO_NEW_PAYEE = Decimal("1000")
SHARE_OF_BALANCE = Decimal("0.5")

_WARNINGS: dict[ScamSignal, str] = {
    ScamSignal.IMPERSONATION: (
        "We, the police and HMRC will never call you and ask you to move money, pay anyone or "
        "give us codes. If someone did, it is a scam: hang up."
    ),
    ScamSignal.SAFE_ACCOUNT: "There is no such thing as a 'safe account': your money is safe where it is.",
    ScamSignal.SECRECY: (
        "Anyone who tells you to keep a payment secret from us, or to give us a cover story, is a "
        "criminal."
    ),
    ScamSignal.REMOTE_ACCESS: (
        "Someone with remote access to your device can see and change what you do: disconnect them "
        "before going on."
    ),
    ScamSignal.TOO_GOOD_INVESTMENT: (
        "Guaranteed or very high returns are the mark of an investment scam: check the firm on the "
        "FCA register first."
    ),
    ScamSignal.ROMANCE: (
        "Someone you have only met online asking for money is a common scam, however genuine they "
        "seem."
    ),
    ScamSignal.PRESSURE: (
        "Someone pushing you to pay now, while they wait, is how these scams work: a genuine "
        "payment can wait while you check."
    ),
    ScamSignal.URGENCY: "Criminals rush you: a genuine payment can wait while you check.",
}


class Level(StrEnum):
    NONE = "none"
    CAUTION = "caution"  # shape only: a short warning before the confirmation
    STOP = "stop"  # a scam signal: a firm warning, a pause and a fraud specialist offered


@dataclass(frozen=True)
class PaymentShape:
    """What the payment looks like, in the figures the warning needs."""

    amount: Decimal
    new_payee: bool
    balance_before: Decimal | None = None
    signals: tuple[Signal, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PaymentWarning:
    """The warning for a payment: its level, reason codes and the text shown to the customer."""

    level: Level
    reasons: tuple[str, ...]
    text: str

    @property
    def offers_specialist(self) -> bool:
        return self.level is Level.STOP


def assess_payment(shape: PaymentShape) -> PaymentWarning:
    """The warning a payment of this shape calls for (``Level.NONE`` with no text if none)."""
    kinds = [ScamSignal(s.kind) for s in shape.signals]
    strong = [k for k in dict.fromkeys(kinds) if k in STRONG]
    reasons: list[str] = [k.value for k in strong]
    large = shape.amount >= LARGE_TO_NEW_PAYEE
    if shape.balance_before is not None and shape.balance_before > 0:
        large = large or shape.amount >= shape.balance_before * SHARE_OF_BALANCE
    if shape.new_payee and large:
        reasons.append("large_payment_to_new_payee")
    if ScamSignal.URGENCY in kinds and shape.new_payee:
        reasons.append(ScamSignal.URGENCY.value)
    if strong:
        lines = [_WARNINGS[k] for k in strong]
        text = (
            "Please stop before sending this. " + " ".join(lines) + " I've paused this payment. "
            "You can talk to a fraud specialist now, or cancel it."
        )
        return PaymentWarning(Level.STOP, tuple(reasons), text)
    if reasons:
        lines = []
        if large and shape.new_payee:
            lines.append("This is a large payment to someone you haven't paid before.")
        if ScamSignal.URGENCY.value in reasons:
            lines.append(_WARNINGS[ScamSignal.URGENCY])
        text = " ".join(lines) + (
            " If anyone has told you to make it, asked you to keep it secret or promised you a return, "
            "stop: it is likely a scam. Once sent, it may not be possible to get it back."
        )
        return PaymentWarning(Level.CAUTION, tuple(reasons), text.strip())
    return PaymentWarning(Level.NONE, (), "")
