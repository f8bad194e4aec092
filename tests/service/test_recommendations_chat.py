"""The goal conversation ends in explained recommendations, and the answers are recorded.

Runs the real stack (trained bot, action server with the recommender on real FAISS
indexes, API) and reads the outcome back from the profile store.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from recommender.store_repository import StoreRepository
from stack.processes import Stack
from tests.support.chat import ChatClient

pytestmark = pytest.mark.stack


def suggestions(turn: dict[str, Any]) -> list[dict[str, Any]]:
    """The replies that carry the three answer buttons."""
    return [r for r in turn["replies"] if len(r["buttons"]) == 3
            and [b["title"] for b in r["buttons"]] == ["Tell me more", "I'm interested", "Not for me"]]


def finish_goal(chat: ChatClient) -> dict[str, Any]:
    turn = chat.send("I want to set a savings goal")
    turn = chat.click(turn, "save")
    chat.say("£6,000")
    chat.say("3 years")
    chat.say("low")
    return chat.send("£200 a month")


@pytest.fixture
def repository(stack: Stack) -> StoreRepository:
    return StoreRepository(sessionmaker(create_engine(stack.config.database_url)))


def test_goal_ends_in_three_explained_suggestions(stack: Stack) -> None:
    # cus_002 consents to profiling (other tests erase cus_006 from the shared stack).
    turn = finish_goal(ChatClient(stack.config.api_url, "cus_002"))
    text = " ".join(r["text"] or "" for r in turn["replies"])
    assert "saved your goal" in text, text
    items = suggestions(turn)
    assert len(items) == 3, turn["replies"]
    for rank, item in enumerate(items, start=1):
        assert item["text"].startswith(f"{rank}. "), item["text"]
        assert len(item["text"]) > 60, "a name and at least one reason"
    assert "group" in text, "the customer's segment is shown beside the suggestions"


def test_tell_me_more_then_a_typed_yes_is_recorded(stack: Stack, repository: StoreRepository) -> None:
    chat = ChatClient(stack.config.api_url, "cus_003")
    first = suggestions(finish_goal(chat))[0]
    more = chat.send("Tell me more", payload=first["buttons"][0]["payload"])
    detail = more["replies"][0]
    assert "Key facts" in detail["text"] and "risk level" in detail["text"], detail["text"]
    assert [b["title"] for b in detail["buttons"]] == ["I'm interested", "Not for me"]
    done = chat.say("sounds good, I'd like to apply for that one")  # typed, about the one described
    assert "noted your interest" in done, done
    name = first["text"].split(". ", 1)[1].split(" (")[0]
    accepted = repository.feedback("cus_003").accepted
    held = {p for p in accepted if repository.catalogue.get(p).name == name}
    assert held, f"{name} recorded as accepted: {accepted}"


def test_not_for_me_offers_the_others_and_is_never_suggested_again(
    stack: Stack, repository: StoreRepository
) -> None:
    chat = ChatClient(stack.config.api_url, "cus_004")
    turn = finish_goal(chat)
    first = suggestions(turn)[0]
    declined_name = first["text"].split(". ", 1)[1].split(" (")[0]
    answer = chat.send("Not for me", payload=first["buttons"][2]["payload"])
    titles = [b["title"] for r in answer["replies"] for b in r["buttons"]]
    assert len(titles) == 2 and all(t.startswith("More about ") for t in titles), titles
    declined = repository.feedback("cus_004").declined
    assert any(repository.catalogue.get(p).name == declined_name for p in declined)
    again = suggestions(finish_goal(chat))
    assert declined_name not in " ".join(i["text"] for i in again)


def test_a_payload_for_another_suggestion_is_refused(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url, "cus_005")
    finish_goal(chat)
    forged = '/recommendation_feedback{"rec_id":"rec_0000000000000000","feedback":"accepted"}'
    response = chat.http.post(f"/v1/conversations/{chat.id}/messages",
                              json={"text": "I'm interested", "payload": forged})
    assert response.status_code == 422, response.text
