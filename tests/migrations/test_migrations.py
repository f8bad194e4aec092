"""The Alembic history builds exactly the tables the models declare, on SQLite and Postgres:
autogenerate against head finds nothing to change."""

from __future__ import annotations

import os
import subprocess

import pytest

from stack.processes import ROOT
from tests.support.databases import throwaway_database

ALEMBIC = str(ROOT / ".venv" / "bin" / "alembic")


def alembic(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ALEMBIC, "-x", f"url={url}", *args], cwd=ROOT, text=True,
                          capture_output=True, env={**os.environ, "DATABASE_URL": url})


def test_models_and_migrations_agree(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert alembic(url, "upgrade", "head").returncode == 0
    check = alembic(url, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_single_head() -> None:
    heads = subprocess.run([ALEMBIC, "heads"], cwd=ROOT, text=True, capture_output=True).stdout
    assert len([line for line in heads.splitlines() if "(head)" in line]) == 1, heads


def test_downgrade_to_base_and_up_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'd.db'}"
    for args in (("upgrade", "head"), ("downgrade", "base"), ("upgrade", "head")):
        result = alembic(url, *args)
        assert result.returncode == 0, result.stderr


@pytest.mark.postgres
def test_models_and_migrations_agree_on_postgres(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with throwaway_database("postgres", tmp_path, "migrations") as url:
        assert alembic(url, "upgrade", "head").returncode == 0
        check = alembic(url, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
