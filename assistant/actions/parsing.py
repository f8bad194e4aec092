"""Turn what customers type into values: amounts, durations, risk levels, goal types.

Each parser takes free text (an entity value or a whole message) and either returns a
normalised value or raises ``ParseError`` whose ``code`` says what was wrong, so that the
bot can re-ask with a helpful message.
"""

import math
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeVar

from assistant.errors import AssistantError
from bank.enums import GoalType, RiskTolerance
from privacy.placeholders import PLACEHOLDER_PATTERN

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000")
MAX_HORIZON_MONTHS = 600

T = TypeVar("T")


class ParseError(AssistantError, ValueError):
    """The text does not hold a usable value.

    Attributes:
        code: ``missing``, ``unclear``, ``not_positive``, ``too_many_decimals``,
            ``too_large``, ``out_of_range`` or ``past`` (a day gone by).
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- number words ----------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000, "million": 1_000_000}
_NUMBER_WORD = rf"(?:{'|'.join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))})"
_NUMBER_WORDS = re.compile(rf"\b{_NUMBER_WORD}(?:[\s-]+(?:and[\s-]+)?{_NUMBER_WORD})*\b")


def words_to_number(text: str) -> int | None:
    """Read an English number written in words ("two hundred and fifty" -> 250).

    Returns:
        The number, or None when ``text`` is not only number words.
    """
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
    return total + current


# --- amounts ---------------------------------------------------------------------------

_NUMBER_CHUNK = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WELL_FORMED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_SUFFIX = re.compile(r"\s*(k|thousand|grand|m|mil|million|bn)\b")
_SUFFIX_FACTORS = {
    "k": 1000, "thousand": 1000, "grand": 1000,
    "m": 1_000_000, "mil": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000,
}  # fmt: skip
_NEGATIVE = re.compile(r"(?:^|[\s(])(?:-|minus\s+|negative\s+)\s*[£$€]?\s*(?:\d|[a-z])|[£$€]\s*-\s*\d")


def _without_placeholders(text: str) -> str:
    """The text with redaction placeholders blanked: the "1" of "<PERSON_1>" is no number."""
    return PLACEHOLDER_PATTERN.sub(" ", text)


def is_negative_amount(text: str) -> bool:
    """True when ``text`` writes an amount as negative ("-50", "minus 20", "£-5")."""
    return bool(_NEGATIVE.search(text.lower()))


def parse_amount(text: str, allow_zero: bool = False) -> Decimal:
    """Read a money amount: "£250", "250 pounds", "1,200.50", "10k", "two hundred".

    Args:
        allow_zero: accept 0 (a monthly budget may be nothing).

    Returns:
        The amount with two decimal places, more than zero unless ``allow_zero``.

    Raises:
        ParseError: ``missing`` (no number), ``unclear`` ("1,20"), ``not_positive``,
            ``too_many_decimals`` ("12.345") or ``too_large``.
    """
    lowered = _without_placeholders(text).lower().strip()
    negative = is_negative_amount(lowered)
    match = _NUMBER_CHUNK.search(lowered)
    if match:
        chunk = match.group(0).rstrip(",")
        if not _WELL_FORMED.fullmatch(chunk):
            raise ParseError("unclear")
        try:
            value = Decimal(chunk.replace(",", ""))
        except InvalidOperation:
            raise ParseError("unclear") from None
        suffix = _SUFFIX.match(lowered, match.end())
        if suffix:
            value *= _SUFFIX_FACTORS[suffix.group(1)]
    else:
        words = _NUMBER_WORDS.search(lowered)
        number = words_to_number(words.group(0)) if words else None
        if number is None or (words and words.group(0) in {"a", "an"}):
            raise ParseError("missing")
        value = Decimal(number)
    if negative:
        value = -value
    if value < 0 or (value == 0 and not allow_zero):
        raise ParseError("not_positive")
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ParseError("too_many_decimals")
    if value > MAX_AMOUNT:
        raise ParseError("too_large")
    return value.quantize(CENT)


# --- a share of a balance --------------------------------------------------------------

_SHARE_WORDS = {
    "half": Fraction(1, 2), "a half": Fraction(1, 2), "quarter": Fraction(1, 4),
    "a quarter": Fraction(1, 4), "one quarter": Fraction(1, 4), "third": Fraction(1, 3),
    "a third": Fraction(1, 3), "one third": Fraction(1, 3), "two thirds": Fraction(2, 3),
    "three quarters": Fraction(3, 4), "all": Fraction(1), "all of": Fraction(1), "the whole": Fraction(1),
    "whole": Fraction(1), "everything in": Fraction(1),
}  # fmt: skip
_SHARE_WORD = "|".join(sorted((re.escape(w) for w in _SHARE_WORDS), key=len, reverse=True))
_SHARE = re.compile(
    rf"\b(?:(?P<word>{_SHARE_WORD})|(?P<percent>\d{{1,3}}(?:\.\d{{1,2}})?)\s*(?:%|percent\b|per cent\b))"
    r"\s*(?:of\s+)?(?:(?:my|the|what'?s in my)\s+)?(?:current\s+account\s+|account\s+)?"
    r"(?:balance|money|account|funds|savings)\b"
)
_EVERYTHING = re.compile(r"\b(?:everything|all of it|all my money|all i have|all i've got)\b")


def share_of_balance(text: str) -> Fraction | None:
    """The share of a balance ``text`` asks for ("half my balance", "25% of my money",
    "everything"), or None when it names no share. Over 100% is None too."""
    lowered = " ".join(_without_placeholders(text).casefold().split())
    match = _SHARE.search(lowered)
    if match is None:
        return Fraction(1) if _EVERYTHING.search(lowered) else None
    share = (
        _SHARE_WORDS[match.group("word")] if match.group("word") else Fraction(match.group("percent")) / 100
    )
    return share if 0 < share <= 1 else None


def amount_of(share: Fraction, balance: Decimal) -> Decimal:
    """``share`` of ``balance`` to the penny, rounded down (never more than the balance)."""
    value = Decimal(share.numerator) * max(balance, Decimal(0)) / Decimal(share.denominator)
    return value.quantize(CENT, rounding=ROUND_DOWN)


# --- durations -------------------------------------------------------------------------

_UNIT_MONTHS = {"year": 12, "month": 1, "week": 12 / 52, "decade": 120}
_UNIT_ALIASES = {
    "years": "year", "yr": "year", "yrs": "year", "y": "year",
    "months": "month", "mo": "month", "mos": "month", "mth": "month", "mths": "month",
    "weeks": "week", "wk": "week", "wks": "week", "decades": "decade",
}  # fmt: skip
_UNIT = r"(?:decades?|years?|yrs?|y|months?|mths?|mth|mos?|weeks?|wks?)"
_QUANTITY = rf"(?:\d+(?:\.\d+)?|{_NUMBER_WORD}(?:[\s-]+(?:and[\s-]+)?{_NUMBER_WORD})*)"
_DURATION = re.compile(rf"\b(?P<quantity>{_QUANTITY})\s*(?P<unit>{_UNIT})\b(?P<half>\s+and\s+a\s+half)?")
_AND_A_HALF = re.compile(rf"\b(?P<quantity>\d+|{_NUMBER_WORD})\s+and\s+a\s+half\s+(?P<unit>{_UNIT})\b")
_HALF_A = re.compile(rf"\bhalf\s+an?\s+(?P<unit>{_UNIT})\b")
_NEXT = re.compile(rf"\bnext\s+(?P<unit>{_UNIT})\b")


def parse_duration(text: str) -> int:
    """Read a time frame as whole months: "5 years" -> 60, "eighteen months" -> 18.

    Understands digits and number words, years / months / weeks / decades, "a year and
    a half", "half a year", "next year", and sums like "2 years and 6 months". Weeks are
    rounded up to whole months.

    Raises:
        ParseError: ``missing`` (no duration) or ``out_of_range`` (not 1 to 600 months).
    """
    lowered = _without_placeholders(text).lower()
    months = 0.0
    found = False
    for match in _AND_A_HALF.finditer(lowered):
        number = _quantity(match.group("quantity"))
        if number is not None:
            months += (number + 0.5) * _unit_months(match.group("unit"))
            found = True
    lowered = _AND_A_HALF.sub(" ", lowered)
    for pattern, factor in ((_HALF_A, 0.5), (_NEXT, 1.0)):
        for match in pattern.finditer(lowered):
            months += factor * _unit_months(match.group("unit"))
            found = True
        lowered = pattern.sub(" ", lowered)
    for match in _DURATION.finditer(lowered):
        number = _quantity(match.group("quantity"))
        if number is None:
            continue
        if match.group("half"):
            number += 0.5
        months += number * _unit_months(match.group("unit"))
        found = True
    if not found:
        raise ParseError("missing")
    whole = math.ceil(round(months, 6))
    if not 1 <= whole <= MAX_HORIZON_MONTHS:
        raise ParseError("out_of_range")
    return whole


def _quantity(text: str) -> float | None:
    return float(text) if text[0].isdigit() else words_to_number(text)


def _unit_months(unit: str) -> float:
    return _UNIT_MONTHS[_UNIT_ALIASES.get(unit, unit)]


# --- risk levels and goal types ---------------------------------------------------------

_RISK_WORDS: dict[RiskTolerance, tuple[str, ...]] = {
    RiskTolerance.LOW: ("low", "cautious", "conservative", "safe", "careful", "minimal", "little"),
    RiskTolerance.MEDIUM: ("medium", "moderate", "balanced", "middle", "average", "some", "mid"),
    RiskTolerance.HIGH: ("high", "adventurous", "aggressive", "bold", "lots", "plenty"),
}
_GOAL_WORDS: dict[GoalType, tuple[str, ...]] = {
    GoalType.SAVE: ("save", "saving", "savings", "put money aside", "set aside", "emergency fund"),
    GoalType.BORROW: ("borrow", "borrowing", "loan", "credit", "mortgage", "finance"),
    GoalType.INVEST: ("invest", "investing", "investment", "investments", "stocks", "shares"),
    GoalType.PROTECT: ("protect", "protection", "insurance", "insure", "cover"),
}


def parse_risk_level(text: str) -> RiskTolerance:
    """Read a risk tolerance: "low", "I'm cautious" -> low, "adventurous" -> high.

    Raises:
        ParseError: ``missing`` when no level is named, ``unclear`` when several are.
    """
    return _only_match(text, _RISK_WORDS)


def parse_goal_type(text: str) -> GoalType:
    """Read a goal type: "saving" -> save, "a loan" -> borrow, "insurance" -> protect.

    Raises:
        ParseError: ``missing`` when no type is named, ``unclear`` when several are.
    """
    return _only_match(text, _GOAL_WORDS)


def _only_match(text: str, words: dict[T, tuple[str, ...]]) -> T:
    padded = f" {' '.join(re.findall(r'[a-z]+', text.lower()))} "
    found = {value for value, phrases in words.items() for p in phrases if f" {p} " in padded}
    if not found:
        raise ParseError("missing")
    if len(found) > 1:
        raise ParseError("unclear")
    return found.pop()
