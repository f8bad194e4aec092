"""Tokenisation for the tagger: words, single punctuation marks and line breaks, with offsets."""

import re
from typing import NamedTuple

# Words keep inner apostrophes and hyphens ("O'Neil", "Jean-Luc") but not a possessive "'s".
_TOKEN = re.compile(r"\n|[^\W_]+(?:(?!['’][sS]\b)['’\-][^\W_]+)*|['’][sS]\b|[^\w\s]|_+")


class Token(NamedTuple):
    """A token and its character offsets in the text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Splits ``text`` into tokens; a newline is a token of its own."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def shape(word: str) -> str:
    """A short word shape: ``Xx`` for "London", ``d`` for "42", ``X.`` kept short."""
    if word == "\n":
        return "NL"
    out: list[str] = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.islower() else "d" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out[:4])
