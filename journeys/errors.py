"""Errors of the analytics API; the service's handler renders them as JSON 4xx answers."""

from __future__ import annotations

from service.errors import ServiceError


class GroupBelowK(ServiceError):
    """The requested group holds fewer journeys than the smallest group an analyst may see."""

    status_code = 403
    code = "group_below_k"


class InvalidFilter(ServiceError):
    status_code = 422
    code = "invalid_filter"


class ExperimentError(ServiceError):
    status_code = 422
    code = "invalid_experiment"


class UnknownExperiment(ServiceError):
    status_code = 404
    code = "unknown_experiment"
