"""THE CANARY: personal data of every type goes through the real API, from the customer and
from an agent, and then not one raw value may be found in any store.

Planted: card numbers (Luhn; plain, spaced out, split over two messages, full-width digits),
CVV and expiry, IBAN, UK sort code and account number, US routing and account number,
SWIFT/BIC, US SSN, UK National Insurance number, passport, date of birth, street address,
UK postcode and US ZIP code, UK/US/international phone numbers, email, person name and IP
address. Scanned afterwards: every column of every table of the service database (the vault's
encrypted bytes included), the raw bytes of its files, Rasa's SQL tracker store (its rows and
its file), and every log file of the stack. Codes are matched with any separators between
their characters ("4111 1111 ..." and "4111111111..." both count) and long codes by any eight
consecutive characters too, so a half-redacted value is a leak as well.

Beside those, ``simulation.personal_data`` plants 241 more values of every type we redact
in 24 multi-turn conversations written like customers write (lower case, typos, payees after
"to" and "pay", sort codes and account numbers in every written form, values split across
messages, bare values after the bot asked for them): each goes through the redactor with
the bot's prompt as context, and all but the bare replies through the real API as well.

A value the redactor misses fails this test: fix the recognizers, never the test.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from privacy import RedactionContext
from privacy.redactor import Redactor
from simulation.personal_data import Planted, Turn, conversations
from stack.processes import Stack
from tests.support.chat import ChatClient
from tests.support.colleague import Colleague
from tests.support.store_scan import database_cells

NAME = "Harriet Okonkwo"
CARD = "4539 1488 0343 6467"
CARD_SPACED = "4 0 2 4 0 0 7 1 7 4 6 2 2 1 3 3"
CARD_SPLIT = ("4916 3386", "1247 0095")
CARD_FULL_WIDTH = "４５５６ ７３７５ ８６５８ ３１６０"
AGENT_IBAN = "GB82 WEST 1234 5698 7654 32"
AGENT_PHONE = "07700 900123"

CUSTOMER_MESSAGES = [
    f"Hi, my name is {NAME} and I need help with my card",
    f"my card number is {CARD}, the cvv is 737 and it expires 09/28",
    f"the other card is {CARD_SPACED}",
    f"and my wife's card is {CARD_SPLIT[0]}",
    f"{CARD_SPLIT[1]} if that helps",
    f"and this one {CARD_FULL_WIDTH}",
    "pay it to IBAN GB33 BUKB 2020 1555 5555 55 please",
    "my sort code is 20-32-06 and my account number is 73849206",
    "for the US account the routing number is 026009593 and account number 4820193746",
    "the SWIFT code is NWBKGB2L",
    "my social security number is 536-22-8719",
    "my national insurance number is AB 12 34 56 C",
    "my passport number is 502135326",
    "my date of birth is 14/03/1987",
    "I live at 221B Baker Street, London NW1 6XE",
    "the US address zip code is 90210",
    "call me on 07700 900461 or on my US number (415) 555-0132",
    "my German number is +49 30 901820",
    "email me at harriet.okonkwo@example.org",
    "my login came from IP 203.0.113.77",
]
AGENT_MESSAGES = [
    f"Thanks {NAME}, I have updated your address to 14 Elm Grove, Leeds LS6 2AB",
    f"I can confirm the IBAN {AGENT_IBAN} and we will write to h.okonkwo@example.com",
    f"I will call you back on {AGENT_PHONE}",
]
AGENT_NOTE = f"Called back {NAME} on {AGENT_PHONE}, passport 502135326 checked"
WHILE_HANDED_OFF = ["my new card is 5355 2261 0393 7117", "and my other email is hokonkwo77@example.net"]
AFTER_HANDBACK = "thanks, and my postcode is EH12 9QT"

# Types whose recognizers are patterns with checksums or fixed shapes: each must be vaulted.
VAULTED_TYPES = {
    "CARD",
    "CVV",
    "CARD_EXPIRY",
    "IBAN",
    "SORT_CODE",
    "ROUTING_NUMBER",
    "SWIFT_BIC",
    "SSN",
    "NINO",
    "PASSPORT",
    "DATE_OF_BIRTH",
    "PHONE",
    "EMAIL",
    "IP_ADDRESS",
    "PERSON",
}


@dataclass(frozen=True)
class Canary:
    """A planted value. ``text`` values (names, emails, addresses) match as words; the
    others as codes, with any separators between their characters."""

    kind: str
    value: str
    text: bool = False


CANARIES = [
    Canary("person name", NAME, text=True),
    Canary("card", CARD),
    Canary("card, spaced out", CARD_SPACED),
    Canary("card, split over two messages", "".join(CARD_SPLIT)),
    Canary("card, first half", CARD_SPLIT[0]),
    Canary("card, second half", CARD_SPLIT[1]),
    Canary("card, full-width digits", unicodedata.normalize("NFKC", CARD_FULL_WIDTH)),
    Canary("card, while handed off", "5355 2261 0393 7117"),
    Canary("CVV near a card", "737"),
    Canary("expiry near a card", "09/28"),
    Canary("IBAN", "GB33 BUKB 2020 1555 5555 55"),
    Canary("IBAN, from the agent", AGENT_IBAN),
    Canary("UK sort code", "20-32-06"),
    Canary("UK account number", "73849206"),
    Canary("US routing number", "026009593"),
    Canary("US account number", "4820193746"),
    Canary("SWIFT/BIC", "NWBKGB2L"),
    Canary("US SSN", "536-22-8719"),
    Canary("UK NI number", "AB 12 34 56 C"),
    Canary("passport", "502135326"),
    Canary("date of birth", "14/03/1987"),
    Canary("street address", "221B Baker Street", text=True),
    Canary("street address, from the agent", "14 Elm Grove", text=True),
    Canary("UK postcode", "NW1 6XE"),
    Canary("UK postcode, from the agent", "LS6 2AB"),
    Canary("UK postcode, after the handback", "EH12 9QT"),
    Canary("US ZIP code", "90210"),
    Canary("UK phone", "07700 900461"),
    Canary("UK phone, from the agent", AGENT_PHONE),
    Canary("US phone", "(415) 555-0132"),
    Canary("international phone", "+49 30 901820"),
    Canary("email", "harriet.okonkwo@example.org", text=True),
    Canary("email, from the agent", "h.okonkwo@example.com", text=True),
    Canary("email, while handed off", "hokonkwo77@example.net", text=True),
    Canary("IP address", "203.0.113.77"),
]

PLANTED = conversations(24)
# Planted kinds that match as words (names, emails, addresses), the others as codes.
_TEXT_ENTITIES = {"PERSON", "EMAIL", "ADDRESS"}


def planted_canary(value: Planted) -> Canary:
    """The scan's form of a planted value (a person's name is also found by its long words)."""
    if value.entity == "PERSON":
        return Canary("person name", value.value, text=True)
    return Canary(value.kind, value.value, text=value.entity in _TEXT_ENTITIES)


PLANTED_CANARIES = [
    planted_canary(p) for conversation in PLANTED for turn in conversation for p in turn.planted
]

_SEPARATORS = r"[\s\-./()+]*"
_SHORT_CODE = 6  # characters: a shorter code (CVV, expiry, ZIP) is matched only standing alone
_WINDOW = 8


def normalized(text: str) -> str:
    """What the scan compares: NFKC (full-width digits become digits), case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def needles(canary: Canary) -> list[re.Pattern[str]]:
    """The patterns that find a canary: codes of six characters or more with any separators
    (and their 8-character runs, for long codes); short codes as written or compact; text by
    itself and by each name word."""
    if canary.text:
        words = [canary.value] + (
            [w for w in canary.value.split() if len(w) >= 5] if canary.kind == "person name" else []
        )
        return [re.compile(re.escape(normalized(w))) for w in words]
    chars = [c for c in normalized(canary.value) if c.isalnum()]
    if len(chars) < _SHORT_CODE:
        # Short codes (CVV, expiry, ZIP) as written or compact, standing alone: not inside a
        # longer number, a date, a time or a decimal ("2026-09-28" holds no expiry 09/28).
        forms = {normalized(canary.value), "".join(chars)}
        return [
            re.compile(r"(?<![0-9a-z.,:/\-])" + re.escape(f) + r"(?![0-9a-z]|[.,:/\-][0-9])") for f in forms
        ]
    runs = ["".join(chars)]
    if len(chars) >= 12:
        runs += ["".join(chars[i : i + _WINDOW]) for i in range(len(chars) - _WINDOW + 1)]
    # Not the fraction or the seconds of a number or a time: "1796681234.203206" holds no
    # sort code 20-32-06.
    start = r"(?<![0-9a-z])(?<![0-9][.,:])"
    return [re.compile(start + _SEPARATORS.join(re.escape(c) for c in run) + r"(?![0-9a-z])") for run in runs]


