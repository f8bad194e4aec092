"""The signed-in customer's payees (``/v1/conversations/{id}/payees``).

Listing needs a signed-in customer; adding, renaming and removing need a recent sign-in
(403 ``step_up_required`` otherwise). Sort codes and account numbers come back masked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from bank.errors import (
    DuplicatePayee,
    InvalidAccountNumber,
    InvalidPayeeName,
    InvalidSortCode,
    PaymentToSelf,
    ProfileStoreError,
    UnknownCustomer,
    UnknownPayee,
)
from bank.payees import PayeeStore
from bank.views import PayeeCheckView, PayeeView
from service.api.deps import RecentlySignedInCustomer, SignedInCustomer
from service.api.store_calls import call_store
from service.schemas import ErrorResponse

router = APIRouter(prefix="/v1/conversations", tags=["payees"])

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 422)
}
STATUS: dict[type[ProfileStoreError], int] = {
    UnknownPayee: 404,
    UnknownCustomer: 404,
    DuplicatePayee: 409,
    InvalidSortCode: 422,
    InvalidAccountNumber: 422,
    InvalidPayeeName: 422,
    PaymentToSelf: 422,
}
PayeeId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")]
T = TypeVar("T")


class PayeeIn(BaseModel):
    """A payee to add: the account holder's name as the customer gives it, and the account."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=70)
    sort_code: str = Field(min_length=6, max_length=12, examples=["40-11-62"])
    account_number: str = Field(min_length=8, max_length=12, examples=["31926819"])
    business: bool = False
    display_name: str | None = Field(default=None, min_length=1, max_length=70)


class PayeeRename(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str = Field(min_length=1, max_length=70)


class PayeeCheckOut(BaseModel):
    """The payee check's answer; ``name_on_record`` only for a close match."""

    outcome: Literal["match", "close_match", "no_match", "unavailable"]
    name_on_record: str | None
    business_mismatch: bool


class PayeeOut(BaseModel):
    id: str
    display_name: str
    holder_name: str
    holder_kind: Literal["personal", "business"]
    sort_code: str = Field(description="masked: **-**-62")
    account_number: str = Field(description="masked: ****6819")
    check_outcome: Literal["match", "close_match", "no_match", "unavailable"]
    created_at: datetime


class PayeeAdded(PayeeOut):
    check: PayeeCheckOut


def get_payees(request: Request) -> PayeeStore:
    return PayeeStore(request.app.state.sessions)


PayeesDep = Annotated[PayeeStore, Depends(get_payees)]


async def _call(action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await call_store(STATUS, action, *args, **kwargs)


@router.get("/{conversation_id}/payees", response_model=list[PayeeOut], responses=ERRORS)
async def list_payees(caller: SignedInCustomer, payees: PayeesDep) -> list[PayeeOut]:
    """The customer's payees, by display name (signed in only)."""
    return [_out(p) for p in await _call(payees.payees, caller.customer_id)]


@router.post("/{conversation_id}/payees", response_model=PayeeAdded, status_code=201, responses=ERRORS)
async def add_payee(body: PayeeIn, caller: RecentlySignedInCustomer, payees: PayeesDep) -> PayeeAdded:
    """Check the name on the account and add the payee; the check's answer comes back with
    it (a close match offers the name on record). Needs a recent sign-in."""
    check = await _call(payees.check_payee, body.sort_code, body.account_number, body.name, body.business)
    added = await _call(
        payees.add_payee, caller.customer_id, body.name, body.sort_code, body.account_number,
        business=body.business, display_name=body.display_name,
    )
    return PayeeAdded(**_out(added).model_dump(), check=_check_out(check))


@router.patch("/{conversation_id}/payees/{payee_id}", response_model=PayeeOut, responses=ERRORS)
async def rename_payee(
    payee_id: PayeeId, body: PayeeRename, caller: RecentlySignedInCustomer, payees: PayeesDep
) -> PayeeOut:
    """Change what the customer calls a payee. Needs a recent sign-in."""
    return _out(await _call(payees.rename_payee, caller.customer_id, payee_id, body.display_name))


@router.delete("/{conversation_id}/payees/{payee_id}", status_code=204, responses=ERRORS)
async def remove_payee(payee_id: PayeeId, caller: RecentlySignedInCustomer, payees: PayeesDep) -> Response:
    """Remove a payee (its standing orders and payments still to be sent are cancelled).
    Needs a recent sign-in."""
    await _call(payees.remove_payee, caller.customer_id, payee_id)
    return Response(status_code=204)


def _out(p: PayeeView) -> PayeeOut:
    return PayeeOut(
        id=p.id,
        display_name=p.display_name,
        holder_name=p.holder_name,
        holder_kind=p.holder_kind.value,
        sort_code=p.masked_sort_code,
        account_number=p.masked_account_number,
        check_outcome=p.check_outcome.value,
        created_at=p.created_at,
    )


def _check_out(check: PayeeCheckView) -> PayeeCheckOut:
    return PayeeCheckOut(
        outcome=check.outcome.value,
        name_on_record=check.name_on_record,
        business_mismatch=check.business_mismatch,
    )
