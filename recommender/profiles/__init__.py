"""Customer profile store: customers, accounts, cards, transactions, transfers and goals.

- ``store.ProfileStore``: the API (returns frozen views from ``views``).
- ``models``: the SQLAlchemy tables (``models.Base.metadata`` is under Alembic migration).
- ``db.get_engine`` / ``db.session_factory``; ``settings.ProfileSettings`` (``DATABASE_URL``).
- ``seed``: the demo bank, ``python -m recommender.profiles.seed [--reset]``.
- ``errors``: ``ProfileStoreError`` and its subclasses.

Nothing is connected at import time.
"""
