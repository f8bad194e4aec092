"""Helpers shared by every test folder (databases, the app in-process, live clients)."""
