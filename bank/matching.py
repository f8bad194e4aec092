"""Resolve what a customer types ("my savings", "checking", "ending 4821") to one account."""

import re
from collections.abc import Sequence

from bank.enums import AccountKind
from bank.views import AccountView

# Phrases naming a kind of account; longer phrases are tried first and consumed, so that
# "individual savings account" means an ISA, not a savings account.
KIND_PHRASES: dict[AccountKind, tuple[str, ...]] = {
    AccountKind.CURRENT: ("current", "checking", "chequing", "cheque", "everyday", "main"),
    AccountKind.SAVINGS: ("savings", "saving", "saver", "deposit", "easy access"),
    AccountKind.ISA: ("isa", "cash isa", "stocks and shares isa", "individual savings"),
    AccountKind.CREDIT_CARD: ("credit card", "credit", "visa", "mastercard", "amex"),
}
FILLER_WORDS = frozenset(
    "my the a an account accounts acct ac from to into in out of on please one ending with number no".split()
)
_LAST_FOUR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def match_account(accounts: Sequence[AccountView], text: str) -> AccountView | None:
    """Pick the one account of ``accounts`` that ``text`` names.

    Tried in order: the last four digits of the account number; the account's name
    (every typed word is in one account's name); then the kind ("savings", "checking",
    "ISA", "credit card"), where any other typed words must be in the account's name.

    Returns:
        The account, or None when nothing matches or more than one account does.
    """
    digits = _LAST_FOUR.findall(text)
    if digits:
        return _only([a for a in accounts if a.masked_number[-4:] in digits])

    words = _words(text)
    if not words:
        return None
    by_name = [a for a in accounts if set(words) <= _name_words(a)]
    if len(by_name) == 1:
        return by_name[0]

    kinds, other_words = _kinds(words)
    if not kinds:
        return None
    return _only([a for a in accounts if a.kind in kinds and set(other_words) <= _name_words(a)])


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in FILLER_WORDS]


def _name_words(account: AccountView) -> set[str]:
    return set(_words(account.name))


def _kinds(words: list[str]) -> tuple[set[AccountKind], list[str]]:
    """The kinds of account that ``words`` name, and the words left over."""
    found: set[AccountKind] = set()
    padded = f" {' '.join(words)} "
    for kind_phrase, kind in _PHRASES_LONGEST_FIRST:
        if f" {kind_phrase} " in padded:
            found.add(kind)
            padded = padded.replace(f" {kind_phrase} ", " ")
    return found, padded.split()


def _only(accounts: list[AccountView]) -> AccountView | None:
    return accounts[0] if len(accounts) == 1 else None


_PHRASES_LONGEST_FIRST = sorted(
    ((phrase, kind) for kind, phrases in KIND_PHRASES.items() for phrase in phrases),
    key=lambda item: -len(item[0]),
)
