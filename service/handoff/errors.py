"""Handoff errors; each is a :class:`service.errors.ServiceError`, so the API renders it."""

from __future__ import annotations

from service.errors import ServiceError


class HandoffError(ServiceError):
    """Base of every handoff error."""


class AlreadyClaimed(HandoffError):
    """Another colleague has this conversation."""

    status_code = 409
    code = "already_claimed"


class HandoffEnded(HandoffError):
    """The handoff was already resolved or closed."""

    status_code = 409
    code = "handoff_ended"


class NotClaimed(HandoffError):
    """The handoff is still in the queue: claim it first."""

    status_code = 409
    code = "not_claimed"


class NotAssignee(HandoffError):
    """Only the colleague who has the conversation (or an admin) may do this."""

    status_code = 403
    code = "not_assignee"


class UnknownColleague(HandoffError):
    """A transfer to a colleague who does not exist or cannot take conversations."""

    status_code = 422
    code = "unknown_colleague"


class AtCapacity(HandoffError):
    """The colleague already has as many conversations as they may hold at once."""

    status_code = 409
    code = "at_capacity"


class NotOffered(HandoffError):
    """The handoff still waits for a colleague with its skill."""

    status_code = 409
    code = "not_offered"


class ColleagueUnavailable(HandoffError):
    """A colleague who is busy or away takes no new conversations."""

    status_code = 409
    code = "colleague_unavailable"


class NotWaiting(HandoffError):
    """The customer's handoff is not waiting in the queue any more (a colleague has joined)."""

    status_code = 409
    code = "handoff_not_waiting"


class SatisfactionNotAsked(HandoffError):
    """No satisfaction question is open in this conversation."""

    status_code = 409
    code = "satisfaction_not_asked"


class SatisfactionAnswered(HandoffError):
    """The satisfaction question was already answered."""

    status_code = 409
    code = "satisfaction_answered"
