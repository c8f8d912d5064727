"""Errors a person can act on.

Core code raises a ``LunaError`` subclass; pages show ``str(error)`` and the CLI prints it on stderr
and exits with code 2. Anything else is an unexpected failure and is not swallowed.
"""

from __future__ import annotations


class LunaError(Exception):
    """A refused or invalid request. The message is shown to the user as it is. ``assessment`` is the
    crisis assessment of what was written, when a journal entry that was assessed could not be saved
    (its resources are shown all the same)."""

    assessment = None


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


class DocumentError(LunaError):
    """A document cannot be used; the message says why and what the user can do."""


class UnsupportedFileError(DocumentError):
    """Not a PDF, DOCX, TXT or Markdown file (by its content, whatever its extension)."""


class FileTooLargeError(DocumentError):
    """The upload is larger than the configured limit."""


class EmptyDocumentError(DocumentError):
    """The file holds no text at all (empty, whitespace only, or an empty document)."""


class PasswordProtectedError(DocumentError):
    """The file is encrypted with a password Luna does not have."""


class DamagedFileError(DocumentError):
    """The file is broken beyond what the reader can recover."""


class NeedsOcrError(DocumentError):
    """The file has no usable text layer (scanned or image-only); it needs OCR first."""


class OcrUnavailableError(NeedsOcrError):
    """The file needs OCR (text recognition) and no OCR engine is installed."""


class ExtractionTimeoutError(DocumentError):
    """Reading the file took longer than the time limit (a hostile or pathological file)."""


class LLMUnavailableError(LunaError):
    """The language model host cannot answer (down, model not pulled, timeout); ``kind`` says which."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind
