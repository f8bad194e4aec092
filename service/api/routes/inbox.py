"""The signed-in customer's app inbox of unusual-activity alerts and proactive nudges
(``/v1/inbox``); each item says which it is in ``kind`` ("unusual_activity" or "nudge").

The bearer token of one of the customer's signed-in conversations opens it (401 otherwise).
Listing delivers what was not delivered yet; ``read`` is the read receipt; ``answer`` takes
"this was me" (the alert is confirmed) or "this wasn't me" (the customer's active cards are
frozen and a fraud colleague is asked to join the conversation), once only (409 after);
``act`` records that the customer pressed a nudge's action, once only (409 after, or once it
has expired). Another customer's alert or nudge is unknown (404). Nudges shown (listed),
opened (read) and acted on are recorded for journeys and the nudge experiment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from bank.store import ProfileStore
from database.base import utcnow
from insights.nudges import NudgeEventName
from service.alerts.disputes import FraudHandoff, freeze_active_cards
from service.alerts.inbox import AlertView, InboxStore
from service.alerts.nudge_delivery import nudge_event
from service.alerts.nudge_store import NudgeStore, NudgeView
from service.alerts.texts import reason_texts
from service.api.deps import TranscriptsDep, bearer
from service.errors import Unauthorized
from service.schemas import ErrorResponse

router = APIRouter(prefix="/v1/inbox", tags=["inbox"])

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (401, 404, 409, 422)}
NUDGE_PREFIX = "nud_"
AlertId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")]


@dataclass(frozen=True)
class InboxOwner:
    """The signed-in customer and the conversation whose token called."""

    customer_id: str
    conversation_id: str


def get_inbox(request: Request) -> InboxStore:
    return InboxStore(request.app.state.sessions)


InboxDep = Annotated[InboxStore, Depends(get_inbox)]


def get_nudges(request: Request) -> NudgeStore:
    return NudgeStore(request.app.state.sessions)


NudgesDep = Annotated[NudgeStore, Depends(get_nudges)]


async def inbox_owner(
    transcripts: TranscriptsDep, inbox: InboxDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> InboxOwner:
    """The customer whose live, signed-in conversation the bearer token opens (401 otherwise)."""
    token = credentials.credentials if credentials else None
    customer_id = await run_in_threadpool(transcripts.customer_for_token, token) if token else None
    conversation_id = await run_in_threadpool(inbox.conversation_of, token) if customer_id and token else None
    if customer_id is None or conversation_id is None:
        raise Unauthorized("The token of a signed-in conversation is required.")
    return InboxOwner(customer_id, conversation_id)


Owner = Annotated[InboxOwner, Depends(inbox_owner)]


class AlertOut(BaseModel):
    """An unusual-activity alert with its transaction as on the statement."""

    kind: Literal["unusual_activity"] = "unusual_activity"
    id: str
    transaction_id: str
    date: datetime = Field(description="When the transaction was booked.")
    amount: Decimal = Field(description="What left the account, in `currency` (positive).")
    currency: str
    merchant: str = Field(description="The merchant as on the statement.")
    reasons: list[str] = Field(description="Why it looks unusual, in the customer's words.")
    status: Literal["new", "delivered", "read", "confirmed", "disputed"]
    created_at: datetime
    delivered_at: datetime | None
    read_at: datetime | None
    answered_at: datetime | None


class NudgeOut(BaseModel):
    """A proactive nudge: what we noticed, why now, what we suggest and what its action does."""

    kind: Literal["nudge"] = "nudge"
    id: str
    nudge_kind: Literal["salary_arrived", "shortfall_before_bill", "idle_cash"]
    title: str
    text: str
    assumptions: list[str] = Field(description="What the figures assume, in plain sentences.")
    action: dict[str, Any] = Field(description="What acting on it does (`type` and its fields).")
    product_id: str | None
    status: Literal["new", "delivered", "read", "acted", "expired"]
    created_at: datetime = Field(description="When it became due.")
    expires_at: datetime
    delivered_at: datetime | None
    read_at: datetime | None
    acted_at: datetime | None


InboxItem = Annotated[AlertOut | NudgeOut, Field(discriminator="kind")]


class AnswerIn(BaseModel):
    """Whether the customer made the payment."""

    model_config = ConfigDict(extra="forbid")

    answer: Literal["was_me", "not_me"]


class AnswerOut(BaseModel):
    alert: AlertOut
    frozen_cards: list[str] = Field(description="The last four digits of each card frozen now.")
    handoff_id: str | None = Field(
        description="The fraud handoff opened now (None when one was open already or the answer was yes)."
    )
    message: str


@router.get("", response_model=list[InboxItem], responses=ERRORS)
async def list_inbox(owner: Owner, inbox: InboxDep, nudges: NudgesDep,
                     request: Request) -> list[AlertOut | NudgeOut]:
    """The customer's alerts and nudges, newest first; the ones not delivered yet are
    delivered now."""
    alerts = await run_in_threadpool(inbox.inbox, owner.customer_id)
    listed, delivered = await run_in_threadpool(nudges.inbox, owner.customer_id)
    fresh = set(delivered)
    await _measure(request, NudgeEventName.SHOWN, [n for n in listed if n.id in fresh])
    items: list[tuple[datetime, AlertOut | NudgeOut]] = [(a.created_at, _out(a)) for a in alerts]
    items += [(n.deliver_at, _nudge_out(n)) for n in listed]
    return [item for _, item in sorted(items, key=lambda pair: pair[0], reverse=True)]


@router.post("/{item_id}/read", response_model=InboxItem, responses=ERRORS)
async def read_item(item_id: AlertId, owner: Owner, inbox: InboxDep, nudges: NudgesDep,
                    request: Request) -> AlertOut | NudgeOut:
    """Read receipt: the customer opened the alert or nudge."""
    if not item_id.startswith(NUDGE_PREFIX):
        return _out(await run_in_threadpool(inbox.read, owner.customer_id, item_id))
    receipt = await run_in_threadpool(nudges.read, owner.customer_id, item_id)
    if receipt.first:
        await _measure(request, NudgeEventName.OPENED, [receipt.nudge])
    return _nudge_out(receipt.nudge)


@router.post("/{nudge_id}/act", response_model=NudgeOut, responses=ERRORS)
async def act_on_nudge(nudge_id: AlertId, owner: Owner, nudges: NudgesDep, request: Request) -> NudgeOut:
    """The customer pressed the nudge's action (the app or chat then does what ``action``
    says). Once per nudge (409 after), not after it expired (409)."""
    acted = await run_in_threadpool(nudges.act, owner.customer_id, nudge_id)
    await _measure(request, NudgeEventName.ACTED, [acted])
    return _nudge_out(acted)


@router.post("/{alert_id}/answer", response_model=AnswerOut, responses=ERRORS)
async def answer_alert(alert_id: AlertId, body: AnswerIn, owner: Owner, inbox: InboxDep,
                       request: Request) -> AnswerOut:
    """"This was me" confirms the payment; "this wasn't me" freezes the customer's active cards
    and asks a fraud colleague to join the conversation. Once per alert (409 after)."""
    alert = await run_in_threadpool(inbox.check_unanswered, owner.customer_id, alert_id)
    if body.answer == "was_me":
        answered = await run_in_threadpool(inbox.answer, owner.customer_id, alert_id, body.answer)
        return AnswerOut(alert=_out(answered), frozen_cards=[], handoff_id=None,
                         message="Thanks for confirming: nothing else to do.")
    # The cards first: should anything after fail, the customer can answer again.
    frozen = await run_in_threadpool(freeze_active_cards, ProfileStore(request.app.state.sessions),
                                     owner.customer_id)
    answered = await run_in_threadpool(inbox.answer, owner.customer_id, alert_id, body.answer)
    fraud = FraudHandoff(request.app.state.handoff, request.app.state.conversations.hub)
    handoff_id = await fraud.open(owner.conversation_id, alert, frozen)
    cards = ", ".join(f"ending {last4}" for last4 in (card.last4 for card in frozen))
    frozen_words = f"We've frozen your card {cards}" if len(frozen) == 1 else (
        f"We've frozen your cards {cards}" if frozen else "You have no active card to freeze")
    return AnswerOut(alert=_out(answered), frozen_cards=[card.last4 for card in frozen],
                     handoff_id=handoff_id,
                     message=f"{frozen_words}. A fraud specialist will contact you in this chat.")


async def _measure(request: Request, name: NudgeEventName, shown: list[NudgeView]) -> None:
    """Record an event of each nudge for journeys and the nudge experiment."""
    measurement = getattr(request.app.state, "nudges", None)
    if not shown or measurement is None:
        return
    at = utcnow()
    events = [nudge_event(name, nudge, at) for nudge in shown]
    await run_in_threadpool(measurement.measurement.record, events)


def _nudge_out(nudge: NudgeView) -> NudgeOut:
    return NudgeOut(
        id=nudge.id,
        nudge_kind=nudge.kind,  # type: ignore[arg-type]
        title=nudge.title,
        text=nudge.text,
        assumptions=nudge.assumptions,
        action=nudge.action,
        product_id=nudge.product_id,
        status=nudge.status.value,  # type: ignore[arg-type]
        created_at=nudge.deliver_at,
        expires_at=nudge.expires_at,
        delivered_at=nudge.delivered_at,
        read_at=nudge.read_at,
        acted_at=nudge.acted_at,
    )


def _out(alert: AlertView) -> AlertOut:
    return AlertOut(
        id=alert.id,
        transaction_id=alert.transaction_id,
        date=alert.booked_at,
        amount=alert.amount,
        currency=alert.currency,
        merchant=alert.merchant,
        reasons=reason_texts(alert.reasons),
        status=alert.status.value,  # type: ignore[arg-type]
        created_at=alert.created_at,
        delivered_at=alert.delivered_at,
        read_at=alert.read_at,
        answered_at=alert.answered_at,
    )
