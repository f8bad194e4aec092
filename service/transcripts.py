"""Durable conversation storage: conversations, the customer's messages and the bot's replies.

Synchronous SQLAlchemy; the async layer calls it in a worker thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service.auth import hash_token, new_token, token_matches
from service.customer_identity import CustomerLogin
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

    def create(
        self, channel: str, login: CustomerLogin | None, ttl_s: int
    ) -> tuple[Conversation, str]:
        """Create a conversation, anonymous or for a verified login; return it with its bearer
        token (never stored in clear), valid for ``ttl_s`` seconds."""
        token = new_token()
        now = datetime.now(UTC)
        conversation = Conversation(
            id=f"conv_{uuid.uuid4().hex}",
            channel=channel,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_s),
        )
        if login is not None:
            _apply_login(conversation, login)
        with self._sessions.begin() as session:
            session.add(conversation)
        return conversation, token

    def authorize(self, conversation_id: str, token: str | None) -> Conversation:
        """The conversation, if ``token`` is its bearer token and neither expired nor revoked
        (401 without one or when it ended, 403 if it is another conversation's)."""
        if not token:
            raise Unauthorized("A bearer token is required.")
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("No such conversation.", conversation_id=conversation_id)
            if not token_matches(token, conversation.token_hash):
                raise Forbidden("This token does not belong to this conversation.")
            if conversation.revoked_at is not None:
                raise Unauthorized("This conversation was signed out. Please start a new one.")
            if conversation.expires_at is not None and as_utc(conversation.expires_at) <= datetime.now(UTC):
                raise Unauthorized("This conversation's token has expired. Please start a new one.")
            session.expunge(conversation)
            return conversation

    def attach_login(self, conversation_id: str, login: CustomerLogin) -> Conversation:
        """Record a (new) login on the conversation: an anonymous one becomes the customer's;
        a signed-in one accepts only the same customer (``Forbidden`` otherwise)."""
        with self._sessions.begin() as session:
            conversation = session.get(Conversation, conversation_id, with_for_update=True)
            if conversation is None:
                raise NotFound("No such conversation.", conversation_id=conversation_id)
            if conversation.customer_id not in (None, login.customer_id):
                raise Forbidden("This conversation belongs to someone else. Please start a new one.")
            _apply_login(conversation, login)
            session.flush()
            session.expunge(conversation)
            return conversation

    def revoke(self, conversation_id: str) -> None:
        """End the conversation's token (sign-out): every later call with it gets 401."""
        with self._sessions.begin() as session:
            session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id, Conversation.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )

    def customer_for_token(self, token: str) -> str | None:
        """The signed-in customer whose live conversation this bearer token opens, if any."""
        now = datetime.now(UTC)
        with self._sessions() as session:
            conversation = session.scalar(
                select(Conversation).where(Conversation.token_hash == hash_token(token))
            )
            if conversation is None or conversation.revoked_at is not None:
                return None
            for moment in (conversation.expires_at, conversation.identity_expires_at):
                if moment is None or as_utc(moment) <= now:
                    return None
            return conversation.customer_id

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
            return _detached(session, conversation_id)

    def pending(self, conversation_id: str) -> list[tuple[int, str, str | None]]:
        """The conversation's unanswered customer messages, oldest first: (seq, text, payload)."""
        with self._sessions() as session:
            return _pending_in(session, conversation_id)

    def with_pending(self, conversation_id: str) -> tuple[Conversation, list[tuple[int, str, str | None]]]:
        """The conversation's row and its unanswered customer messages (as :meth:`pending`),
        read together."""
        with self._sessions() as session:
            return _detached(session, conversation_id), _pending_in(session, conversation_id)

    def latest_of_customer(self, customer_id: str) -> str | None:
        """The id of the customer's most recently started conversation, if they have one."""
        with self._sessions() as session:
            return session.scalar(
                select(Conversation.id)
                .where(Conversation.customer_id == customer_id)
                .order_by(Conversation.created_at.desc(), Conversation.id.desc())
                .limit(1)
            )

    def add_system_message(self, conversation_id: str, text: str, custom: dict[str, Any]) -> MessageOut:
        """A bot-styled notice from the bank (``custom`` carries its ``system`` event)."""
        with self._sessions.begin() as session:
            return message_out(self._append(session, conversation_id, sender="bot", text=text,
                                            custom=custom, status=SENT))

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


def _apply_login(conversation: Conversation, login: CustomerLogin) -> None:
    conversation.customer_id = login.customer_id
    conversation.auth_time = login.auth_time
    conversation.acr = login.acr
    conversation.identity_expires_at = login.expires_at


def _pending_in(session: Session, conversation_id: str) -> list[tuple[int, str, str | None]]:
    rows = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.status == PENDING)
        .order_by(Message.seq)
    )
    return [(m.seq, m.text or "", m.payload) for m in rows]


def _detached(session: Session, conversation_id: str) -> Conversation:
    """The conversation's row, readable after the session; ``NotFound`` if there is none."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("No such conversation.", conversation_id=conversation_id)
    session.expunge(conversation)
    return conversation
