"""Benchmarks write exactly the required keys; everything else goes beside them."""

from __future__ import annotations

import json
from pathlib import Path

from bench.stats import write_json_with_details


def test_details_go_beside_the_agreed_keys(tmp_path: Path) -> None:
    out = write_json_with_details(tmp_path / "load.json", {"ours": {}, "stock": {}}, {"ramp": [1, 5]})
    assert json.loads(out.read_text()) == {"ours": {}, "stock": {}}
    assert json.loads((tmp_path / "load.details.json").read_text()) == {"ramp": [1, 5]}
