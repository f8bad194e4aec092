"""Our intent classifier and sentiment analyser inside a trained Rasa model, over HTTP.

The bot in `data/` is trained once per session with `rasa train` and served with
`rasa run --enable-api`; the tests use `/model/parse` and the tracker endpoints, so they
see exactly what FallbackClassifier, the policies and the action server see.
"""

from __future__ import annotations

import random
import string
import uuid
from pathlib import Path

import httpx
import pytest

RANDOM = random.Random(4)


def parse(url: str, text: str) -> dict:
    response = httpx.post(f"{url}/model/parse", json={"text": text}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_training_shows_progress(trained_bot: tuple[Path, str]) -> None:
    model, log = trained_bot
    assert model.exists()
    assert "fine-tuning epoch" in log
    assert "Finished training component 'TransformerIntentClassifier'" in log
    assert "Finished training component 'SentimentAnalyzer'" in log


@pytest.mark.parametrize(("text", "intent"), [
    ("I lost my card", "lost_card"),
    ("my card was stolen", "lost_card"),
    ("how much money do I have", "check_balance"),
    ("send money to my brother", "transfer_money"),
    ("hello", "greet"),
    ("thanks a lot", "thank_you"),
])
def test_in_domain_messages_get_their_intent_and_a_ranking(rasa_url: str, text: str,
                                                           intent: str) -> None:
    parsed = parse(rasa_url, text)
    assert parsed["intent"]["name"] == intent
    assert parsed["intent"]["confidence"] > 0.4
    ranking = parsed["intent_ranking"]
    assert 2 <= len(ranking) <= 10
    confidences = [entry["confidence"] for entry in ranking]
    assert confidences == sorted(confidences, reverse=True)


@pytest.mark.parametrize("text", [
    "",
    "😀😀🙏👍",
    "¿Dónde está mi tarjeta de crédito?",
    "Wo ist meine Karte? Ich warte seit zwei Wochen.",
    "我的银行卡丢了",
    "asdkj qwpeoi zmxncb",
    "".join(RANDOM.choice(string.printable) for _ in range(80)),
    ("I lost my card and I need help with my account. " * 110)[:5000],
    "".join(RANDOM.choice(string.ascii_letters + string.digits) for _ in range(5000)),
])
def test_bad_input_goes_to_the_fallback(rasa_url: str, text: str) -> None:
    parsed = parse(rasa_url, text)
    assert parsed["intent"]["name"] == "nlu_fallback"
    assert parsed["intent_ranking"][0]["name"] == "nlu_fallback"
    assert parsed["sentiment"]["frustrated"] is False


@pytest.mark.parametrize(("text", "label", "frustrated"), [
    ("This is ridiculous, I've called three times and nobody has fixed it!", "negative", True),
    ("I'm absolutely furious, you charged me twice. Sort it out now", "negative", True),
    ("Thank you so much, that was really helpful", "positive", False),
    ("What are your opening hours on Sunday?", "neutral", False),
])
def test_sentiment_and_frustration_are_in_the_parse_data(rasa_url: str, text: str, label: str,
                                                         frustrated: bool) -> None:
    sentiment = parse(rasa_url, text)["sentiment"]
    assert sentiment["label"] == label
    assert sentiment["frustrated"] is frustrated
    assert sentiment["score"] == max(sentiment["scores"].values())
    assert set(sentiment["scores"]) == {"negative", "neutral", "positive"}


def test_sentiment_is_kept_in_the_tracker(rasa_url: str) -> None:
    conversation = f"components-{uuid.uuid4().hex[:8]}"
    text = "This is unacceptable, my transfer has been stuck for a week. I'm sick of this!"
    response = httpx.post(f"{rasa_url}/conversations/{conversation}/messages",
                          json={"text": text, "sender": "user"}, timeout=60)
    assert response.status_code == 200, response.text
    tracker = httpx.get(f"{rasa_url}/conversations/{conversation}/tracker", timeout=60).json()
    latest = tracker["latest_message"]
    assert latest["sentiment"]["label"] == "negative"
    assert latest["sentiment"]["frustrated"] is True
    user_events = [event for event in tracker["events"] if event["event"] == "user"]
    assert user_events[-1]["parse_data"]["sentiment"] == latest["sentiment"]
