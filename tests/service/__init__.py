"""Tests of the FastAPI service."""
