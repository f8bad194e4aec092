"""The screening benchmark: it runs on a small file and writes its JSON; the development set
keeps its size and labels, and the shipped threshold keeps its figures on it."""

from __future__ import annotations

import json
from pathlib import Path

from bench.screening import DEFAULT_TEST, main, read_labelled, run
from screening import ListEntry, ScreeningSettings

SMALL = [
    {"name": "Aleksandr Viktorovich Petrushenko", "listed": "70001"},  # exact: both systems
    {"name": "Youssef Haddadine", "dob": "1971-11-02", "listed": 70003},  # a spelling: ours only
    {"name": "ZARKAN TRADING CO", "listed": "70037"},
    {"name": "John Smith", "listed": None},
    {"name": "Alexander Petrenko", "nationality": "Ukraine", "listed": None},
]


def test_the_benchmark_runs_on_a_small_file_and_writes_its_json(tmp_path: Path) -> None:
    test = tmp_path / "small.jsonl"
    test.write_text("\n".join(json.dumps(row) for row in SMALL) + "\n\n", encoding="utf-8")
    out = tmp_path / "out" / "screening.json"
    assert main(["--test", str(test), "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["names"] == 5 and report["listed_names"] == 3 and report["entries"] == 50
    ours, exact = report["results"]["ours"], report["results"]["exact_name"]
    assert (ours["tp"], ours["fp"], ours["fn"]) == (3, 0, 0)
    assert (exact["tp"], exact["fp"], exact["fn"]) == (2, 0, 1)
    assert exact["recall"] == round(2 / 3, 4) and ours["f1"] == 1.0
    assert ours["latency"]["p95_ms"] >= ours["latency"]["p50_ms"] > 0
    assert report["ratios"]["recall"] == 1.5
    assert set(report["sweep"]) >= {"0.84", "0.9"} and set(report["two_fold"]) == {
        "chosen_on_even", "chosen_on_odd"}
    assert report["errors"] == []


def test_a_missing_test_file_is_reported(tmp_path: Path) -> None:
    assert main(["--test", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "x.json")]) == 2
    assert not (tmp_path / "x.json").exists()


def test_the_development_set_is_large_enough_and_labels_listed_entries(
        entries: tuple[ListEntry, ...]) -> None:
    rows = read_labelled(DEFAULT_TEST)
    listed = [row for row in rows if row.listed is not None]
    assert len(listed) >= 150 and len(rows) - len(listed) >= 150
    assert {row.listed for row in listed} <= {entry.group_id for entry in entries}
    assert len({(row.name, row.dob, row.nationality) for row in rows}) == len(rows)
    # Namesakes told apart by a date of birth or nationality: the same name under both labels.
    assert any(row.dob and row.listed is None and row.name in {r.name for r in listed} for row in rows)


def test_the_shipped_threshold_keeps_its_figures_on_the_development_set() -> None:
    report = run(DEFAULT_TEST, ScreeningSettings())
    ours = report["results"]["ours"]
    assert ours["precision"] >= 0.97 and ours["recall"] >= 0.97
    assert ours["f1"] > 2 * report["results"]["exact_name"]["f1"]
