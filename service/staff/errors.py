"""Staff errors; each is a :class:`service.errors.ServiceError`, so the API renders it."""

from __future__ import annotations

from service.errors import ServiceError


class StaffError(ServiceError):
    """Base of every staff sign-in and role error."""


class InvalidCredentials(StaffError):
    status_code = 401
    code = "invalid_credentials"


class NotSignedIn(StaffError):
    status_code = 401
    code = "not_signed_in"


class RoleRequired(StaffError):
    status_code = 403
    code = "role_required"


class DemoPasswordMissing(StaffError):
    """Raised by the seed outside local/test when no demo password is configured."""

    status_code = 500
    code = "demo_password_missing"
