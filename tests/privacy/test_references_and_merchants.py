"""Payment references and merchants survive redaction; the personal data beside them does not.

A payment reference is short and often upper case ("ELEC DEC", "RENT JAN", "Flat 2 rent"): it
is what the payee sees, so the bot must keep it whole. It comes as the bare answer to the
bot's "What reference should they see?" or after a cue ("ref", "reference", "as the
reference"). Merchants are named in questions about spending ("how much did I spend at
TESCO", "my Octopus Energy bill"). Names, street addresses and identifying places beside
them are still hidden, and so is an employer ("I work for Octopus Energy").
"""

import pytest

from privacy import RedactionContext
from privacy.redactor import Redactor
from privacy.references import asks_for_reference, reference_regions

REFERENCE_PROMPT = "What reference should they see (up to 18 characters)?"

REFERENCES = [
    "ELEC DEC",
    "Xmas pressie",
    "Gas bill",
    "School trip",
    "Rent Jan",
    "Flat 2 rent",
    "RENT JAN",
    "GAS BILL",
    "XMAS",
    "SCHOOL TRIP",
    "INV 2231",
    "DEPOSIT",
    "COUNCIL TAX",
    "WATER BILL",
    "MAR RENT",
    "RENT FEB",
    "XMAS PRESSIE",
    "BDAY MUM",
    "HOLIDAY FUND",
    "CAR INSURANCE",
    "TV LICENCE",
    "NURSERY FEES",
    "GYM",
    "Flat 3B rent",
    "ROOM 4 RENT",
    "UNIT 7 DEPOSIT",
    "LOAN REPAY",
    "IOU",
    "PETROL",
    "WEDDING GIFT",
    "INV-2231",
    "TAXI",
    "POCKET MONEY",
    "ELEC Q4",
    "BROADBAND",
    "MOT",
    "HOUSE KITTY",
    "FLAT 2 BILLS",
    "Apt 5 rent",
    "DINNER SAT",
    "PARKING",
    "KIDS CLUB",
    "BOILER FIX",
    "ROOF REPAIR",
    "TICKETS",
    "ORDER 5512",
]

# A reference written after a cue, in a longer message.
REFERENCE_PHRASES = [
    "pay £45 to my landlord with reference ELEC DEC",
    "use ELEC DEC as the reference",
    "put GAS BILL as the reference please",
    "the reference should be RENT JAN",
    "ref: XMAS",
    "reference SCHOOL TRIP",
    "pay my sister £20, ref INV 2231",
    "can the reference say DEPOSIT",
    "ref Flat 2 rent",
    "with the reference Flat 2 rent",
    "change the reference to COUNCIL TAX",
    "reference is UNIT 7 DEPOSIT",
]

MERCHANT_PHRASES = [
    "how much did I spend at TESCO",
    "how much did I spend at Tesco last month",
    "what did I spend in Pret this week",
    "how much have I spent at Pret",
    "Pret charged me twice",
    "how much went on Deliveroo last month",
    "Deliveroo last month",
    "my Octopus Energy bill went up",
    "why did my Octopus Energy direct debit go up",
    "how much is my Octopus Energy bill",
    "show my Greggs transactions",
    "how much do I spend at Greggs",
    "Thames Water took the direct debit twice",
    "my Vodafone bill is higher than usual",
    "the refund from ASOS hasn't arrived",
    "I was charged twice by Sainsbury's",
    "there's a payment to Ocado I don't recognise",
    "cancel my Netflix subscription",
    "how much did I spend at Pret A Manger in March",
    "British Gas took too much this month",
    "what's my spending at Lidl",
    "did Octopus Energy refund me",
]

