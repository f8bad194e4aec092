"""Resolve what a customer types ("my savings", "checking", "ending 4821") to one account."""

import re
from collections.abc import Sequence

from recommender.profiles.enums import AccountKind
from recommender.profiles.views import AccountView

# Phrases naming a kind of account; longer phrases are tried first and consumed, so that
# "individual savings account" means an ISA, not a savings account.
KIND_PHRASES: dict[AccountKind, tuple[str, ...]] = {
    AccountKind.CURRENT: ("current", "checking", "chequing", "cheque", "everyday", "main"),
    AccountKind.SAVINGS: ("savings", "saving", "saver", "deposit", "easy access"),
    AccountKind.ISA: ("isa", "cash isa", "stocks and shares isa", "individual savings"),
    AccountKind.CREDIT_CARD: ("credit card", "credit", "visa", "mastercard", "amex"),
}
FILLER_WORDS = frozenset(
    "my the a an account accounts acct ac from to into in out of on please one ending "
    "with number no".split()
)
_LAST_FOUR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def match_account(accounts: Sequence[AccountView], text: str) -> AccountView | None:
    """Pick the one account of ``accounts`` that ``text`` names.

    Tried in order: the last four digits of the account number, the account's name
    (all typed words appear in the name), then the kind ("savings", "checking", "ISA",
    "credit card"); a name match is narrowed by a kind in the same text.

    Returns:
        The account, or None when nothing matches or more than one account does.
    """
    digits = _LAST_FOUR.findall(text)
    if digits:
        return _only([a for a in accounts if a.masked_number[-4:] in digits])

    words = _words(text)
    if not words:
        return None
    candidates = [a for a in accounts if _names(a, words)]
    kinds = _kinds(" ".join(words))
    if kinds:
        candidates = [a for a in candidates or accounts if a.kind in kinds]
    return _only(candidates)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in FILLER_WORDS]


def _names(account: AccountView, words: list[str]) -> bool:
    name_words = set(_words(account.name))
    return bool(name_words) and set(words) <= name_words


def _kinds(phrase: str) -> set[AccountKind]:
    found: set[AccountKind] = set()
    padded = f" {phrase} "
    by_length = sorted(
        ((p, kind) for kind, phrases in KIND_PHRASES.items() for p in phrases),
        key=lambda item: -len(item[0]),
    )
    for kind_phrase, kind in by_length:
        if f" {kind_phrase} " in padded:
            found.add(kind)
            padded = padded.replace(f" {kind_phrase} ", " ")
    return found


def _only(accounts: list[AccountView]) -> AccountView | None:
    return accounts[0] if len(accounts) == 1 else None
