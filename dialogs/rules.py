"""The error a campaign rule raises when an action is not allowed.

The rules (quotas, 同一案例不重复申报, the deadline) are checked inside the storage transaction, so a
refusal must carry everything the user needs to read: ``str(error)`` is the Chinese reply, written
so that it names the numbers and dates involved and says what the user can do next.
"""

from __future__ import annotations


class RuleError(ValueError):
    """An action the notice's rules forbid; ``str(error)`` is the message shown to the user.

    ``code`` is a short stable tag (``"quota_full"``, ``"not_recommended"`` …) so that callers
    and tests can tell refusals apart without matching the wording, which may be edited.
    """

    def __init__(self, message: str, *, code: str = "rule") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
