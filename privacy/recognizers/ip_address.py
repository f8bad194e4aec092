"""IPv4 and IPv6 addresses, with a zone ("%eth0") or a network prefix ("/24") when written."""

import ipaddress
import re
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = _OCTET + r"(?:\." + _OCTET + r"){3}"
_ZONE = r"(?:%[0-9A-Z]{1,15})?"
_PREFIX_V4 = r"(?:/(?:3[0-2]|[12]?\d)(?!\d))?"
_PREFIX_V6 = r"(?:/(?:12[0-8]|1[01]\d|[1-9]?\d)(?!\d))?"
_SUFFIX = re.compile(r"(?:%\w+)?(?:/\d+)?$")


class IpAddressRecognizer(BankingPatternRecognizer):
    """Finds IPv4 dotted quads and IPv6 addresses that parse, compressed ("fe80::1", "::1"),
    with an IPv4 tail ("::ffff:192.0.2.128") or with a zone or network prefix."""

    ENTITY = Entity.IP_ADDRESS
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("ipv4", r"(?<![\w.])" + _IPV4 + _PREFIX_V4 + r"(?!\w|\.\d)", 0.7),
        Pattern(
            "ipv6",
            r"(?<![\w:])(?:[0-9A-F]{0,4}:){2,7}[0-9A-F]{0,4}" + _ZONE + _PREFIX_V6 + r"(?![\w:]|\.\d)",
            0.6,
        ),
        Pattern(
            "ipv6_with_ipv4",
            r"(?<![\w:])(?:[0-9A-F]{0,4}:){2,6}" + _IPV4 + _PREFIX_V6 + r"(?!\w|\.\d)",
            0.75,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["ip", "address", "client", "host"]
    CONTEXT_BOOST = 0.2

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps what the standard library parses as an IP address (not "12:30:45"); an IPv6
        address needs "::" or at least three colons."""
        value = text[start:end]
        address = _SUFFIX.sub("", value)
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return False
        return "." in address or "::" in address or address.count(":") >= 3
