"""Conversations: start one, send messages, read the transcript, follow it over a WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, WebSocket, WebSocketDisconnect, status
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from service.api.deps import (
    ConversationId,
    ConversationsDep,
    CurrentConversation,
    TranscriptsDep,
)
from service.errors import ServiceError
from service.idempotency import IDEMPOTENCY_HEADER, with_header_key
from service.schemas import (
    ConversationCreate,
    ConversationCreated,
    ErrorResponse,
    MessageIn,
    Transcript,
    TurnOut,
)

SOCKET_RESYNC_S = 5.0  # how often a quiet socket checks the store for missed messages
router = APIRouter(prefix="/v1/conversations", tags=["conversations"])
IdempotencyKey = Annotated[str | None, Header(
    alias=IDEMPOTENCY_HEADER, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$",
    description="Same as client_message_id: a retry with the same key returns the first answer.",
)]

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 413, 422)
}


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=ConversationCreated,
    responses=ERRORS,
)
async def start_conversation(
    body: ConversationCreate, conversations: ConversationsDep
) -> ConversationCreated:
    """Start a conversation for a customer; returns its id and a bearer token."""
    conversation, token = await conversations.start(body.customer_id, body.channel)
    return ConversationCreated(
        id=conversation.id, token=token, customer_id=conversation.customer_id,
        channel=body.channel, created_at=conversation.created_at,
    )


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
async def get_transcript(conversation: CurrentConversation, transcripts: TranscriptsDep) -> Transcript:
    """The conversation's transcript: every customer, bot and agent message in order."""
    return await run_in_threadpool(transcripts.transcript, conversation.id)


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
    new message as ``{"type": "message", "message": {...}}`` with its sequence number."""
    try:
        conversation = await run_in_threadpool(transcripts.authorize, conversation_id, token)
    except ServiceError as exc:
        await websocket.close(code=4400 + exc.status_code % 100, reason=exc.message)
        return
    await websocket.accept()
    queue = conversations.hub.subscribe(conversation.id)
    last_sent = after

    async def forward() -> None:
        nonlocal last_sent
        for message in await run_in_threadpool(transcripts.messages_after, conversation.id, after):
            await websocket.send_json({"type": "message", "message": message.model_dump(mode="json")})
            last_sent = max(last_sent, message.seq)
        while True:
            try:
                published = await asyncio.wait_for(queue.get(), timeout=SOCKET_RESYNC_S)
            except TimeoutError:
                published = None
            if published is None or published["seq"] > last_sent + 1:
                # Quiet for a while, or a gap (another worker's message, a Redis outage):
                # the transcript store has everything.
                for message in await run_in_threadpool(
                    transcripts.messages_after, conversation.id, last_sent
                ):
                    await websocket.send_json({"type": "message", "message": message.model_dump(mode="json")})
                    last_sent = max(last_sent, message.seq)
            if published is not None and published["seq"] > last_sent:
                await websocket.send_json({"type": "message", "message": published})
                last_sent = published["seq"]

    sender = asyncio.create_task(forward())
    try:
        while True:
            data = await websocket.receive_json()
            try:
                await conversations.post(conversation, MessageIn.model_validate(_message_fields(data)))
            except ValidationError as exc:
                await websocket.send_json(_socket_error("invalid_message", _first_error(exc)))
            except ServiceError as exc:
                await websocket.send_json(_socket_error(exc.code, exc.message, exc.details))
    except (WebSocketDisconnect, ValueError):
        pass
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
        conversations.hub.unsubscribe(conversation.id, queue)


def _message_fields(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("type", "message") != "message":
        return {"text": None}
    return {k: v for k, v in data.items() if k != "type"}


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def _socket_error(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message, "details": details or {}}}
