"""Configuration of identity checks, read from ``IDENTITY_*`` environment variables."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class IdentitySettings(BaseSettings):
    """The bank's OpenID Connect provider, the step-up rule and the customer-assertion key.

    Production sets ``issuer``, ``audience`` and the client ids to the bank's own provider;
    nothing else changes. ``assertion_key`` is shared by the service (which signs customer
    assertions) and the action server (which verifies them).
    """

    model_config = SettingsConfigDict(env_prefix="IDENTITY_", env_file=".env", extra="ignore")

    issuer: str = "http://127.0.0.1:8090"
    audience: str = "banking-assistant"
    # Asymmetric algorithms only: "none" and HMAC (HS256 with a public key) are refused.
    algorithms: list[str] = ["RS256", "PS256", "ES256"]
    leeway_s: int = 30
    jwks_cache_s: int = 300
    provider_timeout_s: float = 3.0
    # Public clients (authorization code + PKCE) of the web chat and the mobile app.
    web_client_id: str = "banking-web"
    app_client_id: str = "banking-app"
    # A sensitive action needs a login at most this old, or an acr at or above ``step_up_acr``.
    step_up_max_age_s: int = 300
    acr_levels: list[str] = ["urn:bank:loa:1", "urn:bank:loa:2"]
    step_up_acr: str = "urn:bank:loa:2"
    assertion_key: SecretStr | None = None
    assertion_ttl_s: int = 120
    # A conversation token's life; a signed-in customer's identity ends with their access token.
    conversation_ttl_s: int = 8 * 3600

    def acr_rank(self, acr: str | None) -> int:
        """The position of ``acr`` in ``acr_levels`` (-1 when absent or unknown)."""
        return self.acr_levels.index(acr) if acr in self.acr_levels else -1

    def is_recent(self, auth_time: int | None, acr: str | None, now: float) -> bool:
        """Whether a login is fresh enough for a sensitive action (the step-up rule)."""
        if self.acr_rank(acr) >= self.acr_rank(self.step_up_acr) >= 0:
            return True
        return auth_time is not None and now - auth_time <= self.step_up_max_age_s
