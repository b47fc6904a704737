"""Errors raised by core. Pages and the CLI catch ``CoreError`` and show its message.

Every message says where, what, what was expected and how to fix it.
"""


class CoreError(Exception):
    """Base of every error core raises on purpose (never a bug)."""


class StoreError(CoreError):
    """The store cannot be opened, migrated or written."""


class PermissionDenied(CoreError):
    """The acting user's role does not allow the operation."""


class NotFoundError(CoreError):
    """A referenced record (initiative, user, model ...) does not exist."""


class ValidationError(CoreError):
    """A value failed validation; the message names the field and the fix."""


class AuthenticationError(CoreError):
    """Sign-in failed (wrong user name or password)."""
