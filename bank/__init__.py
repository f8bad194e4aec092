"""The bank's core records: customers, accounts, cards (and cards in the post), transactions
(booked, pending, declined, reverted), transfers (cancellable while pending) and goals.

- ``store.ProfileStore``: the API (returns frozen views from ``views``).
- ``models``: the tables, on ``database.base.Base``.
- ``enums``: the closed sets of values (account kinds, card states, categories, ...).
- ``payees.PayeeStore``: customers' payees and the payee check (``payee_names``: sort codes,
  account numbers and names checked and compared).
- ``payments.PaymentStore``: payments to payees (now, on a date, held for review), standing
  orders and credit card repayments, with idempotency keys and the limits of ``policy.yml``.
- ``matching``: finds the account a customer means by what they call it.
- ``seed``: the demo bank, ``python -m bank.seed [--reset]``, built from ``demo_customers``.
- ``errors``: ``ProfileStoreError`` and its subclasses.
- ``policy``: the bank's published facts (fees, limits, timings) that answers quote.

Nothing is connected at import time.
"""
