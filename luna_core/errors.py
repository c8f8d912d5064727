"""Errors a person can act on.

Core code raises a ``LunaError`` subclass; pages show ``str(error)`` and the CLI prints it on stderr
and exits with code 2. Anything else is an unexpected failure and is not swallowed.
"""

from __future__ import annotations


class LunaError(Exception):
    """A refused or invalid request. The message is shown to the user as it is."""


class NotFoundError(LunaError):
    """The id or name does not exist, or belongs to another user (we never say which)."""


class ValidationError(LunaError):
    """Input that breaks a rule (empty name, prompt too long, bad setting). Says which rule."""


class PermissionDeniedError(LunaError):
    """The action is not allowed for this user or this record (e.g. deleting a default persona)."""


class ConflictError(LunaError):
    """The request collides with existing data (duplicate user name, already imported ...)."""


class FeatureDisabledError(LunaError):
    """A feature flag switches this capability off for this user."""


class DatabaseLockedError(LunaError):
    """Another process (usually the running Luna app) holds the database file."""


class TemplateFileError(LunaError):
    """A therapeutic template file is malformed; the message names the file and the problem."""


class LegacyImportError(LunaError):
    """The file given to ``import-legacy`` is not a readable original Luna database."""
