"""Reading our Rasa NLU training files: intent examples with their annotations stripped."""

import re
from pathlib import Path

import yaml

# An annotated span: "[text](entity)" or "[text]{...}".
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def strip_annotations(text: str) -> str:
    """The example as the customer would type it: "[£50](amount)" becomes "£50"."""
    return ANNOTATION.sub(r"\1", text)


def examples(path: Path) -> dict[str, list[str]]:
    """Intent -> example texts (annotations stripped) of one NLU file."""
    found: dict[str, list[str]] = {}
    for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
        if "intent" in block:
            written = str(block.get("examples", "")).splitlines()
            lines = [line[2:] for line in written if line.startswith("- ")]
            found.setdefault(block["intent"], []).extend(map(strip_annotations, lines))
    return found
