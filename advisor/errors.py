"""Errors the advisor raises for bad input; web maps :class:`InputError` to HTTP 400."""

from __future__ import annotations

__all__ = ["AdvisorError", "InputError"]


class AdvisorError(Exception):
    """Base class of the advisor's own errors."""


class InputError(AdvisorError, ValueError):
    """A message or query the advisor cannot accept (empty, blank, too long, unknown language).

    ``code`` is a short machine-readable word (``empty_message``, ``message_too_long``,
    ``bad_lang``, ``invalid_message``); ``message`` says what to change, in English.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"InputError({self.code!r}, {self.message!r})"
