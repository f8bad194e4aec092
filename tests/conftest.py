"""Shared fixtures: the local identity provider, a migrated and seeded SQLite database, and
the running stack on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stack.identity_provider import LocalIdentityProvider
from stack.processes import Stack, StackConfig, free_port
from tests.journeys.live import Simulation, run_simulation
from tests.support.app import VAULT_KEY
from tests.support.databases import prepared_sqlite


@pytest.fixture(scope="session")
def identity_provider_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIdentityProvider]:
    """The local identity provider alone (the real Node app) on a free port, the demo customers
    its users; ``IDENTITY_ISSUER`` names it for the rest of the session."""
    # Every test signs in from 127.0.0.1: only the per-login limit of failures stays tight.
    provider = LocalIdentityProvider(free_port(), tmp_path_factory.mktemp("idp"),
                                     extra_env={"IDP_ADDRESS_MAX_FAILURES": "1000"})
    provider.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("IDENTITY_ISSUER", provider.issuer)
            yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="session", autouse=True)
def identity_provider(identity_provider_process: LocalIdentityProvider) -> str:
    """The issuer URL of the session's local identity provider (every in-process app of the
    session trusts it, so it runs for every test session)."""
    return identity_provider_process.issuer


STEP_UP_WINDOW_S = 45  # every test signs in afresh (or within 10 s) before a transfer


@pytest.fixture(scope="session")
def stack_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite database, migrated and seeded with the demo bank."""
    return prepared_sqlite(tmp_path_factory, "stack")


NUDGES_OFF_S = 7 * 24 * 3600


@pytest.fixture(scope="session")
def stack(stack_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The action server, Rasa (latest trained model) and the API, as real processes."""
    # The in-process apps on this database use the same vault key: one keyed audit chain.
    config = StackConfig(database_url=stack_database,
                         log_dir=tmp_path_factory.mktemp("stack-logs"),
                         # A short step-up window, so that the step-up test waits only this long.
                         extra_env={"PRIVACY_VAULT_KEY": VAULT_KEY,
                                    "IDENTITY_STEP_UP_MAX_AGE_S": str(STEP_UP_WINDOW_S),
                                    # No nudge lands in a conversation a test is asserting on
                                    # (the nudge rounds have tests of their own).
                                    "SERVICE_NUDGES_INTERVAL_S": str(NUDGES_OFF_S)})
    running = Stack(config)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def simulation(stack: Stack) -> Simulation:
    """Seeded synthetic customers driven through the stack, their journeys ingested."""
    return run_simulation(stack.config.api_url)
