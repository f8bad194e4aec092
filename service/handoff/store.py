"""Durable handoff state: the queue, claims, transfers, notes, the audit trail, and the
system and agent messages they add to the transcript.

Synchronous SQLAlchemy (the async layer calls it in a worker thread). Each change runs in one
transaction that starts with a write, so SQLite takes its write lock before reading what it
will change (PostgreSQL locks the rows): two agents claiming at once get one claim and one
``AlreadyClaimed``, and transcript sequence numbers stay unique.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from database.base import utcnow
from service.errors import NotFound
from service.handoff import routing
from service.handoff.errors import (
    AlreadyClaimed,
    HandoffEnded,
    NotAssignee,
    NotClaimed,
    NotWaiting,
    SatisfactionAnswered,
    SatisfactionNotAsked,
    UnknownColleague,
)
from service.handoff.models import EscalationTrigger, Handoff, HandoffEvent, HandoffNote, MessageLeft
from service.handoff.overview import SupervisorOverview, supervisor_overview
from service.handoff.policy import Routing
from service.handoff.schemas import (
    OPEN_STATUSES,
    HandoffEventOut,
    HandoffSummary,
    NoteOut,
    PacketCore,
)
from service.handoff.triggers import TriggerHit
from service.models import Conversation, Message
from service.schemas import HandoffState, MessageOut
from service.staff.models import StaffUser
from service.staff.roles import Role
from service.staff.schemas import StaffPublic
from service.staff.store import staff_public
from service.transcripts import PENDING, SENT, TranscriptStore, as_utc, message_out

QUEUED, ASSIGNED, RESOLVED, CLOSED = "queued", "assigned", "resolved", "closed"
CANCELLED = "cancelled"  # the customer went back to the assistant while waiting
SURVEY_ASKED, RATED = "survey_asked", "rated"  # the satisfaction question, and its answer
RELAYED = "relayed"  # a customer message that went to a colleague instead of the bot


@dataclass(frozen=True)
class RelayState:
    """The open handoff a customer message was relayed to."""

    handoff_id: str
    status: str
    assigned_to: int | None
    position: int | None  # in the queue of the handoff's skill, while queued
    estimated_wait_s: int | None = None


@dataclass(frozen=True)
class Notice:
    """A bot-styled system message for the customer."""

    text: str
    custom: dict[str, Any]


def _lock_conversation(session: Session, conversation_id: str) -> None:
    """Start the transaction with a write on the conversation (SQLite: take the write lock)."""
    result = session.execute(
        update(Conversation).where(Conversation.id == conversation_id).values(last_seq=Conversation.last_seq)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound("No such conversation.", conversation_id=conversation_id)


def _locked_handoff(session: Session, handoff_id: str) -> Handoff:
    session.execute(update(Handoff).where(Handoff.id == handoff_id).values(status=Handoff.status))
    handoff = session.get(Handoff, handoff_id, with_for_update=True)
    if handoff is None:
        raise NotFound("No such handoff.", handoff_id=handoff_id)
    return handoff


def _locked_colleague(session: Session, staff_id: int) -> StaffUser:
    session.execute(
        update(StaffUser).where(StaffUser.id == staff_id).values(availability=StaffUser.availability)
    )
    user = session.get(StaffUser, staff_id, with_for_update=True)
    if user is None:
        raise UnknownColleague("No such colleague.", staff_id=staff_id)
    return user


def _append(session: Session, conversation_id: str, **fields: Any) -> Message:
    # The transcript's own sequence rule (one place): last_seq + 1 under the row lock.
    return TranscriptStore._append(session, conversation_id, **fields)  # noqa: SLF001


def _user_message(session: Session, conversation_id: str, seq: int) -> Message | None:
    return session.scalar(
        select(Message).where(
            Message.conversation_id == conversation_id, Message.seq == seq, Message.sender == "user"
        )
    )


class HandoffStore:
    """Reads and writes handoffs and everything attached to them.

    Args:
        sessions: a ``sessionmaker`` on the migrated service database.
        routing: the policy's routing (skills per reason, widening, wait estimate).
    """

    def __init__(self, sessions: sessionmaker[Session], routing: Routing | None = None) -> None:
        self._sessions = sessions
        self.routing = routing or Routing()

    # -- triggers and opening a handoff ------------------------------------------------

    def fired_reasons(self, conversation_id: str) -> set[str]:
        with self._sessions() as session:
            return set(
                session.scalars(
                    select(EscalationTrigger.reason).where(
                        EscalationTrigger.conversation_id == conversation_id
                    )
                )
            )

    def open_handoff(
        self,
        conversation_id: str,
        hits: Sequence[TriggerHit],
        core: PacketCore,
        triggered_at: datetime,
        reply_to_seq: int | None,
        notice: Callable[[int], Notice],
    ) -> tuple[HandoffSummary, MessageOut] | None:
        """Queue a handoff for the triggers that fired, routed to the skill of the most
        urgent one, and tell the customer their place in that skill's queue.

        Returns ``None`` if the conversation already has an open handoff.
        """
        with self._sessions.begin() as session:
            _lock_conversation(session, conversation_id)
            if self._open_in(session, conversation_id) is not None:
                return None
            top = hits[0]
            handoff = Handoff(
                id=f"hof_{uuid.uuid4().hex}",
                conversation_id=conversation_id,
                status=QUEUED,
                reason=top.reason,
                priority=int(top.priority),
                skill=self.routing.skill_for(top.reason),
                packet=core.model_dump(mode="json"),
                triggered_at=triggered_at,
                queued_at=utcnow(),
            )
            session.add(handoff)
            session.flush()
            session.add_all(
                EscalationTrigger(
                    conversation_id=conversation_id,
                    reason=h.reason,
                    priority=int(h.priority),
                    detail=h.detail[:200],
                    handoff_id=handoff.id,
                )
                for h in hits
            )
            session.add(HandoffEvent(handoff_id=handoff.id, kind=QUEUED))
            session.flush()
            position = self._position_in(session, handoff)
            told = notice(routing.routed_position(session, handoff) or position)
            reply_to = _user_message(session, conversation_id, reply_to_seq) if reply_to_seq else None
            message = _append(
                session,
                conversation_id,
                sender="bot",
                text=told.text,
                custom=told.custom,
                status=SENT,
                reply_to=reply_to.id if reply_to else None,
            )
            return self._summary(session, handoff, position), message_out(message)

    # -- reading -----------------------------------------------------------------------

    def open_id(self, conversation_id: str) -> str | None:
        """The id of the conversation's handoff in the queue or with a colleague, if any (a
        plain read)."""
        with self._sessions() as session:
            handoff = self._open_in(session, conversation_id)
            return handoff.id if handoff else None

    def open_for(self, conversation_id: str) -> HandoffSummary | None:
        """The conversation's handoff in the queue or with a colleague, if any."""
        with self._sessions() as session:
            handoff = self._open_in(session, conversation_id)
            return self._summary(session, handoff) if handoff else None

    def get(self, handoff_id: str) -> tuple[HandoffSummary, PacketCore]:
        with self._sessions() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise NotFound("No such handoff.", handoff_id=handoff_id)
            return self._summary(session, handoff), PacketCore.model_validate(handoff.packet)

    def queue(self) -> list[HandoffSummary]:
        """Open handoffs: the queued ones by priority then waiting time, then the assigned."""
        with self._sessions() as session:
            queued = session.scalars(
                select(Handoff)
                .where(Handoff.status == QUEUED)
                .order_by(Handoff.priority.desc(), Handoff.queued_at, Handoff.id)
            ).all()
            assigned = session.scalars(
                select(Handoff).where(Handoff.status == ASSIGNED).order_by(Handoff.assigned_at)
            ).all()
            return [self._summary(session, h, n) for n, h in enumerate(queued, start=1)] + [
                self._summary(session, h) for h in assigned
            ]

    def offers(self, staff_id: int) -> list[HandoffSummary]:
        """The queued handoffs this colleague may claim now (none while busy, away or full)."""
        with self._sessions() as session:
            user = session.get(StaffUser, staff_id)
            if user is None:
                return []
            return [self._summary(session, h) for h in routing.offered_to(session, user, self.routing)]

    def active_chats(self, staff_id: int) -> int:
        with self._sessions() as session:
            return routing.active_chats(session, staff_id)

    def assigned_to(self, staff_id: int) -> list[HandoffSummary]:
        with self._sessions() as session:
            rows = session.scalars(
                select(Handoff).where(Handoff.status == ASSIGNED, Handoff.assigned_to == staff_id)
            )
            return [self._summary(session, h) for h in rows]

    def notes(self, handoff_id: str) -> list[NoteOut]:
        with self._sessions() as session:
            rows = session.execute(
                select(HandoffNote, StaffUser)
                .join(StaffUser, StaffUser.id == HandoffNote.author_id)
                .where(HandoffNote.handoff_id == handoff_id)
                .order_by(HandoffNote.id)
            ).all()
            return [
                NoteOut(id=n.id, author=staff_public(u), text=n.text, created_at=as_utc(n.created_at))
                for n, u in rows
            ]

    def events(self, handoff_id: str) -> list[HandoffEventOut]:
        with self._sessions() as session:
            rows = session.scalars(
                select(HandoffEvent).where(HandoffEvent.handoff_id == handoff_id).order_by(HandoffEvent.id)
            ).all()
            people = self._people(session, {i for r in rows for i in (r.actor_id, r.target_id) if i})
            return [
                HandoffEventOut(
                    kind=r.kind,
                    actor=people.get(r.actor_id or 0),
                    target=people.get(r.target_id or 0),
                    at=as_utc(r.created_at),
                )
                for r in rows
            ]

    # -- the customer's side -----------------------------------------------------------

    def customer_state(self, conversation_id: str) -> HandoffState | None:
        """The conversation's open handoff as the customer sees it, if any."""
        with self._sessions() as session:
            handoff = self._open_in(session, conversation_id)
            return self._customer_state(session, handoff) if handoff else None

    def queued_states(self) -> list[tuple[str, HandoffState]]:
        """(conversation id, customer's view) of every queued handoff."""
        with self._sessions() as session:
            queued = session.scalars(select(Handoff).where(Handoff.status == QUEUED)).all()
            return [(h.conversation_id, self._customer_state(session, h)) for h in queued]

    def overview(self, now: datetime | None = None) -> SupervisorOverview:
        """The queue by skill, the colleagues' status and load, and the breached waits."""
        with self._sessions() as session:
            return supervisor_overview(session, self.routing, now)

    def recent_waits(self, skill: str) -> list[float]:
        """Queue-to-claim seconds of the latest handoffs claimed in ``skill``."""
        with self._sessions() as session:
            return routing.recent_waits(session, skill, self.routing.wait_estimate.recent)

    def relay(
        self, conversation_id: str, seq: int, notice: Callable[[RelayState], Notice | None]
    ) -> tuple[RelayState, MessageOut | None] | None:
        """If the conversation is handed off, mark message ``seq`` relayed (not for the bot)
        and add the notice for the customer, if any. ``None`` when it is not handed off.
        ``notice`` runs inside the write transaction: it must not use the database."""
        with self._sessions.begin() as session:
            _lock_conversation(session, conversation_id)
            handoff = self._open_in(session, conversation_id)
            if handoff is None:
                return None
            message = _user_message(session, conversation_id, seq)
            place = self._customer_state(session, handoff)
            state = RelayState(
                handoff.id, handoff.status, handoff.assigned_to, place.position, place.estimated_wait_s
            )
            if message is None or message.status != PENDING:
                return state, None
            message.status = RELAYED
            told = notice(state)
            if told is None:
                return state, None
            reply = _append(
                session,
                conversation_id,
                sender="bot",
                text=told.text,
                custom=told.custom,
                status=SENT,
                reply_to=message.id,
            )
            return state, message_out(reply)

    def add_bot_messages(self, conversation_id: str, messages: Sequence[dict[str, Any]]) -> list[MessageOut]:
        """Store what the bot said on its own (after a handoff), in order."""
        with self._sessions.begin() as session:
            _lock_conversation(session, conversation_id)
            return [
                message_out(_append(session, conversation_id, sender="bot", **fields)) for fields in messages
            ]

    # -- the agents' side --------------------------------------------------------------

    def claim(
        self, handoff_id: str, staff: StaffPublic, notice: Callable[[], Notice]
    ) -> tuple[HandoffSummary, MessageOut | None]:
        """Assign a queued handoff to ``staff`` (again by the same colleague: no change).

        The colleague must be available, below their concurrent-chat limit and have the
        handoff's skill, unless it has waited past the routing's ``widen_after_s``.
        """
        with self._sessions.begin() as session:
            # The colleague's row first: their claims run one at a time, so the count of
            # their conversations cannot go past the limit.
            user = _locked_colleague(session, staff.id)
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise NotFound("No such handoff.", handoff_id=handoff_id)
            if handoff.status == QUEUED:
                routing.check_may_take(session, handoff, user, self.routing)
            claimed = session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id, Handoff.status == QUEUED)
                .values(status=ASSIGNED, assigned_to=staff.id, assigned_at=utcnow())
            ).rowcount  # type: ignore[attr-defined]
            session.refresh(handoff)
            if not claimed:
                if handoff.status == ASSIGNED and handoff.assigned_to == staff.id:
                    return self._summary(session, handoff), None
                if handoff.status == ASSIGNED:
                    holder = self._people(session, {handoff.assigned_to or 0}).get(handoff.assigned_to or 0)
                    raise AlreadyClaimed(
                        "Another colleague has already claimed this conversation.",
                        handoff_id=handoff_id,
                        claimed_by=holder.display_name if holder else None,
                    )
                raise HandoffEnded(
                    f"This handoff is already {handoff.status}.", handoff_id=handoff_id, status=handoff.status
                )
            session.add(HandoffEvent(handoff_id=handoff_id, kind="claimed", actor_id=staff.id))
            message = self._tell(session, handoff, notice())
            return self._summary(session, handoff), message

    def requeue_from(self, staff_id: int, notice: Callable[[int], Notice]) -> list[tuple[str, MessageOut]]:
        """Put the conversations ``staff_id`` holds back in the queue (their console went and
        did not come back), each keeping its place by when it was first queued, and tell each
        customer their place (``notice`` takes it)."""
        with self._sessions.begin() as session:
            held = list(session.scalars(
                select(Handoff)
                .where(Handoff.status == ASSIGNED, Handoff.assigned_to == staff_id)
                .order_by(Handoff.id)
                .with_for_update()
            ))
            for handoff in held:
                handoff.status, handoff.assigned_to, handoff.assigned_at = QUEUED, None, None
                session.add(HandoffEvent(handoff_id=handoff.id, kind="requeued", actor_id=staff_id))
            session.flush()
            return [
                (h.conversation_id, self._tell(session, h, notice(routing.routed_position(session, h) or 1)))
                for h in held
            ]

    def transfer(
        self,
        handoff_id: str,
        actor: StaffPublic,
        target: StaffPublic,
        note: str | None,
        notice: Callable[[], Notice],
    ) -> tuple[HandoffSummary, MessageOut]:
        """Give an assigned handoff to another colleague (its holder or an admin may)."""
        with self._sessions.begin() as session:
            handoff = _locked_handoff(session, handoff_id)
            self._check_holder(handoff, actor)
            handoff.assigned_to = target.id
            handoff.assigned_at = utcnow()
            session.add(
                HandoffEvent(
                    handoff_id=handoff_id, kind="transferred", actor_id=actor.id, target_id=target.id
                )
            )
            if note:
                session.add(HandoffNote(handoff_id=handoff_id, author_id=actor.id, text=note))
            message = self._tell(session, handoff, notice())
            return self._summary(session, handoff), message

    def end(
        self, handoff_id: str, actor: StaffPublic, status: str, notice: Callable[[], Notice]
    ) -> tuple[HandoffSummary, MessageOut]:
        """Resolve (back to the bot) or close a handoff; a second time is ``HandoffEnded``."""
        with self._sessions.begin() as session:
            handoff = _locked_handoff(session, handoff_id)
            self._check_holder(handoff, actor)
            handoff.status = status
            handoff.ended_at = utcnow()
            session.add(HandoffEvent(handoff_id=handoff_id, kind=status, actor_id=actor.id))
            message = self._tell(session, handoff, notice())
            return self._summary(session, handoff), message

    # -- the customer leaves the queue, and rates the help ------------------------------

    def waiting_for(self, conversation_id: str) -> HandoffSummary:
        """The conversation's queued handoff; raise what :meth:`cancel` would raise."""
        with self._sessions() as session:
            return self._summary(session, self._waiting_in(session, conversation_id))

    def cancel(
        self, conversation_id: str, notice: Callable[[], Notice]
    ) -> tuple[HandoffSummary, MessageOut]:
        """End the conversation's queued handoff at the customer's request and tell them."""
        with self._sessions.begin() as session:
            _lock_conversation(session, conversation_id)
            handoff = self._waiting_in(session, conversation_id)
            handoff.status = CANCELLED
            handoff.ended_at = utcnow()
            session.add(HandoffEvent(handoff_id=handoff.id, kind=CANCELLED))
            message = self._tell(session, handoff, notice())
            return self._summary(session, handoff), message

    def ask_satisfaction(self, handoff_id: str, notice: Notice) -> MessageOut:
        """Put the satisfaction question to the customer of a resolved handoff."""
        with self._sessions.begin() as session:
            handoff = _locked_handoff(session, handoff_id)
            session.add(HandoffEvent(handoff_id=handoff_id, kind=SURVEY_ASKED))
            return self._tell(session, handoff, notice)

    def rate(
        self, conversation_id: str, notice: Callable[[], Notice]
    ) -> tuple[HandoffSummary, MessageOut]:
        """Record the answer to the conversation's open satisfaction question (once)."""
        with self._sessions.begin() as session:
            _lock_conversation(session, conversation_id)
            handoff = session.scalar(
                select(Handoff)
                .where(Handoff.conversation_id == conversation_id, Handoff.status == RESOLVED)
                .order_by(Handoff.ended_at.desc(), Handoff.id.desc())
                .limit(1)
            )
            kinds = set(
                session.scalars(select(HandoffEvent.kind).where(HandoffEvent.handoff_id == handoff.id))
            ) if handoff is not None else set()
            if handoff is None or SURVEY_ASKED not in kinds:
                raise SatisfactionNotAsked("No satisfaction question is open in this conversation.",
                                           conversation_id=conversation_id)
            if RATED in kinds:
                raise SatisfactionAnswered("This question was already answered.", handoff_id=handoff.id)
            session.add(HandoffEvent(handoff_id=handoff.id, kind=RATED))
            message = self._tell(session, handoff, notice())
            return self._summary(session, handoff), message

    def _waiting_in(self, session: Session, conversation_id: str) -> Handoff:
        handoff = self._open_in(session, conversation_id)
        if handoff is None:
            raise NotFound("No handoff is waiting in this conversation.", conversation_id=conversation_id)
        if handoff.status != QUEUED:
            raise NotWaiting("A colleague has already joined this conversation.", handoff_id=handoff.id)
        return handoff

    def check_may_end(self, handoff_id: str, actor: StaffPublic) -> HandoffSummary:
        """Raise what :meth:`end` would raise for ``actor``, changing nothing."""
        with self._sessions() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise NotFound("No such handoff.", handoff_id=handoff_id)
            self._check_holder(handoff, actor)
            return self._summary(session, handoff)

    def add_agent_message(self, handoff_id: str, actor: StaffPublic, text: str) -> MessageOut:
        """Store a colleague's message to the customer (sender ``agent``)."""
        with self._sessions.begin() as session:
            handoff = _locked_handoff(session, handoff_id)
            if handoff.status != ASSIGNED or handoff.assigned_to != actor.id:
                self._check_holder(handoff, actor, admin_may=False)
            message = _append(
                session,
                handoff.conversation_id,
                sender="agent",
                text=text,
                custom={"agent": actor.display_name},
                status=SENT,
            )
            return message_out(message)

    def add_note(self, handoff_id: str, author: StaffPublic, text: str) -> NoteOut:
        with self._sessions.begin() as session:
            if session.get(Handoff, handoff_id) is None:
                raise NotFound("No such handoff.", handoff_id=handoff_id)
            note = HandoffNote(handoff_id=handoff_id, author_id=author.id, text=text)
            session.add(note)
            session.flush()
            return NoteOut(id=note.id, author=author, text=note.text, created_at=as_utc(note.created_at))

    # -- helpers -----------------------------------------------------------------------

    @staticmethod
    def _check_holder(handoff: Handoff, actor: StaffPublic, admin_may: bool = True) -> None:
        if handoff.status not in OPEN_STATUSES:
            raise HandoffEnded(
                f"This handoff is already {handoff.status}; nothing was changed.",
                handoff_id=handoff.id,
                status=handoff.status,
            )
        if admin_may and actor.role == Role.ADMIN:
            return
        if handoff.status == QUEUED:
            raise NotClaimed("Claim this conversation first.", handoff_id=handoff.id)
        if handoff.assigned_to != actor.id:
            raise NotAssignee("Another colleague has this conversation.", handoff_id=handoff.id)

    @staticmethod
    def _tell(session: Session, handoff: Handoff, notice: Notice) -> MessageOut:
        _lock_conversation(session, handoff.conversation_id)
        message = _append(
            session,
            handoff.conversation_id,
            sender="bot",
            text=notice.text,
            custom=notice.custom,
            status=SENT,
        )
        return message_out(message)

    @staticmethod
    def _open_in(session: Session, conversation_id: str) -> Handoff | None:
        return session.scalar(
            select(Handoff)
            .where(Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN_STATUSES))
            .order_by(Handoff.queued_at.desc())
            .limit(1)
        )

    @staticmethod
    def _position_in(session: Session, handoff: Handoff) -> int:
        ahead = session.scalars(
            select(Handoff.id)
            .where(Handoff.status == QUEUED)
            .order_by(Handoff.priority.desc(), Handoff.queued_at, Handoff.id)
        ).all()
        return ahead.index(handoff.id) + 1 if handoff.id in ahead else 0

    def _customer_state(self, session: Session, handoff: Handoff) -> HandoffState:
        position = routing.routed_position(session, handoff)
        waits = (
            routing.recent_waits(session, handoff.skill, self.routing.wait_estimate.recent)
            if position is not None
            else []
        )
        holder = self._people(session, {handoff.assigned_to or 0}).get(handoff.assigned_to or 0)
        return HandoffState(
            status=handoff.status,  # type: ignore[arg-type]
            position=position,
            estimated_wait_s=(
                routing.estimate_wait(position, waits, self.routing.wait_estimate)
                if position is not None
                else None
            ),
            agent=holder.display_name if holder and handoff.status == ASSIGNED else None,
        )

    @staticmethod
    def _people(session: Session, ids: set[int]) -> dict[int, StaffPublic]:
        ids.discard(0)
        if not ids:
            return {}
        return {
            u.id: staff_public(u) for u in session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))
        }

    def _summary(self, session: Session, handoff: Handoff, position: int | None = None) -> HandoffSummary:
        conversation = session.get(Conversation, handoff.conversation_id)
        assert conversation is not None
        if position is None and handoff.status == QUEUED:
            position = self._position_in(session, handoff)
        holder = self._people(session, {handoff.assigned_to or 0}).get(handoff.assigned_to or 0)
        packet = handoff.packet or {}
        labels = {t["reason"]: t["label"] for t in packet.get("triggers", [])}
        queued_at = as_utc(handoff.queued_at)
        return HandoffSummary(
            id=handoff.id,
            conversation_id=handoff.conversation_id,
            customer_id=conversation.customer_id,
            channel=conversation.channel,  # type: ignore[arg-type]
            status=handoff.status,  # type: ignore[arg-type]
            reason=handoff.reason,
            reason_label=labels.get(handoff.reason, handoff.reason),
            priority=handoff.priority,
            triggered_at=as_utc(handoff.triggered_at),
            queued_at=queued_at,
            waiting_s=round((utcnow() - queued_at).total_seconds(), 3),
            position=position if handoff.status == QUEUED else None,
            skill=handoff.skill,
            open_to_all=handoff.status == QUEUED and routing.widened(handoff, self.routing),
            assigned_to=holder if handoff.status in OPEN_STATUSES else None,
            summary=str(packet.get("summary", "")),
            message_left=session.get(MessageLeft, handoff.id) is not None,
        )
