"""The input-quality factor: a table of messages that must pass and that must not."""

from __future__ import annotations

import pytest

from assistant.components.input_quality import InputQualityRules, input_quality, words_of

RULES = InputQualityRules.from_texts(["I lost my card", "send money to my savings account"])


@pytest.mark.parametrize("text", [
    "I lost my card",
    "where is my card??",
    "send £50 to my savings account",
    "my card hasn't arrived 😡",
    "Can I use Apple Pay?",
    "crd not arrived yet",
    "transfer 200 to account 12345678",
    "£8,000",
    "1,200.50",
    "300",
    "€ 45",
    "25/12/2024",
    "12345 678",
])
def test_ordinary_english_messages_keep_their_confidence(text: str) -> None:
    assert input_quality(text, RULES) >= 0.4


@pytest.mark.parametrize("text", [
    "",
    "   ",
    None,
    "😀😀🙏",
    "!!!???",
    "¿Dónde está mi tarjeta de crédito?",
    "Wo ist meine Karte? Ich warte seit zwei Wochen.",
    "je voudrais bloquer ma carte bancaire",
    "我的银行卡丢了",
    "Моя карта потерялась",
    "asdkj qwpeoi zmxncb",
    "xq7#kd!!pz@@9v,,mwq",
    "my card " * 700,
])
def test_bad_input_gets_a_low_factor(text: str | None) -> None:
    assert input_quality(text, RULES) < 0.2


def test_words_are_lower_case_ascii_without_accents() -> None:
    assert words_of("Crédit CARD, déjà!") == ["credit", "card", "deja"]


def test_factor_falls_with_length_beyond_the_limit() -> None:
    rules = InputQualityRules(max_chars=100)
    short = input_quality("my card " * 10, rules)
    long = input_quality("my card " * 50, rules)
    assert short == 1.0
    assert long < 0.1
