"""Data shapes of a redaction: the context carried between messages and the result."""

from dataclasses import dataclass, field

from privacy.placeholders import PlaceholderMap


@dataclass(frozen=True)
class Span:
    """One detected entity.

    Attributes:
        start, end: offsets in the ORIGINAL message.
        redacted_start, redacted_end: offsets of the placeholder in the redacted text.
        entity_type: an :class:`privacy.entities.Entity` value.
        score: the recognizer's confidence, 0 to 1.
        placeholder: the text written in its place, e.g. ``<CARD_1>``.
        recognizer: which recognizer found it (for explanations, never the value).
    """

    start: int
    end: int
    redacted_start: int
    redacted_end: int
    entity_type: str
    score: float
    placeholder: str
    recognizer: str = ""


@dataclass(frozen=True)
class Original:
    """A raw value to hand to the vault. Never log or persist it elsewhere."""

    placeholder: str
    entity_type: str
    value: str = field(repr=False)


@dataclass
class RedactionContext:
    """What one conversation carries from message to message.

    Attributes:
        placeholders: the conversation's placeholder map; persist it with
            ``context.placeholders.to_json()`` and restore with
            ``RedactionContext.from_json``.
        previous_tail: the last characters of the previous message, UNREDACTED. Kept in
            memory only (never serialised) so that personal data split over two
            messages ("4111 1111" then "1111 1111") is still caught. It is refreshed by
            every ``redact`` call; a context restored from JSON starts without it.
        prompt: what the bot said last (our own words, no personal data). A short reply is
            read after it, so that "51473538" after "What is the account number?" or
            "wei nguyen" after "Who would you like to pay?" is known for what it is. Set
            by the caller before each message; never serialised.
    """

    placeholders: PlaceholderMap = field(default_factory=PlaceholderMap)
    previous_tail: str = field(default="", repr=False)
    prompt: str = ""

    def to_json(self) -> str:
        """Serialises what may be stored: the placeholder map, not the raw tail."""
        return self.placeholders.to_json()

    @classmethod
    def from_json(cls, data: str | None) -> "RedactionContext":
        """Restores a context saved with :meth:`to_json`."""
        return cls(placeholders=PlaceholderMap.from_json(data))


@dataclass(frozen=True)
class Redaction:
    """The result of redacting one message.

    Attributes:
        text: the message with every span replaced by its placeholder.
        spans: the spans, in text order, with offsets in the original and redacted text.
        originals: raw values per placeholder, to store in the vault and then drop.
        split_from_previous: placeholders of values that began in the previous message
            (its stored copy may hold a fragment; see docs in ``redactor.py``).
    """

    text: str
    spans: tuple[Span, ...]
    originals: tuple[Original, ...] = field(default=(), repr=False)
    split_from_previous: tuple[str, ...] = ()

    @property
    def has_personal_data(self) -> bool:
        """True when at least one span was redacted."""
        return bool(self.spans)
