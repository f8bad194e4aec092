"""What a waiting customer may choose instead of waiting: a callback at a slot in opening
hours (on the number the bank holds for them, with their consent), or a message left for a
colleague; and the choices the queued notice offers.

A callback takes a non-urgent handoff out of the live queue (the handoff closes with the
event ``callback_booked`` and the callback keeps its id); an urgent handoff keeps its place.
A message left keeps the handoff queued for colleagues and stops the "nobody online" replies.
A colleague completes a booked callback with its outcome (called, no answer, cancelled); the
handoff's trail records who and when, and an optional note (redacted) joins its private notes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, cast

from pydantic import BaseModel, Field, SecretStr
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from database.base import utcnow
from service import metrics
from service.errors import BotUnavailable, NotFound, ServiceError
from service.handoff.agent_feed import AgentFeed
from service.handoff.bot_control import LEAVE_FORM, RESUME, BotControl, slot_event
from service.handoff.errors import HandoffError
from service.handoff.hours import spoken
from service.handoff.models import Callback, Handoff, HandoffEvent, HandoffNote, MessageLeft
from service.handoff.policy import EscalationPolicy
from service.handoff.store import CLOSED, QUEUED, HandoffStore, Notice
from service.hub import MessageHub
from service.models import Conversation
from service.schemas import MessageOut
from service.staff.schemas import StaffPublic
from service.transcripts import SENT, TranscriptStore, as_utc, message_out

log = logging.getLogger(__name__)

BOOKED = "booked"
Outcome = Literal["called", "no_answer", "cancelled"]  # a completed callback's status
OUTCOME_EVENTS: dict[str, str] = {  # the handoff event of each outcome (kinds fit 16 characters)
    "called": "callback_called",
    "no_answer": "callback_missed",
    "cancelled": "callback_cancel",
}
Redact = Callable[[str, str], Awaitable[str]]  # (conversation id, text) -> text with placeholders
CALLBACK_BOOKED = "callback_booked"  # the handoff event (and system message) of a booking
MESSAGE_LEFT = "message_left"
PLACE_EVENT = "handoff"  # what the hub carries for a waiting customer's place (as HandoffService)
CHOICES = (
    {"id": "callback", "title": "Book a callback"},
    {"id": "message", "title": "Leave a message"},
    {"id": "assistant", "title": "Back to the assistant"},
)


# -- errors ------------------------------------------------------------------------------


class CallbackRefused(HandoffError):
    """The slot or the consent cannot be accepted (422 with the reason as the code)."""

    status_code = 422

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message, **details)
        self.code = code


class CallbackConflict(HandoffError):
    """The booking clashes with what is already there (409 with the reason as the code)."""

    status_code = 409

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message, **details)
        self.code = code


# -- bodies ------------------------------------------------------------------------------


class CallbackSlot(BaseModel):
    start: datetime = Field(description="Local time (the opening hours' time zone) with its offset.")
    end: datetime
    label: str = Field(description='As the customer reads it: "Tue 8 Dec at 09:30".')


class CallbackSlots(BaseModel):
    timezone: str
    slot_minutes: int
    slots: list[CallbackSlot]


class CallbackOut(BaseModel):
    id: str
    conversation_id: str
    handoff_id: str | None
    customer_id: str
    status: str
    slot_start: datetime
    slot_end: datetime
    label: str
    consent_at: datetime = Field(description="When the customer agreed to be called.")
    created_at: datetime
    reason_label: str | None = Field(default=None, description="Why the customer asked for a colleague.")


class MessageLeftOut(BaseModel):
    handoff_id: str
    left_at: datetime
    answer_by: datetime | None = Field(description="When colleagues are next at work (None: unknown).")


@dataclass(frozen=True)
class Booked:
    callback: CallbackOut
    message: MessageOut
    left_queue: bool


# -- the queued notice's choices ---------------------------------------------------------


def waiting_extras(policy: EscalationPolicy, reason: str, wait_s: int, online: bool, now: datetime,
                   card_frozen: bool = False) -> tuple[str, dict[str, Any]]:
    """What the queued notice adds: the text after it and its system fields (``choices``
    buttons, or what to do now for an urgent reason)."""
    messages, waiting, hours = policy.messages, policy.waiting, policy.opening_hours
    open_now = hours.is_open(now)
    if reason in waiting.urgent_reasons:
        parts = [messages.urgent_card_frozen] if card_frozen else []
        parts.append(messages.urgent_now.format(fraud_line=waiting.fraud_line))
        if not open_now:
            parts.append(messages.urgent_closed)
        return " ".join(parts), {"urgent": True, "fraud_line": waiting.fraud_line, "card_frozen": card_frozen}
    if not open_now:
        opens = hours.next_opening(now)
        text = messages.choices_closed.format(opens=f"on {spoken(opens)}" if opens else "soon")
    elif not online:
        text = messages.choices_nobody_online
    elif wait_s > waiting.offer_after_wait_s:
        text = messages.choices_long_wait
    else:
        return "", {}
    return text, {"choices": [dict(c) for c in CHOICES]}


# -- slots -------------------------------------------------------------------------------


def offered_slots(policy: EscalationPolicy, now: datetime) -> list[datetime]:
    """The callback slot starts the policy offers from ``now`` (before counting bookings)."""
    settings = policy.callbacks
    return policy.opening_hours.slots(now, settings.slot_minutes, settings.working_days,
                                      timedelta(minutes=settings.notice_minutes))


def parse_slot(raw: str) -> datetime:
    """An ISO 8601 time with its offset (``slot_malformed`` otherwise)."""
    try:
        at = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        if not 2000 <= at.year <= 9000:  # far from the calendar's ends (and from any slot)
            raise ValueError(at.year)
    except ValueError as exc:
        raise CallbackRefused("slot_malformed", "slot_start is not an ISO 8601 time.") from exc
    if at.tzinfo is None:
        raise CallbackRefused("slot_malformed", "slot_start needs its time zone offset, e.g. +00:00.")
    return at


def check_slot(policy: EscalationPolicy, start: datetime, now: datetime) -> datetime:
    """The end of the slot starting at ``start``, if the policy offers it now."""
    hours, settings = policy.opening_hours, policy.callbacks
    length = timedelta(minutes=settings.slot_minutes)
    if start <= now:
        raise CallbackRefused("slot_in_past", "That time has already passed; choose a later slot.")
    if not hours.within(start, start + length):
        raise CallbackRefused("slot_outside_hours", "That time is outside our opening hours.")
    if not hours.is_slot_boundary(start, settings.slot_minutes):
        raise CallbackRefused("slot_not_boundary",
                              f"Slots start every {settings.slot_minutes} minutes from opening time.")
    offered = offered_slots(policy, now)
    if start not in offered:
        if offered and start > offered[-1]:
            raise CallbackRefused("slot_too_far", "That time is further ahead than we book callbacks.")
        raise CallbackRefused("slot_too_soon",
                              f"Choose a slot at least {settings.notice_minutes} minutes from now.")
    return start + length


def _reason_label(handoff: Handoff | None) -> str | None:
    """The handoff's reason as its trigger labelled it (None: no handoff)."""
    if handoff is None:
        return None
    labels = {t["reason"]: t["label"] for t in (handoff.packet or {}).get("triggers", [])}
    return str(labels.get(handoff.reason, handoff.reason))


