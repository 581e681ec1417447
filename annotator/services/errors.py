"""Errors a service raises for the user to read (the CLI prints them on one line)."""

from __future__ import annotations

from annotator.core.validation import InvalidInputError


class ServiceError(InvalidInputError):
    """An action cannot be done as asked; nothing was changed."""


class NotFoundError(ServiceError):
    """A document, code, coder or annotation named by the caller does not exist."""
