"""Financial-crime awareness on every customer message, before the bot sees it.

A request for help getting round the bank's checks (reporting thresholds, anti-money-laundering,
identity or sanctions checks, tax reporting; structuring, laundering, hiding money) is refused
here and never reaches the bot, so no wording of it can draw an answer. Such a request and any
sign that the customer is being scammed are flagged in the audit log: the conversation and
message, the kind of signal and the pattern's name; never the customer's words. Scam signs
also reach the escalation triggers, which hand the conversation to a fraud specialist.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from prometheus_client import Counter
from sqlalchemy.orm import Session

from fraud import Signal, evasion_request, is_scam_warning, scam_signals
from privacy.audit import AuditLog
from service.compliance.audit_writer import AuditedTransactions

log = logging.getLogger(__name__)

ACTOR = "assistant"
FLAG_ACTION = "financial_crime_flag"
REFUSAL = (
    "I can't help with getting round the bank's checks or reporting rules, and I've noted this "
    "request. Our checks apply to every customer and every payment. If you have a question about "
    "a payment of your own, or why we've asked about one, I can help with that."
)
REFUSAL_CUSTOM = {"flag": "financial_crime", "refused": True}

FLAGS = Counter(
    "financial_crime_flags_total",
    "Customer messages flagged for financial crime, by kind (evasion_request or a scam signal)",
    ["kind"],
)


@dataclass(frozen=True)
class Screening:
    """What one message showed: its flags, and the refusal to send instead of the bot's answer."""

    flags: tuple[Signal, ...] = ()
    refusal: str | None = None


class FinancialCrimeGuard:
    """Screens customer messages (already redacted) and records every flag in the audit log.

    Args:
        audited: the audit log's serialised writer (shared with compliance review).
        audit_key: the key the audit chain is keyed with.
    """

    def __init__(self, audited: AuditedTransactions, audit_key: bytes) -> None:
        self._audited = audited
        self._key = audit_key

    def screen(self, conversation_id: str, seq: int, text: str) -> Screening:
        """Flag ``text`` (message ``seq`` of ``conversation_id``); refuse it if it asks for evasion."""
        evasion = evasion_request(text)
        scams = scam_signals(text)
        flags = ([evasion] if evasion else []) + (scams if is_scam_warning(scams) else [])
        if not flags:
            return Screening()
        self._record(conversation_id, seq, flags)
        return Screening(tuple(flags), REFUSAL if evasion else None)

    def _record(self, conversation_id: str, seq: int, flags: list[Signal]) -> None:
        def work(session: Session) -> None:
            audit = AuditLog(session, self._key)
            for flag in flags:
                audit.record(ACTOR, FLAG_ACTION, f"{conversation_id}/{seq}", f"{flag.kind}:{flag.pattern}")

        self._audited.run(work)
        for flag in flags:
            FLAGS.labels(flag.kind).inc()
        log.warning(
            "financial crime flag on %s/%d: %s",
            conversation_id, seq, ", ".join(f"{f.kind}:{f.pattern}" for f in flags),
        )
