"""Who may do what in compliance review, and how an actor is named in the audit log.

Customers reach only their own consents, through their conversation's bearer token. Agents
reach nothing here: they read handed-off conversations in the agent console.
"""

from __future__ import annotations

from service.staff.roles import Role
from service.staff.schemas import StaffPublic

REVIEWS: tuple[Role, ...] = (Role.COMPLIANCE,)  # search, read, export transcripts
REVEALS: tuple[Role, ...] = (Role.COMPLIANCE,)  # decrypt one original, with a reason
READS_AUDIT: tuple[Role, ...] = (Role.COMPLIANCE, Role.ADMIN)
ERASES_CUSTOMERS: tuple[Role, ...] = (Role.COMPLIANCE, Role.ADMIN)  # the right to be forgotten
APPLIES_RETENTION: tuple[Role, ...] = (Role.ADMIN,)
READS_CONSENT: tuple[Role, ...] = (Role.COMPLIANCE, Role.ADMIN)
RECORDS_CONSENT: tuple[Role, ...] = (Role.ADMIN,)  # answers given in a branch or on the phone


def actor_of(staff: StaffPublic) -> str:
    """The audit log's name for a colleague, e.g. ``compliance:compliance1``."""
    return f"{staff.role.value}:{staff.username}"
