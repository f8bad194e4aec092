"""Signals read from a customer's words (already redacted: placeholders stand for personal data).

Two families, with their patterns in ``fraud/patterns.yml``:

* **scam signals**: what a customer under an authorised push-payment scam tends to say (a caller
  claiming to be the bank, the police or a tax office telling them to move money; a "safe
  account"; being told to keep the payment secret or to give a cover story; someone with remote
  access to their device; an investment that pays too well; a contact met online asking for
  money; someone pressing them to pay now). Urgency alone is common in ordinary payments: it
  counts only in a payment's shape (:mod:`fraud.payment_risk`).
* **evasion requests**: asking how to get round reporting thresholds, anti-money-laundering and
  identity checks, sanctions screening or tax reporting, to structure payments, to launder or
  to hide money. The assistant refuses every one and flags it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATTERNS_PATH = Path(__file__).with_name("patterns.yml")
EVASION = "evasion_request"


class ScamSignal(StrEnum):
    IMPERSONATION = "impersonation"
    SAFE_ACCOUNT = "safe_account"
    SECRECY = "secrecy"
    REMOTE_ACCESS = "remote_access"
    TOO_GOOD_INVESTMENT = "too_good_investment"
    ROMANCE = "romance"
    PRESSURE = "pressure"
    URGENCY = "urgency"


# Signals that on their own call for a scam warning; URGENCY needs a payment beside it.
STRONG = frozenset(ScamSignal) - {ScamSignal.URGENCY}


@dataclass(frozen=True)
class Signal:
    """One signal found: its kind and the name of the pattern that matched (never the text)."""

    kind: str
    pattern: str


@dataclass(frozen=True)
class Patterns:
    """The compiled patterns: scam ones by kind, evasion ones in order."""

    scam: dict[ScamSignal, list[tuple[str, re.Pattern[str]]]]
    evasion: list[tuple[str, re.Pattern[str]]]


_FRAGMENT = re.compile(r"<<(\w+)>>")
_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _compiled(pattern: str, fragments: dict[str, str]) -> re.Pattern[str]:
    return re.compile(_FRAGMENT.sub(lambda m: fragments[m.group(1)], pattern))


def load_patterns(path: Path = PATTERNS_PATH) -> Patterns:
    """The patterns in ``path``, with their ``<<fragment>>`` references expanded."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    fragments = {name: "(?:" + "|".join(lines) + ")" for name, lines in raw["fragments"].items()}
    scam = {
        ScamSignal(kind): [(name, _compiled(p, fragments)) for name, p in patterns.items()]
        for kind, patterns in raw["scam"].items()
    }
    evasion = [(name, _compiled(p, fragments)) for name, p in raw["evasion"].items()]
    return Patterns(scam, evasion)


@cache
def _patterns() -> Patterns:
    return load_patterns()


def _normalised(text: str) -> str:
    """Lower case, compatibility forms folded, curly apostrophes straight, placeholders blanked."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return _PLACEHOLDER.sub(" ", text)


def scam_signals(text: str) -> list[Signal]:
    """Every scam signal in ``text``, one per kind (the first pattern of the kind that matched)."""
    plain = _normalised(text)
    found = []
    for kind, patterns in _patterns().scam.items():
        for name, pattern in patterns:
            if pattern.search(plain):
                found.append(Signal(kind.value, name))
                break
    return found


def is_scam_warning(signals: list[Signal]) -> bool:
    """Whether the signals on their own call for a scam warning (any but urgency)."""
    return any(ScamSignal(s.kind) in STRONG for s in signals)


def evasion_request(text: str) -> Signal | None:
    """The first evasion pattern ``text`` matches, if it asks how to get round the bank's checks."""
    plain = _normalised(text)
    for name, pattern in _patterns().evasion:
        if pattern.search(plain):
            return Signal(EVASION, name)
    return None
