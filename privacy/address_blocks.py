"""Street addresses as whole blocks: what follows a street line, and what cuts a span short.

An address is often written as a block: street, unit, town, region, country and postal code,
on one line or several ("14 Akti Street Suite 3 Limassol Cyprus",
"8 Lark Court Apt. 12\\nDunmore\\n, PA\\n 18512"). The tagger and the street pattern find
pieces of it; these functions make one span of the block:

* :func:`cut_at_structured` ends a name-like span where a structured one (a phone number)
  starts inside it, so that a tagger span run on into the next line does not lose the lot;
* :func:`join_addresses` makes one span of an address and the spans that overlap it;
* :func:`extend_addresses` adds the town, region, country, unit and code segments written
  right after an address, and the first street of a crossing written before it
  ("Ines and Mühlweg 4");
* :func:`drop_lone_units` keeps a unit named with no street, place or code beside it
  ("Flat 2 rent", "UNIT 7 DEPOSIT"): on its own it tells no one where anybody lives.
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import regex

from privacy.entities import Entity
from privacy.vocabulary import NAME_LIKE_TYPES, is_working_vocabulary

if TYPE_CHECKING:
    from privacy.redactor import Detection

_CAPITALISED = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|du|la|le|les|van|von|der|den|ten|ter|y|e|of|on|upon)"
_CODE = r"\d{2,6}(?:[ \-]\d{2,4})?"
_UNIT = r"(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Room|Box)[ \t]*\d{1,5}[A-Za-z]?"
# One segment of an address block: a unit, a place name (with particles and a code after it)
# or both, a postal code, or a short region code in any case ("ca", "nan"); it ends the line or a
# comma-separated part.
_PLACE = _CAPITALISED + r"(?:[ \t]+(?:" + _PARTICLE + r"[ \t]+)?(?:" + _CAPITALISED + r"|" + _CODE + r"))*"
_SEGMENT = regex.compile(
    r"(?:[ \t]*,)?[ \t]*(?:\n[ \t]*(?:,[ \t]*)?)?"
    r"(?P<segment>" + _UNIT + r"(?:[ \t]+" + _PLACE + r")?|" + _PLACE + r"|" + _CODE + r"|[a-z]{2,3})"
    r"(?=[ \t]*(?:[,\n?!]|\.(?:\s|$)|$))"
)
# The first street of a crossing, right before an address: "Ines and " in "Ines and Mühlweg 4".
_CROSSING_BEFORE = regex.compile(
    r"(?<![\p{L}\p{M}])" + _CAPITALISED + r"(?:[ \t]+" + _CAPITALISED + r"){0,2}[ \t]+(?:and|&)[ \t]+$"
)
# A unit alone, maybe with words of the bot's vocabulary after it ("UNIT 7 DEPOSIT").
_LONE_UNIT = regex.compile(
    r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Room)\.?[ \t]*#?\d{1,5}[A-Za-z]?"
    r"(?P<rest>(?:[ \t]+[\p{L}'’\-]+)*)",
    regex.IGNORECASE,
)
_PLACE_TYPES = frozenset({Entity.ADDRESS, Entity.LOCATION, Entity.POSTCODE})
_MAX_SEGMENTS = 5
_MAX_SEGMENT_CHARS = 40
_SEPARATORS = " \t\n,;:-\\"
# What a block stops at: words of the conversation, not places ("Thanks", "Regards").
_CLOSERS = frozenset({"regards", "best", "kind", "sincerely", "cheers", "thanks", "thank", "yours"})


def cut_at_structured(
    text: str, found: Sequence["Detection"], structured: Callable[["Detection"], bool]
) -> list["Detection"]:
    """Ends each name-like span before the first structured span that starts inside it.

    Args:
        text: the analysed text.
        found: its detections.
        structured: which detections are structured values (a phone number) that a name-like
            span must not run over.
    """
    cut = []
    for detection in found:
        if detection.entity_type in NAME_LIKE_TYPES:
            starts = [s.start for s in found if structured(s) and detection.start < s.start < detection.end]
            if starts:
                value = text[detection.start : min(starts)].rstrip(_SEPARATORS)
                if len(value.strip()) < 2:
                    continue
                detection = replace(detection, end=detection.start + len(value))
        cut.append(detection)
    return cut


def join_addresses(found: Sequence["Detection"]) -> list["Detection"]:
    """Makes one address of an address and the name-like spans that overlap it.

    Overlapping addresses become one; so do an address and a place, organisation or person
    span that runs into it ("0415 P.O" and "P.O. Box 61"). The joined span keeps the
    higher score.
    """
    name_like = sorted((f for f in found if f.entity_type in NAME_LIKE_TYPES), key=lambda f: f.start)
    groups: list[list[Detection]] = []
    for detection in name_like:
        if groups and detection.start < max(g.end for g in groups[-1]):
            groups[-1].append(detection)
        else:
            groups.append([detection])
    joined = []
    for group in groups:
        if len(group) == 1 or not any(g.entity_type == Entity.ADDRESS for g in group):
            joined.extend(group)
            continue
        address = max((g for g in group if g.entity_type == Entity.ADDRESS), key=lambda g: g.score)
        joined.append(
            replace(
                address,
                start=min(g.start for g in group),
                end=max(g.end for g in group),
                score=max(g.score for g in group),
            )
        )
    return [f for f in found if f.entity_type not in NAME_LIKE_TYPES] + joined


def block_end(text: str, end: int) -> int:
    """Where the address block that has a street ending at ``end`` ends."""
    for _ in range(_MAX_SEGMENTS):
        match = _SEGMENT.match(text, end)
        if match is None:
            break
        segment = match.group("segment")
        first = segment.split()[0].strip(".,").casefold()
        if len(segment) > _MAX_SEGMENT_CHARS or first in _CLOSERS or is_working_vocabulary(segment):
            break
        end = match.end()
    return end


def block_start(text: str, start: int) -> int:
    """Where the address starting at ``start`` starts when it is the second street of a
    crossing ("Ines and Mühlweg 4")."""
    crossing = _CROSSING_BEFORE.search(text, max(0, start - 60), start)
    if crossing is None or is_working_vocabulary(crossing.group().rsplit(None, 1)[0]):
        return start
    return crossing.start()


def extend_addresses(text: str, found: Sequence["Detection"]) -> list["Detection"]:
    """Extends each address over the crossing before it and the block segments after it."""
    return [
        replace(f, start=block_start(text, f.start), end=block_end(text, f.end))
        if f.entity_type == Entity.ADDRESS
        else f
        for f in found
    ]


def drop_lone_units(text: str, found: Sequence["Detection"]) -> list["Detection"]:
    """Drops addresses that are a unit alone ("Flat 2") when the message names no other
    address, place or postcode."""
    units = [f for f in found if f.entity_type == Entity.ADDRESS and _lone_unit(text[f.start : f.end])]
    if not units or any(f.entity_type in _PLACE_TYPES for f in found if f not in units):
        return list(found)
    return [f for f in found if f not in units]


def _lone_unit(value: str) -> bool:
    unit = _LONE_UNIT.fullmatch(value.strip(" \t,."))
    return unit is not None and (not unit.group("rest").strip() or is_working_vocabulary(unit.group("rest")))
