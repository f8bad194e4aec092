"""The escalation policy as typed settings, loaded from ``policy.yml``.

Every threshold and customer-facing message of the handoff lives in that one file; these
models give it types and defaults and reject unknown keys.
"""

from __future__ import annotations

import re
from enum import IntEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bank.policy import fact
from service.handoff.hours import OpeningHours

DEFAULT_POLICY_PATH = Path(__file__).with_name("policy.yml")


class Priority(IntEnum):
    """How urgent a handoff is; higher is served first."""

    LOW = 1
    NORMAL = 2
    HIGH = 3
    URGENT = 4


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TriggerSettings(_Strict):
    """What every trigger has: an on/off switch, a reason code, a label and a priority."""

    enabled: bool = True
    reason: str
    label: str
    priority: Priority = Priority.NORMAL
    repeatable: bool = False

    @field_validator("priority", mode="before")
    @classmethod
    def _priority_by_name(cls, value: Any) -> Any:
        return Priority[value.upper()] if isinstance(value, str) else value


class ExplicitRequest(TriggerSettings):
    reason: str = "customer_request"
    label: str = "Customer asked for a colleague"
    intents: tuple[str, ...] = ("request_human",)
    slot: str | None = "handoff_requested"
    repeatable: bool = True


class RiskIntent(TriggerSettings):
    """The reason, label and priority one risky intent escalates with."""


class RiskIntents(_Strict):
    enabled: bool = True
    min_confidence: float = Field(default=0.5, ge=0, le=1)
    intents: dict[str, RiskIntent] = {}


class Vulnerability(TriggerSettings):
    reason: str = "vulnerability"
    label: str = "Signs of vulnerability"
    priority: Priority = Priority.URGENT
    patterns: tuple[str, ...] = ()

    def compiled(self) -> list[re.Pattern[str]]:
        return [re.compile(p, re.IGNORECASE) for p in self.patterns]


class ScamSignals(TriggerSettings):
    """Signs in the customer's words that they are being scammed (:mod:`fraud.signals`)."""

    reason: str = "scam_warning"
    label: str = "Signs of a payment scam"
    priority: Priority = Priority.URGENT


class NegativeSentiment(TriggerSettings):
    reason: str = "negative_sentiment"
    label: str = "Customer upset or angry"
    priority: Priority = Priority.HIGH
    message_negativity: float = Field(default=0.9, ge=0, le=1)
    message_anger_with_it: float = Field(default=0.75, ge=0, le=1)
    message_anger: float = Field(default=0.85, ge=0, le=1)
    single_message_from: int = Field(default=2, ge=1)
    trend_window: int = Field(default=3, ge=2)
    trend_negativity: float = Field(default=0.7, ge=0, le=1)


class RepeatedFallback(TriggerSettings):
    reason: str = "repeated_fallback"
    label: str = "Bot did not understand"
    consecutive: int = Field(default=2, ge=1)
    fallback_intents: tuple[str, ...] = ("nlu_fallback",)
    fallback_actions: tuple[str, ...] = ("action_default_fallback", "action_two_stage_fallback")
    confidence_below: float = Field(default=0.3, ge=0, le=1)


class FormLoop(TriggerSettings):
    reason: str = "form_loop"
    label: str = "Stuck in a form"
    max_asks: int = Field(default=3, ge=2)


class BusinessRule(TriggerSettings):
    """Escalate when a number the customer gave goes above a threshold: the slot's value, a
    value set for it this turn (before validation rejected it), or the entity in a message
    with one of ``intents`` or while one of ``forms`` is active."""

    name: str
    slot: str
    above: float
    entity: str | None = None
    intents: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()


class Resume(_Strict):
    bot_action: str | None = "utter_ok"
    reset_slots: tuple[str, ...] = ("requested_slot", "handoff_requested")
    leave_form: bool = True