# (text, prompt, values that must not appear, values that must stay)
MUST_REDACT = [
    ("pay John Smith", "", ["John Smith"], []),
    ("pay John Smith £40 with reference RENT JAN", "", ["John Smith"], ["RENT JAN"]),
    ("send £50 to Jan Kowalski ref RENT JAN", "", ["Kowalski"], ["RENT JAN"]),
    ("pay Sarah Jones £30 for the GAS BILL", "", ["Sarah Jones"], ["GAS BILL"]),
    ("transfer £200 to Priya Patel reference XMAS", "", ["Priya Patel"], ["XMAS"]),
    ("Flat 2, 14 Elm Grove, Leeds LS6 2AB", "", ["14 Elm Grove", "Leeds", "LS6 2AB"], []),
    ("I live at Flat 2, 14 Elm Grove, Leeds LS6 2AB", "", ["14 Elm Grove", "Leeds", "LS6 2AB"], []),
    ("send the new card to Flat 2, 14 Elm Grove, Leeds", "", ["14 Elm Grove", "Leeds"], []),
    (
        "my address is 3 Church Lane, Hebden Bridge HX7 8AA",
        "",
        ["3 Church Lane", "Hebden Bridge", "HX7 8AA"],
        [],
    ),
    ("deliver it to Unit 7, 22 Riverside Road, Leeds", "", ["22 Riverside Road", "Leeds"], []),
    ("14 Elm Grove rent", REFERENCE_PROMPT, ["14 Elm Grove"], ["rent"]),
    ("Amelia Hughes", REFERENCE_PROMPT, ["Amelia Hughes"], []),
    ("rent for Amelia Hughes", REFERENCE_PROMPT, ["Amelia Hughes"], []),
    ("rent esperanza donnelly", REFERENCE_PROMPT, ["esperanza", "donnelly"], ["rent"]),
    ("JAN KOWALSKI", REFERENCE_PROMPT, ["KOWALSKI"], []),
    ("JOHN SMITH", REFERENCE_PROMPT, ["JOHN SMITH"], []),
    ("MAY JONES", REFERENCE_PROMPT, ["JONES"], []),
    ("wei nguyen", REFERENCE_PROMPT, ["nguyen"], []),
    ("07700 900123", REFERENCE_PROMPT, ["07700 900123"], []),
    ("jo.bloggs@example.com", REFERENCE_PROMPT, ["jo.bloggs"], []),
    ("John Smith", "Who would you like to pay?", ["John Smith"], []),
    ("the reference should be my daughter's name, Amelia Hughes", "", ["Amelia Hughes"], []),
    ("ref 07700 900123", "", ["07700 900123"], []),
    ("my postcode is LS6 2AB", "", ["LS6 2AB"], []),
    ("I work for Octopus Energy", "", ["Octopus Energy"], []),
    ("I work at Greggs in Hebden Bridge", "", ["Hebden Bridge"], []),
    ("I live in Hebden Bridge", "", ["Hebden Bridge"], []),
    ("my name is Declan Murphy and I spent £40 at TESCO", "", ["Declan Murphy"], ["TESCO"]),
    ("how much did John Smith spend at Pret", "", ["John Smith"], ["Pret"]),
]


# (text, the references found in it)
REGIONS = [
    ("use ELEC DEC as the reference", ["ELEC DEC"]),
    ("Flat 2 rent as ref", ["Flat 2 rent"]),
    ("pay £45 to my landlord with reference ELEC DEC", ["ELEC DEC"]),
    ("ref: XMAS", ["XMAS"]),
    ("the reference should be RENT JAN", ["RENT JAN"]),
    ("change the reference to COUNCIL TAX", ["COUNCIL TAX"]),
    ("reference SCHOOL TRIP and pay John Smith", ["SCHOOL TRIP"]),
    ("pay John Smith £40", []),
    ("I'd like to pay my preferred payee", []),
]


def _redact(redactor: Redactor, text: str, prompt: str = "") -> str:
    context = RedactionContext()
    context.prompt = prompt
    return redactor.redact(text, context).text


@pytest.mark.parametrize(("text", "references"), REGIONS)
def test_references_are_found_after_and_before_their_cues(text: str, references: list[str]) -> None:
    assert [text[start:end] for start, end in reference_regions(text)] == references


@pytest.mark.parametrize(
    ("question", "asks"),
    [(REFERENCE_PROMPT, True), ("Any payment ref?", True), ("Who would you like to pay?", False),
     ("What would you prefer?", False)],
)
def test_a_question_for_a_reference_is_told_apart(question: str, asks: bool) -> None:
    assert asks_for_reference(question) is asks


@pytest.mark.parametrize("reference", REFERENCES)
def test_a_reference_given_when_asked_is_kept(redactor: Redactor, reference: str) -> None:
    assert _redact(redactor, reference, REFERENCE_PROMPT) == reference


@pytest.mark.parametrize("text", REFERENCE_PHRASES)
def test_a_reference_after_a_cue_is_kept(redactor: Redactor, text: str) -> None:
    assert _redact(redactor, text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Flat 2 rent is due on Friday", "the Flat 2 rent is due on Friday"),
        ("RENT JAN", "RENT JAN"),
        ("COUNCIL TAX", "COUNCIL TAX"),
        # beside a place, a unit may tell where someone lives: it is still hidden
        ("the Flat 2 rent, I live in Leeds", "the <ADDRESS_1> rent, I live in <LOCATION_1>"),
    ],
)
def test_a_unit_or_capitals_alone_are_no_personal_data(redactor: Redactor, text: str, expected: str) -> None:
    assert _redact(redactor, text) == expected


@pytest.mark.parametrize("text", MERCHANT_PHRASES)
def test_merchants_in_spending_questions_are_kept(redactor: Redactor, text: str) -> None:
    assert _redact(redactor, text) == text


@pytest.mark.parametrize(("text", "prompt", "hidden", "kept"), MUST_REDACT)
def test_personal_data_beside_references_and_merchants_is_hidden(
    redactor: Redactor, text: str, prompt: str, hidden: list[str], kept: list[str]
) -> None:
    redacted = _redact(redactor, text, prompt)
    assert not [v for v in hidden if v in redacted], redacted
    assert all(v in redacted for v in kept), redacted
