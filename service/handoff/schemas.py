"""Request and response bodies of the agent API, and the handoff packet."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.schemas import Channel, MessageOut
from service.staff.availability import Availability
from service.staff.schemas import StaffPublic

HandoffStatus = Literal["queued", "assigned", "resolved", "closed", "cancelled"]
SatisfactionRating = Literal["good", "ok", "poor"]
SATISFACTION_CHOICES: tuple[tuple[str, str], ...] = (("good", "Good"), ("ok", "OK"), ("poor", "Poor"))
OPEN_STATUSES: tuple[str, ...] = ("queued", "assigned")


class TriggerOut(BaseModel):
    reason: str
    label: str
    priority: int
    detail: str


class IntentPoint(BaseModel):
    """The customer's intent at one message."""

    at: datetime
    intent: str | None
    confidence: float


class SentimentPoint(BaseModel):
    """How negative (0..1) and angry one message was."""

    at: datetime
    label: str
    negativity: float
    anger: float | None = None


class Goal(BaseModel):
    """What the customer was doing: the form, what it collected and what it still needed."""

    form: str | None = None
    collected: dict[str, Any] = {}
    missing: list[str] = []


class PacketCore(BaseModel):
    """The part of the packet built at the trigger and stored with the handoff."""

    summary: str
    triggers: list[TriggerOut]
    goal: Goal
    intents: list[IntentPoint]
    sentiment: list[SentimentPoint] | None = Field(
        default=None, description="Absent when the NLU pipeline reports no sentiment."
    )


class HandoffSummary(BaseModel):
    """A handoff as the queue shows it."""

    id: str
    conversation_id: str
    customer_id: str | None  # None: the customer had not signed in
    channel: Channel
    status: HandoffStatus
    reason: str
    reason_label: str
    priority: int
    triggered_at: datetime = Field(description="When the trigger fired (the packet was built after).")
    queued_at: datetime
    waiting_s: float = Field(description="Seconds since it was queued.")
    position: int | None = Field(default=None, description="Place in the queue while queued.")
    skill: str = Field(default="general", description="The skill whose colleagues are offered it first.")
    open_to_all: bool = Field(
        default=False, description="Queued long enough to be offered to every available colleague."
    )
    assigned_to: StaffPublic | None = None
    summary: str
    message_left: bool = Field(default=False, description="The customer left a message instead of waiting.")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)


class NoteOut(BaseModel):
    id: int
    author: StaffPublic | None
    text: str
    created_at: datetime


class HandoffEventOut(BaseModel):
    kind: str
    actor: StaffPublic | None = None
    target: StaffPublic | None = None
    at: datetime


class AgentMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000)


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: str = Field(min_length=1, max_length=40, description="The colleague's username.")
    note: str | None = Field(default=None, max_length=2000, description="A private note for the colleague.")


class Recommendation(BaseModel):
    """A product recommended to the customer during the conversation, and their answer."""

    product: Any = Field(description="The product id, or what the bot showed in the chat.")
    rank: int | None = None
    goal_type: str | None = None
    shown_at: datetime | None = None
    answer: str | None = Field(
        default=None,
        description="more_info / accepted / declined, or the customer's next message in the chat.",
    )


class Profile(BaseModel):
    """A snapshot of the customer from the profile store."""

    first_name: str
    birth_year: int
    employment_status: str
    credit_band: str
    accounts: list[dict[str, Any]]
    cards: list[dict[str, Any]]
    goals: list[dict[str, Any]]


class HandoffPacket(BaseModel):
    """Everything an agent needs so the customer never has to repeat themselves."""

    handoff: HandoffSummary
    summary: str
    triggers: list[TriggerOut]
    goal: Goal
    intents: list[IntentPoint]
    sentiment: list[SentimentPoint] | None = None
    recommendations: list[Recommendation] = []
    profile: Profile | None = None
    segment: dict[str, Any] | None = None
    transcript: list[MessageOut]
    transcript_redacted: bool = Field(
        description="True when the transcript passed through the privacy layer's redaction."
    )
    notes: list[NoteOut] = []
    events: list[HandoffEventOut] = []


class ColleagueOut(BaseModel):
    """A colleague who can take conversations, and whether their console is open."""

    staff: StaffPublic
    online: bool


class ColleagueStatusOut(BaseModel):
    """A colleague's routing: skills, status and how many conversations they hold of how many."""

    staff: StaffPublic
    skills: list[str]
    availability: Availability
    max_chats: int
    active_chats: int


class SatisfactionIn(BaseModel):
    """The customer's answer to the satisfaction question after a colleague handed back."""

    model_config = ConfigDict(extra="forbid")

    rating: SatisfactionRating


class SatisfactionOut(BaseModel):
    rating: SatisfactionRating
    message: MessageOut = Field(description="The thank-you the customer is shown.")


class CancelledOut(BaseModel):
    """The handoff the customer left, and what they are told."""

    handoff: HandoffSummary
    message: MessageOut
