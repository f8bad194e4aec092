"""Service errors: each carries its HTTP status and a stable code; one handler renders them."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base of every error the API answers with a JSON body."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class Unauthorized(ServiceError):
    status_code = 401
    code = "unauthorized"


class Forbidden(ServiceError):
    status_code = 403
    code = "forbidden"


class InvalidMessage(ServiceError):
    status_code = 422
    code = "invalid_message"


class MessageTooLarge(ServiceError):
    status_code = 413
    code = "message_too_large"


class BotUnavailable(ServiceError):
    """Rasa or the action server cannot answer now; the message is kept and answered later."""

    status_code = 503
    code = "bot_unavailable"


class TooManyRequests(ServiceError):
    """A limit of this route was reached; ``retry_after_s`` says when to try again."""

    status_code = 429
    code = "rate_limited"
