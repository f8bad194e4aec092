"""Skill-based routing inside a handoff transaction: the queue a handoff waits in, whether a
colleague may take it, and the customer's place and estimated wait.

A queued handoff is offered to available colleagues below their concurrent-chat limit who
have its skill; once it has waited the policy's ``widen_after_s`` it is offered to every
available colleague below their limit.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from database.base import utcnow
from service.handoff.errors import AtCapacity, ColleagueUnavailable, NotOffered
from service.handoff.models import Handoff, HandoffEvent
from service.handoff.policy import Routing, WaitEstimate
from service.staff.availability import Availability
from service.staff.models import StaffUser
from service.transcripts import as_utc

QUEUED, ASSIGNED = "queued", "assigned"


def skill_queue(session: Session, skill: str) -> list[str]:
    """Ids of the handoffs queued for ``skill``, by priority then waiting time."""
    return list(
        session.scalars(
            select(Handoff.id)
            .where(Handoff.status == QUEUED, Handoff.skill == skill)
            .order_by(Handoff.priority.desc(), Handoff.queued_at, Handoff.id)
        )
    )


def routed_position(session: Session, handoff: Handoff) -> int | None:
    """The handoff's place in its skill's queue (1 is next), ``None`` once it is not queued."""
    if handoff.status != QUEUED:
        return None
    queue = skill_queue(session, handoff.skill)
    return queue.index(handoff.id) + 1 if handoff.id in queue else None


def active_chats(session: Session, staff_id: int) -> int:
    """How many conversations the colleague has now."""
    return session.scalar(
        select(func.count()).select_from(Handoff).where(
            Handoff.status == ASSIGNED, Handoff.assigned_to == staff_id
        )
    ) or 0


def open_to(skill: str, skills: Iterable[str], waited_s: float, routing: Routing) -> bool:
    """Whether a handoff for ``skill`` that has waited ``waited_s`` seconds is offered to a
    colleague with ``skills`` (availability and the chat limit aside)."""
    return skill in skills or waited_s >= routing.widen_after_s


def waited(handoff: Handoff, now: datetime | None = None) -> float:
    """Seconds the handoff has been queued."""
    return ((now or utcnow()) - as_utc(handoff.queued_at)).total_seconds()


def widened(handoff: Handoff, routing: Routing, now: datetime | None = None) -> bool:
    """Whether the handoff has waited long enough to be offered to every colleague."""
    return waited(handoff, now) >= routing.widen_after_s


def check_may_take(
    session: Session, handoff: Handoff, user: StaffUser, routing: Routing, now: datetime | None = None
) -> None:
    """Raise why ``user`` may not take the queued ``handoff`` now; return if they may."""
    if user.availability != Availability.AVAILABLE:
        raise ColleagueUnavailable(
            f"You are {user.availability}: set your status to available to take new conversations.",
            availability=user.availability,
        )
    held = active_chats(session, user.id)
    if held >= user.max_chats:
        raise AtCapacity(
            f"You already have {held} of your {user.max_chats} conversations; resolve or "
            "transfer one first.",
            active_chats=held,
            max_chats=user.max_chats,
        )
    if not open_to(handoff.skill, user.skills or [], waited(handoff, now), routing):
        raise NotOffered(
            f"This conversation waits for a colleague with the skill {handoff.skill}; it opens "
            f"to everyone after {routing.widen_after_s:g} s in the queue.",
            handoff_id=handoff.id,
            skill=handoff.skill,
        )


def offered_to(session: Session, user: StaffUser, routing: Routing) -> list[Handoff]:
    """The queued handoffs ``user`` may take now, by priority then waiting time."""
    if user.availability != Availability.AVAILABLE or active_chats(session, user.id) >= user.max_chats:
        return []
    now = utcnow()
    queued = session.scalars(
        select(Handoff)
        .where(Handoff.status == QUEUED)
        .order_by(Handoff.priority.desc(), Handoff.queued_at, Handoff.id)
    )
    return [h for h in queued if open_to(h.skill, user.skills or [], waited(h, now), routing)]


def recent_waits(session: Session, skill: str, recent: int) -> list[float]:
    """Seconds from queue to claim of the last ``recent`` handoffs claimed in ``skill``."""
    rows = session.execute(
        select(Handoff.queued_at, HandoffEvent.created_at)
        .join(HandoffEvent, HandoffEvent.handoff_id == Handoff.id)
        .where(Handoff.skill == skill, HandoffEvent.kind == "claimed")
        .order_by(HandoffEvent.created_at.desc(), HandoffEvent.id.desc())
        .limit(recent)
    ).all()
    return [max(0.0, (as_utc(claimed) - as_utc(queued)).total_seconds()) for queued, claimed in rows]


def estimate_wait(position: int, waits: list[float], estimate: WaitEstimate) -> int:
    """Seconds the customer at ``position`` may wait (see :class:`WaitEstimate`)."""
    per_place = statistics.median(waits) if len(waits) >= estimate.min_history else estimate.default_s
    return round(per_place * position)