class WaitEstimate(_Strict):
    """How the customer's estimated wait is worked out: the median time from queue to claim
    of the last ``recent`` handoffs claimed in the same skill, times the customer's place in
    that queue; ``default_s`` per place while fewer than ``min_history`` were claimed."""

    recent: int = Field(default=20, ge=1)
    min_history: int = Field(default=3, ge=1)
    default_s: int = Field(default=180, ge=0)


class BreachAfter(_Strict):
    """Seconds a handoff of each priority may wait in the queue before its wait is breached."""

    urgent: float = Field(default=60, gt=0)
    high: float = Field(default=180, gt=0)
    normal: float = Field(default=300, gt=0)
    low: float = Field(default=600, gt=0)

    def for_priority(self, priority: int) -> float:
        """The threshold of ``priority`` (a :class:`Priority` value)."""
        return float(getattr(self, Priority(priority).name.lower()))


class Routing(_Strict):
    """Which colleagues are offered a handoff: those with the skill its reason needs (reasons
    not listed need ``default_skill``), then everyone after ``widen_after_s`` seconds; a wait
    longer than ``breach_after_s`` for its priority shows as breached to supervisors; a
    colleague gone for ``reconnect_grace_s`` gives their conversations back to the queue."""

    skills: tuple[str, ...] = ("general",)
    default_skill: str = "general"
    reasons: dict[str, str] = {}
    widen_after_s: float = Field(default=120, ge=0)
    # A colleague whose every console has gone for this long is away, and the conversations
    # they held go back to the queue (keeping their place by when they were first queued).
    reconnect_grace_s: float = Field(default=60, ge=0)
    wait_estimate: WaitEstimate = WaitEstimate()
    breach_after_s: BreachAfter = BreachAfter()

    @model_validator(mode="after")
    def _known_skills(self) -> Routing:
        unknown = sorted({self.default_skill, *self.reasons.values()} - set(self.skills))
        if unknown:
            raise ValueError(f"routing names skills not in `skills`: {', '.join(unknown)}; add them there")
        return self

    def skill_for(self, reason: str) -> str:
        """The skill a handoff with this reason is routed to."""
        return self.reasons.get(reason, self.default_skill)


class Messages(_Strict):
    """What the customer is told; ``{position}``, ``{wait}`` and ``{agent}`` are filled in."""

    queued: str
    queued_nobody_online: str
    waiting: str
    waiting_nobody_online: str
    agent_away: str
    claimed: str
    transferred: str
    resolved: str
    closed: str
    # Said before the queued notice for a handoff with this reason (e.g. a scam warning).
    before_queued: dict[str, str] = {}
    # Added to the queued notice when the customer is offered other choices ({opens}: when
    # colleagues are next at work).
    choices_closed: str = (
        "We're closed right now and open again {opens}. You can book a callback, leave a message "
        "for a colleague, or go back to the assistant."
    )
    choices_nobody_online: str = (
        "You can also book a callback, leave a message for a colleague, or go back to the assistant."
    )
    choices_long_wait: str = (
        "That's longer than usual: you can book a callback, leave a message for a colleague, or go "
        "back to the assistant instead."
    )
    # For urgent reasons, which keep their place in the queue ({fraud_line} from ``waiting``).
    urgent_now: str = (
        "If you think someone can get to your money, call our 24/7 fraud line on {fraud_line} now."
    )
    urgent_card_frozen: str = "Your card is already frozen, so nobody can use it."
    urgent_closed: str = "We're closed right now, so the fraud line is the quickest way to reach us."
    callback_booked: str = (
        "We'll call you on {when}, on the number we hold for you. If you need anything before then, "
        "just write here."
    )
    callback_booked_queued: str = (
        "We'll call you on {when}, on the number we hold for you, and you keep your place in the queue."
    )
    # The colleague's console went and did not come back ({position}: the customer's place).
    requeued: str = (
        "Sorry, your colleague has been disconnected. You're back in the queue as number {position}, "
        "and the next colleague will see everything we've said so far."
    )
    # A customer who no longer needs a colleague, back with the assistant.
    back_to_assistant: str = (
        "No problem, you're back with the assistant. Ask me anything, or ask for a colleague again."
    )
    # After a colleague hands the conversation back: the question and the thanks for an answer.
    satisfaction_question: str = "How did your colleague do today?"
    satisfaction_thanks: str = "Thanks for telling us."
    # Left in the bot's history (never shown) when a colleague hands back ({reason}: the
    # handoff reason's label, never the customer's words).
    resolved_summary: str = "A colleague helped with this conversation ({reason}) and handed it back."
    message_left: str = (
        "Thanks. Write here whatever you'd like a colleague to know; everything is kept and a colleague "
        "will answer {answer_by}. You can go back to the assistant whenever you like."
    )


