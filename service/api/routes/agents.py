"""The agent console's API: the queue, the handoff packet, claim, live chat, notes,
transfer, resolve and close; a WebSocket for live updates; and the console page itself.

Reading the queue and packets needs the role agent, admin, supervisor or compliance; acting
on a conversation needs agent or admin; the supervisor overview needs supervisor or admin
(403 ``role_required`` otherwise).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from service.api.routes.web import STATIC_DIR
from service.errors import ServiceError
from service.handoff.overview import SupervisorOverview
from service.handoff.schemas import (
    AgentMessageIn,
    ColleagueOut,
    ColleagueStatusOut,
    HandoffPacket,
    HandoffSummary,
    NoteIn,
    NoteOut,
    TransferIn,
)
from service.handoff.service import HandoffService
from service.schemas import ErrorResponse, MessageOut
from service.staff.deps import check_role, require_role
from service.staff.errors import NotSignedIn
from service.staff.roles import HANDLES_CONVERSATIONS, READS_HANDOFFS, SUPERVISES
from service.staff.schemas import AvailabilityIn, StaffPublic
from service.staff.socket_guard import StaffSocketGuard

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/agents", tags=["agents"])
page_router = APIRouter(include_in_schema=False)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 422)
}


def get_handoff(request: Request) -> HandoffService:
    return request.app.state.handoff


HandoffDep = Annotated[HandoffService, Depends(get_handoff)]
Reader = Annotated[StaffPublic, Depends(require_role(*READS_HANDOFFS))]
Handler = Annotated[StaffPublic, Depends(require_role(*HANDLES_CONVERSATIONS))]
Supervisor = Annotated[StaffPublic, Depends(require_role(*SUPERVISES))]
HandoffId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")]


@router.get("/queue", response_model=list[HandoffSummary], responses=ERRORS)
async def queue(staff: Reader, handoff: HandoffDep) -> list[HandoffSummary]:
    """Open handoffs: queued ones by priority then waiting time (with their place), then
    those a colleague has."""
    return await handoff.queue()


@router.get("/offers", response_model=list[HandoffSummary], responses=ERRORS)
async def offers(staff: Handler, handoff: HandoffDep) -> list[HandoffSummary]:
    """Queued conversations this colleague may claim now: those of their skills, and every
    one that has waited past the routing's widening time; none while they are busy, away or
    at their concurrent-chat limit."""
    return await handoff.offers(staff)


@router.get("/me", response_model=ColleagueStatusOut, responses=ERRORS)
async def my_status(staff: Handler, handoff: HandoffDep) -> ColleagueStatusOut:
    """This colleague's skills, status, concurrent-chat limit and conversations held."""
    return await handoff.status_of(staff)


@router.put("/me/status", response_model=ColleagueStatusOut, responses=ERRORS)
async def set_status(body: AvailabilityIn, staff: Handler, handoff: HandoffDep) -> ColleagueStatusOut:
    """Set this colleague's status: available, busy or away. Busy and away colleagues are
    offered no new conversations and cannot claim one; those they hold stay theirs."""
    return await handoff.set_availability(staff, body.status)


@router.get("/colleagues", response_model=list[ColleagueOut], responses=ERRORS)
async def colleagues(staff: Reader, handoff: HandoffDep) -> list[ColleagueOut]:
    """Colleagues who can take conversations, and whether their console is open."""
    return await handoff.colleagues()


@router.get("/supervisor/overview", response_model=SupervisorOverview, responses=ERRORS)
async def supervisor_overview(staff: Supervisor, handoff: HandoffDep) -> SupervisorOverview:
    """The queue by skill (waiting, oldest and median wait, breached), each colleague's
    status, skills and load, and the waits past the policy's ``breach_after_s`` for their
    priority. Supervisors and admins only."""
    return await handoff.overview()


@router.get("/handoffs/{handoff_id}", response_model=HandoffPacket, responses=ERRORS)
async def packet(handoff_id: HandoffId, staff: Reader, handoff: HandoffDep) -> HandoffPacket:
    """The handoff packet: reason, summary, goal, intents and sentiment over time,
    recommendations, profile, segment, transcript, notes and history."""
    return await handoff.packet(handoff_id)


@router.post("/handoffs/{handoff_id}/claim", response_model=HandoffSummary, responses=ERRORS)
async def claim(handoff_id: HandoffId, staff: Handler, handoff: HandoffDep) -> HandoffSummary:
    """Take a queued conversation. 409 ``already_claimed`` if a colleague has it,
    ``at_capacity`` at the colleague's concurrent-chat limit, ``colleague_unavailable`` while
    busy or away, ``not_offered`` while it still waits for a colleague with its skill."""
    return await handoff.claim(handoff_id, staff)


@router.post("/handoffs/{handoff_id}/messages", response_model=MessageOut, responses=ERRORS)
async def send_message(
    handoff_id: HandoffId, body: AgentMessageIn, staff: Handler, handoff: HandoffDep
) -> MessageOut:
    """Write to the customer (only the colleague who has the conversation)."""
    return await handoff.send(handoff_id, staff, body.text)


@router.post("/handoffs/{handoff_id}/notes", response_model=NoteOut, status_code=201, responses=ERRORS)
async def add_note(handoff_id: HandoffId, body: NoteIn, staff: Handler, handoff: HandoffDep) -> NoteOut:
    """A private note on the handoff; never shown to the customer."""
    return await handoff.add_note(handoff_id, staff, body.text)


