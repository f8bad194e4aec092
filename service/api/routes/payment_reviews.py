"""Payments held for review, for colleagues (``/v1/agents/payments``): the list, and releasing
or cancelling one with a reason (redacted, then recorded in the audit chain). Needs the role
agent or admin (403 ``role_required`` otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from bank.errors import (
    InsufficientFunds,
    PaymentNotCancellable,
    PaymentNotInReview,
    ProfileStoreError,
    UnknownPayee,
    UnknownPayment,
)
from bank.views import PaymentView
from service.api.store_calls import call_store
from service.payment_reviews import Decided, PaymentReviews
from service.schemas import ErrorResponse
from service.staff.deps import require_role
from service.staff.roles import HANDLES_CONVERSATIONS
from service.staff.schemas import StaffPublic

router = APIRouter(prefix="/v1/agents/payments", tags=["payment reviews"])

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 422)
}
STATUS: dict[type[ProfileStoreError], int] = {
    UnknownPayment: 404,
    UnknownPayee: 409,
    PaymentNotInReview: 409,
    PaymentNotCancellable: 409,
    InsufficientFunds: 409,
}
PaymentId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")]
Reviewer = Annotated[StaffPublic, Depends(require_role(*HANDLES_CONVERSATIONS))]
T = TypeVar("T")


class Decision(BaseModel):
    """Why the colleague releases or cancels the payment (redacted before it is kept)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=300)


class HeldPaymentOut(BaseModel):
    id: str
    customer_id: str
    amount: Decimal
    currency: str
    payee_id: str | None
    reference: str | None
    scheduled_for: date | None
    status: str
    review_reason: str | None
    created_at: datetime
    account_ending: str | None = Field(
        default=None, description="The last four digits of the payee's account (None if removed)."
    )


def get_reviews(request: Request) -> PaymentReviews:
    reviews: PaymentReviews = request.app.state.payment_reviews
    return reviews


ReviewsDep = Annotated[PaymentReviews, Depends(get_reviews)]


async def _call(action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await call_store(STATUS, action, *args, **kwargs)


@router.get("/held", response_model=list[HeldPaymentOut], responses=ERRORS)
async def held_payments(staff: Reviewer, reviews: ReviewsDep) -> list[HeldPaymentOut]:
    """Payments held for review (screening or a scam warning), oldest first."""
    return [_out(held.payment, held.account_ending) for held in await _call(reviews.held)]


@router.post("/{payment_id}/release", response_model=HeldPaymentOut, responses=ERRORS)
async def release_payment(
    payment_id: PaymentId, body: Decision, staff: Reviewer, reviews: ReviewsDep, request: Request
) -> HeldPaymentOut:
    """Let a held payment go (sent now, or scheduled if its day is ahead); 409 if it can't.
    The customer is told in their most recent conversation."""
    reason = await _redacted(request, body.reason)
    return _told(reviews, await _call(reviews.release, f"staff:{staff.username}", payment_id, reason))


@router.post("/{payment_id}/cancel", response_model=HeldPaymentOut, responses=ERRORS)
async def cancel_payment(
    payment_id: PaymentId, body: Decision, staff: Reviewer, reviews: ReviewsDep, request: Request
) -> HeldPaymentOut:
    """Cancel a held payment: no money moves. The customer is told in their most recent
    conversation."""
    reason = await _redacted(request, body.reason)
    return _told(reviews, await _call(reviews.cancel, f"staff:{staff.username}", payment_id, reason))


async def _redacted(request: Request, reason: str) -> str:
    redact: Callable[[str], str] = request.app.state.compliance.redact_text
    return await run_in_threadpool(redact, reason.strip())


def _told(reviews: PaymentReviews, decided: Decided) -> HeldPaymentOut:
    reviews.publish(decided)
    return _out(decided.payment)


def _out(p: PaymentView, account_ending: str | None = None) -> HeldPaymentOut:
    return HeldPaymentOut(
        id=p.id, customer_id=p.customer_id, amount=p.amount, currency=p.currency, payee_id=p.payee_id,
        reference=p.reference, scheduled_for=p.scheduled_for, status=p.status.value,
        review_reason=p.review_reason, created_at=p.created_at, account_ending=account_ending,
    )
