"""The signed-in customer's standing orders to their payees
(``/v1/conversations/{id}/standing-orders``).

Listing needs a signed-in customer; setting one up and cancelling it need a recent sign-in
(403 ``step_up_required`` otherwise). The money comes from the customer's current account
unless another of their accounts is named. A request repeated with the same ``Idempotency-Key``
header returns the order the first one set up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Header, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from bank.errors import (
    InvalidAmount,
    InvalidIdempotencyKey,
    InvalidPaymentDate,
    InvalidReference,
    PaymentLimitExceeded,
    ProfileStoreError,
    StandingOrderAlreadyCancelled,
    UnknownAccount,
    UnknownCustomer,
    UnknownPayee,
    UnknownStandingOrder,
)
from bank.payments import PaymentStore
from bank.store import ProfileStore
from bank.views import StandingOrderView
from service.api.deps import RecentlySignedInCustomer, SignedInCustomer
from service.api.store_calls import call_store
from service.schemas import ErrorResponse

router = APIRouter(prefix="/v1/conversations", tags=["standing orders"])

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 422)
}
STATUS: dict[type[ProfileStoreError], int] = {
    UnknownPayee: 404,
    UnknownAccount: 404,
    UnknownCustomer: 404,
    UnknownStandingOrder: 404,
    StandingOrderAlreadyCancelled: 409,
    InvalidAmount: 422,
    InvalidReference: 422,
    InvalidPaymentDate: 422,
    InvalidIdempotencyKey: 422,
    PaymentLimitExceeded: 422,
}
Id = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")]
IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
]
T = TypeVar("T")


class StandingOrderIn(BaseModel):
    """A standing order: the same amount to a payee every week or month from a first day."""

    model_config = ConfigDict(extra="forbid")

    payee_id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2, examples=["450.00"])
    frequency: Literal["weekly", "monthly"]
    first_date: date
    reference: str | None = Field(default=None, max_length=18)
    from_account_id: str | None = Field(default=None, min_length=1, max_length=40,
                                        pattern=r"^[A-Za-z0-9_]+$")


class StandingOrderOut(BaseModel):
    id: str
    payee_id: str
    from_account_id: str
    amount: Decimal
    frequency: Literal["weekly", "monthly"]
    next_date: date
    reference: str | None
    status: Literal["active", "cancelled"]
    created_at: datetime


def get_payments(request: Request) -> PaymentStore:
    return PaymentStore(request.app.state.sessions)


def get_profiles(request: Request) -> ProfileStore:
    return ProfileStore(request.app.state.sessions)


PaymentsDep = Annotated[PaymentStore, Depends(get_payments)]
ProfilesDep = Annotated[ProfileStore, Depends(get_profiles)]


async def _call(action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await call_store(STATUS, action, *args, **kwargs)


@router.get("/{conversation_id}/standing-orders", response_model=list[StandingOrderOut], responses=ERRORS)
async def list_standing_orders(caller: SignedInCustomer, payments: PaymentsDep) -> list[StandingOrderOut]:
    """The customer's active standing orders, next payment first (signed in only)."""
    return [_out(o) for o in await _call(payments.standing_orders, caller.customer_id)]


@router.post("/{conversation_id}/standing-orders", response_model=StandingOrderOut, status_code=201,
             responses=ERRORS)
async def create_standing_order(
    body: StandingOrderIn, caller: RecentlySignedInCustomer, payments: PaymentsDep, profiles: ProfilesDep,
    idempotency_key: IdempotencyKey = None,
) -> StandingOrderOut:
    """Set up a standing order to one of the customer's payees. Needs a recent sign-in."""
    source = body.from_account_id or await _call(_paying_account, profiles, caller.customer_id)
    order = await _call(
        payments.create_standing_order, caller.customer_id, source, body.payee_id, body.amount,
        body.frequency, body.first_date, body.reference, idempotency_key=idempotency_key,
    )
    return _out(order)


@router.delete("/{conversation_id}/standing-orders/{standing_order_id}", response_model=StandingOrderOut,
               responses=ERRORS)
async def cancel_standing_order(
    standing_order_id: Id, caller: RecentlySignedInCustomer, payments: PaymentsDep
) -> StandingOrderOut:
    """Stop a standing order: no more payments are made from it. Needs a recent sign-in."""
    return _out(await _call(payments.cancel_standing_order, caller.customer_id, standing_order_id))


def _paying_account(profiles: ProfileStore, customer_id: str) -> str:
    account = profiles.paying_account(customer_id)
    if account is None:
        raise UnknownAccount()
    return account.id


def _out(o: StandingOrderView) -> StandingOrderOut:
    return StandingOrderOut(
        id=o.id,
        payee_id=o.payee_id,
        from_account_id=o.source_account_id,
        amount=o.amount,
        frequency=o.frequency.value,
        next_date=o.next_date,
        reference=o.reference,
        status=o.status.value,
        created_at=o.created_at,
    )
