"""Spending categories of transactions: ``Categoriser.from_file().categorise(description, amount)``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from bank.enums import Category
from insights.categories.encoder import MiniLMEncoder
from insights.categories.features import TextEncoder
from insights.categories.model import MODEL_PATH, CategoryModel
from insights.categories.normalise import Description, normalise
from insights.categories.rules import KeywordRules

RULE_CONFIDENCE = 0.5  # what a keyword rule's answer is worth (its precision on the benchmark is about this)


class Source(StrEnum):
    """Where a category came from."""

    MODEL = "model"  # the model, at or above its threshold
    RULES = "rules"  # the model was unsure; a keyword rule matched
    MODEL_UNSURE = "model_unsure"  # the model was unsure and no rule matched: its best guess
    FALLBACK = "fallback"  # nothing to go on (no merchant text left): other


class Categorisation(NamedTuple):
    category: Category
    confidence: float  # 0 to 1
    source: Source


Amount = Decimal | float | int


class Categoriser:
    """The model first; below its threshold, keyword rules; with no merchant text, ``other``.

    Args:
        model: The trained head (``CategoryModel.load()``).
        rules: The fallback rules.
        encoder: The sentence encoder a ``minilm`` or ``hybrid`` model needs (None for ``char``).
        threshold: Overrides the model's own threshold.
    """

    def __init__(
        self,
        model: CategoryModel,
        rules: KeywordRules | None = None,
        encoder: TextEncoder | None = None,
        threshold: float | None = None,
    ) -> None:
        self.model = model
        self.rules = rules or KeywordRules()
        self.encoder = encoder
        self.threshold = model.threshold if threshold is None else threshold
        self._featuriser = model.featuriser(encoder)

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH, encoder: TextEncoder | None = None) -> Categoriser:
        """The committed model (``insights/categories/model.gz``) or another model file; a model
        on MiniLM vectors gets the offline encoder (loaded on the first categorisation)."""
        model = CategoryModel.load(path)
        if encoder is None and model.kind != "char":
            encoder = MiniLMEncoder()
        return cls(model, encoder=encoder)

    def categorise(self, description: str, amount: Amount) -> Categorisation:
        """The spending category of one transaction (negative amounts leave the account)."""
        return self.categorise_many([(description, amount)])[0]

    def categorise_many(self, transactions: Sequence[tuple[str, Amount]]) -> list[Categorisation]:
        """Categories of many transactions, featurised and scored as one batch."""
        items = [(normalise(text), float(amount)) for text, amount in transactions]
        known = [index for index, (description, _) in enumerate(items) if description.merchant]
        results = [Categorisation(Category.OTHER, 0.0, Source.FALLBACK)] * len(items)
        if known:
            probabilities = self.model.probabilities(self._featuriser.transform([items[i] for i in known]))
            for index, row in zip(known, probabilities, strict=True):
                results[index] = self._decide(*items[index], row)
        return results

    def _decide(self, description: Description, amount: float, row: Sequence[float]) -> Categorisation:
        best = max(range(len(row)), key=row.__getitem__)
        confidence = float(row[best])
        if confidence >= self.threshold:
            return Categorisation(self.model.categories[best], round(confidence, 4), Source.MODEL)
        ruled = self.rules.match(description, amount)
        if ruled is not None:
            return Categorisation(ruled, RULE_CONFIDENCE, Source.RULES)
        return Categorisation(self.model.categories[best], round(confidence, 4), Source.MODEL_UNSURE)
