"""Whole personal names: the tagger sometimes stops before a surname or after a particle.

"Anu K. Tamberg" tagged as "Anu", "Gerda ten Bos" as "Bos": :func:`full_name` widens
such a span over a middle initial and a surname that follow it, and over a first name and
a particle ("van", "ten") before it. A word is taken only when it is capitalised, not the
bot's vocabulary and either a known first name or surname or no frequent English word
("Justin Beet" yes, "John Thanks" no).
"""

import regex

from privacy.ner.gazetteer import Gazetteer
from privacy.vocabulary import is_working_vocabulary

_WORD = r"\p{Lu}[\p{Ll}\p{M}'’\-]+"
_AFTER = regex.compile(r"(?:[ \t]+\p{Lu}\.)?[ \t]+(?P<word>" + _WORD + r")(?![\p{L}\p{M}\d])")
_PARTICLE_BEFORE = regex.compile(
    r"(?<![\p{L}\p{M}])(?P<word>" + _WORD + r")[ \t]+"
    r"(?:van|von|de|der|den|ten|ter|da|di|du|la|le|dos|das|del|bin|ibn|al)[ \t]+$"
)
_FREQUENT = frozenset({"top1k", "top5k"})
_NAMES = frozenset({"first", "last"})
_MAX_WORDS_AFTER = 2


def _name_word(word: str, gazetteer: Gazetteer) -> bool:
    """A word that may be part of a name: not vocabulary, a known name or no frequent word."""
    if is_working_vocabulary(word):
        return False
    classes = set(gazetteer.classes(word.lower()).split("+"))
    return bool(classes & _NAMES) or not classes & _FREQUENT


def full_name(text: str, start: int, end: int, gazetteer: Gazetteer) -> tuple[int, int]:
    """The span of the whole name that ``text[start:end]`` is part of."""
    for _ in range(_MAX_WORDS_AFTER):
        after = _AFTER.match(text, end)
        if after is None or not _name_word(after.group("word"), gazetteer):
            break
        end = after.end()
    before = _PARTICLE_BEFORE.search(text, max(0, start - 40), start)
    if before is not None and _name_word(before.group("word"), gazetteer):
        start = before.start()
    return start, end
