"""Reads the sentiment training data we write (`nlu_data/sentiment/*.csv`).

Each CSV has the columns `text`, `sentiment` (negative / neutral / positive) and
`frustrated` (1 when the customer is frustrated or angry, else 0). Rasa's NLU loader
ignores CSV files, so the files can sit beside the NLU YAML under `nlu_data/`.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from assistant.components.exceptions import TrainingDataError

SENTIMENT_LABELS = ("negative", "neutral", "positive")
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class SentimentExample:
    """One labelled customer message."""

    text: str
    sentiment: str
    frustrated: bool


def resolve_data_path(path: str | Path) -> Path:
    """A relative path is looked up in the working directory, then in the project root."""
    candidate = Path(path)
    if candidate.is_absolute() or candidate.exists():
        return candidate
    return REPO_ROOT / candidate


def data_files(path: str | Path) -> list[Path]:
    """The CSV files of a file or folder, sorted.

    Raises:
        TrainingDataError: If there is no such file or the folder holds no CSV.
    """
    resolved = resolve_data_path(path)
    files = sorted(resolved.glob("*.csv")) if resolved.is_dir() else [resolved]
    if not files or not all(file.is_file() for file in files):
        raise TrainingDataError(f"no sentiment training CSV at {resolved}; write one with "
                                "the columns text,sentiment,frustrated")
    return files


def load_sentiment_examples(path: str | Path) -> list[SentimentExample]:
    """All examples of the CSV file(s) at `path`.

    Raises:
        TrainingDataError: On a missing file, a missing column or an unknown label.
    """
    examples: list[SentimentExample] = []
    for file in data_files(path):
        with file.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = {"text", "sentiment", "frustrated"} - set(reader.fieldnames or [])
            if missing:
                raise TrainingDataError(f"{file.name} lacks the column(s) {sorted(missing)}")
            for line, row in enumerate(reader, start=2):
                sentiment = row["sentiment"].strip().lower()
                if sentiment not in SENTIMENT_LABELS:
                    raise TrainingDataError(f"{file.name}:{line}: sentiment must be one of "
                                            f"{SENTIMENT_LABELS}, not {sentiment!r}")
                text = " ".join(row["text"].split())
                if text:
                    examples.append(SentimentExample(text, sentiment,
                                                     row["frustrated"].strip() == "1"))
    return examples


def fingerprint(path: str | Path) -> str:
    """A hash of the data files' contents, so that Rasa retrains when they change."""
    digest = hashlib.sha256()
    for file in data_files(path):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()
