"""The pure parts of the containment benchmark: the BANKING77 CSV, the stratified sample, each
message's outcome from the bot's replies, the intent from Rasa's tracker, the figures per category."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from bench._nlu_common import read_labelled_csv
from bench.stats import latency_summary
from stack.simulate import queued

DOMAIN = Path(__file__).resolve().parents[1] / "assistant" / "domain.yml"
ANSWERED, CLARIFIED, HANDOFF, FALLBACK, ERROR = "answered", "clarified", "handoff", "fallback", "error"
OUTCOMES = (ANSWERED, CLARIFIED, HANDOFF, FALLBACK)
# The bot's "didn't understand" answers (assistant/data/rules_*.yml): nlu_fallback -> utter_rephrase,
# out_of_scope -> utter_out_of_scope; action_default_fallback utters utter_default when the
# domain has it, and nothing otherwise.
FALLBACK_RESPONSES = ("utter_rephrase", "utter_out_of_scope", "utter_default")
# A question that offers the likely meanings as buttons.
CLARIFYING_TEXT = re.compile(r"\b(did|do) you mean\b", re.IGNORECASE)
FALLBACK_INTENT = "nlu_fallback"
Mapping77 = Mapping[str, frozenset[str]]
"""A BANKING77 category -> the intents that answer it correctly."""

Reply = Mapping[str, Any]


class Message(NamedTuple):
    text: str
    category: str


@dataclass(frozen=True)
class Result:
    """One message's outcome; ``intent`` is None where no intent source was available."""

    category: str
    text: str
    outcome: str
    intent: str | None
    buttons: bool
    latency_ms: float
    acted: str | None = None
    """The intent the bot acted on (``nlu_fallback`` where it asked or gave up); ``intent`` is
    the one the classifier read (the top of its ranking)."""


def load_messages(path: Path) -> list[Message]:
    """The CSV's ``text,category`` rows (whitespace, newlines included, folded)."""
    texts, categories = read_labelled_csv(path, "text", "category")
    return [Message(t, c) for t, c in zip(texts, categories, strict=True)]


def stratified_sample(messages: Sequence[Message], limit: int, seed: int) -> list[Message]:
    """``limit // categories`` messages (at least one) from each category, drawn with ``seed``,
    in their order in the file."""
    by_category: dict[str, list[int]] = defaultdict(list)
    for index, message in enumerate(messages):
        by_category[message.category].append(index)
    if not by_category:
        return []
    each = max(1, limit // len(by_category))
    rng = random.Random(seed)
    chosen = [i for indexes in (by_category[c] for c in sorted(by_category))
              for i in rng.sample(indexes, min(each, len(indexes)))]
    return [messages[i] for i in sorted(chosen)]


def fold(text: str) -> str:
    return " ".join(text.split())


def fallback_texts(domain: Path = DOMAIN) -> frozenset[str]:
    """Every text variation of the domain's fallback responses."""
    responses = yaml.safe_load(domain.read_text())["responses"]
    return frozenset(
        fold(variation["text"])
        for name in FALLBACK_RESPONSES
        for variation in responses.get(name) or []
        if variation.get("text")
    )


def classify(replies: Sequence[Reply], fallbacks: frozenset[str]) -> str:
    """The outcome of one customer message, from the replies to it, in this order: a handoff
    notice; a fallback text or silence; a clarifying question with buttons; else answered."""
    if queued(replies):
        return HANDOFF
    if not replies or any(fold(r.get("text") or "") in fallbacks for r in replies):
        return FALLBACK
    if any(r.get("buttons") and CLARIFYING_TEXT.search(r.get("text") or "") for r in replies):
        return CLARIFIED
    return ANSWERED


def offers_buttons(replies: Sequence[Reply]) -> bool:
    """Whether any reply offers buttons (a clarifying question or not)."""
    return any(r.get("buttons") for r in replies)


def tracker_intents(tracker: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(read, acted) of the conversation's first message: the classifier's top intent (under a
    fallback, the top of its ranking) and the intent the bot acted on."""
    for event in tracker.get("events") or []:
        if event.get("event") == "user":
            parse = event.get("parse_data") or {}
            acted = (parse.get("intent") or {}).get("name")
            read = next((entry.get("name") for entry in parse.get("intent_ranking") or []
                         if entry.get("name") != FALLBACK_INTENT), acted)
            return read, acted
    return None, None


def figures(results: Sequence[Result], mapping: Mapping77) -> dict[str, Any]:
    """Shares of each outcome (errors included in the total), intent accuracy over the mapped
    categories (the intent read, and the intent read and acted on without asking), the intents
    read and the latency of the answered turns."""
    n = len(results)
    counts = Counter(r.outcome for r in results)
    mapped = [r for r in results if r.category in mapping and r.intent is not None]
    intents = Counter(r.intent for r in results if r.intent is not None)
    return {
        "messages": n,
        **{outcome: _share(counts[outcome], n) for outcome in OUTCOMES},
        "errors": counts[ERROR],
        "buttons_offered": _share(sum(r.buttons for r in results), n),
        "accuracy_mapped": _share(sum(r.intent in mapping[r.category] for r in mapped), len(mapped))
        if mapped else None,
        "accuracy_acted": _share(
            sum(r.intent in mapping[r.category] and r.acted == r.intent for r in mapped), len(mapped)
        ) if mapped else None,
        "mapped_messages": len(mapped),
        "intents": {intent: _share(count, n) for intent, count in intents.most_common()},
        "latency": latency_summary([r.latency_ms for r in results if r.outcome != ERROR]),
    }


def summarise(results: Sequence[Result], mapping: Mapping77) -> dict[str, Any]:
    """The overall figures, and ``per_category`` (worst first: highest fallback share)."""
    by_category: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_category[result.category].append(result)
    per_category = {
        category: {
            "mapped_to": sorted(mapping.get(category, ())),
            **figures(rs, mapping),
            "fallback_examples": [r.text for r in rs if r.outcome == FALLBACK][:3],
        }
        for category, rs in by_category.items()
    }
    worst_first = sorted(per_category.items(), key=lambda item: (-item[1][FALLBACK], item[0]))
    return {**figures(results, mapping), "per_category": dict(worst_first)}


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0
