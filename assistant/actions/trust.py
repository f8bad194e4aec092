"""The action server's one source of trust in who the customer is: the front service's signed
customer assertion, checked with the assertion key and the step-up rule of ``IDENTITY_*``.

No slot or metadata field is believed as such. A missing assertion means an anonymous
conversation; a forged, stale or other-conversation one is refused, logged with its reason
only (never the customer or the text), and the conversation is treated as anonymous.
"""

from __future__ import annotations

import logging
import os
import time
from functools import lru_cache

from identity.assertion import MIN_KEY_BYTES, CustomerAssertion, InvalidAssertion, verify_assertion
from identity.settings import IdentitySettings

logger = logging.getLogger(__name__)


class AssertionChecker:
    """Verifies customer assertions with one key and applies the step-up rule.

    Without a usable key (unset, or shorter than ``MIN_KEY_BYTES``) every assertion is
    refused, so every conversation is anonymous; the constructor says so in the log.
    """

    def __init__(self, settings: IdentitySettings) -> None:
        self.settings = settings
        secret = settings.assertion_key.get_secret_value().encode() if settings.assertion_key else b""
        self._key: bytes | None = secret if len(secret) >= MIN_KEY_BYTES else None
        if self._key is None:
            problem = "is not set" if not secret else f"is shorter than {MIN_KEY_BYTES} bytes"
            logger.warning(
                "IDENTITY_ASSERTION_KEY %s: every customer assertion is refused and every "
                "conversation is anonymous. Give the action server the service's key.",
                problem,
            )

    def verify(self, token: object, conversation_id: str, action: str) -> CustomerAssertion | None:
        """The assertion's content if it is valid for ``conversation_id``, else None.

        None without a warning for no assertion at all (an anonymous conversation); None
        with a warning naming ``action`` and the reason for one that is refused.
        """
        if token is None or token == "":
            return None
        if self._key is None:
            logger.warning("customer assertion refused in %s: no assertion key configured", action)
            return None
        try:
            return verify_assertion(self._key, token, conversation_id)
        except InvalidAssertion as refusal:
            logger.warning("customer assertion refused in %s: %s", action, refusal)
            return None

    def is_recent(self, assertion: CustomerAssertion, now: float | None = None) -> bool:
        """Whether the login behind ``assertion`` is fresh enough for a sensitive action."""
        moment = now if now is not None else time.time()
        return self.settings.is_recent(assertion.auth_time, assertion.acr, moment)


@lru_cache(maxsize=1)
def get_checker() -> AssertionChecker:
    """The process-wide checker on ``IdentitySettings()``, built on the first call."""
    return AssertionChecker(IdentitySettings())


if os.environ.get("ACTIONS_WARM_UP") == "1":  # the action server: report a missing key at start-up
    get_checker()
