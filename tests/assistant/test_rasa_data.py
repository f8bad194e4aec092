"""`rasa data validate` finds nothing wrong with our domain, stories, rules and NLU data."""

from __future__ import annotations

import re

from tests.assistant.conftest import run_rasa

# `signed_in` is sent by the front service only ("/signed_in" after a sign-in): it has no NLU
# examples on purpose, so that no typed text is ever classified as it.
RASA_OWN_WARNINGS = (
    re.compile(r"The intent 'signed_in' is listed in the domain file, but is not found in the NLU "
               r"training data\.$"),
)
WARNING = re.compile(r"UserWarning: (.*)")


def test_data_validate_is_clean() -> None:
    result = run_rasa(
        "data",
        "validate",
        "--config",
        "assistant/config.yml",
        "--domain",
        "assistant/domain.yml",
        "--data",
        "nlu_data",
        "assistant/data",
        "--fail-on-warnings",
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    warnings = [m.group(1).strip() for m in WARNING.finditer(output)]
    ours = [w for w in warnings if not any(p.search(w) for p in RASA_OWN_WARNINGS)]
    assert ours == []
    assert "No story structure conflicts found" in output
    assert "ERROR" not in output
