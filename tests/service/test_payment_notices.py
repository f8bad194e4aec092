"""The customer's words for a colleague's decision on a held payment: the amount, the account's
last four digits and what became of it, for each outcome."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bank.enums import PaymentStatus
from bank.views import PaymentView
from service.payment_notices import notice_text

CHECKED = "Our payments team has checked your payment of "


def payment(status: PaymentStatus, amount: str = "250.00", currency: str = "GBP",
            scheduled_for: date | None = None) -> PaymentView:
    return PaymentView(
        id="pmt_1", source_account_id="acc_004_current", payee_id="pye_004_01", destination_account_id=None,
        amount=Decimal(amount), currency=currency, reference="Rent", scheduled_for=scheduled_for,
        status=status, review_reason="sanctions screening", created_at=datetime(2026, 12, 1, tzinfo=UTC),
        completed_at=None, source_balance=Decimal("1000.00"), customer_id="cus_004",
    )


@pytest.mark.parametrize(
    ("held", "ending", "expected"),
    [
        (payment(PaymentStatus.COMPLETED), "1864",
         "£250.00 to the payee with account ending 1864 and sent it."),
        (payment(PaymentStatus.SCHEDULED, scheduled_for=date(2027, 1, 5)), "1864",
         "£250.00 to the payee with account ending 1864 and released it: it goes on 5 January 2027 "
         "as planned."),
        (payment(PaymentStatus.CANCELLED, "1250.5"), "0003",
         "£1,250.50 to the payee with account ending 0003 and cancelled it; no money left your account. "
         "Call us if you have questions."),
        (payment(PaymentStatus.CANCELLED, currency="EUR"), None,
         "€250.00 to your payee and cancelled it; no money left your account. "
         "Call us if you have questions."),
    ],
)
def test_the_notice_for_each_outcome(held: PaymentView, ending: str | None, expected: str) -> None:
    assert notice_text(held, ending) == CHECKED + expected


def test_the_notice_never_names_the_reference_or_the_review_reason() -> None:
    text = notice_text(payment(PaymentStatus.COMPLETED), "1864")
    assert "Rent" not in text and "sanctions" not in text