def _callback_out(row: Callback, policy: EscalationPolicy, handoff: Handoff | None = None) -> CallbackOut:
    local = policy.opening_hours.local
    return CallbackOut(
        id=row.id, conversation_id=row.conversation_id, handoff_id=row.handoff_id,
        customer_id=row.customer_id, status=row.status,
        slot_start=local(as_utc(row.slot_start)), slot_end=local(as_utc(row.slot_end)),
        label=spoken(local(as_utc(row.slot_start))), consent_at=as_utc(row.consent_at),
        created_at=as_utc(row.created_at), reason_label=_reason_label(handoff),
    )


# -- the store ---------------------------------------------------------------------------


def _lock_conversation(session: Session, conversation_id: str) -> Conversation:
    """Start the transaction with a write on the conversation (SQLite: take the write lock)."""
    session.execute(
        update(Conversation).where(Conversation.id == conversation_id).values(last_seq=Conversation.last_seq)
    )
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("No such conversation.", conversation_id=conversation_id)
    return conversation


def _queued_handoff(session: Session, conversation_id: str) -> Handoff:
    handoff = session.scalar(
        select(Handoff).where(Handoff.conversation_id == conversation_id, Handoff.status == QUEUED)
        .order_by(Handoff.queued_at.desc()).limit(1)
    )
    if handoff is None:
        raise CallbackConflict("not_waiting", "This conversation is not waiting for a colleague.")
    return handoff


