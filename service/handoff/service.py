"""The handoff flow: triggers after each bot turn, the handoff itself, the relay both ways
and the agents' actions (claim, message, note, transfer, resolve, close).

Order of a handoff: the trigger fires -> the bot is paused through Rasa's ``pause`` event ->
the handoff (with its packet) is queued and the customer told their place in one database
transaction -> every open agent console gets the new queue. While the handoff is open,
customer messages are marked ``relayed`` instead of going to the bot. Resolve or close
resumes the bot first (Rasa ``resume``), then ends the handoff; resolve leaves Rasa a summary
line, lets the bot speak and asks the customer how it went. A customer still waiting may go
back to the assistant (cancel: resume, then end). Whenever the queue moves, every waiting
customer is sent their place and estimated wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool

from service import metrics
from service.errors import BotUnavailable, InvalidMessage, ServiceError
from service.handoff.agent_feed import AgentFeed
from service.handoff.back_to_bot import summary_event
from service.handoff.bot_control import LEAVE_FORM, PAUSE, RESUME, BotControl, slot_event
from service.handoff.callbacks import waiting_extras
from service.handoff.errors import NotWaiting, UnknownColleague
from service.handoff.overview import SupervisorOverview
from service.handoff.packet import (
    ProfileSource,
    RecommendationSource,
    SegmentSource,
    assemble,
    build_core,
    profile_snapshot,
)
from service.handoff.policy import EscalationPolicy
from service.handoff.routing import estimate_wait
from service.handoff.schemas import (
    SATISFACTION_CHOICES,
    ColleagueOut,
    ColleagueStatusOut,
    HandoffPacket,
    HandoffSummary,
    NoteOut,
)
from service.handoff.signals import signals_from_tracker
from service.handoff.store import (
    CANCELLED,
    CLOSED,
    QUEUED,
    RESOLVED,
    HandoffStore,
    Notice,
    RelayState,
)
from service.handoff.triggers import evaluate
from service.hub import MessageHub
from service.models import Conversation
from service.schemas import MessageOut
from service.staff.availability import Availability
from service.staff.roles import HANDLES_CONVERSATIONS
from service.staff.schemas import StaffPublic
from service.staff.store import StaffStore
from service.transcripts import SENT, TranscriptStore

# Told of each handoff: (customer id, the conversation's Rasa events, the reasons that fired).
HandoffListener = Callable[[str, list[dict[str, Any]], list[str]], object]
# Told of each satisfaction answer: (the resolved handoff, the rating).
SatisfactionListener = Callable[[HandoffSummary, str], object]

log = logging.getLogger(__name__)
# What the hub carries besides transcript messages: a waiting customer's place and wait.
HANDOFF_EVENT = "handoff"


def wait_words(seconds: int | None) -> str:
    """An estimated wait as the customer reads it: "under a minute", "about 4 minutes"."""
    if seconds is None or seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    return "about 1 minute" if minutes == 1 else f"about {minutes} minutes"


def _system(event: str, **fields: Any) -> dict[str, Any]:
    """The custom payload that marks a bot-styled system message about the handoff."""
    return {"system": {"event": event, **fields}}


class HandoffService:
    """Escalation, queue and relay; one per app, on ``app.state.handoff``.

    Args:
        store: Handoff state in the database.
        staff: Colleagues (for transfers and names).
        transcripts: The conversation transcripts.
        bot: Rasa's control API (tracker, pause/resume, execute).
        hub: The per-conversation message fan-out the customer's socket uses.
        feed: The open agent consoles.
        policy: The escalation policy.
        profiles: The profile store, for the packet's profile snapshot (optional).
        segments: Customer id -> segment, for the packet (optional).
        recommendations: The recommender's log of products shown and answers (optional).
    """

    def __init__(
        self,
        store: HandoffStore,
        staff: StaffStore,
        transcripts: TranscriptStore,
        bot: BotControl,
        hub: MessageHub,
        feed: AgentFeed,
        policy: EscalationPolicy,
        profiles: ProfileSource | None = None,
        segments: SegmentSource | None = None,
        recommendations: RecommendationSource | None = None,
    ) -> None:
        self.store = store
        self.feed = feed
        self.policy = policy
        self._staff = staff
        self._transcripts = transcripts
        self._bot = bot
        self._hub = hub
        self._profiles = profiles
        self._segments = segments
        self._recommendations = recommendations
        self.last_trigger_to_queue_ms: float | None = None
        self.on_handoff: HandoffListener | None = None  # experiments' escalations
        self.on_satisfaction: SatisfactionListener | None = None  # the journeys' satisfaction steps
        # Agent messages and notes pass the privacy layer before they are stored
        # (wiring sets ConversationService.redact; None stores them as typed).
        self.redact_message: Callable[[str, str], Awaitable[str]] | None = None
        # Handoff id -> whether its customer left a message (set with the callbacks).
        self.message_left: Callable[[str], bool] | None = None
        self._graces: set[asyncio.Task[int]] = set()  # colleagues' consoles gone, in their grace

    async def aclose(self) -> None:
        for task in list(self._graces):
            task.cancel()
        await self._bot.aclose()

    # -- hooks of the conversation flow ------------------------------------------------

    async def after_bot_turn(
        self, conversation: Conversation, seq: int, tracker: Mapping[str, Any] | None = None
    ) -> None:
        """Evaluate the triggers on the tracker's recent state (as the bot's answer carried
        it, or read from Rasa); hand off if any fires. Never raises: a failure here must not
        lose the bot's answer, so it is logged instead."""
        try:
            await self._check_triggers(conversation, seq, tracker)
        except Exception:  # noqa: BLE001 - the turn itself has succeeded
            log.exception("escalation check failed for %s", conversation.id)

    async def relay_if_handed_off(
        self, conversation: Conversation, seq: int, typed: str | None = None
    ) -> bool:
        """Take message ``seq`` for the colleague while the conversation is handed off. A
        customer still in the queue who types that they no longer need a colleague goes back
        to the assistant (as with :meth:`cancel`)."""
        handoff_id = await run_in_threadpool(self.store.open_id, conversation.id)
        if handoff_id is None:  # most turns: one read, no write lock
            return False
        leaving = bool(typed) and self.policy.waiting.wants_the_assistant(typed or "")
        # Read before the relay's write transaction: the notice is built inside it, where a
        # second connection could wait for the pool while this one holds the write lock.
        left = self.message_left is not None and await run_in_threadpool(self.message_left, handoff_id)

        def notice(state: RelayState) -> Notice | None:
            if leaving and state.status == QUEUED:
                return None
            return self._waiting_notice(state, left and state.handoff_id == handoff_id)

        relayed = await run_in_threadpool(self.store.relay, conversation.id, seq, notice)
        if relayed is None:
            return False
        state, told = relayed
        if told is not None:
            self._hub.publish(conversation.id, told.model_dump(mode="json"))
        if leaving and state.status == QUEUED:
            try:
                await self.cancel(conversation.id)
            except ServiceError as exc:  # the bot is down, or a colleague joined meanwhile
                log.warning("could not take %s back to the assistant: %s", conversation.id, exc.code)
        return True

    # -- the handoff -------------------------------------------------------------------

    async def _check_triggers(
        self, conversation: Conversation, seq: int, recent: Mapping[str, Any] | None
    ) -> None:
        tracker = recent if recent is not None else await self._bot.tracker(conversation.id)
        triggered = time.perf_counter()
        triggered_at = datetime.now(UTC)
        signals = signals_from_tracker(tracker)
        if signals.latest is not None:  # NLU confidence and fallbacks, per turn
            fallback = self.policy.repeated_fallback
            metrics.observe_nlu(signals.latest.intent, signals.latest.confidence, signals.latest.actions,
                                fallback.fallback_intents, fallback.fallback_actions)
        if signals.paused:  # someone else has paused the bot: nothing to escalate here
            return
        fired = await run_in_threadpool(self.store.fired_reasons, conversation.id)
        hits = evaluate(signals, self.policy, fired)
        if not hits:
            return
        if recent is not None:  # the colleague's packet tells the whole conversation
            tracker = await self._whole_tracker(conversation.id, recent)
            signals = signals_from_tracker(tracker)
        required = await self._bot.required_slots(signals.active_loop) if signals.active_loop else []
        core = build_core(signals, hits, required)
        routing = self.policy.routing
        waits = await run_in_threadpool(self.store.recent_waits, routing.skill_for(hits[0].reason))
        frozen = await run_in_threadpool(self._cards_frozen, conversation.customer_id)
        try:
            await self._bot.append_events(conversation.id, [PAUSE])
        except BotUnavailable:
            # Customer messages are relayed while the handoff is open whatever Rasa does.
            log.warning("could not pause the bot for %s", conversation.id)
        opened = await run_in_threadpool(
            self.store.open_handoff,
            conversation.id,
            hits,
            core,
            triggered_at,
            seq,
            lambda position: self._queued_notice(
                position, estimate_wait(position, waits, routing.wait_estimate), hits[0].reason, frozen
            ),
        )
        if opened is None:
            return
        summary, message = opened
        metrics.count_escalation(summary.reason)
        await self._tell_listener(conversation, tracker, [h.reason for h in hits])
        self._hub.publish(conversation.id, message.model_dump(mode="json"))
        await self._queue_changed()
        self.last_trigger_to_queue_ms = (time.perf_counter() - triggered) * 1000
        log.info(
            "handoff %s queued (%s, priority %d) in %.1f ms",
            summary.id,
            summary.reason,
            summary.priority,
            self.last_trigger_to_queue_ms,
        )

    async def _whole_tracker(self, conversation_id: str, recent: Mapping[str, Any]) -> Mapping[str, Any]:
        """The tracker with every event since the last restart; the recent state if Rasa
        cannot be read (the handoff goes ahead with a shorter packet)."""
        try:
            return await self._bot.tracker(conversation_id)
        except BotUnavailable:
            log.warning("could not read the whole tracker of %s for its handoff", conversation_id)
            return recent

    async def _tell_listener(self, conversation: Conversation, tracker: Mapping[str, Any],
                             reasons: list[str]) -> None:
        if self.on_handoff is None or not conversation.customer_id:
            return
        try:
            await run_in_threadpool(self.on_handoff, conversation.customer_id,
                                    tracker.get("events") or [], reasons)
        except Exception:  # noqa: BLE001 - the handoff has happened; this is bookkeeping
            log.exception("handoff listener failed for %s", conversation.id)

    def _cards_frozen(self, customer_id: str | None) -> bool:
        """Whether the customer has cards and none of them can pay (all frozen or cancelled,
        at least one frozen): the urgent notice then says so instead of telling them to freeze."""
        if self._profiles is None or not customer_id:
            return False
        try:
            statuses = {str(card.status) for card in self._profiles.cards(customer_id)}
        except Exception:  # noqa: BLE001 - the notice does without it
            log.warning("could not read the cards of a handing-off customer")
            return False
        return "frozen" in statuses and "active" not in statuses

    def _queued_notice(self, position: int, wait_s: int, reason: str, card_frozen: bool = False) -> Notice:
        """The customer's place and wait; out of hours, with nobody online or a long wait, the
        choices instead (callback, message, assistant); for an urgent reason, what to do now."""
        messages = self.policy.messages
        online = bool(self.feed.agents_online())
        text = messages.queued if online else messages.queued_nobody_online
        before = messages.before_queued.get(reason)
        text = f"{before} {text}" if before else text
        extra, fields = waiting_extras(self.policy, reason, wait_s, online, datetime.now(UTC), card_frozen)
        text = text.format(position=position, wait=wait_words(wait_s))
        return Notice(
            f"{text} {extra}" if extra else text,
            _system(QUEUED, position=position, estimated_wait_s=wait_s, **fields),
        )

    def _waiting_notice(self, state: RelayState, message_left: bool) -> Notice | None:
        if message_left:
            return None  # the customer left a message and was told when to expect an answer
        messages = self.policy.messages
        if state.status == QUEUED:
            if self.feed.agents_online():
                return Notice(
                    messages.waiting.format(position=state.position, wait=wait_words(state.estimated_wait_s)),
                    _system("waiting", position=state.position, estimated_wait_s=state.estimated_wait_s),
                )
            return Notice(messages.waiting_nobody_online, _system("nobody_online"))
        if state.assigned_to is not None and not self.feed.is_online(state.assigned_to):
            return Notice(messages.agent_away, _system("agent_away"))
        return None

    # -- the agents' side --------------------------------------------------------------

    async def queue(self) -> list[HandoffSummary]:
        return await run_in_threadpool(self.store.queue)

    async def offers(self, staff: StaffPublic) -> list[HandoffSummary]:
        """The queued handoffs ``staff`` may claim now."""
        return await run_in_threadpool(self.store.offers, staff.id)

    async def status_of(self, staff: StaffPublic) -> ColleagueStatusOut:
        profile = await run_in_threadpool(self._staff.routing_profile, staff.id)
        if profile is None:
            raise UnknownColleague("No such colleague.", staff_id=staff.id)
        active = await run_in_threadpool(self.store.active_chats, staff.id)
        return ColleagueStatusOut(
            staff=profile.staff,
            skills=profile.skills,
            availability=profile.availability,
            max_chats=profile.max_chats,
            active_chats=active,
        )

    async def set_availability(self, staff: StaffPublic, availability: Availability) -> ColleagueStatusOut:
        """Set whether ``staff`` is offered new conversations; the conversations they hold stay."""
        await run_in_threadpool(self._staff.set_availability, staff.id, availability)
        status = await self.status_of(staff)
        await self._queue_changed()
        return status

    async def console_connected(self, staff: StaffPublic) -> None:
        """A console of ``staff`` is connected now (on connect and at every socket recheck)."""
        await run_in_threadpool(self._staff.seen, staff.id, datetime.now(UTC))

    def console_closed(self, staff: StaffPublic) -> None:
        """A console of ``staff`` closed on this worker: if it was their last one here, start
        :meth:`console_gone` in the background."""
        if self.feed.is_online(staff.id) or staff.role not in HANDLES_CONVERSATIONS:
            return
        task = asyncio.create_task(self._console_gone_logged(staff))
        self._graces.add(task)
        task.add_done_callback(self._graces.discard)

    async def _console_gone_logged(self, staff: StaffPublic) -> int:
        try:
            return await self.console_gone(staff)
        except Exception as exc:  # noqa: BLE001 - a failed requeue waits for the colleague's next going
            log.warning("could not requeue colleague %s's conversations: %s", staff.id, type(exc).__name__)
            return 0

    async def console_gone(self, staff: StaffPublic) -> int:
        """The last console of ``staff`` on this worker closed: after the routing's
        ``reconnect_grace_s``, unless one has connected since (here or on any worker), the
        colleague is away and the conversations they held go back to the queue, each
        customer told their place. How many went back."""
        gone_at = datetime.now(UTC)
        await asyncio.sleep(self.policy.routing.reconnect_grace_s)
        if self.feed.is_online(staff.id):
            return 0
        seen = await run_in_threadpool(self._staff.last_seen, staff.id)
        if seen is not None and seen > gone_at:
            return 0
        await run_in_threadpool(self._staff.set_availability, staff.id, Availability.AWAY)
        messages = self.policy.messages
        told = await run_in_threadpool(
            self.store.requeue_from,
            staff.id,
            lambda position: Notice(messages.requeued.format(position=position), _system("requeued")),
        )
        for conversation_id, message in told:
            self._hub.publish(conversation_id, message.model_dump(mode="json"))
            self.feed.unwatch_all(conversation_id)
        if told:
            log.info("%d conversations back in the queue: colleague %s gone", len(told), staff.id)
        await self._queue_changed()
        return len(told)

    async def colleagues(self) -> list[ColleagueOut]:
        people = await run_in_threadpool(self._staff.colleagues, HANDLES_CONVERSATIONS)
        return [ColleagueOut(staff=p, online=self.feed.is_online(p.id)) for p in people]

    async def overview(self) -> SupervisorOverview:
        """The supervisor's overview of the queue and the colleagues."""
        return await run_in_threadpool(self.store.overview)

    async def packet(self, handoff_id: str) -> HandoffPacket:
        return await run_in_threadpool(self._packet, handoff_id)

    def _packet(self, handoff_id: str) -> HandoffPacket:
        summary, core = self.store.get(handoff_id)
        customer_id = summary.customer_id  # None while the customer has not signed in
        profile = profile_snapshot(self._profiles, customer_id) if self._profiles and customer_id else None
        segment = self._segments(customer_id) if self._segments and customer_id else None
        transcript = self._transcripts.transcript(summary.conversation_id)
        logged = (self._recommendations(customer_id, transcript.created_at)
                  if self._recommendations and customer_id else [])
        return assemble(
            summary,
            core,
            transcript.messages,
            self.store.notes(handoff_id),
            self.store.events(handoff_id),
            profile,
            segment,
            self.redact_message is not None,  # the stored transcript is redacted
            logged,
        )

    async def claim(self, handoff_id: str, staff: StaffPublic) -> HandoffSummary:
        summary, message = await run_in_threadpool(
            self.store.claim,
            handoff_id,
            staff,
            lambda: Notice(
                self.policy.messages.claimed.format(agent=staff.display_name),
                _system("claimed", agent=staff.display_name),
            ),
        )
        self.feed.watch(staff.id, summary.conversation_id)
        if message is not None:
            self._hub.publish(summary.conversation_id, message.model_dump(mode="json"))
            await self._queue_changed()
        return summary

    async def send(self, handoff_id: str, staff: StaffPublic, text: str) -> MessageOut:
        """A colleague's message to the customer: stored (sender ``agent``) and published."""
        if not text.strip():
            raise InvalidMessage("The message is empty.")
        text = await self._redacted(handoff_id, text.strip())
        message = await run_in_threadpool(self.store.add_agent_message, handoff_id, staff, text)
        summary, _ = await run_in_threadpool(self.store.get, handoff_id)
        self._hub.publish(summary.conversation_id, message.model_dump(mode="json"))
        return message

    async def _redacted(self, handoff_id: str, text: str) -> str:
        """``text`` with personal data replaced by the conversation's placeholders."""
        if self.redact_message is None:
            return text
        summary, _ = await run_in_threadpool(self.store.get, handoff_id)
        return await self.redact_message(summary.conversation_id, text)

    async def add_note(self, handoff_id: str, staff: StaffPublic, text: str) -> NoteOut:
        if not text.strip():
            raise InvalidMessage("The note is empty.")
        text = await self._redacted(handoff_id, text.strip())
        note = await run_in_threadpool(self.store.add_note, handoff_id, staff, text)
        summary, _ = await run_in_threadpool(self.store.get, handoff_id)
        if summary.assigned_to is not None:
            self.feed.send_to(
                summary.assigned_to.id,
                {"type": "note", "handoff_id": handoff_id, "note": note.model_dump(mode="json")},
            )
        return note

    async def transfer(
        self, handoff_id: str, actor: StaffPublic, username: str, note: str | None
    ) -> HandoffSummary:
        target = await run_in_threadpool(self._staff.get, username)
        if target is None or target.role not in HANDLES_CONVERSATIONS or target.id == actor.id:
            raise UnknownColleague(
                "Transfer to another active colleague who takes conversations.", to=username
            )
        note = await self._redacted(handoff_id, note) if note else note
        summary, message = await run_in_threadpool(
            self.store.transfer,
            handoff_id,
            actor,
            target,
            note,
            lambda: Notice(
                self.policy.messages.transferred.format(agent=target.display_name),
                _system("transferred", agent=target.display_name),
            ),
        )
        self.feed.unwatch(actor.id, summary.conversation_id)
        self.feed.watch(target.id, summary.conversation_id)
        self._hub.publish(summary.conversation_id, message.model_dump(mode="json"))
        self.feed.send_to(
            target.id,
            {
                "type": "transferred",
                "handoff": summary.model_dump(mode="json"),
                "by": actor.model_dump(mode="json"),
            },
        )
        await self._queue_changed()
        return summary

    async def resolve(self, handoff_id: str, actor: StaffPublic) -> HandoffSummary:
        """Hand the customer back to the bot, which speaks next."""
        return await self._end(handoff_id, actor, RESOLVED)

    async def close(self, handoff_id: str, actor: StaffPublic) -> HandoffSummary:
        """End the handoff; the bot answers the customer's next message."""
        return await self._end(handoff_id, actor, CLOSED)

    async def _end(self, handoff_id: str, actor: StaffPublic, status: str) -> HandoffSummary:
        before = await run_in_threadpool(self.store.check_may_end, handoff_id, actor)
        # Resume first: if Rasa cannot, nothing changes and the agent may retry. A resolve
        # leaves the bot a summary line (the reason's label only: no personal data).
        summary_line = (
            self.policy.messages.resolved_summary.format(reason=before.reason_label)
            if status == RESOLVED else None
        )
        await self._resume_bot(before.conversation_id, summary_line)
        template = self.policy.messages.resolved if status == RESOLVED else self.policy.messages.closed
        summary, message = await run_in_threadpool(
            self.store.end,
            handoff_id,
            actor,
            status,
            lambda: Notice(
                template.format(agent=actor.display_name), _system(status, agent=actor.display_name)
            ),
        )
        conversation_id = summary.conversation_id
        self._hub.publish(conversation_id, message.model_dump(mode="json"))
        self.feed.unwatch_all(conversation_id)
        if status == RESOLVED and self.policy.resume.bot_action:
            await self._bot_speaks(conversation_id, self.policy.resume.bot_action)
        if status == RESOLVED:
            await self._ask_satisfaction(handoff_id, conversation_id)
        await self._queue_changed()
        return summary

    async def _ask_satisfaction(self, handoff_id: str, conversation_id: str) -> None:
        question = Notice(
            self.policy.messages.satisfaction_question,
            _system("satisfaction", choices=[{"value": v, "title": t} for v, t in SATISFACTION_CHOICES]),
        )
        message = await run_in_threadpool(self.store.ask_satisfaction, handoff_id, question)
        self._hub.publish(conversation_id, message.model_dump(mode="json"))

    async def _resume_bot(self, conversation_id: str, summary_line: str | None = None) -> None:
        resume = self.policy.resume
        events = [RESUME, *(slot_event(name, None) for name in resume.reset_slots)]
        if resume.leave_form:
            events.insert(1, LEAVE_FORM)
        if summary_line:
            events.append(summary_event(summary_line))
        await self._bot.append_events(conversation_id, events)

    # -- the customer's side -----------------------------------------------------------

    async def cancel(self, conversation_id: str) -> tuple[HandoffSummary, MessageOut]:
        """The customer no longer needs a colleague: leave the queue, back to the bot."""
        await run_in_threadpool(self.store.waiting_for, conversation_id)
        # Resume first: if Rasa cannot, the customer keeps their place and may retry.
        await self._resume_bot(conversation_id)
        try:
            summary, message = await run_in_threadpool(
                self.store.cancel,
                conversation_id,
                lambda: Notice(self.policy.messages.back_to_assistant, _system(CANCELLED)),
            )
        except NotWaiting:
            # A colleague joined meanwhile: they keep the conversation, so the bot stays paused.
            with contextlib.suppress(ServiceError):
                await self._bot.append_events(conversation_id, [PAUSE])
            raise
        metrics.count_abandoned_wait()
        self._hub.publish(conversation_id, message.model_dump(mode="json"))
        self.feed.unwatch_all(conversation_id)
        await self._queue_changed()
        return summary, message

    async def rate(self, conversation_id: str, rating: str) -> MessageOut:
        """Record the customer's answer to the satisfaction question; thank them."""
        summary, message = await run_in_threadpool(
            self.store.rate,
            conversation_id,
            lambda: Notice(self.policy.messages.satisfaction_thanks, _system("rated", rating=rating)),
        )
        metrics.count_satisfaction(rating)
        self._hub.publish(conversation_id, message.model_dump(mode="json"))
        if self.on_satisfaction is not None:
            try:
                await run_in_threadpool(self.on_satisfaction, summary, rating)
            except Exception:  # noqa: BLE001 - the answer is recorded; this is bookkeeping
                log.exception("satisfaction listener failed for %s", conversation_id)
        return message

    async def _bot_speaks(self, conversation_id: str, action: str) -> None:
        try:
            replies = await self._bot.execute(conversation_id, action)
            await self._bot.append_events(conversation_id, [{"event": "action", "name": "action_listen"}])
        except ServiceError:
            log.warning("the bot could not run %s after the handoff of %s", action, conversation_id)
            return
        stored = await run_in_threadpool(
            self.store.add_bot_messages,
            conversation_id,
            [
                {"text": r.text, "buttons": r.buttons or None, "custom": r.custom, "status": SENT}
                for r in replies
            ],
        )
        for message in stored:
            self._hub.publish(conversation_id, message.model_dump(mode="json"))

    async def _queue_changed(self) -> None:
        """Send the new queue to every console, and each waiting customer their place."""
        queue = await run_in_threadpool(self.store.queue)
        self.feed.broadcast({"type": "queue", "handoffs": [h.model_dump(mode="json") for h in queue]})
        for conversation_id, state in await run_in_threadpool(self.store.queued_states):
            event = {
                "type": HANDOFF_EVENT,
                "handoff": state.model_dump(mode="json"),
                **_system("waiting", position=state.position, estimated_wait_s=state.estimated_wait_s),
            }
            self._hub.publish(conversation_id, event)
