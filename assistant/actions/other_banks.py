"""Other banks a customer may name: the assistant answers only for accounts held with us."""

from __future__ import annotations

import re

OTHER_BANKS = (
    "Barclays", "HSBC", "Lloyds", "NatWest", "Santander", "Nationwide", "Halifax", "TSB",
    "Monzo", "Revolut", "Starling", "Metro Bank", "Virgin Money", "Co-operative Bank",
    "Co-op Bank", "First Direct", "RBS", "Royal Bank of Scotland", "Bank of Scotland",
    "Bank of Ireland", "Danske", "Clydesdale", "Yorkshire Bank", "Coventry Building Society",
)
"""Names that are also everyday words ("chase" a refund, "wise", "tide") are left out."""
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(b) for b in OTHER_BANKS) + r")\b", re.IGNORECASE)
_CANONICAL = {b.lower(): b for b in OTHER_BANKS}


def other_bank(text: str) -> str | None:
    """The other bank the text names, spelled as the bank spells it, if any."""
    match = _PATTERN.search(text)
    return _CANONICAL[match.group(1).lower()] if match else None
