"""Customers' identity in the service: their provider login checked into a customer id, and
the signed assertion of that customer that travels with each message to the bot.

The customer is always the subject of a verified access token, mapped through the bank's
logins; nothing a client writes in a body names them.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from identity.assertion import sign_assertion
from identity.settings import IdentitySettings
from identity.tokens import AccessTokenVerifier, ProviderUnavailable, TokenRejected
from service.errors import Forbidden, ServiceError, Unauthorized
from service.models import Conversation

log = logging.getLogger(__name__)

CustomerForLogin = Callable[[str], str | None]


class InvalidToken(Unauthorized):
    code = "invalid_token"


class IdentityProviderUnavailable(ServiceError):
    """The provider's keys cannot be fetched: new sign-ins wait (signed-in ones go on)."""

    status_code = 503
    code = "identity_provider_unavailable"


class SignInRequired(Forbidden):
    code = "sign_in_required"


class StepUpRequired(Forbidden):
    code = "step_up_required"


@dataclass(frozen=True)
class CustomerLogin:
    """A verified login: whose it is, when and how strongly they authenticated, until when."""

    customer_id: str
    auth_time: int | None
    acr: str | None
    expires_at: datetime


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header; ``InvalidToken`` for another shape."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Send the access token as 'Authorization: Bearer <token>'.")
    return token.strip()


class CustomerIdentity:
    """Verifies customers' access tokens and signs customer assertions for the bot."""

    def __init__(
        self,
        settings: IdentitySettings,
        customer_for_login: CustomerForLogin,
        verifier: AccessTokenVerifier | None = None,
    ) -> None:
        self.settings = settings
        self._verifier = verifier or AccessTokenVerifier(settings)
        self._customer_for_login = customer_for_login
        if settings.assertion_key is not None:
            self._assertion_key = settings.assertion_key.get_secret_value().encode()
        else:
            # The action server cannot verify what this key signs: account actions answer as
            # for a customer who has not signed in.
            log.warning("IDENTITY_ASSERTION_KEY is not set: using a key of this process only")
            self._assertion_key = secrets.token_bytes(32)

    def login(self, access_token: str) -> CustomerLogin:
        """The customer behind a provider access token (the same 401 for every failure)."""
        try:
            verified = self._verifier.verify(access_token)
        except TokenRejected as exc:
            log.info("access token refused: %s", exc)
            raise InvalidToken("The sign-in was not accepted. Please sign in again.") from exc
        except ProviderUnavailable as exc:
            log.warning("identity provider unavailable: %s", exc)
            raise IdentityProviderUnavailable(
                "Signing in is not possible right now. Please try again in a minute.",
                retry_after_s=30,
            ) from exc
        customer_id = self._customer_for_login(verified.subject)
        if customer_id is None:
            log.info("access token refused: subject has no customer")
            raise InvalidToken("The sign-in was not accepted. Please sign in again.")
        return CustomerLogin(
            customer_id=customer_id,
            auth_time=verified.auth_time,
            acr=verified.acr,
            expires_at=datetime.fromtimestamp(verified.expires_at, UTC),
        )

    def signed_in(self, conversation: Conversation, now: float | None = None) -> bool:
        """Whether the conversation has a customer whose login has not expired."""
        expires = conversation.identity_expires_at
        if conversation.customer_id is None or expires is None:
            return False
        moment = now if now is not None else time.time()
        return _utc(expires).timestamp() > moment

    def is_recent(self, conversation: Conversation, now: float | None = None) -> bool:
        """Whether the conversation's login is fresh enough for a sensitive action."""
        moment = now if now is not None else time.time()
        return self.signed_in(conversation, moment) and self.settings.is_recent(
            conversation.auth_time, conversation.acr, moment
        )

    def assertion(self, conversation: Conversation) -> str | None:
        """A short-lived signed statement of the conversation's customer (None if anonymous)."""
        if not self.signed_in(conversation) or conversation.customer_id is None:
            return None
        return sign_assertion(
            self._assertion_key, conversation.id, conversation.customer_id,
            conversation.auth_time, conversation.acr, self.settings.assertion_ttl_s,
        )

    def require_signed_in(self, conversation: Conversation) -> str:
        """The conversation's customer; ``SignInRequired`` (403) while anonymous or expired."""
        if not self.signed_in(conversation) or conversation.customer_id is None:
            raise SignInRequired("Please sign in first.")
        return conversation.customer_id

    def require_recent(self, conversation: Conversation) -> str:
        """The customer, if their login is recent; ``StepUpRequired`` (403) otherwise."""
        customer_id = self.require_signed_in(conversation)
        if not self.is_recent(conversation):
            raise StepUpRequired(
                "Please confirm it's you: sign in again to do this.",
                max_age=self.settings.step_up_max_age_s, acr_values=self.settings.step_up_acr,
            )
        return customer_id


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
