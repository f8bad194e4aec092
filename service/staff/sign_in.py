"""How colleagues sign in: through the bank's identity provider, or (local and test only)
with a local password; both throttled, both ending in the same staff session.

A provider sign-in takes the colleague's OIDC access token for the staff audience
(``SERVICE_STAFF_OIDC_AUDIENCE``), verified like customers' tokens (keys and algorithms as
``IDENTITY_*`` says; the issuer ``IDENTITY_ISSUER`` or, where colleagues have a provider of
their own, ``SERVICE_STAFF_OIDC_ISSUER``). The role comes from the groups claim through the configured
group -> role mapping, at every sign-in; a colleague in no mapped group gets no session.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from identity.settings import IdentitySettings
from identity.tokens import AccessTokenVerifier, ProviderUnavailable, TokenRejected
from service.staff.errors import (
    InvalidCredentials,
    InvalidProviderToken,
    PasswordSignInDisabled,
    RoleRequired,
    SignInUnavailable,
)
from service.staff.roles import Role
from service.staff.schemas import StaffSessionCreated
from service.staff.settings import StaffSettings
from service.staff.store import StaffStore
from service.staff.throttle import SignInThrottle

MAX_USERNAME_CHARS = 40
MAX_DISPLAY_NAME_CHARS = 80
PROVIDER_RETRY_AFTER_S = 5


def role_from_groups(groups: object, mapping: Mapping[str, Role]) -> Role | None:
    """The role of the first group of ``mapping`` listed in ``groups`` (a list, or one string)."""
    listed = {groups} if isinstance(groups, str) else set(groups) if isinstance(groups, list) else set()
    return next((role for group, role in mapping.items() if group in listed), None)


class StaffSignIn:
    """Signs colleagues in and hands out staff sessions.

    Args:
        store: colleagues and sessions.
        settings: environment, claims and group mapping.
        throttle: counts failed sign-ins.
        verifier: checks colleagues' access tokens (None: no provider sign-in).
    """

    def __init__(self, store: StaffStore, settings: StaffSettings, throttle: SignInThrottle,
                 verifier: AccessTokenVerifier | None) -> None:
        self._store = store
        self._settings = settings
        self._throttle = throttle
        self._verifier = verifier

    @classmethod
    def from_settings(cls, store: StaffStore, settings: StaffSettings, storage_uri: str,
                      identity: IdentitySettings | None = None) -> StaffSignIn:
        """The sign-in with the provider of ``identity`` (``IDENTITY_*`` by default, its issuer
        replaced by ``staff_oidc_issuer`` where set) for the staff audience, counting failures
        in ``storage_uri``."""
        throttle = SignInThrottle(settings.sign_in_failures_per_username,
                                  settings.sign_in_failures_per_address, storage_uri)
        identity = identity or IdentitySettings()
        if settings.staff_oidc_issuer:
            identity = identity.model_copy(update={"issuer": settings.staff_oidc_issuer})
        verifier = AccessTokenVerifier(identity, audience=settings.staff_oidc_audience)
        return cls(store, settings, throttle, verifier)

    def with_password(self, username: str, password: str, address: str) -> StaffSessionCreated:
        """A session for ``username`` if the password is right (local and test only)."""
        if not self._settings.passwords_allowed:
            raise PasswordSignInDisabled(
                "Colleagues sign in through the bank's identity provider (POST /v1/staff/login/oidc)."
            )
        self._throttle.check(username, address)
        try:
            created = self._store.login(username, password)
        except InvalidCredentials:
            self._throttle.failed(username, address)
            raise
        self._throttle.succeeded(username)
        return created

    def with_provider(self, access_token: str, address: str) -> StaffSessionCreated:
        """A session for the colleague whose provider access token this is."""
        if self._verifier is None:
            raise SignInUnavailable("Sign-in through the identity provider is not configured.")
        self._throttle.check(None, address)
        try:
            login = self._verifier.verify(access_token)
            username, display_name, role = self._colleague(login.claims)
        except ProviderUnavailable as exc:
            raise SignInUnavailable("The identity provider cannot be reached; please try again shortly.",
                                    retry_after_s=PROVIDER_RETRY_AFTER_S) from exc
        except (TokenRejected, InvalidProviderToken) as exc:
            self._throttle.failed(None, address)
            raise InvalidProviderToken("This is not a valid colleague's access token.") from exc
        except RoleRequired:
            self._throttle.failed(None, address)
            raise
        return self._store.provider_login(login.subject, username, display_name, role)

    def _colleague(self, claims: Mapping[str, Any]) -> tuple[str, str, Role]:
        """Username, display name and role from a verified token's claims."""
        username = claims.get(self._settings.staff_oidc_username_claim) or claims.get("sub")
        if not isinstance(username, str) or not 0 < len(username) <= MAX_USERNAME_CHARS:
            raise InvalidProviderToken("the token names no usable username")
        role = role_from_groups(claims.get(self._settings.staff_oidc_groups_claim),
                                self._settings.staff_oidc_group_roles)
        if role is None:
            raise RoleRequired("Your groups at the identity provider give no role here.")
        name = claims.get("name")
        display_name = name[:MAX_DISPLAY_NAME_CHARS] if isinstance(name, str) and name else username
        return username, display_name, role
