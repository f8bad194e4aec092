"""The roles a colleague can hold, and which roles may do what."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A colleague's role: contact-centre agent, compliance reviewer or administrator."""

    AGENT = "agent"
    COMPLIANCE = "compliance"
    ADMIN = "admin"


# Who may take and work handed-off conversations, and who may read them.
HANDLES_CONVERSATIONS: tuple[Role, ...] = (Role.AGENT, Role.ADMIN)
READS_HANDOFFS: tuple[Role, ...] = (Role.AGENT, Role.ADMIN, Role.COMPLIANCE)
