"""Whole stacks for the end-to-end tests that need settings of their own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from stack.processes import Stack, StackConfig
from tests.support.databases import prepared_sqlite


@contextmanager
def short_step_up_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, name: str, step_up_max_age_s: int
) -> Iterator[Stack]:
    """A stack on a fresh database of its own whose logins stop being recent for a step-up
    after ``step_up_max_age_s`` seconds (``IDENTITY_STEP_UP_MAX_AGE_S``)."""
    config = StackConfig(
        database_url=prepared_sqlite(tmp_path_factory, name),
        model=trained_model,
        log_dir=tmp_path_factory.mktemp(f"{name}-logs"),
        extra_env={"IDENTITY_STEP_UP_MAX_AGE_S": str(step_up_max_age_s)},
    )
    stack = Stack(config)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
