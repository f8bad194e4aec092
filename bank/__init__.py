"""The bank's core records: customers, accounts, cards, transactions, transfers and goals.

- ``store.ProfileStore``: the API (returns frozen views from ``views``).
- ``models``: the tables, on ``database.base.Base``.
- ``enums``: the closed sets of values (account kinds, card states, categories, ...).
- ``matching``: finds the account a customer means by what they call it.
- ``seed``: the demo bank, ``python -m bank.seed [--reset]``, built from ``demo_customers``.
- ``errors``: ``ProfileStoreError`` and its subclasses.

Nothing is connected at import time.
"""