class Waiting(_Strict):
    """When a queued customer is offered choices (a callback, a message, the assistant): out of
    opening hours, nobody online, or an estimated wait above ``offer_after_wait_s``. Handoffs
    with an ``urgent_reasons`` reason keep their place and are told what to do now."""

    offer_after_wait_s: int = Field(default=900, ge=0)
    urgent_reasons: tuple[str, ...] = ("fraud", "lost_or_stolen_card", "scam_warning", "vulnerability")
    fraud_line: str = Field(default_factory=lambda: str(fact("contact.fraud_line")))
    # Typed words that take a customer still in the queue back to the assistant (regular
    # expressions, any case); once a colleague has joined, such words go to the colleague.
    back_to_assistant: tuple[str, ...] = (
        r"\bnever ?mind\b",
        r"\b(?:don'?t|do not|no longer) need (?:a |an |to (?:speak|talk) to (?:a |an )?)"
        r"(?:real )?(?:person|human|agent|colleague)\b",
        r"\b(?:go |take me )?back to the (?:bot|assistant|chat ?bot)\b",
        r"\bcancel (?:the |my )?(?:wait|request|handoff)\b",
    )

    @field_validator("back_to_assistant")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns

    def wants_the_assistant(self, text: str) -> bool:
        """Whether the customer's words say they no longer need a colleague."""
        return any(re.search(p, text, re.IGNORECASE) for p in self.back_to_assistant)


class Callbacks(_Strict):
    """Bookable callbacks: ``slot_minutes`` slots in opening hours on the next ``working_days``
    open days, starting at least ``notice_minutes`` ahead, ``per_slot`` bookings each."""

    slot_minutes: int = Field(default=30, ge=5, le=240)
    working_days: int = Field(default=3, ge=1, le=14)
    notice_minutes: int = Field(default=15, ge=0)
    per_slot: int = Field(default=4, ge=1)


class EscalationPolicy(_Strict):
    """The whole policy: the triggers, how the bot resumes, routing to colleagues, and the
    customer messages."""

    explicit_request: ExplicitRequest = ExplicitRequest()
    risk_intents: RiskIntents = RiskIntents()
    vulnerability: Vulnerability = Vulnerability()
    scam_signals: ScamSignals = ScamSignals()
    negative_sentiment: NegativeSentiment = NegativeSentiment()
    repeated_fallback: RepeatedFallback = RepeatedFallback()
    form_loop: FormLoop = FormLoop()
    business_rules: tuple[BusinessRule, ...] = ()
    resume: Resume = Resume()
    routing: Routing = Routing()
    opening_hours: OpeningHours = OpeningHours()
    waiting: Waiting = Waiting()
    callbacks: Callbacks = Callbacks()
    messages: Messages

    def labels(self) -> dict[str, str]:
        """Reason code -> label, for every trigger the policy knows."""
        triggers: list[TriggerSettings] = [
            self.explicit_request,
            self.vulnerability,
            self.scam_signals,
            self.negative_sentiment,
            self.repeated_fallback,
            self.form_loop,
            *self.business_rules,
            *self.risk_intents.intents.values(),
        ]
        return {t.reason: t.label for t in triggers}

    @classmethod
    def load(cls, path: Path = DEFAULT_POLICY_PATH) -> EscalationPolicy:
        """Read and check a policy file."""
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
