"""Benchmarks: each runnable as `python -m bench.<name>`, printing a table and writing JSON."""
