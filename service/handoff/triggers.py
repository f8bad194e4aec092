"""The escalation triggers: pure functions of the tracker signals and the policy.

Each returns a :class:`TriggerHit` (reason code, label, priority and a short detail for the
agent) or ``None``. :func:`evaluate` runs them all and drops the reasons that already fired.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant import names
from fraud import is_scam_warning, scam_signals
from service.handoff.policy import EscalationPolicy, Priority, TriggerSettings
from service.handoff.signals import ConversationSignals, UserTurn

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class TriggerHit:
    """One trigger that fired."""

    reason: str
    label: str
    priority: Priority
    detail: str
    repeatable: bool = False


def _hit(settings: TriggerSettings, detail: str) -> TriggerHit:
    return TriggerHit(settings.reason, settings.label, settings.priority, detail, settings.repeatable)


def explicit_request(signals: ConversationSignals, policy: EscalationPolicy) -> TriggerHit | None:
    """The customer asked for a person: the intent, the bot's handoff payload, or the slot."""
    settings, turn = policy.explicit_request, signals.latest
    if not settings.enabled or turn is None:
        return None
    if turn.intent in settings.intents:
        return _hit(settings, f"intent {turn.intent} ({turn.confidence:.2f})")
    if any("handoff" in custom for custom in turn.customs):
        return _hit(settings, "the bot offered a colleague (handoff payload)")
    if settings.slot and (settings.slot, True) in turn.slots_set:
        return _hit(settings, f"slot {settings.slot} set")
    return None


def risk_intent(signals: ConversationSignals, policy: EscalationPolicy) -> TriggerHit | None:
    """A risky subject: fraud, a lost or stolen card, a complaint, bereavement, hardship."""
    settings, turn = policy.risk_intents, signals.latest
    if not settings.enabled or turn is None or turn.intent not in settings.intents:
        return None
    if turn.confidence < settings.min_confidence:
        return None
    return _hit(settings.intents[turn.intent], f"intent {turn.intent} ({turn.confidence:.2f})")


def vulnerability(signals: ConversationSignals, policy: EscalationPolicy) -> TriggerHit | None:
    """Signs of vulnerability in the customer's words (the matched phrase is not echoed)."""
    settings, turn = policy.vulnerability, signals.latest
    if not settings.enabled or turn is None:
        return None
    for number, pattern in enumerate(settings.compiled(), start=1):
        if pattern.search(turn.text):
            return _hit(settings, f"vulnerability phrase #{number} in the latest message")
    return None


def scam_signal(signals: ConversationSignals, policy: EscalationPolicy) -> TriggerHit | None:
    """Signs in the customer's words that they are being scammed (the patterns' names only),
    or the bot stopping a payment with a scam warning (its ``payment_warning`` payload)."""
    settings, turn = policy.scam_signals, signals.latest
    if not settings.enabled or turn is None:
        return None
    found = scam_signals(turn.text)
    if is_scam_warning(found):
        return _hit(settings, "scam signals: " + ", ".join(f"{s.kind} ({s.pattern})" for s in found))
    for custom in turn.customs:
        if custom.get("type") == names.PAYLOAD_PAYMENT_WARNING and custom.get("level") == "stop":
            reasons = ", ".join(str(r) for r in custom.get("reasons") or []) or "unspecified"
            return _hit(settings, f"payment stopped by a scam warning ({reasons})")
    return None


