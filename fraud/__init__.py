"""Financial-crime awareness in the conversation: signs of an authorised push-payment scam in
what the customer says or in a payment's shape, and requests for help getting round the
bank's checks (which the assistant refuses and flags, never answers)."""

from fraud.payment_risk import PaymentShape, PaymentWarning, assess_payment
from fraud.signals import EVASION, ScamSignal, Signal, evasion_request, is_scam_warning, scam_signals

__all__ = [
    "EVASION",
    "PaymentShape",
    "PaymentWarning",
    "ScamSignal",
    "Signal",
    "assess_payment",
    "evasion_request",
    "is_scam_warning",
    "scam_signals",
]
