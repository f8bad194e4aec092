"""Fixtures of the screening tests: the shipped list and one screener on it per session."""

import pytest

from screening import ListEntry, Screener, ScreeningSettings, load_list


@pytest.fixture(scope="session")
def entries() -> tuple[ListEntry, ...]:
    """The consolidated list shipped with the project."""
    return load_list(ScreeningSettings().list_path)


@pytest.fixture(scope="session")
def screener(entries: tuple[ListEntry, ...]) -> Screener:
    """A screener on the shipped list at the default review threshold."""
    return Screener(entries)
