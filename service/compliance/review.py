"""Reading transcripts for compliance: search, view, reveal one original, export.

Transcripts are already redacted (the service redacts every message before storing it), so
a reviewer reads placeholders; :meth:`ComplianceReview.reveal` decrypts one original from the
vault, and only with a stated reason. Every search, view, export and reveal is written to the
audit log in the same transaction as the read it records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from privacy.audit import AuditLog
from privacy.errors import RevealError, VaultCorruptedError
from privacy.keys import KeyRing
from privacy.models import AuditEntry, VaultEntry
from privacy.vault import Vault
from service.compliance.audit_writer import AuditedTransactions
from service.compliance.errors import ExportTooLarge, RevealRefused, TrackerStoreMissing, VaultUnreadable
from service.compliance.highlight import entity_spans
from service.compliance.schemas import (
    AuditEntryOut,
    ChainStatus,
    HandoffRecord,
    RevealOut,
    ReviewMessage,
    ReviewTranscript,
    SearchFilters,
    SearchResult,
    TranscriptSummary,
    VaultPlaceholder,
)
from service.compliance.tracker_store import RasaTrackerStore, TrackedUtterance
from service.conversations import bot_text
from service.errors import NotFound
from service.handoff.models import Handoff
from service.models import Conversation, Message
from service.transcripts import as_utc

VIEW_ACTION = "view_transcript"
SEARCH_ACTION = "search_transcripts"
EXPORT_ACTION = "export_transcript"

RedactText = Callable[[str], str]


def as_utc_filter(moment: datetime | None) -> datetime | None:
    """Filter times as UTC (a time without a zone is read as UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class ComplianceReview:
    """Search, view, reveal and export, each audited.

    Args:
        audited: runs audited transactions on the service database.
        keys: the vault's key ring (the one the service redacts with).
        tracker: Rasa's tracker store, for intents (``None``: not configured).
        redact_text: redacts free text a reviewer types (reasons) before it is audited.
    """

    def __init__(
        self,
        audited: AuditedTransactions,
        keys: KeyRing,
        tracker: RasaTrackerStore | None,
        redact_text: RedactText,
    ) -> None:
        self._audited = audited
        self._keys = keys
        self._tracker = tracker
        self._redact_text = redact_text

    # -- search -----------------------------------------------------------------------

    def search(self, filters: SearchFilters, actor: str) -> SearchResult:
        """Transcripts matching every filter, newest first (audited as a search)."""

        def work(session: Session) -> SearchResult:
            conditions = self._conditions(filters)
            total = session.scalar(select(func.count()).select_from(Conversation).where(*conditions)) or 0
            rows = session.scalars(
                select(Conversation)
                .where(*conditions)
                .order_by(Conversation.created_at.desc(), Conversation.id)
                .limit(filters.limit)
                .offset(filters.offset)
            ).all()
            audit = AuditLog(session, self._keys.audit_key)
            audit.record(actor, SEARCH_ACTION, "transcripts", filters.described())
            return SearchResult(total=int(total), results=self._summaries(session, rows))

        return self._audited.run(work)

    def matching_ids(self, filters: SearchFilters, at_most: int) -> list[str]:
        """Ids of every matching transcript, oldest first (``ExportTooLarge`` past ``at_most``)."""
        with self._audited.session() as session:
            ids = list(
                session.scalars(
                    select(Conversation.id)
                    .where(*self._conditions(filters))
                    .order_by(Conversation.created_at, Conversation.id)
                    .limit(at_most + 1)
                )
            )
        if len(ids) > at_most:
            raise ExportTooLarge(f"More than {at_most} transcripts match; narrow the search.", limit=at_most)
        return ids

    def _conditions(self, filters: SearchFilters) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        since, until = as_utc_filter(filters.since), as_utc_filter(filters.until)
        if since is not None:
            conditions.append(Conversation.created_at >= since)
        if until is not None:
            conditions.append(Conversation.created_at < until)
        if filters.customer_id:
            conditions.append(Conversation.customer_id == filters.customer_id)
        if filters.escalated is not None:
            handed_off = exists().where(Handoff.conversation_id == Conversation.id)
            conditions.append(handed_off if filters.escalated else ~handed_off)
        if filters.entity_type:
            conditions.append(
                or_(
                    exists().where(
                        VaultEntry.conversation_id == Conversation.id,
                        VaultEntry.entity_type == filters.entity_type,
                    ),
                    exists().where(
                        Message.conversation_id == Conversation.id,
                        Message.text.contains(f"<{filters.entity_type}_", autoescape=True),
                    ),
                )
            )
        if filters.intent:
            if self._tracker is None:
                raise TrackerStoreMissing(
                    "Intent search reads Rasa's tracker store: set RASA_TRACKER_DB for the service."
                )
            conditions.append(
                Conversation.id.in_(sorted(self._tracker.conversations_with_intent(filters.intent)))
            )
        return conditions

    def _summaries(self, session: Session, rows: Sequence[Conversation]) -> list[TranscriptSummary]:
        ids = [c.id for c in rows]
        if not ids:
            return []
        counts: dict[str, int] = {}
        latest: dict[str, datetime] = {}
        for cid, count, last in session.execute(
            select(Message.conversation_id, func.count(Message.id), func.max(Message.created_at))
            .where(Message.conversation_id.in_(ids))
            .group_by(Message.conversation_id)
        ):
            counts[cid], latest[cid] = int(count), last
        reasons: dict[str, list[str]] = {cid: [] for cid in ids}
        for cid, reason in session.execute(
            select(Handoff.conversation_id, Handoff.reason)
            .where(Handoff.conversation_id.in_(ids))
            .order_by(Handoff.queued_at)
        ):
            reasons[cid].append(reason)
        types: dict[str, set[str]] = {cid: set() for cid in ids}
        for cid, entity_type in session.execute(
            select(VaultEntry.conversation_id, VaultEntry.entity_type)
            .where(VaultEntry.conversation_id.in_(ids))
            .distinct()
        ):
            types[cid].add(entity_type)
        intents = self._tracker.intents_by_conversation(ids) if self._tracker else {}
        return [
            TranscriptSummary(
                id=c.id,
                customer_id=c.customer_id,
                channel=c.channel,
                created_at=as_utc(c.created_at),
                last_activity_at=as_utc(latest.get(c.id) or c.created_at),
                messages=int(counts.get(c.id, 0)),
                escalated=bool(reasons[c.id]),
                handoff_reasons=reasons[c.id],
                entity_types=sorted(types[c.id]),
                intents=intents.get(c.id, []),
            )
            for c in rows
        ]

    # -- one transcript ---------------------------------------------------------------

    def view(self, conversation_id: str, actor: str, action: str = VIEW_ACTION) -> ReviewTranscript:
        """The redacted transcript with its placeholders marked (audited as a view)."""

        def work(session: Session) -> ReviewTranscript:
            transcript = self._transcript(session, conversation_id)
            AuditLog(session, self._keys.audit_key).record(actor, action, conversation_id, "")
            return transcript

        return self._audited.run(work)

    def _transcript(self, session: Session, conversation_id: str) -> ReviewTranscript:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            raise NotFound("No such conversation.", conversation_id=conversation_id)
        vaulted = Vault(session, self._keys).placeholders(conversation_id)
        revealable = {placeholder for placeholder, _ in vaulted}
        handoffs = session.scalars(
            select(Handoff).where(Handoff.conversation_id == conversation_id).order_by(Handoff.queued_at)
        ).all()
        utterances = self._tracker.utterances(conversation_id) if self._tracker else []
        messages = list(conversation.messages)
        intent_of = _intents_of_messages(messages, utterances)
        return ReviewTranscript(
            id=conversation.id,
            customer_id=conversation.customer_id,
            channel=conversation.channel,
            created_at=as_utc(conversation.created_at),
            escalated=bool(handoffs),
            handoffs=[
                HandoffRecord(
                    id=h.id,
                    reason=h.reason,
                    status=h.status,
                    queued_at=as_utc(h.queued_at),
                    ended_at=as_utc(h.ended_at) if h.ended_at else None,
                )
                for h in handoffs
            ],
            intents=list(dict.fromkeys(u.intent for u in utterances if u.intent)),
            entity_types=sorted({entity_type for _, entity_type in vaulted}),
            placeholders=[VaultPlaceholder(placeholder=p, entity_type=t) for p, t in vaulted],
            messages=[
                ReviewMessage(
                    seq=m.seq,
                    sender=m.sender,
                    text=m.text,
                    status=m.status,
                    created_at=as_utc(m.created_at),
                    intent=intent_of.get(m.seq),
                    agent=(m.custom or {}).get("agent") if m.sender == "agent" else None,
                    entities=entity_spans(m.text, revealable),
                )
                for m in messages
            ],
        )

    # -- reveal -----------------------------------------------------------------------

    def reveal(self, conversation_id: str, placeholder: str, actor: str, reason: str) -> RevealOut:
        """Decrypts one original; the reason (itself redacted) goes to the audit log.

        Raises:
            NotFound: no such conversation.
            RevealRefused: no usable reason, or nothing vaulted under ``placeholder``.
            VaultUnreadable: the original does not decrypt with this key.
        """
        audited_reason = self._redact_text(reason.strip())

        def work(session: Session) -> RevealOut:
            if session.get(Conversation, conversation_id) is None:
                raise NotFound("No such conversation.", conversation_id=conversation_id)
            vault = Vault(session, self._keys)
            types = dict(vault.placeholders(conversation_id))
            try:
                value = vault.reveal(conversation_id, placeholder, actor, audited_reason)
            except RevealError as error:
                raise RevealRefused(
                    str(error), conversation_id=conversation_id, placeholder=placeholder
                ) from error
            except VaultCorruptedError as error:
                raise VaultUnreadable(str(error), conversation_id=conversation_id) from error
            sequence = session.scalar(select(func.max(AuditEntry.sequence))) or 0
            return RevealOut(
                conversation_id=conversation_id,
                placeholder=placeholder,
                entity_type=types.get(placeholder, ""),
                value=value,
                audit_sequence=int(sequence),
            )

        return self._audited.run(work)

    # -- export -----------------------------------------------------------------------

    def export(self, conversation_ids: Sequence[str], actor: str) -> list[ReviewTranscript]:
        """The transcripts to export, each audited as an export (one transaction)."""

        def work(session: Session) -> list[ReviewTranscript]:
            documents = [self._transcript(session, cid) for cid in conversation_ids]
            audit = AuditLog(session, self._keys.audit_key)
            for cid in conversation_ids:
                audit.record(actor, EXPORT_ACTION, cid, "")
            return documents

        return self._audited.run(work)

    # -- the audit log ----------------------------------------------------------------

    def audit_entries(self, target_prefix: str | None, limit: int) -> list[AuditEntryOut]:
        """The latest ``limit`` entries (optionally for one target), oldest first."""
        with self._audited.session() as session:
            query = select(AuditEntry).order_by(AuditEntry.sequence.desc()).limit(limit)
            if target_prefix:
                query = query.where(AuditEntry.target.startswith(target_prefix, autoescape=True))
            rows = list(session.scalars(query))
        return [
            AuditEntryOut(
                sequence=e.sequence,
                occurred_at=as_utc(e.occurred_at),
                actor=e.actor,
                action=e.action,
                target=e.target,
                reason=e.reason,
            )
            for e in reversed(rows)
        ]

    def verify_chain(self) -> ChainStatus:
        """Recomputes the audit chain; reports the first broken entry."""
        with self._audited.session() as session:
            report = AuditLog(session, self._keys.audit_key).verify_chain()
        return ChainStatus(
            valid=report.valid,
            entries=report.entries,
            first_broken_sequence=report.first_broken_sequence,
            problem=report.problem,
        )


def _intents_of_messages(
    messages: Sequence[Message], utterances: Sequence[TrackedUtterance]
) -> dict[int, str]:
    """Pairs customer messages with Rasa's user events by the text Rasa got, in order.

    Messages relayed to a colleague never reached Rasa, and Rasa may hold events the
    transcript lacks, so a message takes the next event with its text, if any.
    """
    found: dict[int, str] = {}
    cursor = 0
    for message in messages:
        if message.sender != "user" or message.status == "relayed":
            continue
        expected = message.payload or bot_text(message.text or "")
        for index in range(cursor, len(utterances)):
            if utterances[index].text == expected:
                if utterances[index].intent:
                    found[message.seq] = utterances[index].intent or ""
                cursor = index + 1
                break
    return found
