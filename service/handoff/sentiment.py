"""The sentiment of one customer message, as the NLU pipeline reports it.

The sentiment component adds a ``sentiment`` entry to each message's parse data (it shows in
Rasa's tracker, on the user event and in ``latest_message``). This module is the one place
that reads it, so the triggers depend only on :class:`SentimentReading`. Accepted shapes::

    {"label": "negative", "score": 0.93}                          # score of the label
    {"label": ..., "scores": {"negative": 0.9, "neutral": ..., "positive": ...}}
    ... plus an optional anger signal: "anger": 0.7, or "frustration": 0.7,
        or "emotions": {"anger": 0.7}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SentimentReading:
    """How negative (0..1) and how angry (0..1, when known) one message is."""

    label: str
    negativity: float
    anger: float | None = None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return min(1.0, max(0.0, float(value)))


def read_sentiment(parse_data: Mapping[str, Any] | None) -> SentimentReading | None:
    """The reading in ``parse_data``, or ``None`` when the pipeline added none."""
    raw = (parse_data or {}).get("sentiment")
    if not isinstance(raw, Mapping):
        return None
    label = str(raw.get("label") or raw.get("name") or "").lower()
    scores = raw.get("scores") or raw.get("probabilities")
    negativity: float | None = None
    if isinstance(scores, Mapping):
        negativity = _number(scores.get("negative"))
    if negativity is None:
        score = _number(raw.get("score", raw.get("confidence")))
        negativity = (score if score is not None else 1.0) if label == "negative" else 0.0
    emotions = raw.get("emotions")
    anger = _number(raw.get("anger", raw.get("frustration")))
    if anger is None and isinstance(emotions, Mapping):
        anger = _number(emotions.get("anger"))
    if not label and negativity is None:
        return None
    return SentimentReading(label=label or "unknown", negativity=negativity, anger=anger)
