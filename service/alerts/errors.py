"""Errors of the alert inbox, as the API answers them."""

from __future__ import annotations

from service.errors import NotFound, ServiceError


class UnknownAlert(NotFound):
    """No such alert for this customer (another customer's alert is unknown too)."""

    code = "unknown_alert"


class AlertAlreadyAnswered(ServiceError):
    """The customer has already said whether the payment was theirs."""

    status_code = 409
    code = "alert_already_answered"


class UnknownNudge(NotFound):
    """No such nudge for this customer (another customer's nudge is unknown too)."""

    code = "unknown_nudge"


class NudgeAlreadyActed(ServiceError):
    """The customer has already acted on this nudge."""

    status_code = 409
    code = "nudge_already_acted"


class NudgeExpired(ServiceError):
    """The nudge's time ran out: what it said may no longer be true."""

    status_code = 409
    code = "nudge_expired"