def negative_sentiment(signals: ConversationSignals, policy: EscalationPolicy) -> TriggerHit | None:
    """This message is very negative or angry (from the customer's ``single_message_from``-th
    message: a first complaint gets the bot's answer first), or the last few are negative on
    average."""
    settings, turn = policy.negative_sentiment, signals.latest
    if not settings.enabled or turn is None or turn.sentiment is None:
        return None
    reading = turn.sentiment
    anger = reading.anger
    frustrated = anger is None or anger >= settings.message_anger_with_it
    answered_once = len(signals.turns) >= settings.single_message_from
    if answered_once and reading.negativity >= settings.message_negativity and frustrated:
        return _hit(settings, f"message negativity {reading.negativity:.2f}, frustration {anger or 0:.2f}")
    if answered_once and anger is not None and anger >= settings.message_anger:
        return _hit(settings, f"message frustration {anger:.2f}")
    window = signals.turns[-settings.trend_window :]
    readings = [t.sentiment for t in window if t.sentiment is not None]
    if len(window) == settings.trend_window and len(readings) == len(window):
        mean = statistics.fmean(r.negativity for r in readings)
        if mean >= settings.trend_negativity:
            return _hit(settings, f"mean negativity {mean:.2f} over the last {len(window)} messages")
    return None


def repeated_fallback(signals: ConversationSignals, policy: EscalationPolicy) -> TriggerHit | None:
    """The bot did not understand N customer messages in a row."""
    settings = policy.repeated_fallback
    if not settings.enabled:
        return None

    def failed(turn: UserTurn) -> bool:
        return (
            turn.intent in settings.fallback_intents
            or turn.confidence < settings.confidence_below
            or any(a in settings.fallback_actions for a in turn.actions)
        )

    in_a_row = 0
    for turn in reversed(signals.turns):
        if not failed(turn):
            break
        in_a_row += 1
    if in_a_row >= settings.consecutive:
        return _hit(settings, f"{in_a_row} messages in a row not understood")
    return None


def form_loop(signals: ConversationSignals, policy: EscalationPolicy) -> TriggerHit | None:
    """The active form asked for the same slot K times in a row without progress."""
    settings, asks = policy.form_loop, signals.form_asks
    if not settings.enabled or asks is None or asks.times < settings.max_asks:
        return None
    return _hit(settings, f"{asks.form} asked for {asks.slot} {asks.times} times in a row")


def slot_number(value: Any) -> Decimal | None:
    """A slot's numeric value: a number, ``"£12,500.00"``, or ``{"value"|"amount": ...}``."""
    if isinstance(value, Mapping):
        value = value.get("value", value.get("amount"))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    match = _NUMBER.search(str(value))
    if not match:
        return None
    try:
        return Decimal(match.group().replace(",", ""))
    except InvalidOperation:
        return None


def business_rules(signals: ConversationSignals, policy: EscalationPolicy) -> list[TriggerHit]:
    """Numbers above their thresholds (for example a large transfer)."""
    hits = []
    turn = signals.latest
    for rule in policy.business_rules:
        given = [signals.slots.get(rule.slot)]
        if turn is not None:
            given += [value for name, value in turn.slots_set if name == rule.slot]
            about = turn.intent in rule.intents or signals.active_loop in rule.forms
            if rule.entity and about:
                given += [e.get("value") for e in turn.entities if e.get("entity") == rule.entity]
        amounts = [a for a in map(slot_number, given) if a is not None]
        if rule.enabled and amounts and max(amounts) > Decimal(str(rule.above)):
            hits.append(_hit(rule, f"{rule.name}: {rule.slot} above {rule.above:g}"))
    return hits


Trigger = Callable[[ConversationSignals, EscalationPolicy], TriggerHit | None]
# At one priority the earlier trigger gives the handoff its reason: a form that is stuck says
# more to a colleague than messages not understood, so form_loop comes before repeated_fallback.
TRIGGERS: tuple[Trigger, ...] = (
    explicit_request,
    risk_intent,
    vulnerability,
    scam_signal,
    negative_sentiment,
    form_loop,
    repeated_fallback,
)


def evaluate(
    signals: ConversationSignals, policy: EscalationPolicy, already_fired: Collection[str] = ()
) -> list[TriggerHit]:
    """Every trigger that fires now and has not fired before, most urgent first."""
    hits = [hit for trigger in TRIGGERS if (hit := trigger(signals, policy)) is not None]
    hits += business_rules(signals, policy)
    fresh = [h for h in hits if h.repeatable or h.reason not in already_fired]
    return sorted(fresh, key=lambda h: -h.priority)
