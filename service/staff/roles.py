"""The roles a colleague can hold, and which roles may do what."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A colleague's role: contact-centre agent, compliance reviewer, analyst or administrator."""

    AGENT = "agent"
    COMPLIANCE = "compliance"
    ADMIN = "admin"
    ANALYST = "analyst"  # journey analytics, aggregates only


# Who may take and work handed-off conversations, and who may read them.
HANDLES_CONVERSATIONS: tuple[Role, ...] = (Role.AGENT, Role.ADMIN)
READS_HANDOFFS: tuple[Role, ...] = (Role.AGENT, Role.ADMIN, Role.COMPLIANCE)
# Who may read journey analytics (aggregates only) and run experiments.
READS_ANALYTICS: tuple[Role, ...] = (Role.ANALYST, Role.ADMIN)
