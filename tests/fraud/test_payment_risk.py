"""The warning a payment's shape calls for, with or without scam signals in the conversation."""

from __future__ import annotations

from decimal import Decimal

from fraud import PaymentShape, assess_payment, scam_signals
from fraud.payment_risk import Level


def test_a_small_payment_to_a_known_payee_needs_no_warning() -> None:
    warning = assess_payment(PaymentShape(Decimal("40"), new_payee=False, balance_before=Decimal("900")))
    assert warning.level is Level.NONE and warning.text == ""


def test_a_large_payment_to_a_new_payee_is_cautioned() -> None:
    warning = assess_payment(PaymentShape(Decimal("2500"), new_payee=True, balance_before=Decimal("9000")))
    assert warning.level is Level.CAUTION
    assert "large_payment_to_new_payee" in warning.reasons
    assert "haven't paid before" in warning.text and not warning.offers_specialist


def test_most_of_the_balance_to_a_new_payee_is_cautioned_even_if_small() -> None:
    warning = assess_payment(PaymentShape(Decimal("300"), new_payee=True, balance_before=Decimal("400")))
    assert warning.level is Level.CAUTION


def test_a_scam_signal_stops_the_payment_and_offers_a_specialist() -> None:
    signals = tuple(scam_signals("someone from the bank called and told me to move it to a safe account"))
    warning = assess_payment(PaymentShape(Decimal("50"), new_payee=False, signals=signals))
    assert warning.level is Level.STOP and warning.offers_specialist
    assert "safe account" in warning.text and "never call you" in warning.text
    assert {"impersonation", "safe_account"} <= set(warning.reasons)


def test_urgency_counts_only_beside_a_new_payee() -> None:
    urgent = tuple(scam_signals("I need to send this right now"))
    assert assess_payment(PaymentShape(Decimal("20"), new_payee=False, signals=urgent)).level is Level.NONE
    warning = assess_payment(PaymentShape(Decimal("20"), new_payee=True, signals=urgent))
    assert warning.level is Level.CAUTION and "urgency" in warning.reasons
