"""The tagger's features: what each token looks like, its neighbours and the word lists it is in."""

from privacy.ner.tokens import shape

BOUNDARY = "<S>"
_SENTENCE_ENDS = frozenset({".", "!", "?", ":", '"', ">"})
END = "</S>"


def case_of(word: str) -> str:
    """A coarse class: ``title``, ``upper``, ``lower``, ``mixed``, ``digit``, ``alnum``, ``nl``, ``punct``."""
    if word == "\n":
        return "nl"
    if word.isdigit():
        return "digit"
    if not word[0].isalnum():
        return "punct"
    if any(ch.isdigit() for ch in word):
        return "alnum"
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper" if len(word) > 1 else "title"
    if word[0].isupper() and word[1:].islower():
        return "title"
    return "mixed"


def _line_lengths(words: list[str]) -> list[int]:
    """Number of tokens on the line of each token."""
    lengths = [0] * len(words)
    start = 0
    for index in range(len(words) + 1):
        if index == len(words) or words[index] == "\n":
            for inside in range(start, index):
                lengths[inside] = index - start
            start = index + 1
    return lengths


def sentence_features(words: list[str], classes: list[str]) -> list[list[str]]:
    """The features of every token of a sentence.

    Args:
        words: the tokens' texts.
        classes: per token, the gazetteer lists it is in (``Gazetteer.classes``), "" for none.
    """
    lowers = [w.lower() for w in words]
    shapes = [shape(w) for w in words]
    cases = [case_of(w) for w in words]
    lines = _line_lengths(words)
    count = len(words)

    def at(values: list[str], index: int) -> str:
        if index < 0:
            return BOUNDARY
        if index >= count:
            return END
        return values[index]

    out = []
    for i in range(count):
        lower, case, gaz = lowers[i], cases[i], classes[i]
        before, after = at(lowers, i - 1), at(lowers, i + 1)
        case_before, case_after = at(cases, i - 1), at(cases, i + 1)
        line_start = i == 0 or words[i - 1] == "\n"
        sentence_start = line_start or words[i - 1] in _SENTENCE_ENDS
        line_end = i + 1 == count or words[i + 1] == "\n"
        line_length = str(min(lines[i], 6))
        features = [
            "b",
            "w=" + lower,
            "p2=" + lower[:2],
            "p3=" + lower[:3],
            "s2=" + lower[-2:],
            "s3=" + lower[-3:],
            "s4=" + lower[-4:],
            "sh=" + shapes[i],
            "c=" + case,
            "ls=" + str(line_start) + case,
            "ss=" + str(sentence_start) + case + "|" + gaz,
            "le=" + str(line_end) + case,
            "ll=" + line_length + case,
            "g=" + gaz + "|" + case,
            "w-1=" + before,
            "w-2=" + at(lowers, i - 2),
            "w+1=" + after,
            "w+2=" + at(lowers, i + 2),
            "w-1w=" + before + "|" + lower,
            "ww+1=" + lower + "|" + after,
            "w-1c=" + before + "|" + case,
            "cw+1=" + case + "|" + after,
            "c-1=" + case_before,
            "c+1=" + case_after,
            "c-2=" + at(cases, i - 2),
            "c+2=" + at(cases, i + 2),
            "ccc=" + case_before + "|" + case + "|" + case_after,
            "sh-1=" + at(shapes, i - 1) + "|" + shapes[i],
            "sh+1=" + shapes[i] + "|" + at(shapes, i + 1),
            "g-1=" + at(classes, i - 1) + "|" + case_before,
            "g+1=" + at(classes, i + 1) + "|" + case_after,
            "gg=" + at(classes, i - 1) + "|" + gaz + "|" + at(classes, i + 1),
        ]
        if gaz:
            features.extend("gc=" + name + "|" + case for name in gaz.split("+"))
        out.append(features)
    return out
