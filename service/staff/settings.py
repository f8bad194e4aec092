"""Configuration of staff sign-in (env prefix ``SERVICE_``, shared with the service)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.staff.errors import DemoPasswordMissing

# Only ever accepted where SERVICE_ENVIRONMENT is local or test.
LOCAL_DEMO_PASSWORD = "demo-staff-password"
LOCAL_ENVIRONMENTS = frozenset({"local", "test"})


class StaffSettings(BaseSettings):
    """Sign-in settings: session lifetime, scrypt cost and the demo colleagues' password."""

    model_config = SettingsConfigDict(env_prefix="SERVICE_", env_file=".env", extra="ignore")

    environment: str = "local"
    demo_staff_password: SecretStr | None = None
    staff_session_ttl_s: int = Field(default=8 * 3600, gt=0)
    # scrypt cost: N=2**14, r=8 takes about 40 ms and 16 MiB per password check.
    scrypt_log2_n: int = Field(default=14, ge=10, le=20)

    def demo_password(self) -> str:
        """The demo colleagues' password; the built-in one only in local and test."""
        if self.demo_staff_password is not None:
            return self.demo_staff_password.get_secret_value()
        if self.environment in LOCAL_ENVIRONMENTS:
            return LOCAL_DEMO_PASSWORD
        raise DemoPasswordMissing(
            "Set SERVICE_DEMO_STAFF_PASSWORD: the built-in demo password is only allowed when "
            "SERVICE_ENVIRONMENT is local or test.",
            environment=self.environment,
        )
