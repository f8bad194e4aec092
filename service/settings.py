"""Configuration of the front service, read from environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from database.settings import default_database_url
from identity.settings import IdentitySettings


class ServiceSettings(BaseSettings):
    """Settings of the FastAPI service (env prefix ``SERVICE_``; ``DATABASE_URL`` is shared)."""

    model_config = SettingsConfigDict(env_prefix="SERVICE_", env_file=".env", extra="ignore")

    environment: str = "local"
    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("DATABASE_URL", "SERVICE_DATABASE_URL"),
    )
    # Comma-separated for several Rasa workers; action servers pair with them in order.
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    # The token Rasa's HTTP API requires (`rasa run --auth-token`; RASA_AUTH_TOKEN of the stack).
    rasa_auth_token: SecretStr | None = None
    # The prod profile: Redis shares turn locks and new messages between service workers.
    redis_url: str | None = None
    turn_lock_lease_s: float = 45.0
    rasa_timeout_s: float = 30.0
    max_message_chars: int = 5000
    retry_after_s: int = 5
    redelivery_interval_s: float = 2.0
    # How often each worker sends the scheduled payments and standing orders that are due
    # (the store sends each once, whichever worker gets there first).
    payments_due_interval_s: float = Field(default=300.0, gt=0)
    # How often each worker scores the transactions booked since the last round and alerts
    # customers to unusual ones (INSIGHTS_ANOMALY_THRESHOLD sets what is unusual).
    alerts_interval_s: float = Field(default=60.0, gt=0)
    # How often each worker evaluates proactive nudges for customers with new transactions,
    # releases held ones that fall due and expires overdue ones (INSIGHTS_NUDGE_* set the rules).
    nudges_interval_s: float = Field(default=300.0, gt=0)
    default_demo_customer: str = "cus_001"
    # Rate limits in the `limits` notation ("60/minute");
    # the per-IP one is high so that a load test from one address passes. With several
    # workers, point the storage at Redis (redis://…) so that they share the counts.
    rate_limit_per_token: str = "60/minute"  # a customer's conversation token
    rate_limit_per_staff_token: str = "600/minute"  # a colleague's (dashboards load many at once)
    rate_limit_per_ip: str = "30000/minute"
    rate_limit_storage_uri: str = "memory://"
    # Conversation start per address, and the customer's WebSocket: handshakes per address,
    # messages per conversation, the largest frame and how many sockets one conversation holds.
    rate_limit_conversation_start_per_ip: str = "300/minute"
    rate_limit_socket_handshake_per_ip: str = "300/minute"
    rate_limit_socket_message_per_conversation: str = "60/minute"
    socket_max_frame_bytes: int = 16 * 1024
    sockets_per_conversation: int = 5
    cors_allowed_origins: list[str] = []
    log_json: bool = True
    log_level: str = "INFO"
    # /metrics on an internal port (set in production, where the public app has neither
    # /metrics nor /docs, /redoc and /openapi.json); /healthz's dependency checks cached.
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = None
    health_cache_s: float = Field(default=2.0, ge=0)
    # The bank's identity provider and the customer-assertion key (``IDENTITY_*`` variables).
    identity: IdentitySettings = Field(default_factory=IdentitySettings)


@lru_cache
def get_settings() -> ServiceSettings:
    """The process-wide settings (tests build their own and pass them to ``create_app``)."""
    return ServiceSettings()
