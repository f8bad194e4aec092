"""Statement descriptions to merchant text: ``normalise("SQ *COFFEE SHOP 0423 LONDON GB")``.

A card statement line carries more than the merchant: the card processor ("SQ *", "SUMUP *",
"PAYPAL *"), the payment type ("DD", "BGC", "FPO", "CONTACTLESS", "CARD PAYMENT TO"),
references after a star ("AMZN MKTP UK*2K4AB12C"), store and terminal numbers, the card's
last digits ("CD 1234"), dates and times, the town and the country code. ``normalise``
keeps the merchant words, lower case, and returns the payment types it saw as ``markers``
(``direct_debit``, ``credit``, ``refund`` ...), which say as much about the category as
the name.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

MAX_CHARS = 256  # the column holds 128; longer input is cut, never an error

# the part before a star that is a card processor, not the merchant
PROCESSORS = frozenset(
    "sq sumup iz zettle ztl paypal pp crv curve tst sp google gpay apple applepay stripe".split()
)
# whole phrases first, then single tokens; each names a marker
_PHRASE_MARKERS: tuple[tuple[str, str], ...] = (
    ("direct debit payment to", "direct_debit"),
    ("direct debit", "direct_debit"),
    ("standing order", "standing_order"),
    ("bank giro credit", "credit"),
    ("faster payment received", "credit"),
    ("faster payment to", "payment_out"),
    ("bill payment to", "payment_out"),
    ("mobile payment", "payment_out"),
    ("card payment to", "card"),
    ("cash withdrawal", "cash"),
)
_TOKEN_MARKERS = {
    "dd": "direct_debit", "ddr": "direct_debit", "so": "standing_order", "bgc": "credit",
    "fpi": "credit", "cr": "credit", "fp": "payment", "fpo": "payment_out", "bp": "payment_out",
    "tfr": "transfer", "cpt": "cash", "contactless": "card", "pos": "card", "vis": "card",
    "deb": "card", "refund": "refund", "rfd": "refund",
}
# statement abbreviations written out
ALIASES = {
    "amzn": "amazon", "mktp": "marketplace", "mktplace": "marketplace", "mkt": "market",
    "s/mkts": "supermarkets", "s/mkt": "supermarket", "smkt": "supermarket", "supermkt": "supermarket",
    "a/c": "account", "acc": "account", "sal": "salary", "ctax": "council tax", "intl": "international",
}
_PHRASE_ALIASES = ((re.compile(r"\btravel ch$"), "travel charge"),)
_DROPPED = frozenset("ltd limited plc llp gb gbr uk ref".split())
_COUNTRY_CODES = frozenset({"gb", "gbr", "uk", "gbp"})
# UK towns dropped from the end of a description (the merchant's location, not its name)
TOWNS = frozenset(
    """london manchester birmingham leeds glasgow liverpool bristol sheffield edinburgh cardiff leicester
    nottingham newcastle brighton southampton portsmouth belfast aberdeen dundee swansea norwich exeter
    plymouth cambridge oxford york reading derby coventry bradford hull stoke wolverhampton sunderland
    milton keynes luton bath chester canterbury durham lancaster preston bolton wigan stockport ipswich
    gloucester cheltenham worcester hereford lincoln peterborough northampton bournemouth poole
    swindon slough watford croydon guildford maidstone colchester chelmsford southend salisbury
    winchester inverness stirling perth newport wrexham bangor derry lisburn""".split()
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_NOISE = [
    re.compile(rf"\bon \d{{1,2}} ?(?:{_MONTHS})\b"),  # "on 12 jan"
    re.compile(rf"\b\d{{1,2}} ?(?:{_MONTHS})(?: ?\d{{2,4}})?\b"),  # "12jan", "12 jan 26"
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b"),  # 12/01, 12-01-26
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"),  # 14:32
    re.compile(r"\b(?:cd|card)\s*\d{4}\b"),  # card's last four digits
    re.compile(r"\bgbp\s*\d+(?:\.\d+)?\b"),  # an amount
    re.compile(r"\bref(?:erence)?\b[:\s]*[a-z0-9-]*\d[a-z0-9-]*"),  # a reference with digits
    re.compile(r"\b\d{3}-\d{3}-\d{4}\b"),  # a phone number
    re.compile(r"\.(?:co\.uk|com|org\.uk|org|net|eu|io)\b"),  # web addresses keep the name
]
_UNWANTED = re.compile(r"[^\w\s&'/*.\-]")  # emoji, symbols, punctuation other than these


class Description(NamedTuple):
    """A statement description taken apart."""

    merchant: str  # lower-case words, noise removed; "" when nothing is left
    markers: frozenset[str]  # payment types seen: "direct_debit", "credit", "refund", ...


def normalise(text: str) -> Description:
    """Merchant words and payment markers of one statement description (never raises)."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS].casefold()
    text = _UNWANTED.sub(" ", text.replace(",", " ").replace("_", " "))
    text = _split_star(text)
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    markers: set[str] = set()
    for phrase, marker in _PHRASE_MARKERS:
        if re.search(rf"\b{phrase}\b", text):
            markers.add(marker)
            text = re.sub(rf"\b{phrase}\b", " ", text)
    words = []
    for token in text.split():
        token = token.strip(".-'/*&")
        if token in _TOKEN_MARKERS:
            markers.add(_TOKEN_MARKERS[token])
        elif token and token not in _DROPPED and not _is_number(token):
            words.extend(ALIASES.get(token, token).split())
    merchant = " ".join(_drop_location(words))
    for pattern, written_out in _PHRASE_ALIASES:
        merchant = pattern.sub(written_out, merchant)
    return Description(merchant, frozenset(markers))


def _split_star(text: str) -> str:
    """Keep the merchant of "processor*merchant" and of "merchant*reference"."""
    if "*" not in text:
        return text
    left, _, right = text.partition("*")
    if left.strip().split()[-1:] and left.strip().split()[-1] in PROCESSORS:
        return " ".join([*left.split()[:-1], right])
    if not left.strip():
        return right
    reference = right.split()[:1]
    if reference and any(c.isdigit() for c in reference[0]):
        return " ".join([left, *right.split()[1:]])
    return f"{left} {right}"


def _is_number(token: str) -> bool:
    """Store numbers, terminal ids and references: tokens with two or more digits."""
    return sum(c.isdigit() for c in token) >= 2


def _drop_location(words: list[str]) -> list[str]:
    """Remove a trailing town and country code ("... leeds gb"), keeping one word at least."""
    while len(words) > 1 and words[-1] in _COUNTRY_CODES:
        words.pop()
    if len(words) > 1 and words[-1] in TOWNS and words[-2] not in {"of", "for", "in", "de"}:
        words.pop()
    if len(words) > 2 and " ".join(words[-2:]) in TOWNS:
        del words[-2:]
    return words