def leaks(haystacks: Iterator[tuple[str, str]], canaries: list[Canary] = CANARIES) -> list[str]:
    """``where: kind`` for each canary found in a (where, text) haystack."""
    patterns = [(canary, needles(canary)) for canary in canaries]
    found = []
    for where, text in haystacks:
        text = normalized(text)
        for canary, canary_patterns in patterns:
            if any(p.search(text) for p in canary_patterns):
                found.append(f"{where}: {canary.kind}")
    return found


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def stores(stack: Stack) -> Iterator[tuple[str, str]]:
    """Every place the stack keeps anything, as (where, text)."""
    tracker = stack.config.tracker_db_path
    for url, name in ((stack.config.database_url, "database"), (f"sqlite:///{tracker}", "tracker store")):
        for cell in database_cells(url):
            if cell.integer and len(cell.text) < _SHORT_CODE:
                continue  # a row number or a reference to one (ids reach 737, the CVV, in a long run)
            yield f"{name} {cell.table}.{cell.column}", cell.text
    for path in (sqlite_path(stack.config.database_url), tracker):
        for file in sorted(path.parent.glob(f"{path.name}*")):  # the database, -wal, -shm, -journal
            yield f"file {file.name}", file.read_bytes().decode("utf-8", errors="replace")
    for log in sorted(p for p in stack.config.log_dir.rglob("*") if p.is_file()):
        yield f"log {log.name}", log.read_text(errors="replace")