def _tell(session: Session, conversation_id: str, notice: Notice) -> MessageOut:
    message = TranscriptStore._append(  # noqa: SLF001 - the transcript's one sequence rule
        session, conversation_id, sender="bot", text=notice.text, custom=notice.custom, status=SENT
    )
    return message_out(message)


class CallbackStore:
    """Callbacks and messages left, in the service database.

    Args:
        sessions: a ``sessionmaker`` on the migrated service database.
        policy: the escalation policy (opening hours, callback slots, urgent reasons).
    """

    def __init__(self, sessions: sessionmaker[Session], policy: EscalationPolicy) -> None:
        self._sessions = sessions
        self.policy = policy

    def slots(self, now: datetime) -> list[datetime]:
        """The slot starts offered from ``now`` that still have room."""
        offered = offered_slots(self.policy, now)
        if not offered:
            return []
        with self._sessions() as session:
            rows = session.execute(
                select(Callback.slot_start, func.count())
                .where(Callback.status == BOOKED, Callback.slot_start >= offered[0])
                .group_by(Callback.slot_start)
            ).all()
        full = {as_utc(start) for start, count in rows if count >= self.policy.callbacks.per_slot}
        return [s for s in offered if s.astimezone(UTC) not in full]

    def book(self, conversation_id: str, customer_id: str, start: datetime, end: datetime,
             consent_at: datetime, notice: Callable[[datetime, bool], Notice]) -> Booked:
        """Book the slot for the conversation's queued handoff and tell the customer; a
        non-urgent handoff leaves the queue."""
        with self._sessions.begin() as session:
            _lock_conversation(session, conversation_id)
            taken = session.scalar(
                select(Callback.id).where(
                    Callback.status == BOOKED,
                    (Callback.conversation_id == conversation_id) | (Callback.customer_id == customer_id),
                ).limit(1)
            )
            if taken is not None:
                raise CallbackConflict("callback_already_booked", "A callback is already booked.",
                                       callback_id=taken)
            handoff = _queued_handoff(session, conversation_id)
            in_slot = session.scalar(
                select(func.count()).select_from(Callback)
                .where(Callback.status == BOOKED, Callback.slot_start == start)
            ) or 0
            if in_slot >= self.policy.callbacks.per_slot:
                raise CallbackConflict("slot_full", "That slot has just been taken; choose another.")
            row = Callback(id=f"cb_{uuid.uuid4().hex}", conversation_id=conversation_id,
                           handoff_id=handoff.id, customer_id=customer_id, status=BOOKED,
                           slot_start=start.astimezone(UTC), slot_end=end.astimezone(UTC),
                           consent_at=consent_at)
            session.add(row)
            leaves = handoff.reason not in self.policy.waiting.urgent_reasons
            if leaves:
                handoff.status = CLOSED
                handoff.ended_at = utcnow()
            session.add(HandoffEvent(handoff_id=handoff.id, kind=CALLBACK_BOOKED))
            session.flush()
            message = _tell(session, conversation_id, notice(self.policy.opening_hours.local(start), leaves))
            return Booked(_callback_out(row, self.policy, handoff), message, leaves)

    def leave_message(self, conversation_id: str, answer_by: datetime | None,
                      notice: Callable[[], Notice]) -> tuple[MessageLeftOut, MessageOut | None]:
        """Mark the queued handoff "message left" and tell the customer (once)."""
        with self._sessions.begin() as session:
            _lock_conversation(session, conversation_id)
            handoff = _queued_handoff(session, conversation_id)
            row = session.get(MessageLeft, handoff.id)
            if row is not None:
                return self._left_out(row), None
            row = MessageLeft(handoff_id=handoff.id, answer_by=answer_by, left_at=utcnow())
            session.add(row)
            session.add(HandoffEvent(handoff_id=handoff.id, kind=MESSAGE_LEFT))
            session.flush()
            return self._left_out(row), _tell(session, conversation_id, notice())

    def message_left(self, handoff_id: str) -> bool:
        """Whether the customer of this handoff left a message."""
        with self._sessions() as session:
            return session.get(MessageLeft, handoff_id) is not None

    def booked(self, since: datetime | None = None) -> list[CallbackOut]:
        """Booked callbacks by slot (from ``since``, if given)."""
        with self._sessions() as session:
            query = (select(Callback, Handoff).outerjoin(Handoff, Handoff.id == Callback.handoff_id)
                     .where(Callback.status == BOOKED))
            if since is not None:
                query = query.where(Callback.slot_end > since)
            rows = session.execute(query.order_by(Callback.slot_start, Callback.created_at)).all()
            return [_callback_out(callback, self.policy, handoff) for callback, handoff in rows]

    def conversation_of(self, callback_id: str) -> str:
        """The conversation the callback was booked in (404 ``not_found`` for an unknown id)."""
        with self._sessions() as session:
            conversation_id = session.scalar(
                select(Callback.conversation_id).where(Callback.id == callback_id)
            )
        if conversation_id is None:
            raise NotFound("No such callback.", callback_id=callback_id)
        return conversation_id

    def complete(self, callback_id: str, outcome: Outcome, staff: StaffPublic,
                 note: str | None) -> CallbackOut:
        """Set a booked callback's outcome; its handoff's trail records who and when, and the
        note (already redacted) joins the handoff's private notes."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(Callback).where(Callback.id == callback_id, Callback.status == BOOKED)
                .values(status=outcome)
            )
            done = cast("CursorResult[Any]", result).rowcount
            row = session.get(Callback, callback_id)
            if row is None:
                raise NotFound("No such callback.", callback_id=callback_id)
            if not done:
                raise CallbackConflict("callback_completed", f"This callback is already {row.status}.",
                                       callback_id=callback_id)
            handoff = session.get(Handoff, row.handoff_id) if row.handoff_id else None
            if note and handoff is None:
                raise CallbackRefused("note_without_handoff",
                                      "This callback has no conversation left to keep a note on.")
            if handoff is not None:
                kind = OUTCOME_EVENTS[outcome]
                session.add(HandoffEvent(handoff_id=handoff.id, kind=kind, actor_id=staff.id))
                if note:
                    session.add(HandoffNote(handoff_id=handoff.id, author_id=staff.id, text=note))
            session.flush()
            session.refresh(row)
            return _callback_out(row, self.policy, handoff)

    def _left_out(self, row: MessageLeft) -> MessageLeftOut:
        answer_by = as_utc(row.answer_by) if row.answer_by else None
        return MessageLeftOut(
            handoff_id=row.handoff_id, left_at=as_utc(row.left_at),
            answer_by=self.policy.opening_hours.local(answer_by) if answer_by else None,
        )


# -- the desk the API uses ---------------------------------------------------------------


class CallbackDesk:
    """Callbacks and messages left, with the customer and the consoles told.

    Args:
        store: the callbacks' store.
        handoffs: the handoff store (the queue the consoles get).
        hub: the per-conversation fan-out.
        feed: the open agent consoles.
        bot: makes a client for Rasa's control API (the bot resumes when a handoff leaves).
    """

    def __init__(self, store: CallbackStore, handoffs: HandoffStore, hub: MessageHub, feed: AgentFeed,
                 bot: Callable[[], BotControl]) -> None:
        self.store = store
        self.policy = store.policy
        self._handoffs = handoffs
        self._hub = hub
        self._feed = feed
        self._bot = bot

    async def slots(self, now: datetime | None = None) -> CallbackSlots:
        starts = await run_in_threadpool(self.store.slots, now or datetime.now(UTC))
        length = timedelta(minutes=self.policy.callbacks.slot_minutes)
        local = self.policy.opening_hours.local
        return CallbackSlots(
            timezone=self.policy.opening_hours.timezone,
            slot_minutes=self.policy.callbacks.slot_minutes,
            slots=[CallbackSlot(start=local(s), end=local(s + length), label=spoken(local(s)))
                   for s in starts],
        )

    async def book(self, conversation_id: str, customer_id: str, raw_start: str,
                   consent: bool | None) -> CallbackOut:
        """Book a callback at ``raw_start`` (ISO 8601) with the customer's consent to be called."""
        start = parse_slot(raw_start)
        if consent is not True:
            raise CallbackRefused("consent_required",
                                  "We need your agreement to call the number we hold for you.")
        now = datetime.now(UTC)
        end = check_slot(self.policy, start, now)
        messages = self.policy.messages

        def notice(local_start: datetime, leaves: bool) -> Notice:
            template = messages.callback_booked if leaves else messages.callback_booked_queued
            event = CALLBACK_BOOKED if leaves else f"{CALLBACK_BOOKED}_waiting"  # still in the queue
            return Notice(template.format(when=spoken(local_start)),
                          {"system": {"event": event, "slot_start": local_start.isoformat()}})

        booked = await run_in_threadpool(self.store.book, conversation_id, customer_id, start, end, now,
                                         notice)
        self._hub.publish(conversation_id, booked.message.model_dump(mode="json"))
        if booked.left_queue:
            await self._resume_bot(conversation_id)
        await self._queue_changed()
        self._feed.broadcast({"type": "callbacks"})
        return booked.callback

    async def leave_message(self, conversation_id: str) -> MessageLeftOut:
        """Mark the queued handoff "message left"; the customer is told when to expect an answer."""
        now = datetime.now(UTC)
        opens = self.policy.opening_hours.next_opening(now)
        if opens is not None and opens <= now:
            answer_by, words = None, "as soon as they're free"
        elif opens is not None:
            answer_by, words = opens, f"when we open on {spoken(opens)}"
        else:
            answer_by, words = None, "as soon as we open"

        def notice() -> Notice:
            return Notice(self.policy.messages.message_left.format(answer_by=words),
                          {"system": {"event": MESSAGE_LEFT,
                                      "answer_by": answer_by.isoformat() if answer_by else None,
                                      "choices": [dict(CHOICES[2])]}})

        left, message = await run_in_threadpool(self.store.leave_message, conversation_id, answer_by, notice)
        if message is not None:
            self._hub.publish(conversation_id, message.model_dump(mode="json"))
            await self._queue_changed()
        return left

    async def booked(self) -> list[CallbackOut]:
        return await run_in_threadpool(self.store.booked)

    async def complete(self, callback_id: str, outcome: Outcome, staff: StaffPublic, note: str | None,
                       redact: Redact | None) -> CallbackOut:
        """Mark a booked callback called, not answered or cancelled (the note redacted first);
        the outcome is counted and the consoles reload their callbacks."""
        note = (note or "").strip() or None
        if note is not None and redact is not None:
            conversation_id = await run_in_threadpool(self.store.conversation_of, callback_id)
            note = await redact(conversation_id, note)
        done = await run_in_threadpool(self.store.complete, callback_id, outcome, staff, note)
        metrics.count_callback_outcome(outcome)
        self._feed.broadcast({"type": "callbacks"})
        return done

    async def _resume_bot(self, conversation_id: str) -> None:
        """Resume the bot for the customer's next message; the booking stands if it can't."""
        resume = self.policy.resume
        events = [RESUME, *(slot_event(name, None) for name in resume.reset_slots)]
        if resume.leave_form:
            events.insert(1, LEAVE_FORM)
        bot = self._bot()
        try:
            await bot.append_events(conversation_id, events)
        except (BotUnavailable, ServiceError):
            log.warning("could not resume the bot after a callback was booked in %s", conversation_id)
        finally:
            await bot.aclose()

    async def _queue_changed(self) -> None:
        queue = await run_in_threadpool(self._handoffs.queue)
        self._feed.broadcast({"type": "queue", "handoffs": [h.model_dump(mode="json") for h in queue]})
        for conversation_id, state in await run_in_threadpool(self._handoffs.queued_states):
            event = {"type": PLACE_EVENT, "handoff": state.model_dump(mode="json")}
            self._hub.publish(conversation_id, event)



def build_callbacks(sessions: sessionmaker[Session], policy: EscalationPolicy, handoffs: HandoffStore,
                    feed: AgentFeed, hub: MessageHub, rasa_url: str,
                    rasa_auth_token: SecretStr | None = None) -> CallbackDesk:
    """The app's desk; its ``store.message_left`` is what the handoff's relay asks."""
    return CallbackDesk(CallbackStore(sessions, policy), handoffs, hub, feed,
                        lambda: BotControl(rasa_url, auth_token=rasa_auth_token))
