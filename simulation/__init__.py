"""Seeded synthetic data for benchmarks, tests and the recommender's reference population.

- ``population``: synthetic bank customers with hidden archetypes, tastes and holdings.
- ``journey_events``: synthetic Rasa event streams of whole conversations.
- ``personal_data``: valid personal values planted in banking conversations (the privacy
  canary, ``bench/data/pii_banking_chat.json``).
- ``clean_chat``: banking messages with no personal data (``bench/data/pii_clean_banking.txt``).

Nothing here reads or writes a database; the customers driven through the running stack
are ``stack.simulate``'s.
"""
