"""Short answers the bot asks for (risk level, goal type, yes/no) are never redacted."""

from __future__ import annotations

import pytest

from privacy import RedactionContext, build_redactor

ANSWERS = ["low", "Low", "medium", "High", "Save", "Borrow", "Invest", "Protect", "Yes", "No",
           "never mind", "stop", "Tell me more", "I'm interested", "Not for me"]


@pytest.fixture(scope="module")
def redactor():  # type: ignore[no-untyped-def]
    return build_redactor()


@pytest.mark.parametrize("answer", ANSWERS)
def test_answer_survives(redactor, answer: str) -> None:  # type: ignore[no-untyped-def]
    assert redactor.redact(answer, RedactionContext()).text == answer


def test_names_are_still_redacted(redactor) -> None:  # type: ignore[no-untyped-def]
    assert "<PERSON_1>" in redactor.redact("my name is John Smith", RedactionContext()).text
