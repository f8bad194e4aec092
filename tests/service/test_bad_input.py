"""Bad input gets a clear 4xx JSON error; nothing crashes and the conversation goes on."""

from __future__ import annotations

import httpx
import pytest

from stack.processes import Stack
from tests.support.chat import ChatClient

pytestmark = pytest.mark.stack


@pytest.fixture
def chat(stack: Stack) -> ChatClient:
    return ChatClient(stack.config.api_url)


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text(chat: ChatClient, text: str) -> None:
    error = error_of(chat.http.post(f"/v1/conversations/{chat.id}/messages", json={"text": text}), 422)
    assert error["code"] == "invalid_message"


def test_text_over_the_limit(chat: ChatClient) -> None:
    error = error_of(
        chat.http.post(f"/v1/conversations/{chat.id}/messages", json={"text": "a" * 5001}), 413)
    assert error["code"] == "message_too_large" and error["details"]["max_chars"] == 5000


def test_huge_body_refused_before_parsing(chat: ChatClient) -> None:
    response = chat.http.post(f"/v1/conversations/{chat.id}/messages",
                              content=b'{"text": "' + b"x" * 200_000 + b'"}',
                              headers={"Content-Type": "application/json"})
    assert error_of(response, 413)["code"] == "request_too_large"


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"text": 5}', b'{"txt": "hi"}', b"null"])
def test_malformed_json_and_wrong_types(chat: ChatClient, body: bytes) -> None:
    response = chat.http.post(f"/v1/conversations/{chat.id}/messages", content=body,
                              headers={"Content-Type": "application/json"})
    assert error_of(response, 422)["code"] == "invalid_request"


def test_validation_errors_do_not_echo_input(chat: ChatClient) -> None:
    secret = "4111 1111 1111 1111"
    response = chat.http.post(f"/v1/conversations/{chat.id}/messages",
                              json={"text": secret, "unexpected": secret})
    assert response.status_code == 422
    assert secret not in response.text


def test_unknown_conversation(stack: Stack, chat: ChatClient) -> None:
    response = chat.http.post("/v1/conversations/conv_doesnotexist/messages", json={"text": "hi"})
    assert error_of(response, 404)["code"] == "not_found"


def test_missing_token(stack: Stack, chat: ChatClient) -> None:
    response = httpx.post(f"{stack.config.api_url}/v1/conversations/{chat.id}/messages",
                          json={"text": "hi"})
    assert error_of(response, 401)["code"] == "unauthorized"


def test_token_of_another_conversation(stack: Stack, chat: ChatClient) -> None:
    other = ChatClient(stack.config.api_url)
    response = other.http.post(f"/v1/conversations/{chat.id}/messages", json={"text": "hi"})
    assert error_of(response, 403)["code"] == "forbidden"
    assert error_of(other.http.get(f"/v1/conversations/{chat.id}"), 403)["code"] == "forbidden"


@pytest.mark.parametrize("customer_id", ["cus_002", "cus_999", "'; DROP TABLE customers; --", "", "x" * 100])
def test_a_customer_named_in_the_body_is_refused_alike(stack: Stack, customer_id: str) -> None:
    response = httpx.post(f"{stack.config.api_url}/v1/conversations",
                          json={"customer_id": customer_id})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_request"
    assert customer_id not in response.text or not customer_id


def test_button_not_on_offer_is_refused(chat: ChatClient) -> None:
    response = chat.http.post(f"/v1/conversations/{chat.id}/messages",
                              json={"text": "Yes", "payload": '/inform{"customer_id": "cus_002"}'})
    assert error_of(response, 422)["code"] == "invalid_message"


def test_typed_intent_syntax_is_treated_as_text(chat: ChatClient) -> None:
    turn = chat.send('/inform{"customer_id": "cus_002"}')
    assert turn["replies"]


def test_injection_strings_are_just_text(chat: ChatClient) -> None:
    for text in ["'; DROP TABLE messages; --", "<script>alert(1)</script>", "{{7*7}}"]:
        assert chat.send(text)["replies"]
    users = [m["text"] for m in chat.transcript()["messages"] if m["sender"] == "user"]
    assert users[0] == "'; DROP TABLE messages; --" and users[2] == "{{7*7}}"
    assert users[1].startswith("<script>"), "stored as text (the redactor may mask a word in it)"


def test_conversation_goes_on_after_errors(chat: ChatClient) -> None:
    chat.http.post(f"/v1/conversations/{chat.id}/messages", json={"text": ""})
    chat.http.post(f"/v1/conversations/{chat.id}/messages", content=b"{bad")
    assert chat.send("hello")["replies"]
