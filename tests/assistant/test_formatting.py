"""How the bot writes time frames."""

import pytest

from assistant.actions.formatting import format_months


@pytest.mark.parametrize(
    ("months", "text"),
    [(1, "1 month"), (6, "6 months"), (12, "1 year"), (18, "1 year and 6 months"), (60, "5 years")],
)
def test_format_months(months: int, text: str) -> None:
    assert format_months(months) == text
