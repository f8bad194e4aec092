"""The insights package's exceptions."""


class InsightsError(Exception):
    """Base class of every error raised by the insights package."""


class ModelFileError(InsightsError):
    """A category model file is missing, unreadable or needs an encoder it was not given."""
