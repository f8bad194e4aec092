"""Proactive nudges: salary arrived, a bill the balance may not cover, idle cash a suitable
savings account would pay interest on; with consent, caps, quiet hours and measurement.

:class:`NudgeEngine` finds a customer's nudges and decides each (send, hold until morning, or
suppress with a reason); the delivery side stores and shows them, answers
:class:`~insights.nudges.ports.NudgeHistory`, and reports what the customer did through
:class:`NudgeMeasurement`.
"""

from insights.nudges.engine import NudgeEngine
from insights.nudges.history import MemoryNudgeHistory
from insights.nudges.measurement import NudgeEvent, NudgeEventName, NudgeMeasurement, journey_step
from insights.nudges.nudge import Nudge, NudgeKind
from insights.nudges.policy import Decision, SentNudge, Verdict, decide, recheck
from insights.nudges.settings import NudgeSettings
from insights.nudges.wording import OFF, PLAIN, REASONS_FIRST, VARIANTS

__all__ = [
    "OFF", "PLAIN", "REASONS_FIRST", "VARIANTS", "Decision", "MemoryNudgeHistory", "Nudge", "NudgeEngine",
    "NudgeEvent", "NudgeEventName", "NudgeKind", "NudgeMeasurement", "NudgeSettings", "SentNudge",
    "Verdict", "decide", "journey_step", "recheck",
]
