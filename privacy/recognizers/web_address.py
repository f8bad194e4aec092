"""Web addresses: personal sites and profile links identify people."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

_TLDS = "com|org|net|info|io|co|uk|us|de|fr|es|it|nl|be|se|dk|no|fi|pl|cz|hu|pt|br|au|ca|ch|at|ie|eu|me"


class WebAddressRecognizer(BankingPatternRecognizer):
    """Finds http(s) and www. addresses, and bare domains with a common top-level domain."""

    ENTITY = Entity.URL
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("scheme_url", r"\b(?:https?|ftp)://[^\s<>\"'|]+[^\s<>\"'|.,;:!?)\]]", 0.8),
        Pattern("www_url", r"(?<![/@\w.])www\.[^\s<>\"'|]+[^\s<>\"'|.,;:!?)\]]", 0.75),
        Pattern(
            "bare_domain",
            r"(?<![/@\w.\-])(?:[a-z0-9\-]+\.)+(?:"
            + _TLDS
            + r")(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)])?(?![\w@.\-])",
            0.5,
        ),
    ]
