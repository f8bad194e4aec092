"""Errors of the ``assistant`` package."""


class AssistantError(Exception):
    """Base class of every error raised by ``assistant``."""
