"""End-to-end test stories pass on the trained model (NLU and dialogue policies together)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from tests.assistant.conftest import RESULTS, ROOT, run_rasa

TEST_STORIES = ROOT / "assistant" / "tests" / "test_stories.yml"
OUT = RESULTS / "e2e"


def test_every_test_story_passes(trained_model: Path) -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    result = run_rasa(
        "test",
        "core",
        "--model",
        str(trained_model),
        "--stories",
        str(TEST_STORIES),
        "--e2e",
        "--out",
        str(OUT),
        "--no-plot",
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]

    failed = yaml.safe_load((OUT / "failed_test_stories.yml").read_text()) or {}
    failed_names = [story["story"] for story in failed.get("stories", [])]
    assert failed_names == [], (OUT / "failed_test_stories.yml").read_text()[:6000]

    accuracy = json.loads((OUT / "story_report.json").read_text())["conversation_accuracy"]
    written = len(yaml.safe_load(TEST_STORIES.read_text())["stories"])
    assert accuracy["total"] == written >= 30
    assert accuracy["correct"] == written
