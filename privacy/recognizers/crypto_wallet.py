"""Cryptocurrency wallet addresses: Bitcoin (base58check and bech32) and Ethereum."""

import hashlib
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def base58check_valid(address: str) -> bool:
    """True when a base58 address carries its double-SHA256 checksum."""
    number = 0
    for char in address:
        index = _BASE58.find(char)
        if index < 0:
            return False
        number = number * 58 + index
    pad = len(address) - len(address.lstrip("1"))
    raw = b"\0" * pad + number.to_bytes((number.bit_length() + 7) // 8, "big")
    if len(raw) != 25:
        return False
    return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


def bech32_valid(address: str) -> bool:
    """True when a segwit address passes the bech32 or bech32m checksum."""
    address = address.lower()
    human, _, data = address.rpartition("1")
    if not human or len(data) < 6 or any(c not in _BECH32 for c in data):
        return False
    values = (
        [ord(c) >> 5 for c in human] + [0] + [ord(c) & 31 for c in human] + [_BECH32.index(c) for c in data]
    )
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
            checksum ^= generator if (top >> bit) & 1 else 0
    return checksum in {1, 0x2BC830A3}


class CryptoWalletRecognizer(BankingPatternRecognizer):
    """Finds wallet addresses; Bitcoin ones must pass their checksum."""

    ENTITY = Entity.CRYPTO_WALLET
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("btc_base58", r"\b[13][0-9A-HJ-NP-Za-km-z]{25,34}\b", 0.6),
        Pattern("btc_bech32", r"\b(?:bc|tb)1[0-9ac-hj-np-z]{8,87}\b", 0.6),
        Pattern("eth", r"\b0x[0-9a-fA-F]{40}\b", 0.6),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "wallet",
        "bitcoin",
        "btc",
        "ethereum",
        "eth",
        "crypto",
        "usdt",
        "address",
    ]
    CONTEXT_BOOST = 0.3
    FLAGS = 0

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps Bitcoin addresses with a valid checksum and any Ethereum address.

        The text arrives normalised (:mod:`privacy.normalize` reads "o" and "l" between
        digits as "0" and "1"); neither alphabet has both, so the letters are put back first.
        """
        value = text[start:end]
        if value.startswith("0x"):
            return True
        if value[:3].lower() in {"bc1", "tb1"}:
            return bech32_valid(value[:3] + value[3:].replace("1", "l"))
        return base58check_valid(value.replace("0", "o"))
