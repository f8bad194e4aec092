"""IPv4 and IPv6 addresses."""

import ipaddress
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"


class IpAddressRecognizer(BankingPatternRecognizer):
    """Finds IPv4 dotted quads and IPv6 addresses that parse, an IPv4 tail included
    ("::ffff:192.0.2.128")."""

    ENTITY = Entity.IP_ADDRESS
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("ipv4", r"(?<![\d.])" + _OCTET + r"(?:\." + _OCTET + r"){3}(?!\d|\.\d)", 0.7),
        Pattern("ipv6", r"(?<![\w:])(?:[0-9A-F]{0,4}:){2,7}[0-9A-F]{0,4}(?![\w:])", 0.6),
        Pattern(
            "ipv6_with_ipv4",
            r"(?<![\w:])(?:[0-9A-F]{0,4}:){2,6}" + _OCTET + r"(?:\." + _OCTET + r"){3}(?!\d|\.\d)",
            0.75,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["ip", "address", "client", "host"]
    CONTEXT_BOOST = 0.2

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps what the standard library parses as an IP address (not "12:30:45")."""
        value = text[start:end]
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return False
        return "." in value or value.count(":") >= 3
