"""Seeded personal data planted in banking conversations, for the canary and the benchmarks.

Each value is valid for its type (Luhn card numbers, IBANs with their check digits, NHS
numbers with their modulus 11 digit, Bitcoin addresses with their checksum), and each
conversation is written the way customers write: lower case, typos, a value split across two
messages, a bare value after the bot asked for it. ``Turn.prompt`` is what the bot asked
just before; ``Turn.needs_prompt`` marks a reply that says nothing of what it holds.

    python -m simulation.personal_data --out bench/data/pii_banking_chat.json

writes the messages that need no prompt, in presidio-research's JSON format, for
``bench.pii`` (another seed than the canary's).
"""

import argparse
import hashlib
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FIRST_NAMES = [
    "Harriet",
    "Wei",
    "Oluwaseun",
    "Siobhan",
    "Mateusz",
    "Aaliyah",
    "Dmitri",
    "Priya",
    "Kwame",
    "Ingrid",
    "Tariq",
    "Mei",
    "Santiago",
    "Freya",
    "Anselm",
    "Chiamaka",
    "Bartholomew",
    "Yusuf",
    "Anneliese",
    "Rhiannon",
    "Thandiwe",
    "Lorcan",
    "Esperanza",
    "Hamish",
]
LAST_NAMES = [
    "Okonkwo",
    "Nguyen",
    "Kowalczyk",
    "Fitzgerald",
    "Abernathy",
    "Castellanos",
    "Vasquez",
    "Oyelaran",
    "Lindqvist",
    "Haddad",
    "Ramaswamy",
    "Osei",
    "Thorsen",
    "Achterberg",
    "Bellweather",
    "Nakamura",
    "Ferreira",
    "Donnelly",
    "Przybylski",
    "Mbeki",
    "Quigley",
    "Adeyemi",
]
STREETS = ["Baker Street", "Elm Grove", "Kirkgate Road", "Mill Lane", "Oakfield Avenue", "Harbour Close"]
POSTCODES = ["NW1 6XE", "LS6 2AB", "EH12 9QT", "M14 5RL", "BS8 1TH", "CF10 3NB", "G12 8QQ", "B15 2TT"]
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@dataclass(frozen=True)
class Planted:
    """A value in a message: its kind, the entity type we redact it as, and its offsets."""

    kind: str
    entity: str
    value: str
    start: int
    end: int


@dataclass
class Turn:
    """One customer message, after what the bot said."""

    prompt: str
    text: str
    planted: list[Planted] = field(default_factory=list)
    needs_prompt: bool = False


def luhn_complete(digits: str) -> str:
    """``digits`` with the Luhn check digit appended."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return digits + str((10 - total % 10) % 10)


class Values:
    """Factories of valid personal values, all drawn from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def digits(self, count: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(count))

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def card(self) -> str:
        prefix = self.rng.choice(["4", "51", "52", "53", "55"])
        number = luhn_complete(prefix + self.digits(15 - len(prefix)))
        return " ".join(number[i : i + 4] for i in range(0, 16, 4))

    def iban(self) -> str:
        bank = "".join(self.rng.choice(string.ascii_uppercase) for _ in range(4))
        bban = bank + self.digits(14)
        numeric = "".join(str(int(c, 36)) for c in bban + "GB00")
        check = 98 - int(numeric) % 97
        value = f"GB{check:02d}{bban}"
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))

    def sort_code(self) -> str:
        return "-".join(self.digits(2) for _ in range(3)).replace("00-", "20-", 1)

    def account(self) -> str:
        return self.rng.choice("123456789") + self.digits(7)

    def nhs(self) -> str:
        while True:
            body = self.rng.choice("456789") + self.digits(8)
            total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
            check = (11 - total % 11) % 11
            if check != 10:
                number = body + str(check)
                return f"{number[:3]} {number[3:6]} {number[6:]}"

    def itin(self) -> str:
        return f"9{self.digits(2)}-{self.rng.choice([70, 75, 78, 80, 88, 90, 92, 94, 99])}-{self.digits(4)}"

    def ssn(self) -> str:
        return f"{self.rng.randint(101, 665)}-{self.rng.randint(10, 99)}-{self.rng.randint(1000, 9999)}"

    def nino(self) -> str:
        prefix = self.rng.choice(["AB", "JH", "NM", "TC", "PR", "WL"])
        return f"{prefix} {self.digits(2)} {self.digits(2)} {self.digits(2)} {self.rng.choice('ABCD')}"

    def passport(self) -> str:
        return self.rng.choice("123456789") + self.digits(8)

    def uk_licence(self) -> str:
        surname = self.rng.choice(LAST_NAMES).upper()[:5].ljust(5, "9")
        return (
            f"{surname}{self.digits(6)}{self.rng.choice(['AB', 'JK', 'SM'])}9{self.rng.choice(['DX', 'IJ'])}"
        )

    def us_licence(self) -> str:
        return self.rng.choice(string.ascii_uppercase) + self.digits(7)

    def uk_phone(self) -> str:
        return f"07{self.rng.randint(100, 999)} {self.digits(6)}"

    def us_phone(self) -> str:
        return f"({self.rng.randint(201, 989)}) {self.rng.randint(201, 989)}-{self.digits(4)}"

    def email(self, name: str) -> str:
        first, last = name.lower().split()
        domain = self.rng.choice(["example.org", "example.com", "mail.example.net"])
        return f"{first}.{last}{self.rng.randint(1, 99)}@{domain}"

    def ipv4(self) -> str:
        first, last = self.rng.randint(11, 223), self.rng.randint(1, 254)
        return f"{first}.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{last}"

    def ipv6(self) -> str:
        return "2001:db8:" + ":".join(f"{self.rng.randint(1, 0xFFFF):x}" for _ in range(6))

    def eth(self) -> str:
        return "0x" + "".join(self.rng.choice("0123456789abcdef") for _ in range(40))

    def btc(self) -> str:
        payload = b"\0" + bytes(self.rng.randrange(256) for _ in range(20))
        raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
        number, encoded = int.from_bytes(raw, "big"), ""
        while number:
            number, rest = divmod(number, 58)
            encoded = _BASE58[rest] + encoded
        return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + encoded

    def date_of_birth(self) -> str:
        return f"{self.rng.randint(1, 28):02d}/{self.rng.randint(1, 12):02d}/{self.rng.randint(1950, 2004)}"

    def address(self) -> str:
        return f"{self.rng.randint(2, 240)} {self.rng.choice(STREETS)}"

    def postcode(self) -> str:
        return self.rng.choice(POSTCODES)


