"""Roles and ownership on every compliance and consent endpoint: who gets 401, who 403.

Only compliance reads, exports and reveals transcripts; the audit log is for compliance and
admin; retention is admin's; customers reach only their own consents.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.compliance.conftest import login, say, start_conversation

REVEAL_BODY = {"placeholder": "<CARD_1>", "reason": "fraud case 2026-0042"}


def endpoints(conversation_id: str) -> dict[str, tuple[str, str, dict[str, Any] | None]]:
    """Every staff endpoint of /v1/compliance: name -> (method, path, JSON body)."""
    base = "/v1/compliance"
    return {
        "entity_types": ("GET", f"{base}/entity-types", None),
        "search": ("GET", f"{base}/transcripts", None),
        "view": ("GET", f"{base}/transcripts/{conversation_id}", None),
        "reveal": ("POST", f"{base}/transcripts/{conversation_id}/reveal", REVEAL_BODY),
        "export_one": ("GET", f"{base}/transcripts/{conversation_id}/export?format=jsonl", None),
        "export_search": ("GET", f"{base}/export?format=html&customer_id=cus_004", None),
        "audit": ("GET", f"{base}/audit", None),
        "audit_verify": ("GET", f"{base}/audit/verify", None),
        "retention": ("POST", f"{base}/retention", {"days": 3650, "dry_run": True}),
        "erase": ("POST", f"{base}/customers/cus_999/erase", {"reason": "erasure request 77"}),
        "consent_history": ("GET", f"{base}/customers/cus_001/consents", None),
        "record_consent": (
            "POST",
            f"{base}/customers/cus_001/consents",
            {"purpose": "marketing", "granted": True, "channel": "branch"},
        ),
    }


# Which role may call which endpoint; everything else is 403 for a signed-in colleague.
ALLOWED = {
    "agent": set(),
    "compliance": {
        "entity_types",
        "search",
        "view",
        "reveal",
        "export_one",
        "export_search",
        "audit",
        "audit_verify",
        "erase",
        "consent_history",
    },
    "admin": {"audit", "audit_verify", "retention", "erase", "consent_history", "record_consent"},
}
USERS = {"agent": "agent1", "compliance": "compliance1", "admin": "admin1"}


def call(client: TestClient, spec: tuple[str, str, dict[str, Any] | None], headers: dict[str, str]) -> int:
    method, path, body = spec
    return client.request(method, path, json=body, headers=headers).status_code


@pytest.fixture
def conversation(client: TestClient) -> dict[str, Any]:
    chat = start_conversation(client, "cus_004")
    say(client, chat, "my card is 4539 1488 0343 6467")
    return chat


def test_without_a_staff_token_every_endpoint_is_401(
    client: TestClient, conversation: dict[str, Any]
) -> None:
    for name, spec in endpoints(conversation["id"]).items():
        assert call(client, spec, {}) == 401, name
        # A customer's conversation token is not a colleague's session.
        response = client.request(spec[0], spec[1], json=spec[2], headers=conversation["headers"])
        assert response.status_code == 401, name
        assert response.json()["error"]["code"] == "not_signed_in"


@pytest.mark.parametrize("role", ["agent", "compliance", "admin"])
def test_each_role_reaches_exactly_its_endpoints(
    client: TestClient, conversation: dict[str, Any], role: str
) -> None:
    headers = login(client, USERS[role])
    for name, spec in endpoints(conversation["id"]).items():
        status = call(client, spec, headers)
        if name in ALLOWED[role]:
            assert status not in (401, 403), f"{role} should reach {name}, got {status}"
        else:
            assert status == 403, f"{role} must not reach {name}, got {status}"


def test_agents_and_admins_cannot_reveal(client: TestClient, conversation: dict[str, Any]) -> None:
    for username in ("agent1", "agent2", "admin1"):
        response = client.post(
            f"/v1/compliance/transcripts/{conversation['id']}/reveal",
            json=REVEAL_BODY,
            headers=login(client, username),
        )
        assert response.status_code == 403, username
        error = response.json()["error"]
        assert error["code"] == "role_required" and error["details"]["required"] == ["compliance"]
        assert "4539" not in response.text


def test_a_customer_reaches_only_their_own_consents(client: TestClient) -> None:
    mine, theirs = start_conversation(client, "cus_001"), start_conversation(client, "cus_002")
    path = f"/v1/conversations/{theirs['id']}/consents"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=mine["headers"]).status_code == 403
    assert client.put(f"{path}/marketing", json={"granted": True}, headers=mine["headers"]).status_code == 403
    assert client.get(path, headers=login(client, "compliance1")).status_code == 403, (
        "a staff token is no customer's"
    )
    assert client.get(f"/v1/conversations/{mine['id']}/consents", headers=mine["headers"]).status_code == 200


def test_the_compliance_page_is_served(client: TestClient) -> None:
    page = client.get("/compliance")
    assert page.status_code == 200 and "Compliance review" in page.text
    assert client.get("/static/compliance.js").status_code == 200


def test_the_openapi_schema_documents_the_compliance_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/compliance/transcripts",
        "/v1/compliance/transcripts/{conversation_id}/reveal",
        "/v1/compliance/audit/verify",
        "/v1/compliance/retention",
        "/v1/compliance/customers/{customer_id}/erase",
        "/v1/conversations/{conversation_id}/consents",
    ):
        assert path in paths, path
