"""The trainer writes a model file the categoriser loads (a smoke run on 30 rows)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bank.enums import Category
from insights.categories import Categoriser
from insights.categories.model import CategoryModel
from insights.categories.normalise import normalise
from insights.categories.train import main
from insights.categories.training import TRAIN_PATH, load_examples, score
from insights.errors import ModelFileError


def test_training_writes_a_loadable_model(tmp_path: Path) -> None:
    rows = list(csv.DictReader(TRAIN_PATH.open(newline="", encoding="utf-8")))[:30]
    small = tmp_path / "train.csv"
    with small.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, ["description", "amount", "category"])
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "model.gz"
    assert main(["--train", str(small), "--kind", "char", "--out", str(out), "--folds", "2"]) == 0
    categoriser = Categoriser.from_file(out)
    assert categoriser.model.kind == "char" and categoriser.model.info["rows"] == 30
    found = categoriser.categorise(rows[0]["description"], float(rows[0]["amount"]))
    assert isinstance(found.category, Category)


def test_a_model_file_that_is_not_one_says_how_to_fix_it(tmp_path: Path) -> None:
    broken = tmp_path / "model.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(ModelFileError, match="insights.categories.train"):
        CategoryModel.load(broken)


def test_a_bad_category_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("description,amount,category\nTESCO,-3.00,food\n")
    with pytest.raises(ValueError, match="bad.csv:2"):
        load_examples(path)


def test_macro_f1_averages_the_categories() -> None:
    truth = [Category.GROCERIES, Category.GROCERIES, Category.CASH]
    figures = score(truth, [Category.GROCERIES, Category.CASH, Category.CASH])
    assert figures["accuracy"] == pytest.approx(2 / 3)
    assert figures["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)


def test_the_benchmarks_merchants_are_not_in_the_training_data() -> None:
    test_file = Path(__file__).resolve().parents[3] / "bench" / "data" / "merchants_test.csv"
    trained = {normalise(e.description).merchant for e in load_examples(TRAIN_PATH)}
    tested = {normalise(e.description).merchant for e in load_examples(test_file)}
    assert len(tested) >= 200
    assert trained & tested == set()
