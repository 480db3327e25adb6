"""Errors that carry a message meant for the user, never a traceback."""


class RetentionXLError(Exception):
    """Base class: str(error) is a complete, plain-language message for the user."""


class InputError(RetentionXLError):
    """The input file, sheet or columns cannot be used (says what and where)."""


class MetricError(RetentionXLError, ValueError):
    """A metric cannot be computed from the given arguments (says why)."""