Writer = Callable[[Values], list[Turn]]


def _turn(prompt: str, template: str, needs_prompt: bool = False, **values: tuple[str, str, str]) -> Turn:
    """A turn from ``template`` whose ``{slot}`` fields are (kind, entity, value) triples."""
    text, planted = "", []
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        slot, _, rest = after.partition("}")
        text += before
        kind, entity, value = values[slot]
        planted.append(Planted(kind, entity, value, len(text), len(text) + len(value)))
        text += value
    return Turn(prompt, text + rest, planted, needs_prompt)


def _payment(v: Values) -> list[Turn]:
    payee, account, sort_code = v.name(), v.account(), v.sort_code()
    lower = v.rng.random() < 0.5
    name = payee.lower() if lower else payee
    return [
        _turn(
            "How can I help?",
            "i want to send £250 to {payee}" if lower else "I want to send £250 to {payee}",
            payee=("payee name", "PERSON", name),
        ),
        _turn(
            "What are the payee's details?",
            "{sort} {account}",
            sort=("sort code", "SORT_CODE", sort_code),
            account=("account number", "ACCOUNT_NUMBER", account),
        ),
        _turn(
            "Anything else?", "also pay {other} back the 40 quid", other=("payee name", "PERSON", v.name())
        ),
    ]


def _bare_replies(v: Values) -> list[Turn]:
    return [
        _turn(
            "What is the account number you'd like to pay?",
            "{account}",
            True,
            account=("bare account number", "ACCOUNT_NUMBER", v.account()),
        ),
        _turn(
            "And the sort code?",
            "{sort}",
            True,
            sort=("bare sort code", "SORT_CODE", v.sort_code().replace("-", "")),
        ),
        _turn("Who is the payee?", "{payee}", True, payee=("bare payee name", "PERSON", v.name().lower())),
    ]


def _sort_code_forms(v: Values) -> list[Turn]:
    sort_code, account = v.sort_code(), v.account()
    spaced = sort_code.replace("-", " ")
    return [
        _turn(
            "How can I help?",
            "transfer from {sort} {account} to my savings",
            sort=("sort code", "SORT_CODE", sort_code),
            account=("account number", "ACCOUNT_NUMBER", account),
        ),
        _turn(
            "Anything else?",
            "the other one is sort code {sort} account {account}",
            sort=("sort code", "SORT_CODE", spaced),
            account=("account number", "ACCOUNT_NUMBER", v.account()),
        ),
        _turn(
            "Anything else?",
            "and {sort}, acc {account}",
            sort=("sort code", "SORT_CODE", v.sort_code().replace("-", "")),
            account=("account number", "ACCOUNT_NUMBER", v.account()),
        ),
    ]


def _cards(v: Values) -> list[Turn]:
    split = v.card()
    return [
        _turn(
            "How can I help?", "my card number is {card} and it's blocked", card=("card", "CARD", v.card())
        ),
        _turn("Anything else?", "my wifes card is {first}", first=("card, first half", "CARD", split[:9])),
        _turn("Go on", "{second} if that helps", second=("card, second half", "CARD", split[10:])),
        _turn("Anything else?", "pay it to iban {iban} pls", iban=("IBAN", "IBAN", v.iban())),
    ]


