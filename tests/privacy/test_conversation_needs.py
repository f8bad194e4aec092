"""Redaction hides what identifies a person and keeps what the conversation needs.

Kept: amounts, currencies, merchants in transaction context, products, bank words, months and
relative dates, countries a payment or a trip goes to, large cities a trip goes to. Hidden:
payees named in payment phrasing, account numbers beside sort codes in any written form, and
bare values the bot has just asked for. Over-redaction is measured on personal-data-free banking messages.
"""

import csv
from pathlib import Path

import pytest

from privacy import RedactionContext
from privacy.redactor import Redactor

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "bench" / "data" / "pii_clean_banking.txt"
BANKING77 = ROOT.parent / "shared" / "data" / "banking77" / "train.csv"
MAX_TOUCHED = 0.01

KEPT = [
    "I want to save about 20000",
    "my goal is around £5k by March",
    "I'd like to borrow between 200 and 300",
    "I pulled out 30 and the atm gave me 20",
    "what is the exchange rate for AUD",
    "can I hold Russian Ruble in my account",
    "I was charged in Australian dollars",
    "there is a payment to AMZN MKTP I don't recognise",
    "Netflix charged me twice yesterday",
    "the bank took £40 out of my account",
    "why is my top-up still pending",
    "my card payment won't pend",
    "I'm travelling to Spain in March, will my card work?",
    "I need to send money to Nigeria next week",
    "how do I open a Cash ISA",
    "show me my transactions from last month",
    "AMZN MKTP",
    "Costa",
    "can I borrow 5k",
    "I spend £50-£100 a week on food",
    "the bank charged me twice",
    "my bank is Barclays",
    "move £200 from my Barclays account to savings",
    "I'm going on a trip to Japan in April",
    "I'm flying to Dubai next week, will my card work there?",
    "can I withdraw cash in Tokyo without a fee",
    "travelling to New York in May",
    "I paid rent in January",
    "can I pay it tomorrow",
    "my salary comes in on the 5th",
    "set up a standing order on the 1st of every month",
    "the payment on 3 March was wrong",
    "how much did I spend in December 2025",
    "can I pay max 500 a day",
    "I'm saving for summer 2027",
    "pay my council tax on 15 March",
]
HIDDEN = [
    ("I want to send £250 to Wei Nguyen, IBAN GB33 BUKB 2020 1555 5555 55", ["Wei Nguyen", "GB33"]),
    ("i want to send £250 to esperanza donnelly", ["esperanza", "donnelly"]),
    ("pay harriet okonkwo £40 please", ["harriet", "okonkwo"]),
    ("I got a payment from Siobhan Fitzgerald", ["Siobhan", "Fitzgerald"]),
    ("transfer from 20-32-06 51473538 to my savings", ["20-32-06", "51473538"]),
    ("20 32 06 51473538", ["20 32 06", "51473538"]),
    ("203206 51473538", ["203206", "51473538"]),
    ("sort code 20-32-06, account 5147 3538", ["20-32-06", "5147 3538"]),
    ("it's 20-32-06 acc 51473538", ["20-32-06", "51473538"]),
    ("card 4111🙂1111 👍🏽 1111 1111", ["4111", "1111"]),
    ("51473538", ["51473538"]),
    ("my name is Вэй Нгуен", ["Вэй", "Нгуен"]),
    ("pay wei nguyen 40 quid", ["wei", "nguyen"]),
    ("i want to pay dave 20", ["dave"]),
    ("I owe sarah £15", ["sarah"]),
    ("pay back tom 25", ["tom"]),
    ("transfer 50 to mohammed ali", ["mohammed", "ali"]),
    ("send money to ana lucia costa", ["ana", "lucia", "costa"]),
    ("set up a standing order for kwame mensah of £200", ["kwame", "mensah"]),
    ("sort code 20 32 06 account 51473538", ["20 32 06", "51473538"]),
    ("send £50 to Sydney", ["Sydney"]),  # a city, and a first name: the payee
    ("my address is 5 Park Lane, London", ["Park Lane", "London"]),
    ("sort code 20.32.06 account 51473538", ["20.32.06", "51473538"]),
    ("my account is 51473538 and sort code 203206", ["203206", "51473538"]),
]
PROMPTED = [
    ("What is the account number you'd like to pay?", "51473538", "<ACCOUNT_NUMBER_1>"),
    ("And the sort code?", "203206", "<SORT_CODE_1>"),
    ("Who would you like to pay?", "wei nguyen", "<PERSON_1>"),
    ("What's the payee's name?", "Wei", "<PERSON_1>"),
    ("Who would you like to pay?", "my mum", "my mum"),
    ("How much would you like to save?", "about 20000", "about 20000"),
    ("Which merchant was it?", "AMZN MKTP", "AMZN MKTP"),
    ("You're welcome! Is there anything else I can help with?", "bye", "bye"),
    ("Is there anything else I can help with?", "nothing else, cheers", "nothing else, cheers"),
    ("Is there anything else I can help with?", "Jolly good", "Jolly good"),
    ("How much would you like to move? For example £250 or 1,200.50.", "hmm", "hmm"),
    ("Would you like to hear about our savings accounts?", "Lovely jubbly", "Lovely jubbly"),
]


def _redact(redactor: Redactor, text: str, prompt: str = "") -> str:
    context = RedactionContext()
    context.prompt = prompt
    return redactor.redact(text, context).text


@pytest.mark.parametrize("text", KEPT)
def test_what_the_conversation_needs_is_kept(redactor: Redactor, text: str) -> None:
    assert _redact(redactor, text) == text


@pytest.mark.parametrize(("text", "values"), HIDDEN)
def test_payees_and_account_numbers_are_hidden(redactor: Redactor, text: str, values: list[str]) -> None:
    redacted = _redact(redactor, text)
    assert not [v for v in values if v in redacted], redacted


@pytest.mark.parametrize(("prompt", "reply", "expected"), PROMPTED)
def test_a_bare_reply_is_read_after_the_bots_question(
    redactor: Redactor, prompt: str, reply: str, expected: str
) -> None:
    assert _redact(redactor, reply, prompt) == expected


def test_the_prompt_is_not_serialised() -> None:
    context = RedactionContext()
    context.prompt = "What is your account number?"
    assert RedactionContext.from_json(context.to_json()).prompt == ""


def _touched(redactor: Redactor, messages: list[str]) -> list[str]:
    return [m for m in messages if redactor.detect(m)]


def test_personal_data_free_banking_messages_are_left_whole(redactor: Redactor) -> None:
    messages = [line for line in CLEAN.read_text().splitlines() if line.strip()]
    assert len(messages) >= 1_000
    touched = _touched(redactor, messages)
    assert len(touched) <= MAX_TOUCHED * len(messages), touched[:20]


@pytest.mark.skipif(not BANKING77.exists(), reason="../shared/data/banking77 is not here")
def test_banking77_questions_are_left_whole(redactor: Redactor) -> None:
    """BANKING77's training questions, measured on (never trained on)."""
    with BANKING77.open(newline="") as handle:
        messages = [row["text"] for row in csv.DictReader(handle)]
    touched = _touched(redactor, messages)
    assert len(touched) <= MAX_TOUCHED * len(messages), touched[:20]
