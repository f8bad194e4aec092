"""The bot's forms and their required slots, in order, read from ``assistant/domain.yml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DOMAIN = Path(__file__).resolve().parent.parent / "assistant" / "domain.yml"
FUNNEL_FORM = "goal_form"


@lru_cache
def form_slots(domain: Path = DOMAIN) -> dict[str, tuple[str, ...]]:
    """Each form's required slots, in the order the bot asks for them."""
    forms = (yaml.safe_load(domain.read_text()) or {}).get("forms") or {}
    return {name: tuple(spec.get("required_slots") or ()) for name, spec in forms.items()}
