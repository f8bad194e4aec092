"""The conversation flow: store the customer's message, get the bot's answer, fan it out.

A customer message is durable (stored as pending) before it goes to Rasa. If the bot cannot
answer, the caller gets ``BotUnavailable`` (HTTP 503) and the redelivery loop answers the
message once the bot is back; the replies then appear in the transcript and on the WebSocket.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from identity.assertion import METADATA_KEY
from service import idempotency, metrics, turn_stages
from service.crime_guard import REFUSAL_CUSTOM, FinancialCrimeGuard
from service.customer_identity import CustomerIdentity, CustomerLogin
from service.errors import BotUnavailable, InvalidMessage, MessageTooLarge
from service.hub import MessageHub
from service.locks import ConversationLocks, LocalLocks
from service.models import Conversation
from service.rasa_client import RasaClient
from service.redaction import ConversationRedactor
from service.schemas import MessageIn, MessageOut, TurnOut
from service.transcripts import TranscriptStore
from service.turn_stages import timed

if TYPE_CHECKING:
    from service.handoff.hooks import TurnHooks

log = logging.getLogger(__name__)

SIGNED_IN_PAYLOAD = "/signed_in"  # tells the bot a (fresh) login arrived: a pending action resumes
SIGNED_IN_TEXT = "Signed in"
# Characters that may hide a leading "/" from a plain check once normalised or rendered.
_SLASHES = frozenset("/\u2044\u2215\u29f8\uff0f")


def bot_text(typed: str) -> str:
    """What Rasa gets for typed text: a leading "/" would make Rasa read it as an intent
    payload (only the bot's own buttons and the service may send those), so it is dropped,
    after NFKC normalisation and with any leading spaces, invisible format characters and
    slash look-alikes."""
    text = unicodedata.normalize("NFKC", typed)
    start = 0
    while start < len(text) and (
        text[start].isspace() or text[start] in _SLASHES or unicodedata.category(text[start]) == "Cf"
    ):
        start += 1
    return text[start:].strip() or "empty message"


class ConversationService:
    """Starts conversations and carries customer messages to the bot and back."""

    def __init__(
        self,
        transcripts: TranscriptStore,
        rasa: RasaClient,
        hub: MessageHub,
        identity: CustomerIdentity,
        max_message_chars: int,
        redactor: ConversationRedactor | None = None,
        locks: ConversationLocks | None = None,
        fingerprint_key: bytes | None = None,
    ) -> None:
        self._transcripts = transcripts
        self._rasa = rasa
        self.hub = hub
        self.identity = identity
        self._max_chars = max_message_chars
        self._redactor = redactor
        self._fingerprint_key = fingerprint_key or idempotency.fingerprint_key()
        self._locks: ConversationLocks = locks or LocalLocks()
        # Human handoff: set by service.handoff.wiring; None runs the bot alone.
        self.handoff: TurnHooks | None = None
        # Financial-crime screening of typed messages: set by the app; None screens nothing.
        self.guard: FinancialCrimeGuard | None = None

    async def start(self, access_token: str | None, channel: str) -> tuple[Conversation, str]:
        """A new conversation: the customer's when ``access_token`` proves a login, else
        anonymous (general questions only until the customer signs in)."""
        login = await self._login(access_token) if access_token is not None else None
        return await run_in_threadpool(
            self._transcripts.create, channel, login, self.identity.settings.conversation_ttl_s
        )

    async def sign_in(self, conversation: Conversation, access_token: str) -> TurnOut:
        """Attach a (fresh) login to the conversation, then let the bot resume what waited
        for it; returns that turn."""
        login = await self._login(access_token)
        await run_in_threadpool(self._transcripts.attach_login, conversation.id, login)
        stored, _ = await run_in_threadpool(
            self._transcripts.add_user_message, conversation.id, SIGNED_IN_TEXT,
            SIGNED_IN_PAYLOAD, None,
        )
        self.hub.publish(conversation.id, stored.model_dump(mode="json"))
        return await self._answered(conversation, stored, time.perf_counter())

    async def _login(self, access_token: str) -> CustomerLogin:
        return await run_in_threadpool(self.identity.login, access_token)

    async def post(self, conversation: Conversation, message: MessageIn) -> TurnOut:
        """Store and answer one customer message (idempotent per ``client_message_id``)."""
        accepted = time.perf_counter()
        text = self._checked_text(message.text)
        # A retry's id with another body is refused before anything is stored.
        fingerprint = idempotency.fingerprint(self._fingerprint_key, text, message.payload)
        if message.client_message_id:
            with timed("transcript"):
                await run_in_threadpool(self._transcripts.check_retry, conversation.id,
                                        message.client_message_id, fingerprint)
        button = await self._offered_button(conversation.id, message.payload)
        payload = button["payload"] if button else None
        # A button's own title is our text, not the customer's: only typed text is redacted.
        if button is None or text != button["title"]:
            with timed("redaction"):
                text = await self.redact(conversation.id, text)
        with timed("transcript"):
            stored, created = await run_in_threadpool(
                self._transcripts.add_user_message,
                conversation.id, text, payload, message.client_message_id, fingerprint,
            )
        if created:
            with timed("fanout"):
                self.hub.publish(conversation.id, stored.model_dump(mode="json"))
        return await self._answered(conversation, stored, accepted)

    async def _answered(self, conversation: Conversation, stored: MessageOut, accepted: float) -> TurnOut:
        """Answer a stored customer message if still pending; it and the bot's replies."""
        if stored.status == "pending":
            try:
                await self.answer_pending(conversation)
            except BotUnavailable as exc:
                exc.details["message_seq"] = stored.seq
                raise
            metrics.observe_turn(time.perf_counter() - accepted)
        with timed("transcript"):
            replies = await run_in_threadpool(self._transcripts.replies_to, conversation.id, stored.seq)
        answered = stored.model_copy(update={"status": "answered"})
        if stored.status == "pending":
            turn_stages.observe("total", time.perf_counter() - accepted)
        return TurnOut(message=answered, replies=replies)

    async def redact(self, conversation_id: str, text: str) -> str:
        """The text with personal data replaced by placeholders (originals to the vault).

        Every message, the customer's and an agent's, passes here before it is stored,
        logged or sent to Rasa.
        """
        if self._redactor is None:
            return text
        return (await run_in_threadpool(self._redactor.redact, conversation_id, text)).text

    async def answer_pending(self, conversation: Conversation) -> int:
        """Send the conversation's pending messages to the bot in order; return how many."""
        waiting = time.perf_counter()
        async with self._locks.hold(conversation.id):
            turn_stages.observe("lock_wait", time.perf_counter() - waiting)
            with timed("transcript"):
                # The stored row: a sign-in or sign-out since the caller read it counts.
                conversation, pending = await run_in_threadpool(
                    self._transcripts.with_pending, conversation.id
                )
            for seq, text, payload in pending:
                # While a colleague has the conversation, the message goes to them.
                if self.handoff is not None:
                    with timed("handoff_relay"):
                        typed = text if payload is None else None
                        relayed = await self.handoff.relay_if_handed_off(conversation, seq, typed)
                    if relayed:
                        continue
                if await self._refused(conversation.id, seq, text, payload):
                    continue
                with timed("rasa"):
                    turn = await self._rasa.send(
                        conversation.id, payload or bot_text(text), self._metadata(conversation)
                    )
                turn_stages.observe_rasa(turn.stages)
                with timed("transcript"):
                    stored = await run_in_threadpool(
                        self._transcripts.add_bot_replies,
                        conversation.id, seq, [self._reply_fields(r) for r in turn.replies],
                    )
                with timed("fanout"):
                    for reply in stored:
                        self.hub.publish(conversation.id, reply.model_dump(mode="json"))
                # Check the escalation triggers after each bot turn.
                if self.handoff is not None:
                    with timed("handoff_trigger"):
                        await self.handoff.after_bot_turn(conversation, seq, turn.tracker)
            return len(pending)

    async def _refused(self, conversation_id: str, seq: int, text: str, payload: str | None) -> bool:
        """Screen a typed message; if it asks for help evading the bank's checks, answer with
        the refusal (the bot never sees it) and say so."""
        if self.guard is None or payload is not None:
            return False
        with timed("crime_guard"):
            screening = await run_in_threadpool(self.guard.screen, conversation_id, seq, text)
        if screening.refusal is None:
            return False
        refusal = {"text": screening.refusal, "buttons": None, "custom": dict(REFUSAL_CUSTOM)}
        with timed("transcript"):
            stored = await run_in_threadpool(
                self._transcripts.add_bot_replies, conversation_id, seq, [refusal]
            )
        with timed("fanout"):
            for reply in stored:
                self.hub.publish(conversation_id, reply.model_dump(mode="json"))
        return True

    async def redeliver(self) -> int:
        """Answer every conversation's pending messages (the background loop calls this)."""
        answered = 0
        for conversation_id in await run_in_threadpool(self._transcripts.conversations_with_pending):
            if await self._locks.is_held(conversation_id):
                continue
            conversation = await run_in_threadpool(self._transcripts.get, conversation_id)
            try:
                answered += await self.answer_pending(conversation)
            except BotUnavailable:
                break
        return answered

    def _metadata(self, conversation: Conversation) -> dict[str, Any]:
        """What the bot learns of the sender: the channel and, while a customer is signed in,
        a signed assertion of who they are. The action server trusts nothing else; the plain
        ``customer_id`` beside it only labels the journey for analytics."""
        metadata: dict[str, Any] = {"channel": conversation.channel}
        assertion = self.identity.assertion(conversation)
        if assertion is not None:
            metadata |= {METADATA_KEY: assertion, "customer_id": conversation.customer_id}
        return metadata

    def _checked_text(self, text: str) -> str:
        stripped = text.strip()
        if not stripped:
            raise InvalidMessage("The message is empty.")
        if len(stripped) > self._max_chars:
            raise MessageTooLarge(
                f"The message is longer than {self._max_chars} characters.",
                max_chars=self._max_chars, length=len(stripped),
            )
        return stripped

    async def _offered_button(
        self, conversation_id: str, payload: str | None
    ) -> dict[str, str] | None:
        """The bot's latest button with this payload; ``InvalidMessage`` if none offers it."""
        if payload is None:
            return None
        with timed("transcript"):
            offered = await run_in_threadpool(self._transcripts.latest_buttons, conversation_id)
        for button in offered:
            if button["payload"] == payload:
                return button
        raise InvalidMessage("That button is not on offer any more.", payload_known=False)

    @staticmethod
    def _reply_fields(reply: Any) -> dict[str, Any]:
        return {"text": reply.text, "buttons": reply.buttons, "custom": reply.custom}
