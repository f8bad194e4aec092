"""Durable conversation storage: conversations, the customer's messages and the bot's replies.

Synchronous SQLAlchemy; the async layer calls it in a worker thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service.auth import hash_token, new_token, token_matches
from service.errors import Forbidden, NotFound, Unauthorized
from service.idempotency import conflict, same_body
from service.models import Conversation, Message
from service.schemas import MessageOut, Transcript

PENDING = "pending"
ANSWERED = "answered"
SENT = "sent"


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def message_out(message: Message) -> MessageOut:
    return MessageOut(
        seq=message.seq,
        sender=message.sender,  # type: ignore[arg-type]
        text=message.text,
        buttons=message.buttons or [],  # type: ignore[arg-type]
        custom=message.custom,
        status=message.status,
        created_at=as_utc(message.created_at),
    )


class TranscriptStore:
    """Reads and writes conversations and their messages."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(self, customer_id: str, channel: str) -> tuple[Conversation, str]:
        """Create a conversation; return it with its bearer token (never stored in clear)."""
        token = new_token()
        conversation = Conversation(
            id=f"conv_{uuid.uuid4().hex}",
            customer_id=customer_id,
            channel=channel,
            token_hash=hash_token(token),
        )
        with self._sessions.begin() as session:
            session.add(conversation)
        return conversation, token

    def authorize(self, conversation_id: str, token: str | None) -> Conversation:
        """The conversation, if ``token`` is its bearer token (401 without one, 403 if wrong)."""
        if not token:
            raise Unauthorized("A bearer token is required.")
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("No such conversation.", conversation_id=conversation_id)
            if not token_matches(token, conversation.token_hash):
                raise Forbidden("This token does not belong to this conversation.")
            session.expunge(conversation)
            return conversation

    def customer_for_token(self, token: str) -> str | None:
        """The customer whose conversation this bearer token opens, if any."""
        with self._sessions() as session:
            return session.scalar(
                select(Conversation.customer_id).where(Conversation.token_hash == hash_token(token))
            )

    def add_user_message(
        self, conversation_id: str, text: str, payload: str | None, client_message_id: str | None,
        fingerprint: str | None = None,
    ) -> tuple[MessageOut, bool]:
        """Store a customer message as pending; with a known client id, return the first one
        (``IdempotencyConflict`` if its ``fingerprint`` differs).

        Returns the message and whether it was newly created.
        """
        with self._sessions.begin() as session:
            if client_message_id:
                existing = self._by_client_id(session, conversation_id, client_message_id, fingerprint)
                if existing is not None:
                    return message_out(existing), False
            message = self._append(
                session, conversation_id, sender="user", text=text, payload=payload,
                status=PENDING, client_message_id=client_message_id,
                idempotency_fingerprint=fingerprint if client_message_id else None,
            )
            return message_out(message), True

    def check_retry(self, conversation_id: str, client_message_id: str, fingerprint: str | None) -> None:
        """``IdempotencyConflict`` if ``client_message_id`` was first used for another message."""
        with self._sessions() as session:
            self._by_client_id(session, conversation_id, client_message_id, fingerprint)

    @staticmethod
    def _by_client_id(
        session: Session, conversation_id: str, client_message_id: str, fingerprint: str | None
    ) -> Message | None:
        existing = session.scalar(
            select(Message).where(
                Message.conversation_id == conversation_id,
                Message.client_message_id == client_message_id,
            )
        )
        if existing is not None and not same_body(existing.idempotency_fingerprint, fingerprint):
            raise conflict(client_message_id)
        return existing

    def add_bot_replies(
        self, conversation_id: str, user_seq: int, replies: Sequence[dict[str, Any]]
    ) -> list[MessageOut]:
        """Store the bot's replies to a customer message and mark that message answered."""
        with self._sessions.begin() as session:
            user_message = self._by_seq(session, conversation_id, user_seq)
            if user_message.status == ANSWERED:
                return self._replies_in(session, user_message)
            stored = [
                self._append(session, conversation_id, sender="bot", text=reply.get("text"),
                             buttons=reply.get("buttons") or None, custom=reply.get("custom"),
                             status=SENT, reply_to=user_message.id)
                for reply in replies
            ]
            user_message.status = ANSWERED
            return [message_out(m) for m in stored]

    def replies_to(self, conversation_id: str, user_seq: int) -> list[MessageOut]:
        with self._sessions() as session:
            return self._replies_in(session, self._by_seq(session, conversation_id, user_seq))

    def get(self, conversation_id: str) -> Conversation:
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("No such conversation.", conversation_id=conversation_id)
            session.expunge(conversation)
            return conversation

    def pending(self, conversation_id: str) -> list[tuple[int, str, str | None]]:
        """The conversation's unanswered customer messages, oldest first: (seq, text, payload)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.status == PENDING)
                .order_by(Message.seq)
            )
            return [(m.seq, m.text or "", m.payload) for m in rows]

    def conversations_with_pending(self) -> list[str]:
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(Message.conversation_id).where(Message.status == PENDING).distinct()
                )
            )

    def latest_buttons(self, conversation_id: str) -> list[dict[str, str]]:
        """Buttons of the bot's latest replies: the only payloads a customer may send."""
        with self._sessions() as session:
            last_user = session.scalar(
                select(Message.seq)
                .where(Message.conversation_id == conversation_id, Message.sender == "user")
                .order_by(Message.seq.desc())
                .limit(1)
            )
            rows = session.scalars(
                select(Message).where(
                    Message.conversation_id == conversation_id,
                    Message.sender == "bot",
                    Message.seq > (last_user or 0),
                )
            )
            return [button for m in rows for button in (m.buttons or [])]

    def messages_after(self, conversation_id: str, after_seq: int) -> list[MessageOut]:
        with self._sessions() as session:
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.seq > after_seq)
                .order_by(Message.seq)
            )
            return [message_out(m) for m in rows]

    def transcript(self, conversation_id: str) -> Transcript:
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("No such conversation.", conversation_id=conversation_id)
            return Transcript(
                id=conversation.id,
                customer_id=conversation.customer_id,
                channel=conversation.channel,  # type: ignore[arg-type]
                created_at=as_utc(conversation.created_at),
                messages=[message_out(m) for m in conversation.messages],
            )

    @staticmethod
    def _append(session: Session, conversation_id: str, **fields: Any) -> Message:
        # One atomic increment: reading last_seq and then writing it would lose updates on
        # SQLite when the customer and an agent write at once (a duplicate seq).
        seq = session.execute(
            update(Conversation).where(Conversation.id == conversation_id)
            .values(last_seq=Conversation.last_seq + 1).returning(Conversation.last_seq)
        ).scalar()
        if seq is None:
            raise NotFound("No such conversation.", conversation_id=conversation_id)
        message = Message(conversation_id=conversation_id, seq=seq, **fields)
        session.add(message)
        session.flush()
        return message

    @staticmethod
    def _by_seq(session: Session, conversation_id: str, seq: int) -> Message:
        message = session.scalar(
            select(Message).where(Message.conversation_id == conversation_id, Message.seq == seq)
        )
        if message is None:
            raise NotFound("No such message.", seq=seq)
        return message

    @staticmethod
    def _replies_in(session: Session, user_message: Message) -> list[MessageOut]:
        rows = session.scalars(
            select(Message).where(Message.reply_to == user_message.id).order_by(Message.seq)
        )
        return [message_out(m) for m in rows]
