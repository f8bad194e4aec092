"""Payee details: UK sort codes, account numbers and names, checked and compared.

``compare_names`` answers how well the name a customer typed fits the name on an account,
in the manner of UK Confirmation of Payee. Names are normalised first: accents, case,
punctuation and titles go; nicknames become their full name (Bob: Robert); for a business,
legal suffixes go (Ltd, Limited, plc). Then:

- the same words in any order, or the record's words with middle names left out: ``match``;
- initials where the record has names ("J Smith" for "John Smith"): ``close_match``;
- a fuzzy score (rapidfuzz) at or above ``CLOSE_SCORE``, with the surnames alike and every
  typed word near one of the record's: ``close_match``; otherwise ``no_match``.

The thresholds were chosen on ``bench/data/payee_names.jsonl`` (``make bench-payee-names``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from bank.enums import PayeeCheckOutcome
from bank.errors import InvalidAccountNumber, InvalidPayeeName, InvalidSortCode

MAX_NAME = 70

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015./]")
_NAME_PUNCTUATION = frozenset(" '\u2019-.,&()/")
TITLES = frozenset(
    "mr mrs ms miss mx dr doctor prof professor sir dame lady lord rev revd reverend fr".split()
)
BUSINESS_SUFFIXES = frozenset(
    "ltd limited plc llp lp llc inc co company corp corporation uk the and".split()
)
NICKNAMES: dict[str, str] = {
    "abby": "abigail", "al": "alan", "alex": "alexander", "alf": "alfred", "andy": "andrew",
    "angie": "angela", "becky": "rebecca", "becca": "rebecca", "ben": "benjamin", "bert": "albert",
    "beth": "elizabeth", "betty": "elizabeth", "bill": "william", "billy": "william", "bob": "robert",
    "bobby": "robert", "cathy": "catherine", "kathy": "katherine", "charlie": "charles",
    "chris": "christopher", "chuck": "charles", "dan": "daniel", "danny": "daniel", "dave": "david",
    "davy": "david", "debbie": "deborah", "di": "diana", "dick": "richard", "ed": "edward",
    "eddie": "edward", "ted": "edward", "fred": "frederick", "freddie": "frederick", "gerry": "gerald",
    "harry": "henry", "jack": "john", "jim": "james", "jimmy": "james", "jamie": "james", "jo": "joanne",
    "joe": "joseph", "johnny": "john", "jenny": "jennifer", "jen": "jennifer",
    "kate": "katherine", "katie": "katherine", "kit": "christopher", "larry": "lawrence",
    "len": "leonard", "liz": "elizabeth", "lizzie": "elizabeth", "maggie": "margaret",
    "meg": "margaret", "peggy": "margaret", "matt": "matthew", "mick": "michael", "mike": "michael",
    "mikey": "michael", "nick": "nicholas", "nicky": "nicholas", "pat": "patrick", "patty": "patricia",
    "pete": "peter", "phil": "philip", "rob": "robert", "robbie": "robert", "ron": "ronald",
    "sam": "samuel", "sandy": "alexandra", "steve": "stephen", "stevie": "stephen", "sue": "susan",
    "susie": "susan", "terry": "terence", "tim": "timothy", "tom": "thomas", "tommy": "thomas",
    "tony": "anthony", "vicky": "victoria", "will": "william", "zach": "zachary",
}
# Full names with another spelling that means the same name.
SPELLINGS: dict[str, str] = {
    "catherine": "katherine", "kathryn": "katherine", "steven": "stephen", "phillip": "philip",
    "jeffrey": "geoffrey",
    "mohammed": "muhammad", "mohammad": "muhammad", "muhammed": "muhammad", "mohamed": "muhammad",
}


@dataclass(frozen=True)
class Thresholds:
    """Scores (0-100) a name needs for a close match."""

    close: float = 75.0  # token-sorted similarity of the whole names
    word: float = 75.0  # similarity of each typed word to one of the record's words
    surname: float = 80.0  # similarity of the two surnames (people only)


THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class NameComparison:
    """How a typed name fits the name on record; ``score`` is 0-100 (100: same name)."""

    outcome: PayeeCheckOutcome
    score: float


def valid_sort_code(text: str) -> str:
    """The 6 digits of a UK sort code written with any separators ("12-34-56", "12 34 56").

    Raises:
        InvalidSortCode: not 6 digits.
    """
    digits = _SEPARATORS.sub("", str(text))
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        raise InvalidSortCode()
    return digits


def valid_account_number(text: str) -> str:
    """The 8 digits of a UK account number written with or without spaces or dashes.

    Raises:
        InvalidAccountNumber: not 8 digits.
    """
    digits = _SEPARATORS.sub("", str(text))
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        raise InvalidAccountNumber()
    return digits


def valid_name(text: str, max_length: int = MAX_NAME) -> str:
    """A person's or business's name, trimmed and with single spaces.

    Raises:
        InvalidPayeeName: empty, longer than ``max_length``, or with characters other than
            letters, digits, spaces and ``' - . , & ( ) /`` (emoji among them).
    """
    name = " ".join(str(text).split())
    if not name or len(name) > max_length or not any(ch.isalpha() for ch in name):
        raise InvalidPayeeName()
    if not all(ch.isalpha() or ch.isdigit() or ch in _NAME_PUNCTUATION for ch in name):
        raise InvalidPayeeName()
    return name


def mask_sort_code(sort_code: str) -> str:
    """``"**-**-56"``: the last two digits only."""
    return f"**-**-{sort_code[-2:]}"


def mask_account_number(account_number: str) -> str:
    """``"****5678"``: the last four digits only, as accounts are shown."""
    return f"****{account_number[-4:]}"


def name_words(name: str, business: bool = False) -> list[str]:
    """The words of a name as compared: ASCII lowercase, no titles, nicknames expanded (a
    person) or no legal suffixes (a business)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = re.findall(r"[a-z0-9]+", plain)
    if business:
        return [w for w in words if w not in BUSINESS_SUFFIXES] or words
    words = [w for w in words if w not in TITLES] or words
    return [SPELLINGS.get(NICKNAMES.get(w, w), NICKNAMES.get(w, w)) for w in words]


