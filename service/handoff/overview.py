"""The supervisor's overview: the queue by skill, each colleague's status and load, and the
waits past the policy's ``breach_after_s`` for their priority."""

from __future__ import annotations

import statistics
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from database.base import utcnow
from service.handoff.models import Handoff
from service.handoff.policy import Routing
from service.staff.availability import Availability
from service.staff.models import StaffUser
from service.staff.roles import HANDLES_CONVERSATIONS
from service.staff.schemas import StaffPublic
from service.staff.store import staff_public
from service.transcripts import as_utc

QUEUED, ASSIGNED = "queued", "assigned"


class SkillQueueOut(BaseModel):
    """The handoffs waiting for one skill."""

    skill: str
    queued: int
    oldest_wait_s: float
    p50_wait_s: float
    breached: int


class ColleagueLoadOut(BaseModel):
    """A colleague who takes conversations: status, skills and how full they are."""

    staff: StaffPublic
    availability: Availability
    skills: list[str]
    active_chats: int
    max_chats: int
    load: float  # active_chats / max_chats (1.0 when they take none)


class BreachedWaitOut(BaseModel):
    """A queued handoff that has waited longer than its priority allows."""

    handoff_id: str
    skill: str
    reason: str
    priority: int
    waited_s: float
    breach_after_s: float


class SupervisorOverview(BaseModel):
    """The queue by skill, the colleagues, their counts by status and the breached waits."""

    at: datetime
    skills: list[SkillQueueOut]
    colleagues: list[ColleagueLoadOut]
    status_counts: dict[Availability, int]
    breached: list[BreachedWaitOut]


def _load(active: int, max_chats: int) -> float:
    return round(active / max_chats, 3) if max_chats > 0 else 1.0


def colleague_loads(session: Session) -> list[ColleagueLoadOut]:
    """Active colleagues who take conversations, by display name."""
    rows = session.execute(
        select(Handoff.assigned_to, func.count())
        .where(Handoff.status == ASSIGNED)
        .group_by(Handoff.assigned_to)
    ).all()
    held: dict[int | None, int] = {staff_id: count for staff_id, count in rows}
    people = session.scalars(
        select(StaffUser)
        .where(StaffUser.active.is_(True), StaffUser.role.in_([r.value for r in HANDLES_CONVERSATIONS]))
        .order_by(StaffUser.display_name, StaffUser.id)
    )
    return [
        ColleagueLoadOut(
            staff=staff_public(user),
            availability=Availability(user.availability),
            skills=list(user.skills or []),
            active_chats=held.get(user.id, 0),
            max_chats=user.max_chats,
            load=_load(held.get(user.id, 0), user.max_chats),
        )
        for user in people
    ]


def supervisor_overview(
    session: Session, routing: Routing, now: datetime | None = None
) -> SupervisorOverview:
    """The overview at ``now``: every skill of the policy (and any other one queued)."""
    now = now or utcnow()
    queued = session.scalars(
        select(Handoff)
        .where(Handoff.status == QUEUED)
        .order_by(Handoff.priority.desc(), Handoff.queued_at, Handoff.id)
    ).all()
    waits: dict[str, list[float]] = {skill: [] for skill in routing.skills}
    breached: list[BreachedWaitOut] = []
    for handoff in queued:
        waited = max(0.0, (now - as_utc(handoff.queued_at)).total_seconds())
        waits.setdefault(handoff.skill, []).append(waited)
        limit = routing.breach_after_s.for_priority(handoff.priority)
        if waited > limit:
            breached.append(BreachedWaitOut(
                handoff_id=handoff.id, skill=handoff.skill, reason=handoff.reason,
                priority=handoff.priority, waited_s=round(waited, 1), breach_after_s=limit,
            ))
    skills = [
        SkillQueueOut(
            skill=skill,
            queued=len(seconds),
            oldest_wait_s=round(max(seconds, default=0.0), 1),
            p50_wait_s=round(statistics.median(seconds), 1) if seconds else 0.0,
            breached=sum(1 for b in breached if b.skill == skill),
        )
        for skill, seconds in waits.items()
    ]
    colleagues = colleague_loads(session)
    counts = {status: sum(1 for c in colleagues if c.availability == status) for status in Availability}
    breached.sort(key=lambda b: b.waited_s - b.breach_after_s, reverse=True)
    return SupervisorOverview(
        at=now, skills=skills, colleagues=colleagues, status_counts=counts, breached=breached
    )
