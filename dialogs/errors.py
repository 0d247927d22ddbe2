"""The one exception a validator raises: the answer breaks a rule, and its message says which."""

from __future__ import annotations


class FieldError(ValueError):
    """An answer that breaks a rule; ``str(error)`` is the message for the submitter."""
