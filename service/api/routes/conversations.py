"""Conversations: start one, send messages, read the transcript, follow it over a WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response, WebSocket, WebSocketDisconnect, status
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from service.api.deps import (
    ConversationId,
    ConversationsDep,
    CurrentConversation,
    TranscriptsDep,
)
from service.customer_identity import bearer_token
from service.errors import NotFound, ServiceError, TooManyRequests
from service.handoff.schemas import CancelledOut, SatisfactionIn, SatisfactionOut
from service.handoff.service import HandoffService
from service.idempotency import IDEMPOTENCY_HEADER, with_header_key
from service.schemas import (
    ConversationCreate,
    ConversationCreated,
    ErrorResponse,
    MessageIn,
    SignedIn,
    SignInIn,
    Transcript,
    TurnOut,
)

SIGNED_OUT = "signed_out"  # published on the hub when the conversation's token is revoked
SOCKET_RESYNC_S = 5.0  # how often a quiet socket checks the store for missed messages
router = APIRouter(prefix="/v1/conversations", tags=["conversations"])
IdempotencyKey = Annotated[str | None, Header(
    alias=IDEMPOTENCY_HEADER, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$",
    description="Same as client_message_id: a retry with the same key returns the first answer.",
)]

Authorization = Annotated[str | None, Header(
    description="The customer's access token from the bank's sign-in: 'Bearer <token>'.",
)]
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 413, 422, 429)
}


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=ConversationCreated,
    responses={**ERRORS, 503: {"model": ErrorResponse, "description": "The identity provider "
                               "cannot be reached: signing in waits (see Retry-After)."}},
)
async def start_conversation(
    request: Request, body: ConversationCreate, conversations: ConversationsDep,
    authorization: Authorization = None,
) -> ConversationCreated:
    """Start a conversation; returns its id and bearer token. With the customer's access token
    from the bank's sign-in (``Authorization: Bearer``) it is theirs; without, it is anonymous
    and answers general questions until the customer signs in. Limited per address."""
    limits = request.app.state.conversation_limits
    address = request.client.host if request.client else "unknown"
    if not await limits.allow(limits.start, "start", address):
        raise TooManyRequests("Too many new conversations from this address. Please wait a moment.",
                              retry_after_s=limits.retry_after_s(limits.start, "start", address))
    conversation, token = await conversations.start(bearer_token(authorization), body.channel)
    return ConversationCreated(
        id=conversation.id, token=token, channel=body.channel,
        created_at=conversation.created_at, expires_at=conversation.expires_at,
        signed_in=conversation.customer_id is not None,
    )


@router.post(
    "/{conversation_id}/sign-in", response_model=SignedIn,
    responses={**ERRORS, 503: {"model": ErrorResponse, "description": "The identity provider or "
                               "the bot cannot be reached (see Retry-After)."}},
)
async def sign_in(body: SignInIn, conversation: CurrentConversation,
                  conversations: ConversationsDep) -> SignedIn:
    """Attach the customer's (fresh) login to this conversation, keeping it: an anonymous
    conversation becomes theirs, and an action that waited for a sign-in or a step-up
    resumes. The bot's answer comes back as a turn."""
    turn = await conversations.sign_in(conversation, body.access_token)
    return SignedIn(message=turn.message, replies=turn.replies)


@router.post("/{conversation_id}/sign-out", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
async def sign_out(conversation: CurrentConversation, transcripts: TranscriptsDep,
                   conversations: ConversationsDep) -> Response:
    """End this conversation's token: every later call and open socket with it stops."""
    await run_in_threadpool(transcripts.revoke, conversation.id)
    conversations.hub.publish(conversation.id, {"type": SIGNED_OUT, "seq": -1})
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{conversation_id}/messages",
    response_model=TurnOut,
    responses={**ERRORS, 503: {"model": ErrorResponse, "description": "Bot unavailable: "
                               "the message is kept and answered later (see Retry-After)."},
               409: {"model": ErrorResponse, "description": "The client_message_id (Idempotency-Key) "
                     "was already used for a different message."}},
)
async def send_message(
    body: MessageIn, conversation: CurrentConversation, conversations: ConversationsDep,
    idempotency_key: IdempotencyKey = None,
) -> TurnOut:
    """Send the customer's message; returns it and the bot's replies (text, buttons, custom)."""
    return await conversations.post(conversation, with_header_key(body, idempotency_key))


@router.get("/{conversation_id}", response_model=Transcript, responses=ERRORS)
async def get_transcript(
    request: Request, conversation: CurrentConversation, transcripts: TranscriptsDep
) -> Transcript:
    """The conversation's transcript: every customer, bot and agent message in order, and the
    open handoff (place in the queue and estimated wait, or the colleague who joined)."""
    transcript = await run_in_threadpool(transcripts.transcript, conversation.id)
    handoff = getattr(request.app.state, "handoff", None)
    if handoff is not None:
        transcript.handoff = await run_in_threadpool(handoff.store.customer_state, conversation.id)
    return transcript


def _handoff_service(request: Request) -> HandoffService:
    handoff = getattr(request.app.state, "handoff", None)
    if handoff is None:
        raise NotFound("No handoff is waiting in this conversation.")
    return handoff


@router.post(
    "/{conversation_id}/handoff/cancel", response_model=CancelledOut,
    responses={**ERRORS, 409: {"model": ErrorResponse, "description": "A colleague has already joined."},
               503: {"model": ErrorResponse, "description": "The bot cannot be resumed: the customer "
                     "keeps their place (retry)."}},
)
async def cancel_handoff(request: Request, conversation: CurrentConversation) -> CancelledOut:
    """The customer no longer needs a colleague: leave the queue and go back to the assistant
    (404 when no handoff is open, 409 once a colleague has joined)."""
    summary, message = await _handoff_service(request).cancel(conversation.id)
    return CancelledOut(handoff=summary, message=message)


