"""The written sets the financial-crime signals are checked against (tests/fraud/data)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).with_name("data")


def lines(name: str) -> list[str]:
    """The non-comment, non-empty lines of ``data/name``."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


EVASION_REQUESTS = lines("evasion_requests.txt")
LEGITIMATE_REQUESTS = lines("legitimate_requests.txt")
SCAM_STORIES = lines("scam_stories.txt")
ORDINARY_MESSAGES = lines("ordinary_messages.txt")
