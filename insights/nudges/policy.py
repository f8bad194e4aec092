"""Whether, and when, a found nudge reaches the customer: pure functions of the nudges, the
consents in force, the nudges already sent or scheduled, and the time.

In order: the experiment's control arm sends nothing; each kind needs its consent; an expired
nudge is dropped; the same kind about the same subject is not repeated within
``duplicate_days``; in quiet hours a nudge is held until they end (dropped only if it would
expire first); the caps (per day and per week overall, per week per kind) count the nudges
sent or scheduled within a day or a week either side of the delivery time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from insights.nudges.nudge import PRIORITY, Nudge, NudgeKind
from insights.nudges.settings import NudgeSettings
from insights.nudges.wording import OFF

DAY = timedelta(days=1)
WEEK = timedelta(days=7)


class Verdict(StrEnum):
    SEND = "send"  # now
    HOLD = "hold"  # at ``deliver_at``, when quiet hours end
    SUPPRESS = "suppress"  # never; ``reason`` says why


@dataclass(frozen=True)
class SentNudge:
    """A nudge sent, or scheduled, to a customer: what the caps and duplicate checks count."""

    nudge_id: str
    kind: NudgeKind
    subject: str
    at: datetime  # when it was, or will be, delivered


@dataclass(frozen=True)
class Decision:
    """What happens to one nudge (or to a trigger that found no acceptable nudge)."""

    kind: NudgeKind
    subject: str
    verdict: Verdict
    nudge: Nudge | None = None
    deliver_at: datetime | None = None
    reason: str | None = None

    def sent(self) -> SentNudge | None:
        """The history entry for a nudge sent or held (None when suppressed)."""
        if self.verdict == Verdict.SUPPRESS or self.nudge is None or self.deliver_at is None:
            return None
        return SentNudge(self.nudge.id, self.kind, self.subject, self.deliver_at)


def suppressed(kind: NudgeKind, subject: str, reason: str, nudge: Nudge | None = None) -> Decision:
    return Decision(kind, subject, Verdict.SUPPRESS, nudge, None, reason)


def required_purposes(kind: NudgeKind, settings: NudgeSettings) -> tuple[str, ...]:
    """The consents a kind of nudge needs, all of them."""
    if kind == NudgeKind.IDLE_CASH:
        return tuple(settings.product_purposes)
    return (settings.insight_purpose,)


def missing_consent(kind: NudgeKind, granted: frozenset[str], settings: NudgeSettings) -> str | None:
    """The reason a kind may not be sent on these consents, or None."""
    missing = [p for p in required_purposes(kind, settings) if p not in granted]
    return f"no {' or '.join(missing)} consent" if missing else None


def quiet_until(now: datetime, settings: NudgeSettings) -> datetime | None:
    """When the quiet hours ``now`` falls in end (UTC-aware), or None outside them."""
    zone = ZoneInfo(settings.timezone)
    local = now.astimezone(zone)
    start, end, clock = settings.quiet_start, settings.quiet_end, local.timetz().replace(tzinfo=None)
    if start == end:
        return None
    wraps = start > end
    quiet = (clock >= start or clock < end) if wraps else (start <= clock < end)
    if not quiet:
        return None
    day = local.date() + timedelta(days=1) if wraps and clock >= start else local.date()
    return datetime.combine(day, end, zone).astimezone(now.tzinfo)


def _near(entries: Iterable[SentNudge], at: datetime, span: timedelta) -> list[SentNudge]:
    return [e for e in entries if abs(e.at - at) < span]


def cap_reached(kind: NudgeKind, at: datetime, taken: Sequence[SentNudge],
                settings: NudgeSettings) -> str | None:
    """The cap a nudge of ``kind`` delivered at ``at`` would break, or None."""
    if len(_near(taken, at, DAY)) >= settings.max_per_day:
        return f"daily cap of {settings.max_per_day} reached"
    week = _near(taken, at, WEEK)
    if len(week) >= settings.max_per_week:
        return f"weekly cap of {settings.max_per_week} reached"
    if sum(1 for e in week if e.kind == kind) >= settings.max_per_kind_per_week:
        return f"weekly cap of {settings.max_per_kind_per_week} for {kind.value} reached"
    return None


def duplicate_of(kind: NudgeKind, subject: str, now: datetime, taken: Sequence[SentNudge],
                 settings: NudgeSettings) -> SentNudge | None:
    """A nudge of the same kind about the same subject within the duplicate window, if any."""
    window = timedelta(days=settings.duplicate_days)
    return next((e for e in taken if e.kind == kind and e.subject == subject and abs(e.at - now) < window),
                None)


def screen(kind: NudgeKind, subject: str, granted: frozenset[str], history: Sequence[SentNudge],
           now: datetime, settings: NudgeSettings) -> str | None:
    """Why a trigger's nudge would be suppressed whatever it says (consent, a duplicate, its
    kind's cap), or None; checked before asking the recommender for a product."""
    reason = missing_consent(kind, granted, settings)
    if reason:
        return reason
    if duplicate_of(kind, subject, now, history, settings):
        return f"{kind.value} about the same subject already sent"
    week = _near(history, now, WEEK)
    if sum(1 for e in week if e.kind == kind) >= settings.max_per_kind_per_week:
        return f"weekly cap of {settings.max_per_kind_per_week} for {kind.value} reached"
    return None


