"""Per-conversation placeholders: the same value always gets the same ``<TYPE_n>``.

The map is stored between messages, so it must not hold raw values: each value is keyed
by an HMAC (keyed with a sub-key of the vault key) of its normalised form.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field

from privacy.entities import Entity
from privacy.normalize import normalize

_SEPARATORS = re.compile(r"[\s\-./()]+")
# Types whose value is a code: compare without separators and case.
_CODE_TYPES = {
    Entity.CARD,
    Entity.CVV,
    Entity.IBAN,
    Entity.SWIFT_BIC,
    Entity.SORT_CODE,
    Entity.ACCOUNT_NUMBER,
    Entity.ROUTING_NUMBER,
    Entity.SSN,
    Entity.NINO,
    Entity.ITIN,
    Entity.NHS_NUMBER,
    Entity.CRYPTO_WALLET,
    Entity.PASSPORT,
    Entity.DRIVER_LICENSE,
    Entity.PHONE,
    Entity.POSTCODE,
    Entity.NUMBER,
    Entity.CARD_EXPIRY,
    Entity.IP_ADDRESS,
}
PLACEHOLDER_PATTERN = re.compile(r"<([A-Z_]+)_(\d+)>")


def canonical_value(entity: str, value: str) -> str:
    """The form of ``value`` under which two spellings count as the same value."""
    value = normalize(value).text
    if entity in _CODE_TYPES:
        return _SEPARATORS.sub("", value).upper()
    return " ".join(value.split()).casefold()


@dataclass
class PlaceholderMap:
    """Assigns placeholders within one conversation.

    Attributes:
        counters: the last number given per entity type.
        assigned: keyed hash of (entity, canonical value) to its placeholder.
    """

    counters: dict[str, int] = field(default_factory=dict)
    assigned: dict[str, str] = field(default_factory=dict)

    def placeholder_for(self, entity: str, value: str, key: bytes) -> str:
        """Returns the placeholder of ``value``, giving a new one on first sight.

        Args:
            entity: the entity type (placeholder stem).
            value: the original text of the span.
            key: the HMAC key (``KeyRing.placeholder_key``).
        """
        digest = self.value_key(entity, value, key)
        if digest not in self.assigned:
            number = self.counters.get(entity, 0) + 1
            self.counters[entity] = number
            self.assigned[digest] = f"<{entity}_{number}>"
        return self.assigned[digest]

    @staticmethod
    def value_key(entity: str, value: str, key: bytes) -> str:
        """The keyed hash under which a value is remembered."""
        message = f"{entity}\x1f{canonical_value(entity, value)}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]

    def to_json(self) -> str:
        """Serialises the map (no raw values: only keyed hashes and placeholders)."""
        return json.dumps({"version": 1, "counters": self.counters, "assigned": self.assigned})

    @classmethod
    def from_json(cls, data: str | None) -> "PlaceholderMap":
        """Loads a map written by :meth:`to_json`; ``None`` or empty gives a new map."""
        if not data:
            return cls()
        loaded = json.loads(data)
        return cls(counters=dict(loaded["counters"]), assigned=dict(loaded["assigned"]))
