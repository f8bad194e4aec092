"""Text normalisation before analysis, with a map back to the original offsets.

Customers (and fraudsters) write digits and letters with look-alikes: full-width digits,
mathematical digits, Arabic-Indic digits, Cyrillic letters in an IBAN, letters ``O`` and
``l`` among digits, zero-width spaces, emoji between digits. We analyse a normalised copy and map every span
back to the original text, so the original is what gets redacted.
"""

import unicodedata
from dataclasses import dataclass

# Letters that look like Latin ones (Cyrillic and Greek capitals and lower case).
_CONFUSABLE_LETTERS = {
    **dict(zip("АВЕКМНОРСТХУІЈЅ", "ABEKMHOPCTXYIJS", strict=True)),
    **dict(zip("аеорсхуіјѕԁһ", "aeopcxyijsdh", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
    **dict(zip("οικνρτυ", "oikvptu", strict=True)),
}
_DASHES = "‐‑‒–—―−﹣－"
_SPACES = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Letters read as digits when they sit between digits ("4111 l111", "1O00").
_DIGIT_LOOKALIKES = {"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"}


@dataclass(frozen=True)
class NormalizedText:
    """A normalised text and, for each of its characters, the original character span."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Maps a ``[start, end)`` span of the normalised text to the original text."""
        if start >= end:
            position = self.starts[start] if start < len(self.starts) else self.original_length
            return position, position
        return self.starts[start], self.ends[end - 1]


def _normalize_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _DASHES:
        return "-"
    if char in _SPACES:
        return " "
    if char in _CONFUSABLE_LETTERS:
        return _CONFUSABLE_LETTERS[char]
    if char.isascii():
        return char
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.digit(char))
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and unicodedata.category(folded) == "Nd":
        return str(unicodedata.digit(folded))
    return folded


def normalize(text: str) -> NormalizedText:
    """Returns the NFKC + confusables normalised text with its offset map.

    Args:
        text: the original message.

    Returns:
        The normalised text; ``to_original`` maps its spans back.
    """
    if text.isascii():
        chars = list(text)
        starts = list(range(len(text)))
        ends = list(range(1, len(text) + 1))
    else:
        chars, starts, ends = [], [], []
        for index, char in enumerate(text):
            for piece in _normalize_char(char):
                chars.append(piece)
                starts.append(index)
                ends.append(index + 1)
    dropped = _symbols_between_digits(chars)
    if dropped:
        kept = [i for i in range(len(chars)) if i not in dropped]
        chars, starts, ends = [chars[i] for i in kept], [starts[i] for i in kept], [ends[i] for i in kept]
    _fix_digit_lookalikes(chars)
    return NormalizedText("".join(chars), tuple(starts), tuple(ends), len(text))


def _is_symbol(char: str) -> bool:
    """An emoji, a pictograph or a combining mark ("🙂", the variation selector after it)."""
    return not char.isascii() and unicodedata.category(char)[:1] in {"S", "M"}


def _symbols_between_digits(chars: list[str]) -> set[int]:
    """Positions of symbols written between digits, to drop ("4111🙂1111" reads "41111111")."""
    dropped = set()
    for index, char in enumerate(chars):
        if not _is_symbol(char):
            continue
        before = index - 1
        while before >= 0 and (chars[before] == " " or _is_symbol(chars[before])):
            before -= 1
        after = index + 1
        while after < len(chars) and (chars[after] == " " or _is_symbol(chars[after])):
            after += 1
        if before >= 0 and after < len(chars) and chars[before].isdigit() and chars[after].isdigit():
            dropped.add(index)
    return dropped


def _fix_digit_lookalikes(chars: list[str]) -> None:
    """Turns O/o/l/I/| into digits when the nearest non-separators on both sides are digits."""
    for index, char in enumerate(chars):
        if char not in _DIGIT_LOOKALIKES:
            continue
        if _neighbour_is_digit(chars, index, -1) and _neighbour_is_digit(chars, index, 1):
            chars[index] = _DIGIT_LOOKALIKES[char]


def _neighbour_is_digit(chars: list[str], index: int, step: int) -> bool:
    position = index + step
    while 0 <= position < len(chars) and chars[position] in " -":
        position += step
    if not 0 <= position < len(chars):
        return False
    neighbour = chars[position]
    return neighbour.isdigit() or (
        neighbour in _DIGIT_LOOKALIKES
        and abs(position - index) == 1
        and _has_digit_run(chars, position, step)
    )


def _has_digit_run(chars: list[str], index: int, step: int) -> bool:
    position = index + step
    while 0 <= position < len(chars) and chars[position] in " -":
        position += step
    return 0 <= position < len(chars) and chars[position].isdigit()
