"""``python -m bench.insights`` on a small file prints its tables and writes its JSON."""

from __future__ import annotations

import json
from pathlib import Path

from bench.insights import main

ROWS = """description,amount,category
HERON FOODS 0231,-12.40,groceries
SQ *FRANCO MANCA,-18.00,eating_out
SCOTRAIL,-23.10,transport
BGC ORCHARD DESIGN SALARY,2210.00,salary
EURONET ATM,-40.00,cash
DEBENHAMS,25.00,shopping
"""


def test_the_benchmark_writes_its_json(tmp_path: Path, capsys) -> None:
    test = tmp_path / "test.csv"
    test.write_text(ROWS)
    out = tmp_path / "insights.json"
    assert main(["--test", str(test), "--out", str(out), "--batch", "4"]) == 0
    data = json.loads(out.read_text())
    assert data["rows"] == 6
    assert set(data["results"]) == {"keyword rules (baseline)", "model alone", "ours"}
    for result in data["results"].values():
        assert 0.0 <= result["macro_f1"] <= 1.0 and "groceries" in result["per_category"]
    assert data["latency"]["ours"]["per_second"] > 0
    assert "macro-F1" in capsys.readouterr().out
