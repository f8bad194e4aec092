"""A nudge: what the assistant says first, why now, what it assumes, and what it offers to do."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class NudgeKind(StrEnum):
    """What set a nudge off."""

    SALARY_ARRIVED = "salary_arrived"
    SHORTFALL_BEFORE_BILL = "shortfall_before_bill"
    IDLE_CASH = "idle_cash"


# Most urgent first: when caps leave room for fewer nudges than were found, these win.
PRIORITY = (NudgeKind.SHORTFALL_BEFORE_BILL, NudgeKind.SALARY_ARRIVED, NudgeKind.IDLE_CASH)


@dataclass(frozen=True)
class Nudge:
    """One nudge, explained.

    Attributes:
        id: Stable for the same customer, kind and subject (``nud_`` and 16 hex digits).
        customer_id: Who it is for.
        kind: What set it off.
        subject: What it is about (a transaction, a bill, an account), for duplicate checks.
        title: A short heading for a notification.
        text: The message: what we noticed, why now, what we suggest.
        assumptions: What the figures assume, each a sentence the customer can read.
        action: What the app or chat does when the customer acts (``type`` and its fields).
        created_at: When it was found (UTC).
        expires_at: After this it is no longer true or useful (UTC).
        product_id: The catalogue product it suggests, if any.
        variant: The wording arm it was written in.
        figures: The figures it quotes, as decimal strings (for cards and screen readers).
    """

    id: str
    customer_id: str
    kind: NudgeKind
    subject: str
    title: str
    text: str
    assumptions: tuple[str, ...]
    action: dict[str, Any]
    created_at: datetime
    expires_at: datetime
    product_id: str | None = None
    variant: str = "plain"
    figures: dict[str, str] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """A JSON-ready dict for the inbox and the chat's custom payload."""
        return {
            "type": "nudge", "nudge_id": self.id, "kind": self.kind.value, "title": self.title,
            "text": self.text, "assumptions": list(self.assumptions), "action": dict(self.action),
            "product_id": self.product_id, "variant": self.variant, "figures": dict(self.figures),
            "created_at": self.created_at.isoformat(), "expires_at": self.expires_at.isoformat(),
        }


def nudge_id(customer_id: str, kind: NudgeKind, subject: str) -> str:
    """The id of the nudge of ``kind`` about ``subject`` for a customer (the same every time)."""
    digest = hashlib.sha256(f"{customer_id}|{kind.value}|{subject}".encode()).hexdigest()
    return f"nud_{digest[:16]}"
