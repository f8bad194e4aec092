"""BANKING77's training file as the bot's training data: merges, cleaning, the held-out split."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from assistant.banking77 import (
    DEFAULT_OUT,
    MERGED,
    SOURCE_TAG,
    Row,
    accepted_intents,
    clean,
    examples_by_intent,
    intent_of,
    main,
    nlu_yaml,
    own_texts,
    read_rows,
    split,
)
from stack.processes import ROOT

SHARED_TRAIN = ROOT.parent / "shared" / "data" / "banking77" / "train.csv"


def test_merged_categories_take_our_intent_and_odd_names_are_tidied() -> None:
    assert intent_of("lost_or_stolen_card") == "lost_card"
    assert intent_of("card_arrival") == "card_arrival"
    assert intent_of("Refund_not_showing_up") == "refund_not_showing_up"
    assert intent_of("reverted_card_payment?") == "reverted_card_payment"
    assert accepted_intents("edit_personal_details") == {"update_contact_details"}


def test_clean_makes_one_line_without_annotation_brackets() -> None:
    assert clean("my card [1234]\n(the new one) {x}") == "my card (1234) (the new one) (x)"


def test_duplicates_and_our_own_texts_are_dropped() -> None:
    rows = [Row("Where is my card?", "card_arrival"), Row("where is my card?", "card_delivery_estimate"),
            Row("I lost my card", "lost_or_stolen_card"), Row("card lost", "lost_or_stolen_card")]
    found = examples_by_intent(rows, taken={"i lost my card"})
    assert found == {"card_arrival": ["Where is my card?"], "lost_card": ["card lost"]}


def test_the_split_holds_out_a_seeded_share_of_every_category() -> None:
    rows = [Row(f"{c} {i}", c) for c in ("a", "b") for i in range(20)]
    kept, held = split(rows, 0.25, seed=3)
    assert Counter(r.category for r in held) == {"a": 5, "b": 5}
    assert not set(kept) & set(held) and len(kept) + len(held) == len(rows)
    assert split(rows, 0.25, seed=3) == (kept, held)
    assert split(rows, 0.25, seed=4)[1] != held


def test_the_nlu_file_is_rasa_yaml_tagged_with_its_source() -> None:
    data = yaml.safe_load(nlu_yaml({"card_arrival": ["where's my card", "card: not here - why?"]}))
    [block] = data["nlu"]
    assert block["intent"] == "card_arrival" and block["metadata"] == {"source": SOURCE_TAG}
    assert block["examples"].splitlines() == ["- where's my card", "- card: not here - why?"]


def test_the_committed_file_covers_every_category_but_none_twice() -> None:
    blocks = yaml.safe_load(DEFAULT_OUT.read_text())["nlu"]
    intents = [b["intent"] for b in blocks]
    assert len(intents) == len(set(intents))
    assert set(MERGED.values()) <= set(intents)
    assert not set(MERGED) & set(intents)
    assert len(intents) == 77 - len(MERGED) + len(set(MERGED.values()))


@pytest.mark.skipif(not SHARED_TRAIN.exists(), reason="BANKING77's train.csv is in ../shared only")
def test_the_committed_file_is_what_the_import_writes(tmp_path: Path) -> None:
    out = tmp_path / "banking77.yml"
    for own in ROOT.joinpath("nlu_data").glob("*.yml"):
        if own.name != DEFAULT_OUT.name:
            out.parent.joinpath(own.name).write_text(own.read_text())
    assert main([str(SHARED_TRAIN), "--out", str(out)]) == 0
    assert out.read_text() == DEFAULT_OUT.read_text()
    assert own_texts(tmp_path, out) == own_texts()
    assert len(read_rows(SHARED_TRAIN)) > 10_000 - 10
