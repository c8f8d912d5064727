"""Extraction, the first stage of the document pipeline: uploaded bytes in, readable text out.

Every upload ends either as an ``ExtractedDocument`` or as a ``DocumentError`` whose message tells
a non-technical person what to do. ``extract_with_timeout`` runs the same code in a worker process
so that a hostile or pathological file cannot hang the app.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from luna_core.documents.extract import ocr
from luna_core.documents.extract.docx import MAIN_PART, read_docx
from luna_core.documents.extract.pdf import Progress, read_pdf
from luna_core.documents.extract.text import (
    SUPPORTED_SENTENCE as SUPPORTED_SENTENCE,  # re-exported: the sentence every refusal ends with
)
from luna_core.documents.extract.text import (
    decode_text,
    empty_file_error,
    read_markdown,
    read_plain_text,
    unsupported_file_error,
)
from luna_core.errors import DamagedFileError, NeedsOcrError, PasswordProtectedError, UnsupportedFileError

SUPPORTED = ("pdf", "docx", "txt", "md", "png", "jpg")
_PICTURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}  # photos and scans, read by OCR
DEFAULT_TIMEOUT = 60.0

_EXTENSION_ALIASES = {"markdown": "md"}
_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Compound File Binary: .doc/.xls/.ppt, encrypted OOXML
_ENCRYPTED_OOXML_STREAM = "EncryptedPackage".encode("utf-16-le")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_PDF_MAGIC = b"%PDF-"
_PDF_MAGIC_WINDOW = 1024  # readers accept junk (e.g. a mail header) before the PDF header
# A package that is a ZIP like .docx but holds something else, recognised by a telltale part.
_OTHER_PACKAGES = {
    "xl/workbook.xml": "an Excel workbook",
    "ppt/presentation.xml": "a PowerPoint presentation",
    "content.xml": "an OpenDocument file",
    "META-INF/container.xml": "an e-book",
}
_CONTENT_KINDS = (
    ((b"GIF8",), "a GIF picture (Luna reads PNG and JPEG pictures)"),  # PNG and JPEG are read, never misnamed
    ((b"{\\rtf",), "a Rich Text (.rtf) document"),
)


@dataclass(frozen=True)
class Page:
    """Text of one page. ``number`` is 1-based for PDFs, None for formats without pages;
    ``ocr_confidence`` (0-1) when the text was read from a picture by OCR."""

    number: int | None
    text: str
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class ExtractedDocument:
    """The readable text of an upload. ``pages`` always holds at least one non-empty page."""

    file_type: str  # one of SUPPORTED
    pages: list[Page]
    metadata: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All pages' text, separated by blank lines."""
        return "\n\n".join(page.text for page in self.pages)


def detect_file_type(data: bytes, filename: str) -> str:
    """The type (one of ``SUPPORTED``) Luna will read ``data`` as, judged by content and name.

    PDF and Word files are recognised by content whatever their name; text needs a .txt or .md
    name and must really be text. Raises ``EmptyDocumentError`` for an empty file,
    ``PasswordProtectedError`` for an encrypted Word file, ``DamagedFileError`` for a broken ZIP
    package and ``UnsupportedFileError`` (saying what is supported) for everything else.
    """
    extension = _extension(filename)
    if not data.strip():
        raise empty_file_error()
    if data.startswith(_OLE2_MAGIC):
        raise _compound_file_error(data)
    if data.startswith(_ZIP_MAGICS):
        return _package_type(data)
    picture = next((kind for magic, kind in _PICTURES.items() if data.startswith(magic)), None)
    if picture:
        return picture
    pdf_window = len(_PDF_MAGIC) if extension in ("txt", "md") else _PDF_MAGIC_WINDOW
    if _PDF_MAGIC in data[:pdf_window]:
        return "pdf"
    if extension in ("txt", "md"):
        decode_text(data)  # raises UnsupportedFileError for binary data
        return extension
    raise _misnamed_file_error(extension, data)