def decide_one(nudge: Nudge, granted: frozenset[str], taken: Sequence[SentNudge], now: datetime,
               settings: NudgeSettings) -> Decision:
    """The decision on one nudge, given what is already sent or scheduled (``taken``)."""
    kind, subject = nudge.kind, nudge.subject
    if nudge.variant == OFF:
        return suppressed(kind, subject, "experiment control arm: not sent", nudge)
    reason = missing_consent(kind, granted, settings)
    if reason:
        return suppressed(kind, subject, reason, nudge)
    if nudge.expires_at <= now:
        return suppressed(kind, subject, "expired", nudge)
    earlier = duplicate_of(kind, subject, now, taken, settings)
    if earlier is not None:
        return suppressed(kind, subject, f"same {kind.value} already sent on {earlier.at:%Y-%m-%d}", nudge)
    held_until = quiet_until(now, settings)
    deliver_at = held_until or now
    if deliver_at >= nudge.expires_at:
        return suppressed(kind, subject, "would expire before quiet hours end", nudge)
    reason = cap_reached(kind, deliver_at, taken, settings)
    if reason:
        return suppressed(kind, subject, reason, nudge)
    return Decision(kind, subject, Verdict.HOLD if held_until else Verdict.SEND, nudge, deliver_at,
                    "quiet hours: held until morning" if held_until else None)


def decide(nudges: Sequence[Nudge], granted: frozenset[str], history: Sequence[SentNudge],
           now: datetime, settings: NudgeSettings) -> list[Decision]:
    """Decisions on a batch of nudges, most urgent kind first; each one sent or held counts
    against the caps of those after it."""
    taken = list(history)
    decisions = []
    for nudge in sorted(nudges, key=lambda n: PRIORITY.index(n.kind)):
        decision = decide_one(nudge, granted, taken, now, settings)
        entry = decision.sent()
        if entry is not None:
            taken.append(entry)
        decisions.append(decision)
    return decisions


def recheck(nudge: Nudge, granted: frozenset[str], now: datetime, settings: NudgeSettings) -> Decision:
    """A held nudge at its delivery time: still consented to, not expired, outside quiet hours."""
    reason = missing_consent(nudge.kind, granted, settings)
    if reason:
        return suppressed(nudge.kind, nudge.subject, reason, nudge)
    if nudge.expires_at <= now:
        return suppressed(nudge.kind, nudge.subject, "expired", nudge)
    held_until = quiet_until(now, settings)
    if held_until:
        return Decision(nudge.kind, nudge.subject, Verdict.HOLD, nudge, held_until, "quiet hours")
    return Decision(nudge.kind, nudge.subject, Verdict.SEND, nudge, now)

