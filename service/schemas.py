"""Request and response bodies of the public API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Channel = Literal["web", "app"]
Sender = Literal["user", "bot", "agent"]


class ConversationCreate(BaseModel):
    """Start a conversation. Who the customer is comes from the access token in the
    ``Authorization`` header (none: an anonymous conversation), never from the body."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel = "web"


class ConversationCreated(BaseModel):
    id: str
    token: str = Field(description="Bearer token for every later call on this conversation.")
    channel: Channel
    created_at: datetime
    expires_at: datetime = Field(description="When the conversation token stops working.")
    signed_in: bool = Field(description="Whether a customer's login came with the request.")


class SignInIn(BaseModel):
    """A (fresh) access token from the bank's identity provider."""

    model_config = ConfigDict(extra="forbid")

    access_token: str = Field(min_length=1, max_length=8192)


class MessageIn(BaseModel):
    """A customer's message. ``payload`` is set when the customer clicked a button."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="What the customer typed, or the title of the button clicked.")
    payload: str | None = Field(
        default=None, max_length=500, description="The payload of a button the bot offered."
    )
    client_message_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_\-]+$",
        description="Client-chosen id: sending the same id again returns the first answer.",
    )


class Button(BaseModel):
    title: str
    payload: str


class MessageOut(BaseModel):
    seq: int
    sender: Sender
    text: str | None = None
    buttons: list[Button] = []
    custom: dict[str, Any] | None = None
    status: str
    created_at: datetime


class TurnOut(BaseModel):
    """The customer's stored message and the bot's replies to it."""

    message: MessageOut
    replies: list[MessageOut]


class SignedIn(TurnOut):
    """The login was accepted; the bot's answer to it (a pending action resumed, or a hello)."""

    signed_in: bool = True


class HandoffState(BaseModel):
    """The conversation's open handoff as the customer sees it."""

    status: Literal["queued", "assigned"]
    position: int | None = Field(
        default=None,
        description="While queued: place among the conversations waiting for a colleague with "
        "the same skill (1 is next).",
    )
    estimated_wait_s: int | None = Field(
        default=None,
        description="While queued: about how long until a colleague joins, from recent waits.",
    )
    agent: str | None = Field(default=None, description="The colleague's name once one has joined.")


class Transcript(BaseModel):
    id: str
    customer_id: str | None
    channel: Channel
    created_at: datetime
    messages: list[MessageOut]
    handoff: HandoffState | None = Field(
        default=None, description="The open handoff to a colleague, if any (queued or joined)."
    )


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = {}


class ErrorResponse(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    checks: dict[str, bool]
