"""Production has no demo colleagues and no staff passwords: the app refuses to start with
either, the seed command refuses to make them, compose's migrate job does not run it, and
password sign-in answers 403."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from service.main import create_app
from service.secrets_check import InsecureConfiguration
from service.staff.models import NO_PASSWORD, StaffUser
from service.staff.roles import Role
from service.staff.store import StaffStore
from stack.processes import ROOT, SERVICE_PYTHON
from tests.support.app import STRONG_STAFF_PASSWORD, settings_for, started_app
from tests.support.production import bare_database, production_environment


def staff_store(url: str) -> StaffStore:
    return StaffStore(sessionmaker(create_engine(url)), scrypt_log2_n=10)


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    production_environment(monkeypatch)
    return bare_database(str(tmp_path))


@pytest.mark.parametrize("environment", ["production", "prod"])
def test_demo_colleagues_stop_production(stack_database: str, monkeypatch: pytest.MonkeyPatch,
                                         environment: str) -> None:
    production_environment(monkeypatch)
    with pytest.raises(InsecureConfiguration) as refused:
        create_app(settings_for(stack_database, environment=environment))
    message = str(refused.value)
    assert "demo colleagues exist" in message
    assert "admin1, agent1, agent2, analyst1, compliance1" in message
    create_app(settings_for(stack_database, environment="local"))  # local and test keep them


@pytest.mark.parametrize("active", [True, False])
def test_one_demo_colleague_even_disabled_stops_production(bare: str, active: bool) -> None:
    store = staff_store(bare)
    store.ensure_user("agent2", "Sam (agent)", Role.AGENT, STRONG_STAFF_PASSWORD)
    store.set_active("agent2", active)
    with pytest.raises(InsecureConfiguration, match=r"demo colleagues exist in staff_users \(agent2\)"):
        create_app(settings_for(bare, environment="production"))


def test_colleagues_with_a_local_password_stop_production(bare: str) -> None:
    store = staff_store(bare)
    # Two colleagues sharing a password, and one with a password of their own: salted hashes
    # cannot tell a shared password, so any local password is refused.
    for username in ("jsmith", "mjones", "kpatel"):
        store.ensure_user(username, username, Role.AGENT, STRONG_STAFF_PASSWORD)
    with pytest.raises(InsecureConfiguration) as refused:
        create_app(settings_for(bare, environment="production"))
    message = str(refused.value)
    assert "3 active colleague(s) in staff_users have a local password" in message
    assert "jsmith" not in message and STRONG_STAFF_PASSWORD not in message  # counted, not named
    for username in ("jsmith", "mjones"):
        store.set_active(username, False)
    with pytest.raises(InsecureConfiguration, match="1 active colleague"):
        create_app(settings_for(bare, environment="production"))


def test_production_starts_with_provider_colleagues_only_and_refuses_passwords(bare: str) -> None:
    engine = create_engine(bare)
    with sessionmaker(engine).begin() as session:
        session.add(StaffUser(username="pat", display_name="Pat", role="agent", password_hash=NO_PASSWORD,
                              oidc_subject="idp-subject-pat"))
    staff_store(bare).ensure_user("leaver", "Leaver", Role.AGENT, STRONG_STAFF_PASSWORD)
    staff_store(bare).set_active("leaver", False)
    with started_app(bare, environment="production") as app:
        assert app.state.staff_sign_in is not None


def test_password_sign_in_is_refused_in_production(bare: str) -> None:
    from fastapi.testclient import TestClient

    with started_app(bare, environment="production") as app, TestClient(app) as client:
        for username in ("pat", "agent1"):
            response = client.post("/v1/staff/login",
                                   json={"username": username, "password": STRONG_STAFF_PASSWORD})
            assert response.status_code == 403, response.text
            assert response.json()["error"]["code"] == "password_sign_in_disabled"


def test_the_seed_command_refuses_outside_local_and_test(bare: str) -> None:
    env = {**os.environ, "SERVICE_ENVIRONMENT": "production", "DATABASE_URL": bare,
           "SERVICE_DEMO_STAFF_PASSWORD": STRONG_STAFF_PASSWORD}
    result = subprocess.run([str(SERVICE_PYTHON), "-m", "service.staff", "seed"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "only where SERVICE_ENVIRONMENT is local or test" in result.stderr
    with create_engine(bare).connect() as connection:
        assert connection.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_compose_seeds_no_colleagues_and_passes_no_staff_password() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    migrate = " ".join(services["migrate"]["command"])
    assert "alembic upgrade head" in migrate and "service.staff" not in migrate
    for name, service in services.items():
        assert "SERVICE_DEMO_STAFF_PASSWORD" not in (service.get("environment") or {}), name
    assert services["api"]["environment"]["SERVICE_ENVIRONMENT"] == "production"
