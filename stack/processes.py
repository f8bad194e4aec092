"""The local stack as real processes: the Rasa SDK action server, the Rasa server and our API.

Used by ``make up``, the end-to-end tests and the benchmarks, so that all three start the
same processes in the same way.
"""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
SERVICE_PYTHON = ROOT / ".venv" / "bin" / "python"


class StackError(RuntimeError):
    """A process of the stack did not start or did not become healthy."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def latest_model(models_dir: Path = ROOT / "models") -> Path:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise StackError(f"No trained model in {models_dir}: run `make train` first.")
    return models[-1]


def local_vault_key(path: Path = ROOT / "var" / "privacy_vault.key") -> str:
    """The local run's vault key: made once, kept in ``var/`` (never committed), mode 0600.

    Production passes ``PRIVACY_VAULT_KEY`` from its secret store instead.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.urlsafe_b64encode(os.urandom(32)).decode())
    return path.read_text().strip()


@dataclass
class StackConfig:
    """Where each process listens and what it uses."""

    database_url: str
    model: Path = field(default_factory=latest_model)
    action_port: int = field(default_factory=free_port)
    rasa_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    log_dir: Path = ROOT / "var" / "log"
    extra_env: dict[str, str] = field(default_factory=dict)
    # Issue 6: Rasa's SQL tracker store file (assistant/endpoints.yml reads RASA_TRACKER_DB).
    tracker_db: Path | None = None

    @property
    def tracker_db_path(self) -> Path:
        """Rasa's tracker store: ``tracker_db``, else ``rasa_tracker.db`` beside a SQLite
        database (in ``var/`` for any other database)."""
        if self.tracker_db is not None:
            return self.tracker_db
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != prefix:
            return Path(self.database_url[len(prefix):]).parent / "rasa_tracker.db"
        return ROOT / "var" / "rasa_tracker.db"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"


@dataclass
class RunningProcess:
    name: str
    popen: subprocess.Popen[bytes]
    health_url: str
    log_path: Path


class Stack:
    """Starts the three processes, waits until each is healthy, and stops them again."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, RunningProcess] = {}

    def env(self) -> dict[str, str]:
        c = self.config
        env = {
            **os.environ,
            "DATABASE_URL": c.database_url,
            "ACTION_SERVER_URL": f"{c.action_url}/webhook",
            "SERVICE_RASA_URL": c.rasa_url,
            "SERVICE_ACTION_SERVER_URL": c.action_url,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "PYTHONUNBUFFERED": "1",
            "PRIVACY_VAULT_KEY": os.environ.get("PRIVACY_VAULT_KEY") or local_vault_key(),
            # Issue 6: Rasa writes its trackers here; the API prunes them (retention, erasure).
            "RASA_TRACKER_DB": str(c.tracker_db_path),
            **c.extra_env,
        }
        return env

    def commands(self) -> dict[str, tuple[list[str], str]]:
        """Each process's command line and health URL."""
        c = self.config
        return {
            "actions": (
                [str(SERVICE_PYTHON), "-m", "rasa_sdk", "--actions", "assistant.actions",
                 "--port", str(c.action_port)],
                f"{c.action_url}/health",
            ),
            "rasa": (
                [str(RASA_BIN), "run", "--enable-api", "--model", str(c.model),
                 "--endpoints", "assistant/endpoints.yml",
                 "--credentials", "assistant/credentials.yml",
                 "--interface", "127.0.0.1", "--port", str(c.rasa_port)],
                f"{c.rasa_url}/status",
            ),
            "api": (
                [str(SERVICE_PYTHON), "-m", "uvicorn", "service.main:app", "--host", "127.0.0.1",
                 "--port", str(c.api_port), "--ws", "wsproto"],
                f"{c.api_url}/healthz",
            ),
        }

    def start(self, names: tuple[str, ...] = ("actions", "rasa", "api"), timeout_s: float = 300) -> None:
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        for name in names:
            self.start_one(name)
        for name in names:
            self.wait_healthy(name, timeout_s)

    def start_one(self, name: str) -> RunningProcess:
        command, health_url = self.commands()[name]
        log_path = self.config.log_dir / f"{name}-{self.config.api_port}.log"
        log_file = log_path.open("ab")
        popen = subprocess.Popen(  # noqa: S603 - our own fixed commands
            command, cwd=ROOT, env=self.env(), stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process = RunningProcess(name, popen, health_url, log_path)
        self.processes[name] = process
        return process

    def wait_healthy(self, name: str, timeout_s: float = 300) -> None:
        process = self.processes[name]
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise StackError(f"{name} exited with {process.popen.returncode}; see {process.log_path}")
            try:
                if httpx.get(process.health_url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise StackError(f"{name} not healthy after {timeout_s:.0f} s; see {process.log_path}")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill one process (and its children), as a crash would."""
        process = self.processes.pop(name, None)
        if process is None or process.popen.poll() is not None:
            return
        os.killpg(process.popen.pid, sig)
        process.popen.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes[name]
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
                try:
                    process.popen.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.popen.pid, signal.SIGKILL)
            self.processes.pop(name)


@contextmanager
def running_stack(config: StackConfig) -> Iterator[Stack]:
    stack = Stack(config)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


SEEDS = (
    "recommender.profiles.seed",  # the demo bank: customers, accounts, cards, transactions
    "recommender.demo_seed",  # their consents and holdings (issue 5)
    "service.staff",  # the demo colleagues: agent1, agent2, compliance1, admin1 (issue 3)
)


def prepare_database(database_url: str) -> None:
    """Migrate the database to the latest revision and seed the demo data (idempotent)."""
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([str(ROOT / ".venv" / "bin" / "alembic"), "upgrade", "head"],
                   cwd=ROOT, env=env, check=True)
    for module in SEEDS:
        args = ["seed"] if module == "service.staff" else []
        subprocess.run([str(SERVICE_PYTHON), "-m", module, *args], cwd=ROOT, env=env, check=True)
