"""Tests of the bank's core records (bank)."""
