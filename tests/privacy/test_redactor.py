"""The Redactor end to end on the real analyzer: placeholders, bad input, vocabulary."""

import json

import pytest

from privacy.errors import TextTooLongError
from privacy.redaction import RedactionContext
from privacy.redactor import Redactor

CARD = "4111 1111 1111 1111"


def test_same_value_same_placeholder_different_values_different_numbers(redactor: Redactor) -> None:
    context = RedactionContext()
    first = redactor.redact(f"My card is {CARD}", context)
    second = redactor.redact("Again: 4111-1111-1111-1111 and 5555 5555 5555 4444", context)
    assert first.text == "My card is <CARD_1>"
    assert second.text == "Again: <CARD_1> and <CARD_2>"


def test_spans_point_into_original_and_redacted_text(redactor: Redactor) -> None:
    text = f"Card {CARD}, email jo.bloggs@example.com"
    redaction = redactor.redact(text, RedactionContext())
    assert [text[s.start : s.end] for s in redaction.spans] == [CARD, "jo.bloggs@example.com"]
    assert [redaction.text[s.redacted_start : s.redacted_end] for s in redaction.spans] == [
        "<CARD_1>",
        "<EMAIL_1>",
    ]
    assert {o.placeholder: o.value for o in redaction.originals} == {
        "<CARD_1>": CARD,
        "<EMAIL_1>": "jo.bloggs@example.com",
    }


def test_context_json_holds_no_raw_values_and_round_trips(redactor: Redactor) -> None:
    context = RedactionContext()
    redactor.redact(f"My card is {CARD} and I am Jane Austen", context)
    stored = context.to_json()
    assert "4111" not in stored and "Austen" not in stored
    restored = RedactionContext.from_json(stored)
    assert redactor.redact(f"card {CARD}", restored).text == "card <CARD_1>"
    assert "previous_tail" not in json.loads(stored)


@pytest.mark.parametrize(
    "text",
    [
        "card ４１１１ １１１１ １１１１ １１１１",
        "card 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
        "card 4111 l111 1111 1111",
        "card 4111\u200b1111\u200b1111\u200b1111",
    ],
)
def test_look_alike_and_spaced_cards_are_caught(redactor: Redactor, text: str) -> None:
    redaction = redactor.redact(text, RedactionContext())
    assert redaction.text == "card <CARD_1>"


def test_look_alike_digits_get_the_same_placeholder(redactor: Redactor) -> None:
    context = RedactionContext()
    redactor.redact(f"card {CARD}", context)
    assert redactor.redact("card ４１１１ １１１１ １１１１ １１１１", context).text == "card <CARD_1>"


def test_card_split_over_two_messages_is_caught(redactor: Redactor) -> None:
    context = RedactionContext()
    first = redactor.redact("my card is 4111 1111", context)
    second = redactor.redact("1111 1111", context)
    assert "4111" not in first.text
    assert second.text == "<CARD_1>"
    assert second.split_from_previous == ("<CARD_1>",)
    assert second.originals[0].value.replace(" ", "").replace("\n", "") == "4111111111111111"


def test_iban_split_over_two_messages_is_caught(redactor: Redactor) -> None:
    context = RedactionContext()
    redactor.redact("IBAN GB82 WEST 1234", context)
    second = redactor.redact("5698 7654 32", context)
    assert second.text == "<IBAN_1>"


def test_no_personal_data_comes_back_unchanged(redactor: Redactor) -> None:
    text = "Hello, what is my balance?"
    redaction = redactor.redact(text, RedactionContext())
    assert redaction.text == text
    assert redaction.spans == () and not redaction.has_personal_data


@pytest.mark.parametrize(
    "text",
    [
        "I paid £250 last week",
        "Transfer 500 pounds to my savings account",
        "I have been a customer for 5 years",
        "Can I open a Cash ISA or a Premier Current Account?",
        "My Visa debit card was declined at the ATM",
        "I want a loan of 10,000 pounds over 3 years",
        "Set up a standing order for next Monday",
        "Can I use Apple Pay with my Mastercard?",
    ],
)
def test_bot_vocabulary_survives(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text, RedactionContext()).text == text


def test_no_digit_of_a_number_run_is_left_where_spans_overlap(redactor: Redactor) -> None:
    """A card match over the first two numbers wins against one digit run over the first three;
    the third number is still hidden."""
    text = "123456789 1234567890 12345679012 123456790123 1234567901234 1234"
    redacted = redactor.redact(text, RedactionContext()).text
    assert not any(ch.isdigit() for ch in redacted.replace("_1", "").replace("_2", "").replace("_3", ""))
    assert "12345679012" not in redacted


def test_every_banking_type_is_redacted_in_one_message(redactor: Redactor) -> None:
    text = (
        f"I'm John Smith, card {CARD} exp 12/27 cvv 123, IBAN GB82WEST12345698765432, "
        "sort code 12-34-56 account number 12345678, SSN 123-45-6789, NI AB123456C, "
        "email john.smith@example.com, phone 07700 900123, ip 41.173.96.26"
    )
    redaction = redactor.redact(text, RedactionContext())
    for raw in [
        CARD,
        "12/27",
        "123,",
        "GB82WEST",
        "12-34-56",
        "12345678",
        "123-45-6789",
        "AB123456C",
        "john.smith@",
        "07700",
        "41.173",
        "Smith",
    ]:
        assert raw not in redaction.text, raw


def test_long_text_is_chunked_and_capped(redactor: Redactor) -> None:
    filler = "nothing to see here " * 200
    text = f"{filler} card {CARD} {filler} email a.b@example.com {filler}"
    redaction = redactor.redact(text, RedactionContext())
    assert "<CARD_1>" in redaction.text and "<EMAIL_1>" in redaction.text
    with pytest.raises(TextTooLongError):
        redactor.redact("x" * 200_001, RedactionContext())
