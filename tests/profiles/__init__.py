"""Tests of the customer profile store (recommender.profiles)."""
