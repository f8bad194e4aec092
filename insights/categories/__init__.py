"""Spending categories of transactions from their statement description and amount.

``Categoriser.from_file().categorise("SQ *COFFEE SHOP", -3.40)`` gives
``(Category.EATING_OUT, 0.78, Source.MODEL)``. The model (``model.gz``: a logistic regression
over the merchant text's MiniLM vector, the payment markers and the amount's sign and size)
is trained by ``python -m insights.categories.train``; keyword rules answer when it is
unsure, and text with nothing left after normalisation is ``other`` from the fallback.
"""

from insights.categories.categoriser import Categorisation, Categoriser, Source
from insights.categories.normalise import Description, normalise

__all__ = ["Categorisation", "Categoriser", "Description", "Source", "normalise"]
