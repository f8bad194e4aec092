"""BANKING77 (PolyAI, CC BY 4.0) as training data of the bot: its categories as our intents.

``python -m assistant.banking77 TRAIN_CSV [--out nlu_data/banking77.yml] [--holdout-share S
--holdout-out HELD_OUT.csv --seed N]`` writes the Rasa NLU file of the categories' examples.
Categories that one of our own intents already covers are merged into it
(:data:`MERGED`); the others keep their name (:func:`intent_of`). With ``--holdout-share``, a
stratified share of every category is kept out of the NLU file and written, as a CSV in the
source's format, to test the bot on questions it was not trained on.

Examples are cleaned for Rasa's format: one line, no entity-annotation brackets, no text that
another intent (ours or BANKING77's) already has.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant import nlu_files

ROOT = Path(__file__).resolve().parents[1]
NLU_DIR = ROOT / "nlu_data"
DEFAULT_OUT = NLU_DIR / "banking77.yml"
SOURCE_TAG = "banking77"
"""The ``metadata.source`` of every example written here (the entity extractor skips them:
nobody annotated their entities)."""

MERGED: dict[str, str] = {
    "activate_my_card": "activate_card",
    "lost_or_stolen_card": "lost_card",
    "terminate_account": "close_account",
    "declined_card_payment": "card_declined",
    "compromised_card": "report_fraud",
    "card_payment_not_recognised": "report_fraud",
    "cash_withdrawal_not_recognised": "report_fraud",
    "transfer_not_received_by_recipient": "payment_not_received",
    "card_swallowed": "atm_issue",
    "wrong_amount_of_cash_received": "atm_issue",
    "edit_personal_details": "update_contact_details",
}
"""BANKING77 categories that one of the bot's own intents answers: their examples join it."""

_RENAMED = {"Refund_not_showing_up": "refund_not_showing_up",
            "reverted_card_payment?": "reverted_card_payment"}
_BRACKETS = str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")"})
_SPACES = re.compile(r"\s+")


def intent_of(category: str) -> str:
    """The bot's intent for a BANKING77 category."""
    return MERGED.get(category) or _RENAMED.get(category, category)


def accepted_intents(category: str) -> frozenset[str]:
    """The intents that answer a category's questions correctly."""
    return frozenset({intent_of(category)})


@dataclass(frozen=True)
class Row:
    """One question of a BANKING77-format file and its category."""

    text: str
    category: str


def read_rows(path: Path) -> list[Row]:
    """The ``text,category`` rows of a CSV (fields may hold newlines)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [Row(r["text"], r["category"]) for r in csv.DictReader(handle)]


def write_rows(path: Path, rows: Iterable[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category"])
        writer.writerows([r.text, r.category] for r in rows)


def clean(text: str) -> str:
    """One line without Rasa's annotation brackets."""
    return _SPACES.sub(" ", text.translate(_BRACKETS)).strip()


def split(rows: Sequence[Row], share: float, seed: int) -> tuple[list[Row], list[Row]]:
    """(kept, held out): ``share`` of every category, drawn with ``seed``, is held out."""
    by_category: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_category[row.category].append(row)
    rng = random.Random(seed)
    kept: list[Row] = []
    held: list[Row] = []
    for category in sorted(by_category):
        group = list(by_category[category])
        rng.shuffle(group)
        cut = round(len(group) * share)
        held.extend(group[:cut])
        kept.extend(group[cut:])
    return kept, held


def own_texts(nlu_dir: Path = NLU_DIR, exclude: Path = DEFAULT_OUT) -> set[str]:
    """Lower-cased example texts of our own NLU files (annotations stripped)."""
    return {
        text.strip().lower()
        for path in sorted(nlu_dir.glob("*.yml"))
        if path.resolve() != exclude.resolve()
        for texts in nlu_files.examples(path).values()
        for text in texts
    }


def examples_by_intent(rows: Iterable[Row], taken: set[str]) -> dict[str, list[str]]:
    """Intent -> cleaned examples, without texts in ``taken`` or already given."""
    seen = set(taken)
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        text = clean(row.text)
        if text and text.lower() not in seen:
            seen.add(text.lower())
            found[intent_of(row.category)].append(text)
    return dict(sorted(found.items()))


def nlu_yaml(examples: dict[str, list[str]]) -> str:
    """A Rasa 3 NLU file of these examples, each block tagged with :data:`SOURCE_TAG`."""
    lines = [
        'version: "3.1"',
        "# Generated by `python -m assistant.banking77` from BANKING77's train.csv",
        "# (PolyAI, Casanueva et al. 2020, CC BY 4.0); do not edit by hand.",
        "nlu:",
    ]
    for intent, texts in examples.items():
        lines += [f"- intent: {intent}", "  metadata:", f"    source: {SOURCE_TAG}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="BANKING77's train.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--holdout-share", type=float, default=0.0)
    parser.add_argument("--holdout-out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not 0 <= args.holdout_share < 1 or (args.holdout_share and args.holdout_out is None):
        parser.error("--holdout-share must be in [0, 1) and comes with --holdout-out")
    kept, held = split(read_rows(args.source), args.holdout_share, args.seed)
    if args.holdout_out is not None:
        write_rows(args.holdout_out, held)
    examples = examples_by_intent(kept, own_texts(args.out.parent, args.out))
    args.out.write_text(nlu_yaml(examples), encoding="utf-8")
    print(f"{sum(map(len, examples.values()))} examples of {len(examples)} intents -> {args.out}"
          + (f"; {len(held)} held out -> {args.holdout_out}" if args.holdout_out else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
