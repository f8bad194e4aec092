"""The app as production runs it, in-process: good secrets in the environment and a migrated
database with no demo colleagues (production refuses to start with them)."""

from __future__ import annotations

import secrets

import pytest
from alembic import command

from privacy.keys import new_key
from tests.support.databases import alembic_config

# Strong values for every secret production checks (whichever checks exist).
PRODUCTION_SECRETS = {
    "PRIVACY_VAULT_KEY": new_key(),
    "DATABASE_RECORD_KEY": new_key(),
    "IDENTITY_ASSERTION_KEY": secrets.token_urlsafe(48),
    "SERVICE_RASA_AUTH_TOKEN": secrets.token_urlsafe(32),
    "RASA_AUTH_TOKEN": secrets.token_urlsafe(32),
}


def production_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put good production secrets in the environment (and no demo staff password)."""
    for name, value in PRODUCTION_SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SERVICE_DEMO_STAFF_PASSWORD", raising=False)


def bare_database(folder: str) -> str:
    """A SQLite database in ``folder`` migrated to head, with no colleagues at all."""
    url = f"sqlite:///{folder}/bare.db"
    command.upgrade(alembic_config(url), "head")
    return url
