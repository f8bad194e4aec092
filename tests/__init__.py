"""Test suite; packages mirror the code."""
