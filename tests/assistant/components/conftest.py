"""Fixtures: a small Rasa bot trained with our components, and `rasa run --enable-api` on it.

Rasa lives in `.venv-rasa`, the tests in `.venv`, so both run as subprocesses and the
tests talk to Rasa's HTTP API, the way the service does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
DATA = Path(__file__).resolve().parent / "data"


def rasa_env(cache: Path) -> dict[str, str]:
    """Offline, one thread per library, our package importable, a private training cache."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "OMP_NUM_THREADS": "1",
        "RASA_CACHE_DIRECTORY": str(cache),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


@pytest.fixture(scope="session")
def trained_bot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Trains `data/` with our two components; returns the model and the training log."""
    if not RASA.exists():
        pytest.skip("the Rasa environment .venv-rasa is not built (scripts/setup_rasa_env.sh)")
    out = tmp_path_factory.mktemp("components-model")
    result = subprocess.run(
        ["nice", "-n", "10", str(RASA), "train", "--config", str(DATA / "config.yml"),
         "--domain", str(DATA / "domain.yml"), "--data", str(DATA / "nlu.yml"),
         str(DATA / "rules.yml"), "--out", str(out), "--fixed-model-name", "components"],
        cwd=ROOT, env=rasa_env(out / "cache"), capture_output=True, text=True, timeout=1800)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    return out / "components.tar.gz", log


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def rasa_url(trained_bot: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[str]:
    """`rasa run --enable-api` on the trained bot; yields its base URL."""
    model, _ = trained_bot
    port = free_port()
    logs = tmp_path_factory.mktemp("rasa-run") / "rasa.log"
    with logs.open("w") as log:
        process = subprocess.Popen(
            [str(RASA), "run", "--enable-api", "--model", str(model), "--port", str(port),
             "--interface", "127.0.0.1"],
            cwd=ROOT, env=rasa_env(logs.parent / "cache"), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"rasa run exited: {logs.read_text()[-4000:]}")
            try:
                if httpx.get(f"{url}/status", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        else:
            pytest.fail(f"rasa run did not start in time: {logs.read_text()[-4000:]}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
