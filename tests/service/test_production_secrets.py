"""With SERVICE_ENVIRONMENT=production the app refuses to start on a missing, short or
placeholder secret, naming the variable but never its value."""

from __future__ import annotations

import base64
import os
import subprocess

import pytest

from privacy.keys import new_key
from service.main import create_app
from service.secrets_check import InsecureConfiguration, production_problems
from stack.processes import ROOT, SERVICE_PYTHON
from tests.support.app import settings_for

GOOD = {"PRIVACY_VAULT_KEY": new_key(), "DATABASE_RECORD_KEY": new_key()}  # no staff password
DB = "postgresql+psycopg2://bank:Zq8-long-random-db-password@db:5432/bank"


@pytest.mark.parametrize(("changed", "named"), [
    ({"PRIVACY_VAULT_KEY": ""}, "PRIVACY_VAULT_KEY is missing"),
    ({"PRIVACY_VAULT_KEY": "change-me"}, "PRIVACY_VAULT_KEY is a placeholder"),
    ({"PRIVACY_VAULT_KEY": base64.urlsafe_b64encode(b"short").decode()}, "32 bytes"),
    ({"PRIVACY_VAULT_KEY": base64.urlsafe_b64encode(bytes(32)).decode()}, "not random"),
    ({"DATABASE_RECORD_KEY": ""}, "DATABASE_RECORD_KEY is missing"),
    ({"DATABASE_RECORD_KEY": "change-me"}, "DATABASE_RECORD_KEY is a placeholder"),
    ({"RABBITMQ_PASSWORD": "guest"}, "RABBITMQ_PASSWORD is a placeholder"),
    ({"RABBITMQ_PASSWORD": "Tr0ub4dor"}, "shorter than 12"),
])
def test_each_bad_secret_is_named(changed: dict[str, str], named: str) -> None:
    problems = production_problems({**GOOD, **changed}, DB)
    assert len(problems) == 1 and named in problems[0], problems


def test_good_secrets_pass_and_a_placeholder_database_password_does_not() -> None:
    assert production_problems(GOOD, DB) == []
    assert production_problems(GOOD, "postgresql://bank:change-me@db:5432/bank") == [
        "the DATABASE_URL password is a placeholder value"
    ]


def test_the_app_refuses_to_start_in_production(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVACY_VAULT_KEY", "change-me")
    with pytest.raises(InsecureConfiguration) as refused:
        create_app(settings_for(stack_database, environment="production"))
    message = str(refused.value)
    assert "PRIVACY_VAULT_KEY is a placeholder" in message
    assert "change-me" not in message  # names, not values
    create_app(settings_for(stack_database, environment="local"))  # local runs are not checked


def test_uvicorn_exits_with_the_message(stack_database: str) -> None:
    env = {**os.environ, "SERVICE_ENVIRONMENT": "production", "DATABASE_URL": stack_database,
           "PRIVACY_VAULT_KEY": ""}
    result = subprocess.run([str(SERVICE_PYTHON), "-c", "import service.main"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "Refusing to start with SERVICE_ENVIRONMENT=production" in result.stderr
    assert "PRIVACY_VAULT_KEY is missing" in result.stderr
