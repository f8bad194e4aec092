"""The Redactor: finds personal data in a message and writes placeholders in its place.

Bad input handled here:

* look-alike characters: the text is normalised (NFKC + confusables, see
  :mod:`privacy.normalize`) before analysis and spans are mapped back;
* spaced-out numbers ("4 1 1 1 ..."): the recognizers accept separators between digits;
* data split over two messages: the context keeps the previous message's last
  ``tail_chars`` characters, unredacted, in memory only. The tail and the new message are
  analysed together; a span that starts in the tail is redacted in the new message and
  reported in ``Redaction.split_from_previous``. The first half on its own is usually
  caught too: any run of six or more digits is redacted as ``<NUMBER_n>``;
* a bare value the bot asked for ("51473538" after "What is the account number?"): a
  reply of up to ``prompted_reply_chars`` characters is also analysed after the bot's last
  words (``RedactionContext.prompt``), and what is found in the reply counts (a name or a
  place only when the question asks for one); a reply to a question for a payment reference
  is read as one (see :mod:`privacy.references`);
* very long text: analysed in overlapping chunks of ``chunk_chars``; beyond
  ``max_chars`` a ``TextTooLongError`` is raised (the service answers 413);
* no personal data: the text comes back unchanged, with no spans.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from privacy.address_blocks import cut_at_structured, drop_lone_units, extend_addresses, join_addresses
from privacy.entities import Entity
from privacy.errors import TextTooLongError
from privacy.normalize import normalize
from privacy.redaction import Original, Redaction, RedactionContext, Span
from privacy.references import REFERENCE_CUE, asks_for_reference
from privacy.settings import PrivacySettings
from privacy.vocabulary import (
    NAME_LIKE_TYPES,
    is_amount,
    is_merchant,
    is_working_vocabulary,
    names_currency,
    stands_as_merchant,
)

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, RecognizerResult

_CHUNK_OVERLAP = 200
_JOINER = "\n"
# How much of the bot's last words a short reply is read after.
_PROMPT_CHARS = 80
# A question that asks for a name or a place: only after one does a name-like span found with
# the prompt count ("bye" after "Anything else?" is not a person).
_ASKS_FOR_A_NAME = re.compile(
    r"\b(?:who(?:m|se)?|names?|payee'?s?|recipient'?s?|called|address|where|live|postcode|employer|company)\b",
    re.I,
)


class NameEvidence(Protocol):
    """Tells whether a name-like span holds real evidence of a name or a place (a known first
    name, surname or town, a street), not only the shape of one ("ELEC DEC")."""

    def names_someone(self, value: str, kind: str, upper_case_counts: bool = False) -> bool:
        """True when ``value``, found as ``kind``, holds such evidence."""
        ...


@dataclass(frozen=True)
class Detection:
    """A span found in the analysed text, before placeholders are assigned."""

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str


class Redactor:
    """Replaces personal data with per-conversation placeholders.

    Args:
        analyzer: a Presidio AnalyzerEngine with our recognizers (``build_analyzer``).
        settings: thresholds, chunking and disabled entity types.
        placeholder_key: HMAC key used to remember values in the placeholder map.
        names: what tells a name from the shape of one (the tagger's word lists), for replies
            to a question for a payment reference; without it such a reply is read only
            after :data:`REFERENCE_CUE`.
    """

    def __init__(
        self,
        analyzer: "AnalyzerEngine",
        settings: PrivacySettings,
        placeholder_key: bytes,
        names: NameEvidence | None = None,
    ) -> None:
        self._analyzer = analyzer
        self._names = names
        self._settings = settings
        self._placeholder_key = placeholder_key
        disabled = set(settings.disabled_entities)
        self._entities = [e.value for e in Entity if e.value not in disabled]

    def _detect_with_tail(self, combined: str, text: str, offset: int, lead: str = "") -> list[Detection]:
        """Entities of ``text``, plus those that start in the previous message's tail.

        The tail is there only to catch data split over two messages (a card number typed in
        two halves): from the combined text only entities crossing the join are kept, and
        ``text`` is analysed alone for the rest, so that the previous message's words do not
        change how this one is read ("thank you" + "bye" is not an organisation). Found
        entities are in ``combined``'s coordinates. With ``lead``, ``text`` is read after it
        (a reply to a question for a reference after :data:`REFERENCE_CUE`).
        """
        own = self._detect_after(lead, text)
        if offset == 0:
            return own
        crossing = [f for f in self.detect(combined) if f.start < offset < f.end]
        alone = [
            replace(f, start=f.start + offset, end=f.end + offset)
            for f in own
            if not any(c.start < f.end + offset and f.start + offset < c.end for c in crossing)
        ]
        return sorted(crossing + alone, key=lambda f: f.start)

    def _detect_in_context(self, combined: str, text: str, offset: int, prompt: str) -> list[Detection]:
        """Entities of ``text`` (in ``combined``'s coordinates), read with the previous
        message's tail and, for a short reply, after the bot's prompt: a span found only
        with the prompt before it ("51473538" after "What is the account number?") counts."""
        if not prompt.strip() or len(text) > self._settings.prompted_reply_chars:
            return self._detect_with_tail(combined, text, offset)
        question = prompt.strip()[-_PROMPT_CHARS:]
        if asks_for_reference(question):
            return self._detect_reference(combined, text, offset)
        found = self._detect_with_tail(combined, text, offset)
        in_reply = self._detect_after(f"{question}{_JOINER}", text)
        if not _ASKS_FOR_A_NAME.search(question):
            in_reply = [f for f in in_reply if f.entity_type not in NAME_LIKE_TYPES]
        extra = [
            replace(f, start=f.start + offset, end=f.end + offset) for f in _drop_vocabulary(text, in_reply)
        ]
        return _resolve_overlaps(combined, found + extra)

    def _detect_reference(self, combined: str, text: str, offset: int) -> list[Detection]:
        """Entities of a reply to a question for a payment reference: read after
        :data:`REFERENCE_CUE` (so that "ELEC DEC" or "Flat 2 rent" is not read as a place) and
        alone, keeping from the second reading the name-like spans that hold a real name
        ("rent esperanza donnelly")."""
        found = self._detect_with_tail(combined, text, offset, lead=REFERENCE_CUE)
        if self._names is None:
            return found
        names = self._names
        alone = [
            f
            for f in self._detect_with_tail(combined, text, offset)
            if f.entity_type not in NAME_LIKE_TYPES
            or names.names_someone(combined[f.start : f.end], f.entity_type)
        ]
        return _resolve_overlaps(combined, found + alone)

    def _detect_after(self, lead: str, text: str) -> list[Detection]:
        """Spans of ``text`` (offsets in ``text``) read after ``lead``."""
        if not lead:
            return list(self.detect(text))
        return [
            replace(f, start=f.start - len(lead), end=f.end - len(lead))
            for f in self.detect(lead + text)
            if f.start >= len(lead)
        ]

    def detect(self, text: str) -> list[Detection]:
        """Finds the spans of ``text`` (offsets in ``text``), without redacting.

        Raises:
            TextTooLongError: ``text`` is longer than ``max_chars``.
        """
        if len(text) > self._settings.max_chars:
            raise TextTooLongError(f"message of {len(text)} characters exceeds {self._settings.max_chars}")
        normalized = normalize(text)
        found = []
        for offset, chunk in self._chunks(normalized.text):
            for result in self._analyze(chunk):
                start, end = normalized.to_original(result.start + offset, result.end + offset)
                found.append(Detection(start, end, result.entity_type, result.score, _recognizer(result)))
        found = _drop_vocabulary(text, cut_at_structured(text, found, _structured))
        found = drop_lone_units(text, extend_addresses(text, join_addresses(found)))
        return _resolve_overlaps(text, _postcodes_after_places(text, found))

    def redact(self, text: str, context: RedactionContext) -> Redaction:
        """Redacts one message of a conversation.

        Args:
            text: the raw message.
            context: the conversation's context; its placeholder map and tail are updated.

        Returns:
            The redacted text, the spans and the originals for the vault.
        """
        tail = context.previous_tail
        combined = f"{tail}{_JOINER}{text}" if _may_continue(tail, text) else text
        offset = len(combined) - len(text)
        spans: list[Span] = []
        originals: dict[str, Original] = {}
        split: list[str] = []
        pieces: list[str] = []
        cursor = 0
        redacted_length = 0
        for found in self._detect_in_context(combined, text, offset, context.prompt):
            value = combined[found.start : found.end]
            placeholder = context.placeholders.placeholder_for(
                found.entity_type, value, self._placeholder_key
            )
            start = max(found.start, offset) - offset
            end = found.end - offset
            if found.start < offset:
                split.append(placeholder)
            pieces.append(text[cursor:start])
            redacted_length += start - cursor
            spans.append(
                Span(
                    start,
                    end,
                    redacted_length,
                    redacted_length + len(placeholder),
                    found.entity_type,
                    round(found.score, 4),
                    placeholder,
                    found.recognizer,
                )
            )
            pieces.append(placeholder)
            redacted_length += len(placeholder)
            cursor = end
            originals.setdefault(placeholder, Original(placeholder, found.entity_type, value))
        pieces.append(text[cursor:])
        context.previous_tail = text[-self._settings.tail_chars :] if self._settings.tail_chars else ""
        return Redaction("".join(pieces), tuple(spans), tuple(originals.values()), tuple(split))

    def _analyze(self, text: str) -> list["RecognizerResult"]:
        if not text.strip():
            return []
        return self._analyzer.analyze(text, language="en", entities=self._entities)

    def _chunks(self, text: str) -> Iterator[tuple[int, str]]:
        size = self._settings.chunk_chars
        if len(text) <= size:
            yield 0, text
            return
        start = 0
        while start < len(text):
            end = min(len(text), start + size)
            if end < len(text):
                space = text.rfind(" ", start + size // 2, end)
                end = space if space > 0 else end
            yield start, text[start:end]
            if end >= len(text):
                return
            start = max(end - _CHUNK_OVERLAP, start + 1)


def _recognizer(result: "RecognizerResult") -> str:
    metadata: dict[str, Any] = result.recognition_metadata or {}
    return str(metadata.get("recognizer_name", ""))


def _drop_vocabulary(text: str, found: list[Detection]) -> list[Detection]:
    """Drops name-like spans that are the bot's vocabulary, amounts, currency names or
    merchants (listed, or standing where a merchant does), and merchants' domains
    ("booking.com")."""
    return [
        d
        for d in found
        if not (d.entity_type in NAME_LIKE_TYPES and _kept(text, d))
        and not (d.entity_type == Entity.URL and is_merchant(text, d.start, d.end))
    ]


def _kept(text: str, detection: Detection) -> bool:
    value = text[detection.start : detection.end]
    return (
        is_working_vocabulary(value)
        or is_amount(value)
        or names_currency(text, detection.start, detection.end)
        or is_merchant(text, detection.start, detection.end)
        or stands_as_merchant(text, detection.start, detection.end, detection.entity_type)
    )


# A postal code closing an address or a place ("Sweden 67626", "Kaster\n, VWV\n 04494",
# "Täby 183 65").
_CODE_AFTER_PLACE = re.compile(
    r"[ \t]*(?:[,\n][ \t]*)*(?:[A-Z]{2,3}[ \t]*,?[ \t]*\n?[ \t]*)?(\d{4,5}|\d{3} \d{2})(?![\w\-]|[.,]\d)"
)
_PLACES = frozenset({Entity.ADDRESS, Entity.LOCATION})


def _postcodes_after_places(text: str, found: list[Detection]) -> list[Detection]:
    """Adds the postal code (four or five digits, or three and two) written right after an
    address or a place."""
    added = []
    for detection in found:
        if detection.entity_type not in _PLACES:
            continue
        code = _CODE_AFTER_PLACE.match(text, detection.end)
        if code is not None:
            added.append(Detection(code.start(1), code.end(1), Entity.POSTCODE, 0.6, "PostcodeAfterPlace"))
    return found + added


def _resolve_overlaps(text: str, found: list[Detection]) -> list[Detection]:
    """Keeps non-overlapping spans.

    Structured spans (cards, IBANs, phones, dates...) come from precise patterns and are
    placed first, the higher score winning; what a better span leaves uncovered of a worse one
    is kept. Name-like spans (persons, places, addresses) come next and never cut a structured
    span, except that an address may swallow the postcode, numbers and names inside it (so a
    street address is not cut around its postcode, its unit number or a street named after a
    person).
    """
    structured = [d for d in found if d.entity_type not in NAME_LIKE_TYPES]
    name_like = [d for d in found if d.entity_type in NAME_LIKE_TYPES]
    kept: list[Detection] = []
    for candidate in sorted(set(structured), key=_rank):
        kept.extend(_uncovered_parts(text, candidate, kept))
    for candidate in sorted(set(name_like), key=_rank):
        overlapping = [k for k in kept if _overlap(candidate, k)]
        if not overlapping:
            kept.append(candidate)
        elif candidate.entity_type == Entity.ADDRESS and all(
            k.entity_type in _ADDRESS_PARTS and candidate.start <= k.start and k.end <= candidate.end
            for k in overlapping
        ):
            kept = [k for k in kept if k not in overlapping] + [candidate]
    return sorted(kept, key=lambda d: d.start)


def _uncovered_parts(text: str, candidate: Detection, kept: list[Detection]) -> list[Detection]:
    """What of a structured span the spans already kept leave uncovered: the whole span when
    nothing overlaps it, else each left-over piece with two or more letters or digits (a card
    number that a better phone match covers in part is not left half visible)."""
    overlapping = sorted((k for k in kept if _overlap(candidate, k)), key=lambda k: k.start)
    if not overlapping:
        return [candidate]
    pieces, start = [], candidate.start
    for k in overlapping:
        pieces.append((start, k.start))
        start = max(start, k.end)
    pieces.append((start, candidate.end))
    parts = []
    for a, b in pieces:
        piece = text[a:b]
        if sum(ch.isalnum() for ch in piece) >= 2:
            start = a + len(piece) - len(piece.lstrip())
            parts.append(replace(candidate, start=start, end=start + len(piece.strip())))
    return parts


# What an address swallows when it holds it whole: its code, numbers and the names in it.
_ADDRESS_PARTS = frozenset({Entity.POSTCODE, Entity.NUMBER, Entity.CVV}) | NAME_LIKE_TYPES


def _structured(detection: Detection) -> bool:
    """A structured value that a name-like span must not run over (a phone number)."""
    return detection.entity_type not in _ADDRESS_PARTS


def _rank(detection: Detection) -> tuple[float, bool, int, int]:
    return (
        -detection.score,
        detection.entity_type == Entity.NUMBER,
        -(detection.end - detection.start),
        detection.start,
    )


def _overlap(a: Detection, b: Detection) -> bool:
    return a.start < b.end and b.start < a.end


def _may_continue(tail: str, text: str) -> bool:
    """Whether ``text`` may carry on a number or code that ``tail`` started (a card number,
    an IBAN, a phone number split over two messages)."""
    if not tail or not text:
        return False
    end, start = tail.rstrip()[-1:], text.lstrip()[:1]
    return bool(end and start and end.isalnum() and start.isalnum() and (end.isdigit() or start.isdigit()))
