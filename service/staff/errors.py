"""Staff errors; each is a :class:`service.errors.ServiceError`, so the API renders it."""

from __future__ import annotations

from service.errors import ServiceError


class StaffError(ServiceError):
    """Base of every staff sign-in and role error."""


class InvalidCredentials(StaffError):
    status_code = 401
    code = "invalid_credentials"


class InvalidProviderToken(StaffError):
    """The access token is not a valid colleague's token of the bank's provider."""

    status_code = 401
    code = "invalid_token"


class NotSignedIn(StaffError):
    status_code = 401
    code = "not_signed_in"


class RoleRequired(StaffError):
    status_code = 403
    code = "role_required"


class PasswordSignInDisabled(StaffError):
    """Outside local and test, colleagues sign in through the bank's identity provider."""

    status_code = 403
    code = "password_sign_in_disabled"


class StaffIdentityConflict(StaffError):
    """The provider's username belongs to another colleague here."""

    status_code = 409
    code = "staff_identity_conflict"


class SignInThrottled(StaffError):
    """Too many failed sign-ins for this username or from this address (``retry_after_s``)."""

    status_code = 429
    code = "rate_limited"


class SignInUnavailable(StaffError):
    """The bank's identity provider cannot be reached: sign-ins through it wait."""

    status_code = 503
    code = "provider_unavailable"


class DemoPasswordMissing(StaffError):
    """Raised when demo colleagues are asked for outside local and test."""

    status_code = 500
    code = "demo_password_missing"
