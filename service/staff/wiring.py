"""Builds colleagues' sign-in and the console socket's guard for the app's lifespan."""

from __future__ import annotations

from service.settings import ServiceSettings
from service.staff.settings import StaffSettings
from service.staff.sign_in import StaffSignIn
from service.staff.socket_guard import StaffSocketGuard
from service.staff.store import StaffStore


def staff_settings_for(settings: ServiceSettings) -> StaffSettings:
    """The staff settings (``SERVICE_*``) in the service's environment."""
    return StaffSettings(environment=settings.environment)


def build_staff_access(store: StaffStore, settings: ServiceSettings) -> tuple[StaffSignIn, StaffSocketGuard]:
    """Sign-in (provider for the staff audience, passwords in local and test, throttled) and
    the console socket's limits, both counting in the rate limiter's storage."""
    staff = staff_settings_for(settings)
    storage = settings.rate_limit_storage_uri
    return (StaffSignIn.from_settings(store, staff, storage, settings.identity),
            StaffSocketGuard(staff, storage))
