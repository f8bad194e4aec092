"""Fixtures for the bot's tests: the trained model, and the action server on a seeded DB."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.processes import ROOT, Stack, StackConfig, latest_model, prepare_database
from tests.assistant.action_client import ASSERTION_KEY

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
TRAIN_SCRIPT = ROOT / "scripts" / "train_assistant.sh"
RESULTS = ROOT / "results"


def rasa_env() -> dict[str, str]:
    """Environment for Rasa subprocesses: offline, at most 2 threads, an action server URL."""
    return {
        **os.environ,
        "ACTION_SERVER_URL": os.environ.get("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook"),
        "HF_HUB_OFFLINE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_INTRA_OP_PARALLELISM_THREADS": "2",
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "OMP_NUM_THREADS": "2",
    }


def run_rasa(*args: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
    """Run ``.venv-rasa/bin/rasa`` from the repository root, niced."""
    return subprocess.run(
        ["nice", "-n", "10", str(RASA), *args],
        cwd=ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The latest model, trained first by scripts/train_assistant.sh when data changed."""
    result = subprocess.run(
        [str(TRAIN_SCRIPT)], cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=3600
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return latest_model()


@pytest.fixture(scope="session")
def bot_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database of our own, migrated and seeded with the demo bank."""
    url = f"sqlite:///{tmp_path_factory.mktemp('assistant') / 'bank.db'}"
    prepare_database(url)
    return url


@pytest.fixture(scope="session")
def action_server_stack(bot_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real Rasa SDK action server (``assistant.actions``) on a free port, verifying
    customer assertions with the tests' key (``ASSERTION_KEY``)."""
    config = StackConfig(
        database_url=bot_database_url,
        model=ROOT / "models",  # unused: only the action server is started
        log_dir=tmp_path_factory.mktemp("action-server-logs"),
        extra_env={"IDENTITY_ASSERTION_KEY": ASSERTION_KEY},
    )
    stack = Stack(config)
    try:
        stack.start(names=("actions",), timeout_s=90)
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def action_server(action_server_stack: Stack) -> str:
    """The action server's base URL."""
    return action_server_stack.config.action_url
