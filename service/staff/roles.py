"""The roles a colleague can hold, and which roles may do what."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A colleague's role: contact-centre agent, supervisor, compliance reviewer, analyst or
    administrator."""

    AGENT = "agent"
    COMPLIANCE = "compliance"
    ADMIN = "admin"
    ANALYST = "analyst"  # journey analytics, aggregates only
    SUPERVISOR = "supervisor"  # watches the queue and the colleagues' load


# Who may take and work handed-off conversations, and who may read them.
HANDLES_CONVERSATIONS: tuple[Role, ...] = (Role.AGENT, Role.ADMIN)
READS_HANDOFFS: tuple[Role, ...] = (Role.AGENT, Role.ADMIN, Role.COMPLIANCE, Role.SUPERVISOR)
# Who may read the supervisor overview: the queue by skill, the colleagues' load, breached waits.
SUPERVISES: tuple[Role, ...] = (Role.SUPERVISOR, Role.ADMIN)
# Who may read journey analytics (aggregates only) and run experiments.
READS_ANALYTICS: tuple[Role, ...] = (Role.ANALYST, Role.ADMIN)
