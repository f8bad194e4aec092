"""Request and response bodies of the compliance and consent API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from privacy.entities import Entity
from recommender.models import ConsentChannel, ConsentPurpose

CUSTOMER_ID_PATTERN = r"^[A-Za-z0-9_\-]+$"
PLACEHOLDER_FIELD_PATTERN = r"^<[A-Z_]+_\d+>$"
MIN_REASON_CHARS = 5
ExportFormat = Literal["jsonl", "html"]


class SearchFilters(BaseModel):
    """Which transcripts to find; every filter given must hold (AND)."""

    model_config = ConfigDict(extra="forbid")

    since: datetime | None = Field(default=None, description="Started at or after this time.")
    until: datetime | None = Field(default=None, description="Started before this time.")
    customer_id: str | None = Field(default=None, max_length=40, pattern=CUSTOMER_ID_PATTERN)
    intent: str | None = Field(
        default=None,
        max_length=80,
        pattern=r"^[a-z0-9_]+$",
        description="The bot predicted this intent at least once (from Rasa's tracker store).",
    )
    escalated: bool | None = Field(default=None, description="Handed off to a colleague (or not).")
    entity_type: str | None = Field(
        default=None, description="Holds at least one placeholder of this type, e.g. CARD or IBAN."
    )
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)

    @field_validator("entity_type")
    @classmethod
    def _known_entity(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().upper()
        if value not in {e.value for e in Entity}:
            raise ValueError(f"unknown entity type; one of {', '.join(e.value for e in Entity)}")
        return value

    def described(self) -> str:
        """The filters in words, for the audit log (ids and types only, no personal data)."""
        given = self.model_dump(exclude_none=True, exclude={"limit", "offset"}, mode="json")
        return ", ".join(f"{k}={v}" for k, v in sorted(given.items())) or "all transcripts"


class ExportRequest(SearchFilters):
    """An export of every transcript a search matches (``limit`` and ``offset`` are ignored)."""

    format: ExportFormat = Field(default="jsonl", description="jsonl or html")


class TranscriptSummary(BaseModel):
    id: str
    customer_id: str | None  # None: the customer never signed in
    channel: str
    created_at: datetime
    last_activity_at: datetime
    messages: int
    escalated: bool
    handoff_reasons: list[str]
    entity_types: list[str]
    intents: list[str]


class SearchResult(BaseModel):
    total: int
    results: list[TranscriptSummary]


class EntitySpan(BaseModel):
    """A placeholder in a redacted message (offsets in the redacted text)."""

    start: int
    end: int
    placeholder: str
    entity_type: str
    revealable: bool = Field(description="The vault holds the original of this placeholder.")


class ReviewMessage(BaseModel):
    seq: int
    sender: str
    text: str | None
    status: str
    created_at: datetime
    intent: str | None = None
    agent: str | None = None
    entities: list[EntitySpan]


class HandoffRecord(BaseModel):
    id: str
    reason: str
    status: str
    queued_at: datetime
    ended_at: datetime | None


class VaultPlaceholder(BaseModel):
    placeholder: str
    entity_type: str


class ReviewTranscript(BaseModel):
    """A transcript as compliance reads it: redacted, with its entities marked."""

    id: str
    customer_id: str | None  # None: the customer never signed in
    channel: str
    created_at: datetime
    escalated: bool
    handoffs: list[HandoffRecord]
    intents: list[str]
    entity_types: list[str]
    placeholders: list[VaultPlaceholder]
    messages: list[ReviewMessage]


class RevealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    placeholder: str = Field(pattern=PLACEHOLDER_FIELD_PATTERN, max_length=64, examples=["<CARD_1>"])
    reason: str = Field(
        min_length=MIN_REASON_CHARS,
        max_length=500,
        description="Why the original is needed (case or ticket number); written to the audit log.",
    )


class RevealOut(BaseModel):
    conversation_id: str
    placeholder: str
    entity_type: str
    value: str
    audit_sequence: int


class AuditEntryOut(BaseModel):
    sequence: int
    occurred_at: datetime
    actor: str
    action: str
    target: str
    reason: str


class ChainStatus(BaseModel):
    valid: bool
    entries: int
    first_broken_sequence: int | None = None
    problem: str = ""


class RetentionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(ge=1, le=36_500, description="Delete conversations idle for longer than this.")
    dry_run: bool = False


class RetentionReport(BaseModel):
    cutoff: datetime
    dry_run: bool
    conversations: int
    deleted: dict[str, int]


class ErasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        min_length=MIN_REASON_CHARS, max_length=500, description="The request reference; audited."
    )


class ErasureReport(BaseModel):
    customer_id: str
    conversations: int
    deleted: dict[str, int]
    kept: list[str] = Field(description="What is kept on purpose, and why.")
    tracker_store_reached: bool


class ConsentState(BaseModel):
    """The answer in force for one purpose (never asked: not granted, no time or channel)."""

    purpose: ConsentPurpose
    granted: bool
    channel: ConsentChannel | None = None
    recorded_at: datetime | None = None


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    granted: bool


class StaffConsentIn(BaseModel):
    """A consent answer given outside the chat (branch, phone), recorded by a colleague."""

    model_config = ConfigDict(extra="forbid")

    purpose: ConsentPurpose
    granted: bool
    channel: ConsentChannel


class ConsentHistory(BaseModel):
    customer_id: str
    current: list[ConsentState]
    history: list[ConsentState]
