"""docker-compose.yml parses and runs the same processes as `make up`, with healthchecks."""

from __future__ import annotations

from pathlib import Path

import yaml

from stack.processes import ROOT, Stack, StackConfig

INFRASTRUCTURE = {"postgres", "redis", "migrate"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def local_commands() -> dict[str, list[str]]:
    config = StackConfig(database_url="sqlite://", model=Path("models"),
                         action_port=5055, rasa_port=5005, api_port=8000)
    return {name: command for name, (command, _) in Stack(config).commands().items()}


def test_compose_services_match_the_local_stack() -> None:
    services = compose()["services"]
    assert set(services) - INFRASTRUCTURE == set(local_commands())
    assert {"postgres", "redis"} <= set(services)


def test_each_process_runs_the_same_program() -> None:
    services = compose()["services"]
    for name, command in local_commands().items():
        image_command = services[name].get("command")
        if image_command is None:  # the Dockerfile's CMD
            dockerfile = services[name]["build"]["dockerfile"]
            image_command = (ROOT / dockerfile).read_text()
        program = {"actions": "rasa_sdk", "rasa": "run", "api": "service.main:app"}[name]
        text = image_command if isinstance(image_command, str) else " ".join(image_command)
        assert program in command and program in text, name


def test_every_long_running_service_has_a_healthcheck() -> None:
    for name, service in compose()["services"].items():
        if name != "migrate":
            assert "healthcheck" in service, name


def test_dockerfiles_exist_for_every_build() -> None:
    for service in compose()["services"].values():
        if "build" in service:
            assert (ROOT / service["build"]["dockerfile"]).is_file()
