"""Each finding as a nudge in words: what we noticed, why now, what it assumes, what to do.

Two wordings are arms of the nudge experiment: ``plain`` says what we suggest, then why;
``reasons_first`` says why, then what we suggest. The facts and assumptions are the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bank.money import format_money
from insights.nudges.nudge import Nudge, NudgeKind, nudge_id
from insights.nudges.offers import SavingsOffer
from insights.nudges.triggers import IdleCash, SalaryArrived, Shortfall

PLAIN = "plain"
REASONS_FIRST = "reasons_first"
OFF = "off"  # the experiment's control: no nudge is sent
WORDINGS = (PLAIN, REASONS_FIRST)
VARIANTS = (OFF, PLAIN, REASONS_FIRST)

SALARY_TTL = timedelta(hours=36)
IDLE_TTL = timedelta(days=7)


def _join(variant: str, suggestion: str, reason: str) -> str:
    return f"{reason} {suggestion}" if variant == REASONS_FIRST else f"{suggestion} {reason}"


def salary_nudge(customer_id: str, found: SalaryArrived, now: datetime, variant: str) -> Nudge:
    """Payday: a moment to look at the month ahead."""
    amount = format_money(found.amount)
    return Nudge(
        id=nudge_id(customer_id, NudgeKind.SALARY_ARRIVED, found.transaction_id),
        customer_id=customer_id, kind=NudgeKind.SALARY_ARRIVED, subject=found.transaction_id,
        title="Your salary has arrived",
        text=_join(variant,
                   "Would you like to see your budgets for the month, or put some aside for your goals?",
                   f"Your salary of {amount} was paid in today, so now is a good time to plan the month."),
        assumptions=("We recognise a salary by how your employer's payment is labelled.",),
        action={"type": "open_chat", "intent": "budget_status"},
        created_at=now, expires_at=now + SALARY_TTL, variant=variant,
        figures={"amount": f"{found.amount:.2f}"},
    )


def shortfall_nudge(customer_id: str, found: Shortfall, now: datetime, variant: str) -> Nudge:
    """A bill the balance may not cover: time to move money or change the bill."""
    bill = found.bill
    due = f"{bill.due:%A} {bill.due.day} {bill.due:%B}"
    assumptions = [
        f"Your balance now is {format_money(found.balance)}.",
        f"You spend about {format_money(found.daily_spend)} a day on everyday things, "
        "going by recent months.",
    ]
    if found.bills_before:
        assumptions.append(f"Other bills of {format_money(found.bills_before)} go out before it.")
    if found.income_before:
        assumptions.append(f"Your salary of about {format_money(found.income_before)} arrives before it, "
                           "as it did last month.")
    return Nudge(
        id=nudge_id(customer_id, NudgeKind.SHORTFALL_BEFORE_BILL, f"{bill.key}@{bill.due.isoformat()}"),
        customer_id=customer_id, kind=NudgeKind.SHORTFALL_BEFORE_BILL,
        subject=f"{bill.key}@{bill.due.isoformat()}",
        title="A bill may not be covered",
        text=_join(variant,
                   "You could move money into your current account before then.",
                   f"{bill.name} of {format_money(bill.amount)} is due on {due}, and at your usual spending "
                   f"your balance could be about {format_money(found.short_by)} short."),
        assumptions=tuple(assumptions),
        action={"type": "open_chat", "intent": "transfer_money", "amount": f"{found.short_by:.2f}",
                "to_account_id": found.account_id},
        created_at=now,
        expires_at=max(now, datetime.combine(bill.due, datetime.min.time(), now.tzinfo)),
        variant=variant,
        figures={"bill_amount": f"{bill.amount:.2f}", "short_by": f"{found.short_by:.2f}",
                 "due": bill.due.isoformat()},
    )


def idle_cash_nudge(customer_id: str, found: IdleCash, offer: SavingsOffer, now: datetime,
                    variant: str) -> Nudge:
    """Cash that sat still: a savings account the recommender shows for it, with the interest."""
    assumptions = (
        f"We leave {format_money(found.buffer)} in your current account, about a month of your usual "
        "money out.",
        f"{offer.product_name} pays {offer.rate_pct}% a year (variable); the figure is for a year "
        "on a steady balance, before tax.",
    ) + offer.reasons[:1]
    return Nudge(
        id=nudge_id(customer_id, NudgeKind.IDLE_CASH, found.account_id),
        customer_id=customer_id, kind=NudgeKind.IDLE_CASH, subject=found.account_id,
        title="Your spare cash could earn interest",
        text=_join(variant,
                   f"Moving {format_money(offer.amount)} to {offer.product_name} would earn about "
                   f"{format_money(offer.yearly_interest)} a year, and you can take it out at any time.",
                   f"Your current account has stayed above {format_money(found.lowest_balance)} for the "
                   f"last {found.days} days."),
        assumptions=assumptions,
        action={"type": "open_product", "product_id": offer.product_id, "rec_id": offer.rec_id,
                "amount": f"{offer.amount:.2f}"},
        created_at=now, expires_at=now + IDLE_TTL, product_id=offer.product_id, variant=variant,
        figures={"amount": f"{offer.amount:.2f}", "yearly_interest": f"{offer.yearly_interest:.2f}",
                 "rate_pct": str(offer.rate_pct)},
    )
