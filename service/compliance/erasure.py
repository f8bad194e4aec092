"""Retention and the right to be forgotten, across every store that holds chat data.

A conversation lives in: the transcript (``conversations``, ``messages``), the handoff
records (``handoffs``, ``escalation_triggers``, ``handoff_notes``, ``handoff_events``), the
vault (``privacy_vault``) and Rasa's tracker store (``events``, another database). Erasing a
customer also removes what was derived from their chats and profile for recommendations
(``recommendation_events``, ``customer_features``, ``customer_segments``, ``goals``,
``equality_monitoring``, ``segment_changes``, experiment assignments and outcomes) and their
``consents`` (with none on record, nothing is profiled). The journeys built from a
conversation (``journeys``, ``journey_steps``, ``journey_intents``,
``journey_recommendations``, and their share of the ``journey_*rollups``) go with it, on
erasure and on retention.

Kept on purpose: core banking records (``customers``, ``customer_logins``, ``accounts``,
``cards``, ``transactions``, ``transfers``, ``holdings``), which the bank must keep by law, and the audit
log, which names ids, never personal data.

Rasa's store is pruned first: if that fails nothing else has changed and the request can be
repeated; the database part is then one transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bank.models import Goal
from journeys.models import ExperimentAssignment, ExperimentOutcome, JourneyStep, SegmentChange
from journeys.rollups import PER_JOURNEY_TABLES, forget
from privacy.audit import AuditLog
from privacy.keys import KeyRing
from privacy.models import VaultEntry
from privacy.vault import Vault
from recommender.models import (
    Consent,
    CustomerFeatures,
    CustomerSegment,
    EqualityMonitoring,
    RecommendationEvent,
)
from service.compliance.audit_writer import AuditedTransactions
from service.compliance.schemas import ErasureReport, RetentionReport
from service.compliance.tracker_store import RasaTrackerStore
from service.handoff.models import EscalationTrigger, Handoff, HandoffEvent, HandoffNote
from service.models import Conversation, Message

RETENTION_ACTION = "retention"
TRACKER_EVENTS = "rasa_tracker_events"
KEPT_ON_ERASURE = [
    "customers, customer_logins, accounts, cards, transactions, transfers, holdings: core "
    "banking records the bank must keep by law (they are not chat data)",
    "privacy_audit_log: append-only, names ids and actions, never personal data",
    "log files: hold no personal data (checked by the canary test)",
]
_PROFILE_TABLES: tuple[Any, ...] = (
    RecommendationEvent,
    CustomerFeatures,
    CustomerSegment,
    Goal,
    EqualityMonitoring,
    Consent,
    SegmentChange,
    ExperimentAssignment,
    ExperimentOutcome,
)
_JOURNEY_TABLES: tuple[Any, ...] = (JourneyStep, *PER_JOURNEY_TABLES)
_CHUNK = 500


def _chunks(ids: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _deleted(session: Session, statement: Any) -> int:
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def delete_conversations(session: Session, conversation_ids: Collection[str]) -> dict[str, int]:
    """Deletes the conversations with their messages, handoff records and journeys (not the vault)."""
    counts = {
        name: 0
        for name in (
            "handoff_events",
            "handoff_notes",
            "escalation_triggers",
            "handoffs",
            "messages",
            "conversations",
            *(model.__tablename__ for model in _JOURNEY_TABLES),
        )
    }
    for chunk in _chunks(conversation_ids):
        # The journeys derived from these conversations, out of the rollups too.
        for table, deleted in forget(session.connection(), chunk).items():
            counts[table] += deleted
        counts[JourneyStep.__tablename__] += _deleted(
            session, delete(JourneyStep).where(JourneyStep.conversation_id.in_(chunk))
        )
        handoff_ids = select(Handoff.id).where(Handoff.conversation_id.in_(chunk))
        counts["handoff_events"] += _deleted(
            session, delete(HandoffEvent).where(HandoffEvent.handoff_id.in_(handoff_ids))
        )
        counts["handoff_notes"] += _deleted(
            session, delete(HandoffNote).where(HandoffNote.handoff_id.in_(handoff_ids))
        )
        counts["escalation_triggers"] += _deleted(
            session, delete(EscalationTrigger).where(EscalationTrigger.conversation_id.in_(chunk))
        )
        counts["handoffs"] += _deleted(session, delete(Handoff).where(Handoff.conversation_id.in_(chunk)))
        counts["messages"] += _deleted(session, delete(Message).where(Message.conversation_id.in_(chunk)))
        counts["conversations"] += _deleted(session, delete(Conversation).where(Conversation.id.in_(chunk)))
    return counts


class DataEraser:
    """Applies the retention period and erases customers.

    Args:
        audited: runs audited transactions on the service database.
        keys: the vault's key ring.
        tracker: Rasa's tracker store (``None``: not configured; reports say it was not reached).
    """

    def __init__(self, audited: AuditedTransactions, keys: KeyRing, tracker: RasaTrackerStore | None) -> None:
        self._audited = audited
        self._keys = keys
        self._tracker = tracker

    def erase_customer(self, customer_id: str, actor: str, reason: str) -> ErasureReport:
        """Deletes every conversation of the customer from every store, and their profiling data."""
        with self._audited.session() as session:
            conversation_ids = set(
                session.scalars(select(Conversation.id).where(Conversation.customer_id == customer_id))
            )
            conversation_ids |= set(
                session.scalars(
                    select(VaultEntry.conversation_id).where(VaultEntry.customer_id == customer_id)
                )
            )
        tracker_events = self._tracker.erase(conversation_ids) if self._tracker else 0

        def work(session: Session) -> dict[str, int]:
            counts = delete_conversations(session, conversation_ids)
            vault = Vault(session, self._keys)
            counts["privacy_vault"] = vault.erase_customer(customer_id, actor, reason)
            for chunk in _chunks(conversation_ids):
                counts["privacy_vault"] += _deleted(
                    session, delete(VaultEntry).where(VaultEntry.conversation_id.in_(chunk))
                )
            for model in _PROFILE_TABLES:
                counts[model.__tablename__] = _deleted(
                    session, delete(model).where(model.customer_id == customer_id)
                )
            return counts

        counts = self._audited.run(work)
        counts[TRACKER_EVENTS] = tracker_events
        return ErasureReport(
            customer_id=customer_id,
            conversations=len(conversation_ids),
            deleted=counts,
            kept=KEPT_ON_ERASURE,
            tracker_store_reached=self._tracker is not None,
        )

    def apply_retention(
        self, days: int, actor: str, dry_run: bool = False, now: datetime | None = None
    ) -> RetentionReport:
        """Deletes conversations idle for more than ``days`` from every store.

        A conversation's age is its last message (or its start, if it has none), so an
        ongoing conversation is never cut in the middle. Rasa's trackers idle for as long
        whose conversation is unknown here are pruned too, and so are vault entries as old
        whose conversation is gone.
        """
        cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
        with self._audited.session() as session:
            last_activity = (
                select(
                    Conversation.id,
                    func.coalesce(func.max(Message.created_at), Conversation.created_at).label("at"),
                )
                .outerjoin(Message, Message.conversation_id == Conversation.id)
                .group_by(Conversation.id, Conversation.created_at)
                .subquery()
            )
            expired = set(session.scalars(select(last_activity.c.id).where(last_activity.c.at < cutoff)))
            known = set(session.scalars(select(Conversation.id)))
        stray_trackers = (self._tracker.idle_since(cutoff.timestamp()) - known) if self._tracker else set()
        if dry_run:
            with self._audited.session() as session:
                vault_rows = sum(
                    int(
                        session.scalar(
                            select(func.count(VaultEntry.id)).where(VaultEntry.conversation_id.in_(chunk))
                        )
                        or 0
                    )
                    for chunk in _chunks(expired)
                )
            tracker_rows = self._tracker.count(expired | stray_trackers) if self._tracker else 0
            return RetentionReport(
                cutoff=cutoff,
                dry_run=True,
                conversations=len(expired),
                deleted={"privacy_vault": vault_rows, TRACKER_EVENTS: tracker_rows},
            )
        tracker_events = self._tracker.erase(expired | stray_trackers) if self._tracker else 0

        def work(session: Session) -> dict[str, int]:
            # Stray trackers' conversations have no transcript, but may have journeys.
            counts = delete_conversations(session, expired | stray_trackers)
            vault = Vault(session, self._keys)
            counts["privacy_vault"] = sum(
                vault.erase_conversation(cid, actor, RETENTION_ACTION) for cid in sorted(expired)
            )
            counts["privacy_vault"] += _deleted(
                session,
                delete(VaultEntry).where(
                    VaultEntry.created_at < cutoff,
                    VaultEntry.conversation_id.not_in(select(Conversation.id)),
                ),
            )
            AuditLog(session, self._keys.audit_key).record(
                actor, RETENTION_ACTION, f"older_than:{days}d", f"{len(expired)} conversations deleted"
            )
            return counts

        counts = self._audited.run(work)
        counts[TRACKER_EVENTS] = tracker_events
        return RetentionReport(cutoff=cutoff, dry_run=False, conversations=len(expired), deleted=counts)