def compare_names(
    typed: str, on_record: str, business: bool = False, thresholds: Thresholds = THRESHOLDS
) -> NameComparison:
    """How well ``typed`` fits ``on_record`` (see the module's docstring)."""
    given, record = name_words(typed, business), name_words(on_record, business)
    if not given or not record:
        return NameComparison(PayeeCheckOutcome.NO_MATCH, 0.0)
    if sorted(given) == sorted(record) or (not business and _middle_names_left_out(given, record)):
        return NameComparison(PayeeCheckOutcome.MATCH, 100.0)
    if business and "".join(given) == "".join(record):
        return NameComparison(PayeeCheckOutcome.MATCH, 100.0)
    score = float(fuzz.token_sort_ratio(" ".join(given), " ".join(record)))
    if not business and _initials_fit(given, record):
        return NameComparison(PayeeCheckOutcome.CLOSE_MATCH, score)
    if score >= thresholds.close and _words_near(given, record, business, thresholds):
        return NameComparison(PayeeCheckOutcome.CLOSE_MATCH, score)
    return NameComparison(PayeeCheckOutcome.NO_MATCH, score)


def _middle_names_left_out(given: list[str], record: list[str]) -> bool:
    """First and last name as on record, any middle names of the record left out."""
    return (
        len(given) >= 2
        and len(record) > len(given)
        and given[0] == record[0]
        and given[-1] == record[-1]
        and set(given) <= set(record)
    )


def _initials_fit(given: list[str], record: list[str]) -> bool:
    """Typed initials stand for the record's forenames and the surnames are the same, in
    either order ("J Smith", "J P Smith", "Smith J" for "John Paul Smith")."""
    for words in (given, given[1:] + given[:1]):
        forenames, surname = words[:-1], words[-1]
        if not forenames or surname != record[-1] or not any(len(w) == 1 for w in forenames):
            continue
        options = record[:-1]
        if not options or forenames[0][0] != options[0][0]:
            continue
        if all(any(w == (o[0] if len(w) == 1 else o) for o in options) for w in forenames):
            return True
    return False


def _words_near(given: list[str], record: list[str], business: bool, thresholds: Thresholds) -> bool:
    """Every typed word is near one of the record's, and (for a person) the surnames are."""
    if not business:
        last = max(word_similarity(given[-1], record[-1]), word_similarity(given[0], record[-1]))
        if last < thresholds.surname:
            return False
    return all(max(word_similarity(w, r) for r in record) >= thresholds.word for w in given)


def word_similarity(a: str, b: str) -> float:
    """0-100: spelling similarity, raised when the words sound alike (Latisha, Letitia)."""
    spelt = fuzz.ratio(a, b)
    return max(spelt, (spelt + fuzz.ratio(_sound(a), _sound(b))) / 2)


def _sound(word: str) -> str:
    """A rough English sound key: common spellings of one sound made one, double letters
    single, vowels after the first letter dropped ("letitia", "latisha": "ltsh")."""
    for spelling, sound in _SOUNDS:
        word = word.replace(spelling, sound)
    word = re.sub(r"(.)\1+", r"\1", word)
    return word[:1] + re.sub(r"[aeiouyw]", "", word[1:])


_SOUNDS = (
    ("tia", "sha"), ("cia", "sha"), ("sch", "sh"), ("ph", "f"), ("ck", "k"), ("gh", "g"),
    ("ea", "e"), ("ay", "a"), ("ey", "i"), ("ie", "i"), ("y", "i"), ("z", "s"), ("q", "k"),
    ("c", "k"),
)
