"""The local stack as real processes: the local identity provider, the Rasa SDK action server,
the Rasa server and our API.

Used by ``make up``, the end-to-end tests and the benchmarks, so that all three start the
same processes in the same way.
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from identity.settings import IdentitySettings
from stack import identity_provider

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
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


def local_secret(path: Path) -> str:
    """A local run's random secret: made once, kept in ``var/`` (never committed), mode 0600.

    Production passes each from its secret store instead (``PRIVACY_VAULT_KEY``,
    ``IDENTITY_ASSERTION_KEY``, ``RASA_AUTH_TOKEN``).
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.urlsafe_b64encode(os.urandom(32)).decode())
    return path.read_text().strip()


def local_vault_key(path: Path = ROOT / "var" / "privacy_vault.key") -> str:
    """The local run's privacy vault key (:func:`local_secret`)."""
    return local_secret(path)


# Secrets each process gets from the environment or, locally, from a file in var/.
LOCAL_SECRETS = {"IDENTITY_ASSERTION_KEY": "identity_assertion.key", "RASA_AUTH_TOKEN": "rasa_auth.token"}

PROFILES = ("embedded", "prod")


@dataclass(frozen=True)
class ProdServices:
    """Where the prod profile finds Postgres, Redis and RabbitMQ (all local by default)."""

    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "postgres"
    postgres_password: str = ""
    tracker_db: str = "rasa_trackers"  # Rasa creates it (connecting to ``login_db``) if missing
    login_db: str = "postgres"
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    rasa_lock_db: int = 1  # Rasa's lock store; the service uses db 0
    rabbitmq_host: str = "127.0.0.1"
    rabbitmq_port: int = 5672
    rabbitmq_user: str = "guest"
    rabbitmq_password: str = "guest"
    events_queue: str = "rasa_events"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.redis_host}:{self.redis_port}/0"

    @property
    def tracker_url(self) -> str:
        """Rasa's tracker database, for the service's retention, erasure and intent search."""
        password = f":{self.postgres_password}" if self.postgres_password else ""
        return (f"postgresql+psycopg2://{self.postgres_user}{password}@{self.postgres_host}:"
                f"{self.postgres_port}/{self.tracker_db}")

    def rasa_env(self) -> dict[str, str]:
        """The variables ``assistant/endpoints.prod.yml`` reads."""
        return {
            "RASA_TRACKER_HOST": self.postgres_host,
            "RASA_TRACKER_PORT": str(self.postgres_port),
            "RASA_TRACKER_USER": self.postgres_user,
            "RASA_TRACKER_PASSWORD": self.postgres_password,
            "RASA_TRACKER_DB_NAME": self.tracker_db,
            "RASA_TRACKER_LOGIN_DB": self.login_db,
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "RASA_LOCK_DB": str(self.rasa_lock_db),
            "RABBITMQ_HOST": self.rabbitmq_host,
            "RABBITMQ_PORT": str(self.rabbitmq_port),
            "RABBITMQ_USER": self.rabbitmq_user,
            "RABBITMQ_PASSWORD": self.rabbitmq_password,
            "RASA_EVENTS_QUEUE": self.events_queue,
        }


@dataclass
class StackConfig:
    """Where each process listens and what it uses.

    ``profile="embedded"`` (``make up``): one action server, one Rasa, one API worker, Rasa's
    trackers in SQLite. ``profile="prod"`` (``make up PROFILE=prod``): ``workers`` of each,
    Rasa's SQL tracker store on Postgres, its Redis lock store and its RabbitMQ event broker,
    and the API's workers sharing turn locks and new messages through Redis.
    """

    database_url: str
    model: Path = field(default_factory=latest_model)
    action_port: int = field(default_factory=free_port)
    rasa_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    idp_port: int = field(default_factory=free_port)
    # The local identity provider's users and keys (made when missing).
    idp_dir: Path = ROOT / "var" / "idp"
    log_dir: Path = ROOT / "var" / "log"
    extra_env: dict[str, str] = field(default_factory=dict)
    # Rasa's SQL tracker store file (assistant/endpoints.yml reads RASA_TRACKER_DB).
    tracker_db: Path | None = None
    profile: str = "embedded"
    workers: int = 2  # prod profile only: Rasa servers, action servers and API workers each
    services: ProdServices = field(default_factory=ProdServices)
    action_ports: list[int] = field(default_factory=list)
    rasa_ports: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise StackError(f"Unknown profile {self.profile!r}: choose one of {', '.join(PROFILES)}.")
        count = self.workers if self.profile == "prod" else 1
        self.action_ports = (self.action_ports or [self.action_port])[:count]
        self.rasa_ports = (self.rasa_ports or [self.rasa_port])[:count]
        while len(self.action_ports) < count:
            self.action_ports.append(free_port())
        while len(self.rasa_ports) < count:
            self.rasa_ports.append(free_port())

    @property
    def prod(self) -> bool:
        return self.profile == "prod"

    @property
    def metrics_dir(self) -> Path:
        """Prometheus' multiprocess files of the API workers (emptied at each start)."""
        return self.log_dir / f"metrics-{self.api_port}"

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
    def issuer(self) -> str:
        """The local identity provider's issuer, which every process trusts."""
        return f"http://127.0.0.1:{self.idp_port}"

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def action_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.action_ports]

    @property
    def rasa_url(self) -> str:
        return self.rasa_urls[0]

    @property
    def action_url(self) -> str:
        return self.action_urls[0]


