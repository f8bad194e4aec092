"""The sentiment training data we wrote, and its loader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.components.exceptions import TrainingDataError
from assistant.components.sentiment_data import (
    SENTIMENT_LABELS,
    fingerprint,
    load_sentiment_examples,
    resolve_data_path,
)


def test_shipped_data_has_hundreds_of_varied_messages() -> None:
    examples = load_sentiment_examples("nlu_data/sentiment")
    labels = Counter(e.sentiment for e in examples)
    assert len(examples) >= 400
    assert set(labels) == set(SENTIMENT_LABELS)
    assert min(labels.values()) >= 100
    frustrated = [e for e in examples if e.frustrated]
    assert len(frustrated) >= 80
    assert all(e.sentiment == "negative" for e in frustrated)
    assert len({e.text.lower() for e in examples}) == len(examples)


def test_relative_paths_resolve_from_the_project_root(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_data_path("nlu_data/sentiment").is_dir()


def test_unknown_label_is_reported_with_its_line(tmp_path: Path) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("text,sentiment,frustrated\nfine,neutral,0\nmeh,grumpy,0\n")
    with pytest.raises(TrainingDataError, match="bad.csv:3"):
        load_sentiment_examples(data)


def test_missing_column_and_missing_file_are_errors(tmp_path: Path) -> None:
    data = tmp_path / "short.csv"
    data.write_text("text,sentiment\nfine,neutral\n")
    with pytest.raises(TrainingDataError, match="frustrated"):
        load_sentiment_examples(data)
    with pytest.raises(TrainingDataError, match="no sentiment training CSV"):
        load_sentiment_examples(tmp_path / "absent")


def test_fingerprint_follows_the_content(tmp_path: Path) -> None:
    data = tmp_path / "a.csv"
    data.write_text("text,sentiment,frustrated\nfine,neutral,0\n")
    before = fingerprint(tmp_path)
    data.write_text("text,sentiment,frustrated\nawful,negative,1\n")
    assert fingerprint(tmp_path) != before
