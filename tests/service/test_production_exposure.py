"""What the public port shows: in production no /docs, /redoc, /openapi.json or /metrics
(metrics on the internal port only); locally all four. /healthz answers a flood from one
cached check of its dependencies."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.metrics import InternalMetricsServer
from stack.processes import free_port
from tests.support.app import started_app
from tests.support.production import bare_database, production_environment

PUBLIC_DOCS = ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect")


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    production_environment(monkeypatch)
    return bare_database(str(tmp_path))


def test_production_keeps_docs_and_metrics_off_the_public_port(bare: str) -> None:
    port = free_port()
    with started_app(bare, environment="production", metrics_port=port) as app, TestClient(app) as client:
        for path in (*PUBLIC_DOCS, "/metrics"):
            assert client.get(path).status_code == 404, path
        assert client.get("/healthz").status_code in (200, 503)
        internal = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
        assert internal.status_code == 200
        assert "service_errors_total" in internal.text and "assistant_pending_messages" in internal.text
        assert httpx.get(f"http://127.0.0.1:{port}/docs", timeout=10).status_code == 404
    with pytest.raises(httpx.ConnectError):  # stopped with the app
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)


def test_production_without_a_metrics_port_serves_no_metrics(bare: str) -> None:
    with started_app(bare, environment="production") as app, TestClient(app) as client:
        assert client.get("/metrics").status_code == 404
        assert not hasattr(app.state, "metrics_server")


def test_local_keeps_docs_and_metrics(bare: str) -> None:
    with started_app(bare, environment="local") as app, TestClient(app) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/metrics"):
            assert client.get(path).status_code == 200, path
        assert "/v1/staff/login" in client.get("/openapi.json").json()["paths"]


@contextmanager
def counting_bot() -> Iterator[tuple[str, list[str]]]:
    """A stand-in for Rasa and the action server that answers every health check, counting them."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hits.append(self.path)
            body = b'{"model_file": "m.tar.gz", "status": "ok"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_a_flood_of_health_checks_checks_the_dependencies_once_per_ttl(bare: str) -> None:
    with counting_bot() as (url, hits), started_app(
        bare, rasa_url=url, action_server_url=url, health_cache_s=60
    ) as app, TestClient(app) as client:
        first = client.get("/healthz")
        assert first.status_code == 200 and first.json()["checks"] == {
            "rasa": True, "action_server": True, "database": True}
        per_check = len(hits)
        assert per_check >= 2  # Rasa and the action server were asked
        statuses = {client.get("/healthz").status_code for _ in range(200)}
        assert statuses == {200}
        assert len(hits) == per_check and app.state.health_checks.runs == 1


def test_health_is_checked_again_after_the_ttl(bare: str) -> None:
    with counting_bot() as (url, hits), started_app(
        bare, rasa_url=url, action_server_url=url, health_cache_s=0
    ) as app, TestClient(app) as client:
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
        assert app.state.health_checks.runs == 3 and len(hits) >= 6


def test_every_worker_binds_the_internal_metrics_port() -> None:
    port = free_port()
    workers = [InternalMetricsServer("127.0.0.1", port, lambda: None) for _ in range(2)]
    try:
        for worker in workers:
            worker.start()  # the second bind succeeds (SO_REUSEPORT): no worker fails to start
        assert all(worker.port == port for worker in workers)
        assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).status_code == 200
    finally:
        for worker in workers:
            worker.stop()