def _identity(v: Values) -> list[Turn]:
    name = v.name()
    return [
        _turn("Can you confirm who you are?", "hi my name is {name}", name=("person name", "PERSON", name)),
        _turn(
            "Thanks", "my date of birth is {dob}", dob=("date of birth", "DATE_OF_BIRTH", v.date_of_birth())
        ),
        _turn(
            "Thanks",
            "i live at {address}, {postcode}",
            address=("street address", "ADDRESS", v.address()),
            postcode=("UK postcode", "POSTCODE", v.postcode()),
        ),
        _turn(
            "Thanks",
            "email me at {email} or call {phone}",
            email=("email", "EMAIL", v.email(name)),
            phone=("UK phone", "PHONE", v.uk_phone()),
        ),
        _turn("Thanks", "my US number is {phone}", phone=("US phone", "PHONE", v.us_phone())),
    ]


def _documents(v: Values) -> list[Turn]:
    return [
        _turn(
            "Which document?",
            "my passport number is {passport}",
            passport=("passport", "PASSPORT", v.passport()),
        ),
        _turn(
            "Thanks",
            "driving licence {licence}",
            licence=("UK driving licence", "DRIVER_LICENSE", v.uk_licence()),
        ),
        _turn(
            "Thanks",
            "us drivers license number {licence}",
            licence=("US driving licence", "DRIVER_LICENSE", v.us_licence()),
        ),
        _turn("Thanks", "my NHS number is {nhs}", nhs=("NHS number", "NHS_NUMBER", v.nhs())),
        _turn("Thanks", "national insurance no {nino}", nino=("UK NI number", "NINO", v.nino())),
        _turn(
            "Thanks",
            "ssn {ssn} and my ITIN is {itin}",
            ssn=("US SSN", "SSN", v.ssn()),
            itin=("US ITIN", "ITIN", v.itin()),
        ),
    ]


def _online(v: Values) -> list[Turn]:
    return [
        _turn(
            "What happened?",
            "someone logged in from {ip} and {ipv6}",
            ip=("IPv4 address", "IP_ADDRESS", v.ipv4()),
            ipv6=("IPv6 address", "IP_ADDRESS", v.ipv6()),
        ),
        _turn(
            "Anything else?",
            "they sent my crypto to wallet {btc}",
            btc=("Bitcoin wallet", "CRYPTO_WALLET", v.btc()),
        ),
        _turn(
            "Anything else?", "and to eth address {eth}", eth=("Ethereum wallet", "CRYPTO_WALLET", v.eth())
        ),
    ]


WRITERS: list[Writer] = [_payment, _bare_replies, _sort_code_forms, _cards, _identity, _documents, _online]


def conversations(count: int, seed: int = 18) -> list[list[Turn]]:
    """``count`` conversations, each the turns of two or three writers, the same for a seed."""
    values = Values(seed)
    out = []
    for index in range(count):
        chosen = [WRITERS[index % len(WRITERS)], WRITERS[(index + 3) % len(WRITERS)]]
        out.append([turn for writer in chosen for turn in writer(values)])
    return out


# Our entity type -> the label presidio-research's data sets use for it.
DATASET_LABELS = {
    "PERSON": "PERSON",
    "CARD": "CREDIT_CARD",
    "IBAN": "IBAN_CODE",
    "SORT_CODE": "UK_SORT_CODE",
    "ACCOUNT_NUMBER": "US_BANK_NUMBER",
    "NHS_NUMBER": "UK_NHS",
    "ITIN": "US_ITIN",
    "SSN": "US_SSN",
    "NINO": "UK_NINO",
    "PASSPORT": "US_PASSPORT",
    "DRIVER_LICENSE": "US_DRIVER_LICENSE",
    "CRYPTO_WALLET": "CRYPTO",
    "IP_ADDRESS": "IP_ADDRESS",
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER",
    "ADDRESS": "STREET_ADDRESS",
    "POSTCODE": "ZIP_CODE",
    "DATE_OF_BIRTH": "DATE_TIME",
}


def labelled_messages(count: int, seed: int) -> list[dict[str, object]]:
    """The messages of ``count`` conversations that need no prompt, with labelled spans."""
    return [
        {
            "full_text": turn.text,
            "spans": [
                {"entity_type": DATASET_LABELS[p.entity], "start_position": p.start, "end_position": p.end}
                for p in turn.planted
            ],
        }
        for conversation in conversations(count, seed)
        for turn in conversation
        if not turn.needs_prompt
    ]


def main(argv: list[str] | None = None) -> int:
    """Writes the labelled banking chat messages."""
    parser = argparse.ArgumentParser(description="banking chat messages with labelled personal data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--conversations", type=int, default=60)
    parser.add_argument("--seed", type=int, default=77)
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(labelled_messages(args.conversations, args.seed), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
