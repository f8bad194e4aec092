"""``python -m bench.anomalies`` on a tiny file prints its table and writes its JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.anomalies import main
from insights.anomalies.histories import write_histories
from insights.anomalies.synthetic import generate


def test_the_benchmark_writes_its_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    test = tmp_path / "tiny.jsonl"
    write_histories(test, generate(seed=5, customers=3, history_months=2, test_months=1))
    out = tmp_path / "anomalies.json"
    assert main(["--test", str(test), "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["customers"] == 3 and data["test_transactions"] > 0
    assert set(data["results"]) == {"ours", "3x_mean_rule"}
    for result in data["results"].values():
        for key in ("precision", "recall", "f1", "incident_recall"):
            assert 0.0 <= result[key] <= 1.0
        assert result["false_alerts_per_customer_month"] >= 0.0
        assert result["latency"]["p95_ms"] >= result["latency"]["p50_ms"] >= 0.0
        assert result["events_per_second"] > 0
    assert "0.45" in data["results"]["ours"]["sweep"]
    assert "false alerts/cust-month" in capsys.readouterr().out


def test_a_missing_file_is_exit_code_2(tmp_path: Path) -> None:
    assert main(["--test", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "o.json")]) == 2
