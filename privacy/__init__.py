"""Privacy layer: finds personal data in chat text, replaces it with placeholders, vaults originals.

Importing this package is cheap: the analyzer (Presidio + our tagger) is only built by
:func:`privacy.factory.build_redactor`.

Typical use::

    from privacy import RedactionContext, build_redactor

    redactor = build_redactor()
    context = RedactionContext()
    redaction = redactor.redact("My card is 4111 1111 1111 1111", context)
    redaction.text  # 'My card is <CARD_1>'
"""

from privacy.entities import Entity
from privacy.errors import PrivacyError
from privacy.factory import build_redactor
from privacy.placeholders import PlaceholderMap
from privacy.redaction import Original, Redaction, RedactionContext, Span
from privacy.settings import PrivacySettings

__all__ = [
    "Entity",
    "Original",
    "PlaceholderMap",
    "PrivacyError",
    "PrivacySettings",
    "Redaction",
    "RedactionContext",
    "Span",
    "build_redactor",
]
