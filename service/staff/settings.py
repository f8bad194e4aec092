"""Configuration of staff sign-in (env prefix ``SERVICE_``, shared with the service)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.staff.errors import DemoPasswordMissing
from service.staff.roles import Role

# Only ever accepted where SERVICE_ENVIRONMENT is local or test.
LOCAL_DEMO_PASSWORD = "demo-staff-password"
LOCAL_ENVIRONMENTS = frozenset({"local", "test"})


class StaffSettings(BaseSettings):
    """Sign-in settings: session lifetime, scrypt cost, the demo colleagues' password, the
    bank's identity provider for colleagues, sign-in throttling and the console socket's limits.

    Attributes:
        environment: password sign-in and the demo colleagues exist only in local and test.
        staff_oidc_issuer: the provider colleagues sign in with, when it is not the customers'
            (``IDENTITY_ISSUER``); algorithms, leeway and key caching are the ``IDENTITY_*`` ones.
        staff_oidc_audience: the audience of colleagues' access tokens at that provider.
        staff_oidc_groups_claim: the claim listing the colleague's groups.
        staff_oidc_username_claim: the claim naming the colleague (1 to 40 characters).
        staff_oidc_group_roles: group -> role; a colleague gets the role of the first group
            in this mapping they are in, and no sign-in without one.
        sign_in_failures_per_username / sign_in_failures_per_address: failed sign-ins allowed
            per window (``limits`` notation); past either, every attempt of that username or
            from that address is refused (429), the right password included.
        staff_socket_handshakes: agent-console socket openings per address.
        staff_socket_messages: console socket messages per colleague.
        staff_socket_max_frame_bytes: the largest message a console socket accepts.
        staff_socket_recheck_s: how often a live console socket rechecks its session (a
            signed-out or disabled colleague's socket is closed within this time).
    """

    model_config = SettingsConfigDict(env_prefix="SERVICE_", env_file=".env", extra="ignore")

    environment: str = "local"
    demo_staff_password: SecretStr | None = None
    staff_session_ttl_s: int = Field(default=8 * 3600, gt=0)
    # scrypt cost: N=2**14, r=8 takes about 40 ms and 16 MiB per password check.
    scrypt_log2_n: int = Field(default=14, ge=10, le=20)
    staff_oidc_issuer: str | None = None
    staff_oidc_audience: str = "banking-staff"
    staff_oidc_groups_claim: str = "groups"
    staff_oidc_username_claim: str = "preferred_username"
    staff_oidc_group_roles: dict[str, Role] = {
        "bank-admins": Role.ADMIN,
        "bank-compliance": Role.COMPLIANCE,
        "bank-supervisors": Role.SUPERVISOR,
        "bank-agents": Role.AGENT,
        "bank-analysts": Role.ANALYST,
    }
    sign_in_failures_per_username: str = "5/minute"
    sign_in_failures_per_address: str = "20/minute"
    staff_socket_handshakes: str = "120/minute"
    staff_socket_messages: str = "120/minute"
    staff_socket_max_frame_bytes: int = Field(default=16 * 1024, gt=0)
    staff_socket_recheck_s: float = Field(default=5.0, gt=0)

    @property
    def passwords_allowed(self) -> bool:
        """Whether colleagues may sign in with a local password (local and test only)."""
        return self.environment in LOCAL_ENVIRONMENTS

    def demo_password(self) -> str:
        """The demo colleagues' password (local and test only; the built-in one by default)."""
        if not self.passwords_allowed:
            raise DemoPasswordMissing(
                "Demo colleagues exist only where SERVICE_ENVIRONMENT is local or test; "
                "elsewhere colleagues sign in through the bank's identity provider.",
                environment=self.environment,
            )
        if self.demo_staff_password is not None:
            return self.demo_staff_password.get_secret_value()
        return LOCAL_DEMO_PASSWORD
