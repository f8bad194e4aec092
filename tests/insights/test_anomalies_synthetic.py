"""The synthetic histories: the same per seed, labelled, and through the file format unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from insights.anomalies.histories import history_from_json, history_to_json, read_histories, write_histories
from insights.anomalies.synthetic import TEST_FROM, generate, main


def test_the_same_seed_gives_the_same_histories_and_another_seed_others() -> None:
    first = [history_to_json(h) for h in generate(seed=11, customers=4)]
    assert first == [history_to_json(h) for h in generate(seed=11, customers=4)]
    assert first != [history_to_json(h) for h in generate(seed=12, customers=4)]


def test_anomalies_are_planted_only_after_the_test_start_and_hard_negatives_noted() -> None:
    histories = generate(seed=2, customers=40)
    rows = [row for h in histories for row in h.transactions]
    anomalies = [row for row in rows if row.anomaly]
    assert anomalies and all(row.event.booked_at >= TEST_FROM for row in anomalies)
    assert all(row.incident is not None for row in anomalies)
    notes = {row.note for row in rows if row.note}
    assert {"christmas", "refund", "annual_renewal"} <= notes
    assert all(row.event.amount > 0 for row in rows if row.note == "refund")
    assert any(row.event.is_foreign for row in rows)


def test_histories_go_through_the_file_unchanged(tmp_path: Path) -> None:
    histories = generate(seed=4, customers=3)
    path = tmp_path / "h.jsonl"
    assert write_histories(path, histories) == 3
    assert [history_to_json(h) for h in read_histories(path)] == [history_to_json(h) for h in histories]


def test_a_line_without_transactions_is_refused() -> None:
    with pytest.raises(ValueError, match="not a labelled history"):
        history_from_json({"customer": "x", "test_from": "2024-10-01T00:00Z"})


def test_the_command_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dev.jsonl"
    assert main(["--seed", "1", "--customers", "2", "--out", str(out)]) == 0
    assert len(read_histories(out)) == 2 and "2 customers" in capsys.readouterr().out
