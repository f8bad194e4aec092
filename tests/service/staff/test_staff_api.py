"""Staff sign-in: log in, who am I, log out; wrong passwords, missing and dead tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from service.staff.errors import DemoPasswordMissing
from service.staff.models import StaffSession
from service.staff.roles import Role
from service.staff.settings import StaffSettings
from tests.service.handoff.conftest import PASSWORD, login, start_conversation


def error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json()["error"]


def test_login_me_logout(client: TestClient) -> None:
    response = client.post("/v1/staff/login", json={"username": "agent1", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["staff"] == {
        "id": body["staff"]["id"],
        "username": "agent1",
        "display_name": "Priya (agent)",
        "role": "agent",
    }
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/v1/staff/me", headers=headers).json()["role"] == "agent"
    assert client.post("/v1/staff/logout", headers=headers).status_code == 204
    assert error(client.get("/v1/staff/me", headers=headers), 401)["code"] == "not_signed_in"


@pytest.mark.parametrize(("username", "password"), [("agent1", "wrong"), ("nobody", PASSWORD)])
def test_wrong_credentials_say_nothing_more(client: TestClient, username: str, password: str) -> None:
    body = error(client.post("/v1/staff/login", json={"username": username, "password": password}), 401)
    assert body["code"] == "invalid_credentials"
    assert password not in str(body)


def test_no_token_and_a_customer_token_are_refused(client: TestClient) -> None:
    assert error(client.get("/v1/staff/me"), 401)["code"] == "not_signed_in"
    customer = start_conversation(client, None)  # a conversation's token is no colleague's
    assert error(client.get("/v1/agents/queue", headers=customer["headers"]), 401)["code"] == "not_signed_in"


def test_expired_session_is_refused(client: TestClient, app: FastAPI) -> None:
    headers = login(client, "agent2")
    with app.state.engine.begin() as connection:
        connection.execute(update(StaffSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert "expired" in error(client.get("/v1/staff/me", headers=headers), 401)["message"]


def test_disabled_colleague_cannot_sign_in(client: TestClient, app: FastAPI) -> None:
    app.state.staff.ensure_user("leaver", "Leaver", Role.AGENT, PASSWORD)
    app.state.staff.set_active("leaver", False)
    body = error(client.post("/v1/staff/login", json={"username": "leaver", "password": PASSWORD}), 401)
    assert body["code"] == "invalid_credentials"


def test_demo_colleagues_only_in_local_and_test() -> None:
    assert StaffSettings(environment="test").demo_password() == PASSWORD
    assert StaffSettings(environment="local", demo_staff_password="s3cret-enough").demo_password() == (
        "s3cret-enough"
    )
    for environment in ("production", "prod", "staging"):
        with pytest.raises(DemoPasswordMissing, match="only where SERVICE_ENVIRONMENT is local or test"):
            StaffSettings(environment=environment, demo_staff_password="s3cret-enough").demo_password()
