"""How the bot's two servers are started and exposed, locally and in compose: Rasa's HTTP API
with a token, both servers on loopback locally and on an internal network only in compose.
(The running servers are attacked in test_rasa_boundaries.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from stack.processes import ROOT, Stack, StackConfig


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def stack(profile: str) -> Stack:
    return Stack(StackConfig(database_url="sqlite:///x.db", model=Path("models"), profile=profile,
                             extra_env={"RASA_AUTH_TOKEN": "the-token"}))


def test_local_rasa_requires_the_token_and_listens_on_loopback() -> None:
    for profile in ("embedded", "prod"):
        local = stack(profile)
        for name, spec in local.commands().items():
            if name.startswith("rasa"):
                command = spec.command
                assert command[command.index("--auth-token") + 1] == "the-token"
                assert command[command.index("--interface") + 1] == "127.0.0.1"
                assert spec.health_url.endswith("/status?token=the-token")
            if name.startswith("actions"):
                assert spec.env["SANIC_HOST"] == "127.0.0.1"
        assert local.env()["SERVICE_RASA_AUTH_TOKEN"] == "the-token"


def test_compose_publishes_only_the_api() -> None:
    services = compose()["services"]
    assert compose()["networks"]["internal"]["internal"] is True
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"api"}
    for name, service in services.items():
        if name.startswith(("rasa-", "actions-")):
            assert service["networks"] == ["internal"], name
            assert "expose" not in service and "network_mode" not in service, name


def test_compose_rasa_requires_the_token_and_the_api_sends_it() -> None:
    services = compose()["services"]
    for name in (n for n in services if n.startswith("rasa-")):
        command = services[name]["command"]
        assert command[command.index("--auth-token") + 1].startswith("${RASA_AUTH_TOKEN:?")
        assert "token=" in " ".join(services[name]["healthcheck"]["test"])
    assert services["api"]["environment"]["SERVICE_RASA_AUTH_TOKEN"].startswith("${RASA_AUTH_TOKEN")
    for name in (n for n in services if n.startswith(("actions-", "api"))):
        assert "IDENTITY_ASSERTION_KEY" in services[name]["environment"], name
