"""Structured JSON logs: one line per request with its request id (taken from a valid
X-Request-ID or made, and returned), passed on to Rasa in the message metadata, and no raw
email address or card number anywhere in the logs."""

from __future__ import annotations

import json
import logging
import uuid

import httpx
import pytest
import structlog

from stack.processes import Stack
from tests.support.app import running_app, start_conversation

EMAIL = "jane.doe.logs@example.com"
CARD = "4111 1111 1111 1111"
TEXT = f"my email is {EMAIL} and my card is {CARD}"


def json_lines(output: str) -> list[dict]:  # type: ignore[type-arg]
    lines = []
    for line in output.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


def test_a_request_is_logged_as_json_with_its_id_and_without_personal_data(
    stack_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    request_id = f"test-{uuid.uuid4().hex}"
    with running_app(stack_database, monkeypatch) as client:
        conversation_id, auth = start_conversation(client)
        capsys.readouterr()
        response = client.post(f"/v1/conversations/{conversation_id}/messages", json={"text": TEXT},
                               headers={**auth, "X-Request-ID": request_id})
        invalid = client.get("/healthz", headers={"X-Request-ID": EMAIL})
        # Whatever some code logs by mistake is masked on the way out.
        structlog.get_logger("test").warning("oops", text=TEXT)
        logging.getLogger("test").warning("oops %s", TEXT)
    output = capsys.readouterr().err
    assert response.status_code == 503  # stored; the bot is down
    assert response.headers["X-Request-ID"] == request_id
    assert invalid.headers["X-Request-ID"] != EMAIL and len(invalid.headers["X-Request-ID"]) == 32
    records = json_lines(output)
    mine = [r for r in records if r.get("request_id") == request_id]
    assert any(r["event"] == "request" and r["status"] == 503 and r["path"].endswith("/messages")
               for r in mine), output
    assert sum(1 for r in records if r.get("event") == "oops" or "oops" in str(r.get("event"))) == 2
    assert EMAIL not in output and CARD not in output and CARD.replace(" ", "") not in output
    assert auth["Authorization"].split()[1] not in output


@pytest.mark.stack
def test_the_stack_logs_no_personal_data_and_rasa_gets_the_request_id(stack: Stack) -> None:
    api = stack.config.api_url
    request_id = f"stack-{uuid.uuid4().hex}"
    conversation = httpx.post(f"{api}/v1/conversations", json={"channel": "web"}).json()
    headers = {"Authorization": f"Bearer {conversation['token']}", "X-Request-ID": request_id}
    turn = httpx.post(f"{api}/v1/conversations/{conversation['id']}/messages", json={"text": TEXT},
                      headers=headers, timeout=60)
    assert turn.status_code == 200, turn.text
    assert turn.headers["X-Request-ID"] == request_id
    tracker = httpx.get(f"{stack.config.rasa_url}/conversations/{conversation['id']}/tracker",
                        params=stack.rasa_api_params).json()
    assert tracker["latest_message"]["metadata"]["request_id"] == request_id
    logs = {name: process.log_path.read_text(errors="replace") for name, process in stack.processes.items()}
    assert request_id in logs["api"]
    for name, text in logs.items():
        assert EMAIL not in text and CARD not in text and CARD.replace(" ", "") not in text, name
