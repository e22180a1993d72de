"""Domain errors raised by services; views turn them into messages on the page."""
from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action; `message` is shown to the user (lazy gettext)."""

    def __init__(self, message: object, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not do this to this object."""


class WorkflowError(DomainError):
    """The object is not in a state that allows this transition."""


class ConflictError(DomainError):
    """Someone else changed the object first (optimistic version check)."""