def test_the_needles_find_every_form_of_a_value() -> None:
    """The scan itself: separators, case, full-width digits and half-redacted codes count."""
    card = needles(Canary("card", CARD))
    for text in (
        CARD,
        "4539148803436467",
        "4539-1488-0343-6467",
        "x 4 5 3 9 1 4 8 8 0 3 4 3 6 4 6 7 x",
        "card 4539 1488 <CARD_1>",
        normalized("４５３９１４８８０３４３６４６７"),
    ):
        assert any(p.search(normalized(text)) for p in card), text
    for text in ("<CARD_1>", "45391488034364670", "card 1234 5678"):
        assert not any(p.search(normalized(text)) for p in card), text
    sort_code = needles(Canary("sort code", "20-32-06"))
    assert any(p.search("sort code:20.32.06") for p in sort_code)
    for text in ("1796681234.203206", "2026-12-07 11:49:55.203206", "11:49:20.3206+00:00"):
        assert not any(p.search(text) for p in sort_code), text
    cvv = needles(Canary("cvv", "737"))
    assert any(p.search("the cvv is 737,") for p in cvv)
    for text in ("04:37:37,737 INFO", "1764217737.12", "0.737", "conf 737.5", "a737b"):
        assert not any(p.search(text) for p in cvv), text
    expiry = needles(Canary("expiry", "09/28"))
    assert any(p.search("expires 09/28.") for p in expiry) and any(p.search("exp 0928") for p in expiry)
    for text in ("2026-09-28 10:00:00", "2026/09/28", "1.09/28", "09/281"):
        assert not any(p.search(text) for p in expiry), text
    assert leaks(iter([("x", "Dear HARRIET, hello")])) == ["x: person name"]


def test_an_iban_after_a_postcode_is_still_found(redactor: Redactor) -> None:
    """A postcode ("LS6 2AB") looks like the start of an IBAN and must not swallow the real one
    in the next message (the redactor reads the end of the previous message too)."""
    context = RedactionContext()
    redactor.redact("I have updated your address to 14 Elm Grove, Leeds LS6 2AB", context)
    redaction = redactor.redact(f"I can confirm the IBAN {AGENT_IBAN} today", context)
    assert redaction.text == "I can confirm the IBAN <IBAN_1> today"
    two = redactor.redact(
        f"GB33 BUKB 2020 1555 5555 55 and {AGENT_IBAN.replace(' ', '')}", RedactionContext()
    )
    assert two.text == "<IBAN_1> and <IBAN_2>"


