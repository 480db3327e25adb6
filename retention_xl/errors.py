"""Errors that carry a message meant for the user, never a traceback.

Every error carries a :class:`~retention_xl.messages.Message` (``error.message``): a
code and its fields, so each shell says it in its own language (the command line with
``--lang``, the Excel button in the settings sheet's language; a cell says English).
``str(error)`` is the English sentence, as the command line says it.
"""

from __future__ import annotations

from typing import Any

from retention_xl.messages import ENGLISH, Message


class RetentionXLError(Exception):
    """Base class: ``RetentionXLError("error.<code>", **fields)`` or ``RetentionXLError(message)``."""

    message: Message

    def __init__(self, message: Message | str, /, **fields: Any) -> None:
        if not isinstance(message, Message):
            if message not in ENGLISH:  # a message is a registered code, never a sentence (issue 11)
                raise TypeError(f"{type(self).__name__} takes a message code from messages.ENGLISH, not {message!r}")
            message = Message(message, **fields)
        super().__init__(str(message))
        self.message = message

    def __reduce__(self) -> tuple:  # pickles with its Message (and a subclass's own attributes)
        return (_restore, (type(self), self.message, dict(self.__dict__)))


def _restore(cls: type, message: Message, state: dict[str, Any]) -> RetentionXLError:
    err = cls.__new__(cls)
    Exception.__init__(err, str(message))
    err.__dict__.update(state)
    return err


class InputError(RetentionXLError):
    """The input file, sheet or columns cannot be used (says what and where)."""


class MetricError(RetentionXLError, ValueError):
    """A metric cannot be computed from the given arguments (says why)."""