@router.post(
    "/{conversation_id}/handoff/satisfaction", response_model=SatisfactionOut,
    responses={**ERRORS, 409: {"model": ErrorResponse, "description": "Not asked, or already answered."}},
)
async def rate_handoff(
    request: Request, body: SatisfactionIn, conversation: CurrentConversation
) -> SatisfactionOut:
    """Answer the satisfaction question asked after a colleague handed back (good, ok or poor;
    once per question)."""
    message = await _handoff_service(request).rate(conversation.id, body.rating)
    return SatisfactionOut(rating=body.rating, message=message)


@router.websocket("/{conversation_id}/ws")
async def conversation_socket(
    websocket: WebSocket,
    conversation_id: ConversationId,
    conversations: ConversationsDep,
    transcripts: TranscriptsDep,
    token: str = Query(default="", description="The conversation's bearer token."),
    after: int = Query(default=0, ge=0, description="Replay messages after this sequence number."),
) -> None:
    """Live transcript for the app: send ``{"type": "message", "text": ...}``, receive every
    new message as ``{"type": "message", "message": {...}}`` with its sequence number, and
    while a handoff waits, ``{"type": "handoff", "handoff": {...}, "system": {"event": "waiting",
    "position": ..., "estimated_wait_s": ...}}`` whenever its place in the queue or estimated
    wait may have changed.

    Handshakes are limited per address, messages per conversation, frames in size (binary
    ones refused) and sockets per conversation; a sign-out or an expired token ends it.
    """
    limits = websocket.app.state.conversation_limits
    if not await limits.allow(limits.handshake, "handshake", _address(websocket)):
        await websocket.close(code=1013, reason="Too many connections. Try again later.")
        return
    try:
        conversation = await run_in_threadpool(transcripts.authorize, conversation_id, token)
    except ServiceError as exc:
        await websocket.close(code=4400 + exc.status_code % 100, reason=exc.message)
        return
    if conversations.hub.subscriber_count(conversation.id) >= limits.sockets_per_conversation:
        await websocket.close(code=1008, reason="Too many open sockets for this conversation.")
        return
    await websocket.accept()
    queue = conversations.hub.subscribe(conversation.id)
    last_sent = after

    async def send_messages(after_seq: int) -> None:
        nonlocal last_sent
        for message in await run_in_threadpool(transcripts.messages_after, conversation.id, after_seq):
            await websocket.send_json({"type": "message", "message": message.model_dump(mode="json")})
            last_sent = max(last_sent, message.seq)

    async def forward() -> None:
        nonlocal last_sent
        await send_messages(after)
        while True:
            try:
                published = await asyncio.wait_for(queue.get(), timeout=SOCKET_RESYNC_S)
            except TimeoutError:
                published = None
            if published is not None and published.get("type") == SIGNED_OUT:
                await websocket.close(code=4401, reason="Signed out.")
                return
            if published is not None and "type" in published:
                # An event about the conversation (a handoff's new place in the queue).
                await websocket.send_json(published)
                continue
            if published is None or published["seq"] > last_sent + 1:
                # Quiet for a while, or a gap (another worker's message, a Redis outage):
                # the transcript store has everything.
                await send_messages(last_sent)
            if published is not None and published["seq"] > last_sent:
                await websocket.send_json({"type": "message", "message": published})
                last_sent = published["seq"]

    sender = asyncio.create_task(forward())
    try:
        while True:
            frame = await websocket.receive()
            if frame["type"] == "websocket.disconnect":
                break
            refusal = _frame_refusal(frame, limits.max_frame_bytes)
            if refusal is not None:
                await websocket.close(code=refusal[0], reason=refusal[1])
                break
            try:
                # Every message re-checks the token: a sign-out or expiry ends the socket.
                current = await run_in_threadpool(transcripts.authorize, conversation.id, token)
            except ServiceError as exc:
                await websocket.close(code=4400 + exc.status_code % 100, reason=exc.message)
                break
            if not await limits.allow(limits.message, "message", conversation.id):
                await websocket.send_json(_socket_error(
                    "rate_limited", "Too many messages. Please slow down.",
                    {"retry_after_s": limits.retry_after_s(limits.message, "message", conversation.id)},
                ))
                continue
            try:
                data = json.loads(frame.get("text") or "")
                await conversations.post(current, MessageIn.model_validate(_message_fields(data)))
            except (ValueError, ValidationError) as exc:
                detail = _first_error(exc) if isinstance(exc, ValidationError) else "not JSON"
                await websocket.send_json(_socket_error("invalid_message", detail))
            except ServiceError as exc:
                await websocket.send_json(_socket_error(exc.code, exc.message, exc.details))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
        conversations.hub.unsubscribe(conversation.id, queue)


def _address(websocket: WebSocket) -> str:
    return websocket.client.host if websocket.client else "unknown"


def _frame_refusal(frame: Mapping[str, Any], max_bytes: int) -> tuple[int, str] | None:
    """Why a socket frame ends the socket (close code, reason), or None if it may be read."""
    if frame.get("bytes") is not None:
        return 1003, "Binary frames are not accepted: send JSON text."
    if len((frame.get("text") or "").encode()) > max_bytes:
        return 1009, f"The frame is larger than {max_bytes} bytes."
    return None


def _message_fields(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("type", "message") != "message":
        return {"text": None}
    return {k: v for k, v in data.items() if k != "type"}


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def _socket_error(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message, "details": details or {}}}
