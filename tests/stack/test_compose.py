"""docker-compose.yml parses and describes exactly the prod profile (`make up PROFILE=prod`):
the same processes, the same programs and settings, with healthchecks. The local identity
provider is the one exception: production trusts the bank's own (IDENTITY_ISSUER)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from stack.processes import ROOT, ProcessSpec, Stack, StackConfig

INFRASTRUCTURE = {"postgres", "redis", "rabbitmq", "migrate"}
LOCAL_ONLY = {"idp"}  # the bank runs its own identity provider


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def prod_processes() -> dict[str, ProcessSpec]:
    config = StackConfig(database_url="postgresql://x@127.0.0.1/x", model=Path("models"),
                         profile="prod", action_port=5055, rasa_port=5005, api_port=8000)
    return {name: spec for name, spec in Stack(config).commands().items() if name not in LOCAL_ONLY}


def command_of(service: dict) -> str:
    command = service.get("command")
    if command is None:  # the Dockerfile's CMD
        return (ROOT / service["build"]["dockerfile"]).read_text()
    return command if isinstance(command, str) else " ".join(command)


def test_compose_services_are_the_prod_profile() -> None:
    services = compose()["services"]
    assert set(services) - INFRASTRUCTURE == set(prod_processes())
    assert INFRASTRUCTURE <= set(services)
    assert sum(name.startswith("rasa-") for name in services) >= 2
    assert sum(name.startswith("actions-") for name in services) >= 2


def test_each_process_runs_the_same_program_with_the_same_options() -> None:
    services = compose()["services"]
    programs = {"actions": "rasa_sdk", "rasa": "assistant.rasa_server run", "api": "service.main:app"}
    for name, spec in prod_processes().items():
        program = programs[name.split("-")[0]]
        local, image = " ".join(spec.command), command_of(services[name])
        assert program in local and program in image, name
    api_local = prod_processes()["api"].command
    workers = api_local[api_local.index("--workers") + 1]
    assert f"--workers {workers}" in command_of(services["api"]) and int(workers) >= 2
    for name in (n for n in services if n.startswith("rasa-")):
        assert "assistant/endpoints.prod.yml" in command_of(services[name])
        assert "assistant/endpoints.prod.yml" in " ".join(prod_processes()[name].command)


def test_rasa_services_set_every_variable_the_prod_endpoints_read() -> None:
    wanted = set(re.findall(r"\$\{(\w+)\}", (ROOT / "assistant/endpoints.prod.yml").read_text()))
    local_env = Stack(StackConfig(database_url="postgresql://x@h/x", model=Path("m"), profile="prod")).env()
    for name, service in compose()["services"].items():
        if name.startswith("rasa-"):
            assert wanted <= set(service["environment"]), wanted - set(service["environment"])
    assert wanted <= set(local_env) | {"ACTION_SERVER_URL"}


def test_each_rasa_calls_its_own_action_server() -> None:
    services = compose()["services"]
    for name in (n for n in services if n.startswith("rasa-")):
        number = name.split("-")[1]
        assert services[name]["environment"]["ACTION_SERVER_URL"] == f"http://actions-{number}:5055/webhook"
        assert f"actions-{number}" in services[name]["depends_on"]
    api_env = services["api"]["environment"]
    assert api_env["SERVICE_RASA_URL"].count(",") == sum(n.startswith("rasa-") for n in services) - 1
    local_env = Stack(StackConfig(database_url="postgresql://x@h/x", model=Path("m"), profile="prod")).env()
    for shared in ("SERVICE_REDIS_URL", "SERVICE_RATE_LIMIT_STORAGE_URI", "PROMETHEUS_MULTIPROC_DIR"):
        assert shared in api_env and shared in local_env, shared
    assert api_env["SERVICE_REDIS_URL"].startswith("redis://")


def test_api_and_actions_trust_the_banks_identity_provider() -> None:
    services = compose()["services"]
    assert not LOCAL_ONLY & set(services)
    for name in ("api", "actions-1", "actions-2"):
        env = services[name]["environment"]
        assert {"IDENTITY_ISSUER", "IDENTITY_AUDIENCE", "IDENTITY_ASSERTION_KEY"} <= set(env), name
        assert "127.0.0.1" not in env["IDENTITY_ISSUER"], name


def test_every_long_running_service_has_a_healthcheck() -> None:
    for name, service in compose()["services"].items():
        if name != "migrate":
            assert "healthcheck" in service, name


def test_dockerfiles_exist_for_every_build() -> None:
    for service in compose()["services"].values():
        if "build" in service:
            assert (ROOT / service["build"]["dockerfile"]).is_file()
