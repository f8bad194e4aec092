"""Errors of the journey analytics and experiments.

Each carries a stable ``code``, a message safe to show an analyst and ``details`` (never
personal data); the service turns them into HTTP answers (``service.errors_http``).
"""

from __future__ import annotations

from typing import Any


class JourneyError(Exception):
    """Base of every journeys error."""

    code = "journeys_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class GroupBelowK(JourneyError):
    """The requested group holds fewer journeys than the smallest group an analyst may see."""

    code = "group_below_k"


class InvalidFilter(JourneyError):
    code = "invalid_filter"


class ExperimentError(JourneyError):
    code = "invalid_experiment"


class UnknownExperiment(JourneyError):
    code = "unknown_experiment"