def extract(data: bytes, filename: str, progress: Progress | None = None) -> ExtractedDocument:
    """The text of an uploaded file, read in this process. See ``detect_file_type`` for the
    errors about the kind of file; each reader adds its own (password, damage, scans, no text).
    ``progress(done, total)`` follows the pages read by OCR."""
    file_type = detect_file_type(data, filename)
    if file_type == "pdf":
        pdf_pages, metadata = read_pdf(data, progress)
        return ExtractedDocument("pdf", [Page(*page) for page in pdf_pages], metadata)
    if file_type in ("png", "jpg"):
        return read_picture_file(data, file_type, progress)
    reader = {"docx": read_docx, "txt": read_plain_text, "md": read_markdown}[file_type]
    text, metadata = reader(data)
    return ExtractedDocument(file_type, [Page(None, text)], metadata)


def read_picture_file(data: bytes, file_type: str, progress: Progress | None = None) -> ExtractedDocument:
    """A photo or scan (PNG, JPEG) read by OCR: upright (EXIF), at most ``ocr.MAX_PIXELS``, straightened."""
    picture = ocr.open_picture(data)
    ocr.require_engine()
    if progress:
        progress(0, 1)
    page = ocr.read_picture(picture)
    if progress:
        progress(1, 1)
    if not page.reliable:
        raise NeedsOcrError(
            f"Luna could not read the text in this picture reliably ({page.words} words, "
            f"{round(page.confidence * 100)}% confidence). Take the photo again straight on, in good light, with "
            "the whole page in view and in focus, or scan the page and upload the scan.")
    return ExtractedDocument(file_type, [Page(None, page.text, round(page.confidence, 3))], {
        "ocr": True, "ocr_confidence": round(page.confidence, 3), "width": picture.width,
        "height": picture.height})


def document_to_wire(document: ExtractedDocument) -> dict:
    """``document`` as plain JSON-ready data, for the trip back from the worker process."""
    return {
        "file_type": document.file_type,
        "pages": [[page.number, page.text, page.ocr_confidence] for page in document.pages],
        "metadata": document.metadata,
    }


def document_from_wire(wire: dict) -> ExtractedDocument:
    """The inverse of ``document_to_wire``."""
    pages = [Page(*page) for page in wire["pages"]]
    return ExtractedDocument(wire["file_type"], pages, wire["metadata"])


def _extension(filename: str) -> str:
    extension = PurePath(filename).suffix.lower().lstrip(".")
    return _EXTENSION_ALIASES.get(extension, extension)


def _compound_file_error(data: bytes) -> PasswordProtectedError | UnsupportedFileError:
    # Word saves a password-protected .docx as an encrypted package inside this older container.
    if _ENCRYPTED_OOXML_STREAM in data:
        return PasswordProtectedError(
            "This Word document is password-protected. Open it in Word, remove the password "
            "(File > Info > Protect Document > Encrypt with Password, then clear it), save it and "
            "upload it again."
        )
    return unsupported_file_error(
        "This is an old-style Microsoft Office file (such as a Word 97-2003 .doc), which Luna cannot read."
    )


def _package_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise DamagedFileError(
            "This file is damaged or incomplete (perhaps its upload or download was cut off). If it is "
            "a Word document, open it in Word or LibreOffice and save it again, or get a fresh copy."
        ) from error
    if MAIN_PART in names:
        return "docx"
    kind = next((kind for part, kind in _OTHER_PACKAGES.items() if part in names), "a ZIP archive")
    raise unsupported_file_error(f"This file is {kind}, not a Word document. Save it as PDF or .docx first.")


def _misnamed_file_error(extension: str, data: bytes) -> UnsupportedFileError:
    kind = _content_kind(data)
    looks_like = f" (it looks like {kind})" if kind else ""
    if extension == "pdf":
        return unsupported_file_error(
            f"This file is named .pdf but is not a PDF{looks_like}. If you downloaded it, the download "
            "may have failed: download it again, or open the document and save it as PDF."
        )
    if extension == "docx":
        reason = f"This file is named .docx but is not a Word document{looks_like}."
    elif extension == "doc":
        reason = "Luna cannot read Word 97-2003 (.doc) files."
    elif not extension:
        reason = "Luna cannot tell what kind of file this is: its name has no ending such as .pdf."
    else:
        reason = f"Luna cannot read .{extension} files. Save or export the document as PDF or .docx."
    return unsupported_file_error(reason)


def _content_kind(data: bytes) -> str | None:
    head = data[:_PDF_MAGIC_WINDOW]
    for magics, kind in _CONTENT_KINDS:
        if head.startswith(magics):
            return kind
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "a web page"
    return None
