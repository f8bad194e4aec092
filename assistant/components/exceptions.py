"""The one base exception of the components package and its specialisations."""


class ComponentError(Exception):
    """Base class for errors raised by the assistant's custom Rasa components."""


class TrainingDataError(ComponentError):
    """The training data cannot train a model (missing, unreadable or too few labels)."""


class ModelFilesError(ComponentError):
    """A persisted model is missing files or was written by an incompatible version."""
