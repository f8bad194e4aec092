"""Choices while waiting for a colleague: callback slots and booking one (with the customer's
consent to be called on the number the bank holds), leaving a message; and the booked
callbacks for colleagues (agent, supervisor or admin; 403 ``role_required`` otherwise).

Booking answers 422 with the reason as the code (``slot_malformed``, ``consent_required``,
``slot_in_past``, ``slot_outside_hours``, ``slot_not_boundary``, ``slot_too_soon``,
``slot_too_far``) and 409 for ``callback_already_booked``, ``slot_full`` and ``not_waiting``.
Completing a callback answers 404 ``not_found``, 409 ``callback_completed`` (done already),
422 ``invalid_request`` (an unknown outcome, a note too long) and 422 ``note_without_handoff``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, status
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from service.api.deps import CurrentConversation, SignedInCustomer
from service.handoff.callbacks import (
    CallbackDesk,
    CallbackOut,
    CallbackSlots,
    MessageLeftOut,
    Outcome,
    Redact,
)
from service.schemas import ErrorResponse
from service.staff.deps import require_role
from service.staff.roles import Role
from service.staff.schemas import StaffPublic

router = APIRouter(prefix="/v1/conversations", tags=["callbacks"])
agents_router = APIRouter(prefix="/v1/agents", tags=["agents"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 422)
}
SEES_CALLBACKS: tuple[Role, ...] = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)


def get_desk(request: Request) -> CallbackDesk:
    return request.app.state.callbacks


def get_redact(request: Request) -> Redact | None:
    """How the agents' text is redacted (as the handoff service does it; None: not set up)."""
    handoff = getattr(request.app.state, "handoff", None)
    return getattr(handoff, "redact_message", None)


DeskDep = Annotated[CallbackDesk, Depends(get_desk)]
RedactDep = Annotated[Redact | None, Depends(get_redact)]
Colleague = Annotated[StaffPublic, Depends(require_role(*SEES_CALLBACKS))]


class CallbackIn(BaseModel):
    """The slot chosen and the customer's consent to be called on the number we hold."""

    model_config = ConfigDict(extra="forbid")

    slot_start: str = Field(max_length=40, description="A slot's start from callback-slots (ISO 8601).")
    consent_to_call: StrictBool | None = Field(
        default=None, description="Must be true: the customer agrees to be called on the number we hold."
    )


class CallbackDoneIn(BaseModel):
    """How the callback went, with an optional private note (redacted before it is kept)."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome = Field(description="called, no_answer or cancelled.")
    note: str | None = Field(default=None, max_length=500,
                             description="Kept with the handoff's private notes (personal data redacted).")


@router.get("/{conversation_id}/callback-slots", response_model=CallbackSlots, responses=ERRORS)
async def callback_slots(conversation: CurrentConversation, desk: DeskDep) -> CallbackSlots:
    """The next slots a callback can be booked in (inside opening hours, with room left)."""
    return await desk.slots()


@router.post("/{conversation_id}/callbacks", response_model=CallbackOut, status_code=status.HTTP_201_CREATED,
             responses=ERRORS)
async def book_callback(body: CallbackIn, caller: SignedInCustomer, desk: DeskDep) -> CallbackOut:
    """Book a callback for the conversation's queued handoff; the customer is told when we'll
    call. A non-urgent handoff leaves the queue; an urgent one keeps its place."""
    return await desk.book(caller.conversation.id, caller.customer_id, body.slot_start, body.consent_to_call)


@router.post("/{conversation_id}/handoff/message-left", response_model=MessageLeftOut, responses=ERRORS)
async def leave_message(conversation: CurrentConversation, desk: DeskDep) -> MessageLeftOut:
    """The customer leaves a message instead of waiting: the handoff stays for colleagues, the
    "nobody online" replies stop, and the customer is told when to expect an answer."""
    return await desk.leave_message(conversation.id)


@agents_router.get("/callbacks", response_model=list[CallbackOut], responses=ERRORS)
async def booked_callbacks(staff: Colleague, desk: DeskDep) -> list[CallbackOut]:
    """Booked callbacks, by slot."""
    return await desk.booked()


@agents_router.post("/callbacks/{callback_id}/complete", response_model=CallbackOut, responses=ERRORS)
async def complete_callback(callback_id: Annotated[str, Path(max_length=40)], body: CallbackDoneIn,
                            staff: Colleague, desk: DeskDep, redact: RedactDep) -> CallbackOut:
    """Mark a booked callback called, not answered or cancelled; the handoff's history records
    who and when."""
    return await desk.complete(callback_id, body.outcome, staff, body.note, redact)
