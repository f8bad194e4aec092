"""Production refuses to start on a missing, short or placeholder secret.

Checked where ``SERVICE_ENVIRONMENT`` is ``production`` (or ``prod``): the vault key
(``PRIVACY_VAULT_KEY``, from which the audit chain's key is derived too), the key of the
database's sealed columns (``DATABASE_RECORD_KEY``: without it they would be sealed with the
public development key) and the passwords
inside ``DATABASE_URL``, ``RASA_TRACKER_DB`` and the broker settings when they carry one.
Production has no demo colleagues and no staff passwords (colleagues sign in through the
bank's identity provider), so no staff password is asked for; the staff table itself is
checked by :mod:`service.staff.production`. Messages name the variable, never its value.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PRODUCTION = "production"
PRODUCTION_ENVIRONMENTS = frozenset({PRODUCTION, "prod"})
MIN_PASSWORD_CHARS = 12
# Values from .env.example, docker-compose.yml, the README and the usual suspects.
PLACEHOLDERS = frozenset({
    "", "change-me", "changeme", "change_me", "changeit", "demo-password", "demo-staff-password",
    "password", "passw0rd", "secret", "admin", "guest", "postgres", "bank", "test", "example",
    "placeholder", "default", "123456", "12345678", "qwerty", "letmein", "xxx", "todo",
})
PLACEHOLDER_PARTS = ("change-me", "changeme", "change_me", "placeholder", "example", "your-", "replace")


class InsecureConfiguration(RuntimeError):
    """A production secret is missing, too short or a known placeholder."""


def is_production(environment: str) -> bool:
    """Whether ``environment`` (``SERVICE_ENVIRONMENT``) names production."""
    return environment.strip().lower() in PRODUCTION_ENVIRONMENTS


def is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in PLACEHOLDERS or any(part in lowered for part in PLACEHOLDER_PARTS)


def key_problem(name: str, value: str | None) -> str | None:
    """Why the 32-byte key in variable ``name`` is unusable in production, or None."""
    if not value:
        return f"{name} is missing (python -m privacy new-key)"
    if is_placeholder(value):
        return f"{name} is a placeholder"
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        return f"{name} is not urlsafe base64"
    if len(raw) != 32:
        return f"{name} does not decode to 32 bytes"
    if len(set(raw)) < 8:
        return f"{name} is not random (too few distinct bytes)"
    return None


def password_problem(name: str, value: str | None, required: bool) -> str | None:
    """Why a password is unusable in production, or None."""
    if not value:
        return f"{name} is missing" if required else None
    if is_placeholder(value):
        return f"{name} is a placeholder value"
    if len(value) < MIN_PASSWORD_CHARS:
        return f"{name} is shorter than {MIN_PASSWORD_CHARS} characters"
    return None


def url_password(url: str | None) -> str | None:
    """The password inside a SQLAlchemy URL, if it has one."""
    if not url or "://" not in url:
        return None
    try:
        return make_url(url).password  # type: ignore[return-value]
    except ArgumentError:
        return None


def production_problems(env: Mapping[str, str], database_url: str) -> list[str]:
    """Every reason the production secrets in ``env`` are not acceptable."""
    checks = [
        key_problem("PRIVACY_VAULT_KEY", env.get("PRIVACY_VAULT_KEY")),
        key_problem("DATABASE_RECORD_KEY", env.get("DATABASE_RECORD_KEY")),
        password_problem("the DATABASE_URL password", url_password(database_url), False),
        password_problem("the RASA_TRACKER_DB password", url_password(env.get("RASA_TRACKER_DB")), False),
    ]
    checks += [password_problem(name, env.get(name), False)
               for name in ("RASA_TRACKER_PASSWORD", "RABBITMQ_PASSWORD", "POSTGRES_PASSWORD")]
    return [problem for problem in checks if problem]


def ensure_production_secrets(environment: str, database_url: str,
                              env: Mapping[str, str] | None = None) -> None:
    """Raise ``InsecureConfiguration`` in production if any secret is unacceptable."""
    if not is_production(environment):
        return
    problems = production_problems(os.environ if env is None else env, database_url)
    if problems:
        raise InsecureConfiguration(
            f"Refusing to start with SERVICE_ENVIRONMENT={environment}: " + "; ".join(problems)
            + ". Provide real secrets from the secret store."
        )
