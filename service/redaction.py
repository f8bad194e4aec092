"""Redaction at the service boundary: personal data is replaced by placeholders before a
message is stored, logged or sent to Rasa; the originals go to the encrypted vault.

Each conversation keeps its placeholder map (keyed hashes only, no raw values) on its
row, so ``<CARD_1>`` means the same card for the whole conversation, across processes.
The unredacted tail of the previous message, used to catch data split over two messages,
stays in this process's memory only. The last message not from the customer (the bot's
question, or an agent's) is the context a short reply is read in.
"""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from privacy import Redaction, RedactionContext
from privacy.keys import KeyRing
from privacy.redactor import Redactor
from privacy.vault import Vault
from service.errors import NotFound
from service.models import Conversation, Message

_TAILS_KEPT = 10_000


class ConversationRedactor:
    """Redacts one conversation's messages and vaults their originals."""

    def __init__(self, redactor: Redactor, keys: KeyRing, sessions: sessionmaker[Session]) -> None:
        self._redactor = redactor
        self._keys = keys
        self._sessions = sessions
        self._tails: OrderedDict[str, str] = OrderedDict()

    def redact(self, conversation_id: str, text: str) -> Redaction:
        """Redact ``text``; store its originals and the updated placeholder map atomically."""
        with self._sessions.begin() as session:
            conversation = session.get(Conversation, conversation_id, with_for_update=True)
            if conversation is None:
                raise NotFound("No such conversation.", conversation_id=conversation_id)
            context = RedactionContext.from_json(conversation.redaction_state)
            context.previous_tail = self._tails.get(conversation_id, "")
            context.prompt = _last_prompt(session, conversation_id)
            redaction = self._redactor.redact(text, context)
            if redaction.originals:
                Vault(session, self._keys).store(
                    conversation_id, redaction.originals, customer_id=conversation.customer_id
                )
            conversation.redaction_state = context.to_json()
        self._remember_tail(conversation_id, context.previous_tail)
        return redaction

    def _remember_tail(self, conversation_id: str, tail: str) -> None:
        self._tails[conversation_id] = tail
        self._tails.move_to_end(conversation_id)
        while len(self._tails) > _TAILS_KEPT:
            self._tails.popitem(last=False)


def _last_prompt(session: Session, conversation_id: str) -> str:
    """The text of the conversation's last message from the bot or an agent ("" if none)."""
    text = session.scalar(
        select(Message.text)
        .where(
            Message.conversation_id == conversation_id,
            Message.sender != "user",
            Message.text.is_not(None),
        )
        .order_by(Message.seq.desc())
        .limit(1)
    )
    return text or ""