@dataclass(frozen=True)
class ProcessSpec:
    """How to start one process: its command line, health URL and own environment."""

    command: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class RunningProcess:
    name: str
    popen: subprocess.Popen[bytes]
    health_url: str
    log_path: Path


class Stack:
    """Starts the processes, waits until each is healthy, and stops them again."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, RunningProcess] = {}

    def env(self) -> dict[str, str]:
        c = self.config
        env = {
            **os.environ,
            "DATABASE_URL": c.database_url,
            "ACTION_SERVER_URL": f"{c.action_url}/webhook",
            "SERVICE_RASA_URL": ",".join(c.rasa_urls),
            "SERVICE_ACTION_SERVER_URL": ",".join(c.action_urls),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "PYTHONUNBUFFERED": "1",
            "ACTIONS_WARM_UP": "1",  # the action server builds the recommender at start-up
            "PRIVACY_VAULT_KEY": os.environ.get("PRIVACY_VAULT_KEY") or local_vault_key(),
            "IDENTITY_ISSUER": c.issuer,
            **{name: os.environ.get(name) or local_secret(ROOT / "var" / file)
               for name, file in LOCAL_SECRETS.items()},
            # Rasa writes its trackers here; the API prunes them (retention, erasure).
            "RASA_TRACKER_DB": str(c.tracker_db_path),
        }
        if c.prod:
            env |= c.services.rasa_env() | {
                "SERVICE_REDIS_URL": c.services.redis_url,
                # the workers count rate limits together and share one /metrics
                "SERVICE_RATE_LIMIT_STORAGE_URI": c.services.redis_url,
                "PROMETHEUS_MULTIPROC_DIR": str(c.metrics_dir),
                "RASA_TRACKER_DB": c.services.tracker_url,  # read by the service, not by Rasa
            }
        env |= c.extra_env
        # The service calls Rasa's HTTP API with the token Rasa requires.
        return env | {"SERVICE_RASA_AUTH_TOKEN": env["RASA_AUTH_TOKEN"]}

    def commands(self) -> dict[str, ProcessSpec]:
        """Each process by name: ``idp`` first, then ``actions``, ``rasa`` and ``api``
        (embedded), or ``actions-1``, ``rasa-1``, ... and ``api`` with several workers (prod)."""
        c = self.config
        idp = identity_provider.provider_process(c.idp_port, c.idp_dir, audience=IdentitySettings().audience)
        specs: dict[str, ProcessSpec] = {"idp": ProcessSpec(idp.command, idp.health_url, idp.env)}
        endpoints = "assistant/endpoints.prod.yml" if c.prod else "assistant/endpoints.yml"
        rasa_token = self.env()["RASA_AUTH_TOKEN"]
        for i, (action_port, rasa_port) in enumerate(zip(c.action_ports, c.rasa_ports, strict=True), start=1):
            suffix = f"-{i}" if c.prod else ""
            action_url, rasa_url = c.action_urls[i - 1], c.rasa_urls[i - 1]
            # rasa_sdk 3.6 has no --interface: it binds SANIC_HOST (0.0.0.0 by default).
            specs[f"actions{suffix}"] = ProcessSpec(
                [str(SERVICE_PYTHON), "-m", "rasa_sdk", "--actions", "assistant.actions",
                 "--port", str(action_port)],
                f"{action_url}/health",
                {"SANIC_HOST": "127.0.0.1"},
            )
            # Rasa's HTTP API (trackers, model, ...) needs the token; its REST channel does not.
            specs[f"rasa{suffix}"] = ProcessSpec(
                [str(RASA_PYTHON), "-m", "assistant.rasa_server", "run", "--enable-api",
                 "--auth-token", rasa_token,
                 "--model", str(c.model),
                 "--endpoints", endpoints,
                 "--credentials", "assistant/credentials.yml",
                 "--interface", "127.0.0.1", "--port", str(rasa_port)],
                f"{rasa_url}/status?token={quote(rasa_token, safe='')}",
                {"ACTION_SERVER_URL": f"{action_url}/webhook"},
            )
        workers = ["--workers", str(c.workers)] if c.prod else []
        specs["api"] = ProcessSpec(
            [str(SERVICE_PYTHON), "-m", "uvicorn", "service.main:app", "--host", "127.0.0.1",
             "--port", str(c.api_port), "--ws", "wsproto", *workers],
            f"{c.api_url}/healthz",
        )
        return specs

    @property
    def rasa_api_params(self) -> dict[str, str]:
        """The query parameters of a call to Rasa's HTTP API (the token it requires)."""
        return {"token": self.env()["RASA_AUTH_TOKEN"]}

    @property
    def names(self) -> tuple[str, ...]:
        """Every process of the profile, in start order."""
        return tuple(self.commands())

    def start(self, names: tuple[str, ...] | None = None, timeout_s: float = 300) -> None:
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        if self.config.prod:
            shutil.rmtree(self.config.metrics_dir, ignore_errors=True)
            self.config.metrics_dir.mkdir(parents=True)
        names = names or self.names
        if "idp" in names:  # the others trust it: it answers before they start
            self.start_one("idp")
            self.wait_healthy("idp", timeout_s)
        for name in names:
            if name != "idp":
                self.start_one(name)
        for name in names:
            self.wait_healthy(name, timeout_s)

    def start_one(self, name: str) -> RunningProcess:
        spec = self.commands()[name]
        if name == "idp":
            identity_provider.prepare_files(self.config.idp_dir)
        log_path = self.config.log_dir / f"{name}-{self.config.api_port}.log"
        log_file = log_path.open("ab")
        popen = subprocess.Popen(  # noqa: S603 - our own fixed commands
            spec.command, cwd=ROOT, env=self.env() | spec.env, stdout=log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        process = RunningProcess(name, popen, spec.health_url, log_path)
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
def fresh_stack(prefix: str, timeout_s: float = 300, model: Path | None = None) -> Iterator[Stack]:
    """The embedded stack (with ``model``, else the latest trained one) on a new migrated and
    seeded SQLite database, in a new temporary folder named ``prefix-…`` that holds its logs
    too; stopped afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    database_url = f"sqlite:///{folder / 'bank.db'}"
    prepare_database(database_url)
    stack = Stack(StackConfig(database_url=database_url, log_dir=folder, model=model or latest_model()))
    try:
        stack.start(timeout_s=timeout_s)
        yield stack
    finally:
        stack.stop()


SEEDS = (
    "bank.seed",  # the demo bank: customers, accounts, cards, transactions
    "recommender.demo_seed",  # their consents and holdings
    "service.staff",  # the demo colleagues: agent1, agent2, compliance1, admin1, analyst1, supervisor1
)


def ensure_postgres_database(database_url: str) -> None:
    """Create the Postgres database of ``database_url`` if it does not exist yet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                       {"name": url.database})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        engine.dispose()


def drop_postgres_database(database_url: str) -> None:
    """Drop the Postgres database of ``database_url`` (a throwaway one of a test or benchmark)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        engine.dispose()


def delete_queue(name: str, host: str = "127.0.0.1", port: int = 5672) -> None:
    """Remove a throwaway event queue (a test's or benchmark's) from RabbitMQ."""
    import pika  # a dev dependency: only tests and benchmarks make throwaway queues

    connection = pika.BlockingConnection(pika.ConnectionParameters(host, port))
    try:
        connection.channel().queue_delete(name)
    finally:
        connection.close()


def prepare_database(database_url: str) -> None:
    """Migrate the database to the latest revision and seed the demo data (idempotent)."""
    if database_url.startswith("postgresql"):
        ensure_postgres_database(database_url)
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([str(ROOT / ".venv" / "bin" / "alembic"), "upgrade", "head"],
                   cwd=ROOT, env=env, check=True)
    for module in SEEDS:
        args = ["seed"] if module == "service.staff" else []
        subprocess.run([str(SERVICE_PYTHON), "-m", module, *args], cwd=ROOT, env=env, check=True)
