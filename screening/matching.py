"""How alike two names are, whatever their word order, initials, missing middle names and
spelling: each word of one name is paired with its most similar word of the other.

A word's weight says how much it identifies someone: the surname and the first given name
count fully, middle names, particles (al, bin, van) and generic business words little, legal
forms (LLC, JSC) almost not at all, titles not at all. The score is the mean of the share of
the query's weight and the share of the listed name's weight that the pairs explain.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Literal

from rapidfuzz.distance import OSA

from screening.names import skeleton, tokens
from screening.sanctions_list import ListedName

Role = Literal["core", "middle", "particle", "generic", "legal", "initial"]

TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "chief", "colonel", "col",
    "general", "gen", "brigadier", "major", "maj", "captain", "capt", "lt", "lieutenant",
    "sheikh", "shaikh", "sheik", "haji", "hajji", "imam", "mullah",
})
PARTICLES = frozenset({
    "al", "el", "ul", "bin", "ibn", "bint", "de", "la", "del", "der", "den", "van", "von", "ten",
    "ter", "da", "di", "do", "dos", "das", "du", "le",
})
LEGAL_FORMS = frozenset({
    "ltd", "limited", "llc", "llp", "plc", "inc", "incorporated", "co", "company", "corp",
    "corporation", "jsc", "pjsc", "ojsc", "cjsc", "ao", "oao", "zao", "ooo", "gmbh", "ag", "sa",
    "sarl", "srl", "bv", "nv", "fze", "fzco", "fzc", "ca", "sas", "spa", "lp", "the",
})
GENERIC_WORDS = frozenset({
    "trading", "trade", "shipping", "maritime", "group", "holding", "holdings", "international",
    "industries", "industrial", "services", "service", "financial", "finance", "logistics",
    "logistika", "exchange", "house", "bank", "banco", "foundation", "charitable", "trust",
    "general", "construction", "mining", "metals", "and", "of", "systems", "cargo", "money",
    "relief", "global", "enterprise", "enterprises", "partners", "investment", "investments",
    "capital", "energy", "transport", "team",
})
WEIGHTS: dict[Role, float] = {
    "core": 1.0, "middle": 0.3, "particle": 0.2, "generic": 0.35, "legal": 0.05, "initial": 0.5,
}
MIN_WORD_SIMILARITY = 0.75  # below this two words are not paired at all
SIMILARITY_POWER = 1.5  # a pair's credit is its similarity to this power: near spellings count less
INITIAL_SIMILARITY = 0.9  # an initial against a word with that first letter
INITIAL_CREDIT = 0.8  # the share of a listed word's weight that a matching initial explains
MERGE_SIMILARITY = 0.9  # adjacent words read as one (Abdul Rahman, Abdulrahman; de la Pena)
MERGE_WORDS = 3


@dataclass(frozen=True)
class Word:
    """One word of a name: its folded text, spelling skeleton, role and weight."""

    text: str
    skeleton: str
    role: Role

    @property
    def weight(self) -> float:
        return WEIGHTS[self.role]

    @property
    def initial(self) -> bool:
        return self.role == "initial"


@dataclass(frozen=True)
class NameMatch:
    """How well a query explains a listed name, with the pairs behind the score."""

    score: float
    pairs: tuple[tuple[str, str, float], ...]


def query_words(name: str) -> tuple[Word, ...]:
    """The words of a name as the caller typed it (it may be a person or an entity)."""
    return tuple(_word(text, "core") for text in _spelt_legal_forms(tokens(name)) if text not in TITLES)


def listed_words(name: ListedName, entity: bool) -> tuple[Word, ...]:
    """The words of a listed name: the surname and first given name core, the rest middle."""
    if entity or name.non_latin:
        return tuple(_word(text, "core") for text in tokens(name.text) if text not in TITLES)
    words: list[Word] = []
    for position, given in enumerate(name.given):
        words += [_word(text, "core" if position == 0 else "middle") for text in tokens(given)
                  if text not in TITLES]
    words += [_word(text, "core") for text in tokens(name.surname)]
    return tuple(words)


def compare(query: tuple[Word, ...], listed: tuple[Word, ...]) -> NameMatch:
    """Pair the words of two names (greedily, most similar first) and score the pairing."""
    query, listed = _merge(query, listed), _merge(listed, query)
    candidates = sorted(
        ((similarity, i, j) for i, q in enumerate(query) for j, c in enumerate(listed)
         if (similarity := word_similarity(q, c)) > 0),
        reverse=True,
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[str, str, float]] = []
    explained_q = explained_c = 0.0
    for similarity, i, j in candidates:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        pairs.append((query[i].text, listed[j].text, round(similarity, 3)))
        credit = similarity**SIMILARITY_POWER
        explained_q += credit * query[i].weight
        # An initial says less about the listed word than the whole word would.
        explained_c += credit * listed[j].weight * (INITIAL_CREDIT if query[i].initial else 1.0)
    total_q = sum(word.weight for word in query)
    total_c = sum(word.weight for word in listed)
    if not total_q or not total_c:
        return NameMatch(0.0, ())
    score = 0.5 * explained_q / total_q + 0.5 * explained_c / total_c
    return NameMatch(round(score, 4), tuple(pairs))


def word_similarity(a: Word, b: Word) -> float:
    """1.0 for the same spelling skeleton, an edit similarity otherwise, 0 below the floor."""
    if a.initial or b.initial:
        return INITIAL_SIMILARITY if a.text[0] == b.text[0] else 0.0
    if a.skeleton == b.skeleton:
        return 1.0
    similarity = max(OSA.normalized_similarity(a.text, b.text),
                     OSA.normalized_similarity(a.skeleton, b.skeleton))
    return similarity if similarity >= MIN_WORD_SIMILARITY else 0.0


def _word(text: str, role: Role) -> Word:
    if len(text) == 1 and text.isalpha():
        role = "initial"
    elif text in PARTICLES:
        role = "particle"
    elif text in LEGAL_FORMS:
        role = "legal"
    elif text in GENERIC_WORDS:
        role = "generic"
    return Word(text, skeleton(text), role)


def _merge(words: tuple[Word, ...], other: tuple[Word, ...]) -> tuple[Word, ...]:
    """Join adjacent words that the other name writes as one (al Qadiri, Alqadiri)."""
    merged: list[Word] = []
    i = 0
    while i < len(words):
        span = _merge_span(words[i : i + MERGE_WORDS], other)
        if span > 1:
            parts = words[i : i + span]
            merged.append(_word("".join(w.text for w in parts), max(parts, key=lambda w: w.weight).role))
            i += span
        else:
            merged.append(words[i])
            i += 1
    return tuple(merged)


def _merge_span(words: tuple[Word, ...], other: tuple[Word, ...]) -> int:
    """How many of the leading ``words`` read better as one word against ``other`` (1: none)."""
    best = 1
    for span in range(2, len(words) + 1):
        parts = words[:span]
        if any(w.initial for w in parts):
            break
        joined = _word("".join(w.text for w in parts), "core")
        apart = max((word_similarity(w, o) for w in parts for o in other), default=0.0)
        together = max((word_similarity(joined, o) for o in other), default=0.0)
        if together >= MERGE_SIMILARITY and together > apart:
            best = span
    return best


def _spelt_legal_forms(words: list[str]) -> list[str]:
    """Letters spelt one by one that make a legal form read as one word (F.Z.E. -> fze)."""
    out: list[str] = []
    for single, run in groupby(words, key=lambda text: len(text) == 1):
        parts = list(run)
        joined = "".join(parts)
        out += [joined] if single and len(parts) > 1 and joined in LEGAL_FORMS else parts
    return out
