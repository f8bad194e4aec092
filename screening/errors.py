"""Errors of the screening package: one base class, so callers can catch them together."""


class ScreeningError(Exception):
    """Base class of every error the screening package raises."""


class ListFormatError(ScreeningError):
    """The sanctions list file is missing or not in the consolidated list's CSV layout."""


class InvalidQueryError(ScreeningError, ValueError):
    """A name, date of birth or nationality that cannot be screened (the message says why)."""