def test_at_least_200_values_of_every_type_are_planted() -> None:
    entities = {p.entity for conversation in PLANTED for turn in conversation for p in turn.planted}
    assert len(PLANTED_CANARIES) >= 200
    assert {"PERSON", "CARD", "IBAN", "SORT_CODE", "ACCOUNT_NUMBER", "NHS_NUMBER", "ITIN", "SSN", "NINO",
            "PASSPORT", "DRIVER_LICENSE", "CRYPTO_WALLET", "IP_ADDRESS", "EMAIL", "PHONE", "ADDRESS",
            "POSTCODE", "DATE_OF_BIRTH"} <= entities


def _redacted_turns(redactor: Redactor, conversation: list[Turn]) -> Iterator[tuple[Turn, str]]:
    context = RedactionContext()
    for turn in conversation:
        context.prompt = turn.prompt
        yield turn, redactor.redact(turn.text, context).text


def test_no_planted_value_survives_redaction(redactor: Redactor) -> None:
    """Every planted value, the bare replies included, is gone from the redacted text."""
    found = []
    for index, conversation in enumerate(PLANTED):
        for turn, text in _redacted_turns(redactor, conversation):
            canaries = [planted_canary(p) for p in turn.planted]
            hits = leaks(iter([(f"#{index}", text)]), canaries)
            found += [f"{hit}: {turn.text!r} -> {text!r}" for hit in hits]
    assert found == [], "\n".join(found)


@pytest.mark.stack
def test_no_planted_value_in_any_store(stack: Stack) -> None:
    """The planted conversations through the API (bare replies left out: the real bot's
    question, not ours, comes before them), then every store scanned."""
    sent = []
    for conversation in PLANTED:
        chat = ChatClient(stack.config.api_url, "cus_002")
        for turn in conversation:
            if not turn.needs_prompt:
                chat.send(turn.text)
                sent += [planted_canary(p) for p in turn.planted]
    assert len(sent) >= 200
    found = leaks(stores(stack), sent)
    assert found == [], "raw personal data found:\n" + "\n".join(sorted(set(found)))


@pytest.mark.stack
def test_no_raw_personal_data_in_any_store(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url, "cus_001")
    for text in CUSTOMER_MESSAGES:
        chat.send(text)
    chat.send("can I talk to a real person please")
    agent = Colleague(stack.config.api_url, "agent1")
    handoff = agent.handoff_of(chat)
    assert handoff is not None, "the conversation is handed off"
    assert agent.post(handoff["id"], "claim").status_code == 200
    for text in AGENT_MESSAGES:
        sent = agent.post(handoff["id"], "messages", text=text)
        assert sent.status_code == 200, sent.text
    assert agent.post(handoff["id"], "notes", text=AGENT_NOTE).status_code == 201
    for text in WHILE_HANDED_OFF:
        replies = chat.send(text)["replies"]
        assert all((r["custom"] or {}).get("system") for r in replies), "only handoff notices, no bot answer"
    assert agent.post(handoff["id"], "resolve").status_code == 200
    chat.send(AFTER_HANDBACK)

    transcript = chat.transcript()["messages"]
    said = [m for m in transcript if m["sender"] in ("user", "agent")]
    assert len(said) == len(CUSTOMER_MESSAGES) + len(AGENT_MESSAGES) + len(WHILE_HANDED_OFF) + 2
    customer_statuses = [m["status"] for m in transcript if m["sender"] == "user"]
    assert customer_statuses[-3:] == ["relayed", "relayed", "answered"], customer_statuses
    tracker = httpx.get(f"{stack.config.rasa_url}/conversations/{chat.id}/tracker",
                        params=stack.rasa_api_params, timeout=30).json()
    assert any(e["event"] == "user" for e in tracker["events"]), "Rasa saw the (redacted) conversation"
    assert stack.config.tracker_db_path.exists(), "Rasa keeps its trackers in the SQL store we scan"

    found = leaks(stores(stack))
    assert found == [], "raw personal data found:\n" + "\n".join(sorted(set(found)))

    compliance = Colleague(stack.config.api_url, "compliance1")
    view = compliance.http.get(f"/v1/compliance/transcripts/{chat.id}").json()
    assert VAULTED_TYPES <= set(view["entity_types"]), VAULTED_TYPES - set(view["entity_types"])
    first_card = next(
        s["placeholder"] for m in view["messages"] for s in m["entities"] if s["entity_type"] == "CARD"
    )
    revealed = compliance.http.post(
        f"/v1/compliance/transcripts/{chat.id}/reveal",
        json={"placeholder": first_card, "reason": "canary test check"},
    )
    assert revealed.json()["value"] == CARD, "the original is in the vault, encrypted"
