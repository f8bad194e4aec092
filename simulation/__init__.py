"""Seeded synthetic data for benchmarks, tests and the recommender's reference population.

- ``population``: synthetic bank customers with hidden archetypes, tastes and holdings.
- ``journey_events``: synthetic Rasa event streams of whole conversations.

Nothing here reads or writes a database; the customers driven through the running stack
are ``stack.simulate``'s.
"""