@router.post("/handoffs/{handoff_id}/transfer", response_model=HandoffSummary, responses=ERRORS)
async def transfer(
    handoff_id: HandoffId, body: TransferIn, staff: Handler, handoff: HandoffDep
) -> HandoffSummary:
    """Give the conversation to another colleague, with an optional private note."""
    return await handoff.transfer(handoff_id, staff, body.to, body.note)


@router.post("/handoffs/{handoff_id}/resolve", response_model=HandoffSummary, responses=ERRORS)
async def resolve(handoff_id: HandoffId, staff: Handler, handoff: HandoffDep) -> HandoffSummary:
    """Hand the customer back to the bot (Rasa ``resume``), which speaks next. A second
    resolve or close is 409 ``handoff_ended``."""
    return await handoff.resolve(handoff_id, staff)


@router.post("/handoffs/{handoff_id}/close", response_model=HandoffSummary, responses=ERRORS)
async def close(handoff_id: HandoffId, staff: Handler, handoff: HandoffDep) -> HandoffSummary:
    """Close the handoff (the bot answers the customer's next message). A second close is
    409 ``handoff_ended``."""
    return await handoff.close(handoff_id, staff)


@router.websocket("/ws")
async def agent_socket(
    websocket: WebSocket,
    token: str = Query(default="", description="The staff bearer token."),
) -> None:
    """Live console feed. Receives ``{"type": "queue", "handoffs": [...]}`` on every queue
    change, ``{"type": "message", "conversation_id", "message"}`` for the conversations this
    colleague has, and ``note`` / ``transferred`` events. Send
    ``{"type": "message", "handoff_id": ..., "text": ...}`` to write to a customer.

    Handshakes are limited per address (close 4429) and messages per colleague (an error
    reply); a binary frame closes with 1003, a frame over the size limit with 1009. The
    session is checked again on every message and every ``SERVICE_STAFF_SOCKET_RECHECK_S``:
    a signed-out or disabled colleague's socket closes with 4401."""
    app = websocket.app
    handoff: HandoffService = app.state.handoff
    guard: StaffSocketGuard = app.state.staff_sockets
    address = websocket.client.host if websocket.client else "unknown"
    if not await guard.allow(guard.handshake, "handshake", address):
        await websocket.close(code=4429, reason="Too many connections; try again shortly.")
        return
    try:
        staff = check_role(await run_in_threadpool(app.state.staff.authenticate, token), READS_HANDOFFS)
    except ServiceError as exc:
        await websocket.close(code=4400 + exc.status_code % 100, reason=exc.message)
        return
    await websocket.accept()
    connection = handoff.feed.connect(staff)
    await handoff.console_connected(staff)
    for mine in await run_in_threadpool(handoff.store.assigned_to, staff.id):
        connection.watch(mine.conversation_id)
    queue_now = await handoff.queue()
    connection.outbox.put_nowait(
        {"type": "queue", "handoffs": [h.model_dump(mode="json") for h in queue_now]}
    )

    async def forward() -> None:
        while True:
            await websocket.send_json(await connection.outbox.get())

    async def recheck() -> None:
        while True:
            await asyncio.sleep(guard.recheck_s)
            try:
                if await _signed_in(app, token) is None:
                    break
                await handoff.console_connected(staff)
            except Exception as exc:  # noqa: BLE001 - the store is down: keep the socket, check again
                log.warning("staff session recheck failed: %s", type(exc).__name__)
        await _close_signed_out(websocket)

    tasks = [asyncio.create_task(forward()), asyncio.create_task(recheck())]
    try:
        while True:
            frame = await websocket.receive()
            if frame["type"] == "websocket.disconnect":
                break
            text = frame.get("text")
            if text is None:
                await websocket.close(code=1003, reason="Send JSON text frames.")
                break
            if len(text.encode()) > guard.max_frame_bytes:
                await websocket.close(code=1009, reason="Message too large.")
                break
            current = await _signed_in(app, token)
            if current is None:
                await _close_signed_out(websocket)
                break
            if not await guard.allow(guard.message, "message", str(current.id)):
                await websocket.send_json(_error("rate_limited", "Too many messages. Please slow down."))
                continue
            try:
                await _handle(handoff, current, json.loads(text))
            except ValueError as exc:  # bad JSON, or an invalid message (ValidationError)
                problem = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else "Send JSON."
                await websocket.send_json(_error("invalid_message", str(problem)))
            except ServiceError as exc:
                await websocket.send_json(_error(exc.code, exc.message, exc.details))
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client left, or the socket was closed (signed out) meanwhile
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        handoff.feed.disconnect(connection)
        handoff.console_closed(staff)


async def _signed_in(app: Any, token: str) -> StaffPublic | None:
    """The colleague whose session ``token`` is, while it is valid and they are active."""
    try:
        staff: StaffPublic = await run_in_threadpool(app.state.staff.authenticate, token)
    except NotSignedIn:
        return None
    return staff


async def _close_signed_out(websocket: WebSocket) -> None:
    with contextlib.suppress(RuntimeError):  # already closed
        await websocket.close(code=4401, reason="Signed out or disabled; sign in again.")


async def _handle(handoff: HandoffService, staff: StaffPublic, data: Any) -> None:
    if not isinstance(data, dict) or data.get("type") != "message":
        raise ServiceError('Send {"type": "message", "handoff_id": ..., "text": ...}.')
    check_role(staff, HANDLES_CONVERSATIONS)
    body = AgentMessageIn.model_validate({"text": data.get("text")})
    await handoff.send(str(data.get("handoff_id") or ""), staff, body.text)


def _error(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message, "details": details or {}}}


@page_router.get("/agent")
async def agent_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "agent.html")
