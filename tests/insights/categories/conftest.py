"""The committed category model, loaded once for the module's tests (never trained here)."""

from __future__ import annotations

import pytest

from insights.categories import Categoriser


@pytest.fixture(scope="session")
def categoriser() -> Categoriser:
    return Categoriser.from_file()
