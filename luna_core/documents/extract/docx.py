"""Word (.docx): the text of the body, tables, text boxes, headers, footers, footnotes and endnotes.

Reads the package's XML parts with zipfile and ElementTree. docx2txt was the first choice but on
the test corpus it returns nothing for ISO Strict files (other namespace), prints every text box
twice (it also reads the legacy ``mc:Fallback`` copy), puts each table cell on its own line and skips
footnotes and endnotes; fixing that meant this walker anyway, so it reads every part.
Comments (word/comments.xml) are deliberately not read: they are remarks about the document.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from xml.etree import ElementTree

from luna_core.documents.extract.text import clean_text
from luna_core.errors import DamagedFileError, EmptyDocumentError

MAIN_PART = "word/document.xml"
# Transitional (what Word writes by default) and ISO/IEC 29500 Strict.
_WORD_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_COMPATIBILITY_NAMESPACE = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HEADER = re.compile(r"word/header(\d*)\.xml")
_FOOTER = re.compile(r"word/footer(\d*)\.xml")
_NOTES = ("word/footnotes.xml", "word/endnotes.xml")
# A real document part is a few MB at most; the limit stops a small "zip bomb" from filling memory.
MAX_PART_BYTES = 64 * 1024 * 1024
# What zipfile raises for truncated, corrupt, encrypted or exotically compressed archives.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)

DAMAGED_MESSAGE = (
    "This Word document is damaged or incomplete (perhaps its upload or download was cut off). "
    "Open it in Word or LibreOffice and save it again, or get a fresh copy of the file."
)
EMPTY_MESSAGE = (
    "This document has no text. If you can see text when you open it, it is probably in pictures "
    "inside the Word file, which Luna does not read there: upload the pages as a PDF, PNG or JPEG "
    "(Luna reads those by text recognition), or type the text and upload again."
)


def read_docx(data: bytes) -> tuple[str, dict]:
    """The text of a .docx file and metadata ``{"parts": [XML parts that gave text]}``.

    Order: headers, body (paragraphs and tables as they come, text boxes after their anchor
    paragraph), footnotes, endnotes, footers. Table rows become lines with cells joined by " | ".
    Raises ``DamagedFileError`` for a broken package and ``EmptyDocumentError`` when there is no text.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [(name, _read_part(package, name)) for name in _text_part_names(package.namelist())]
    except _ZIP_ERRORS as error:
        raise DamagedFileError(DAMAGED_MESSAGE) from error
    sections: dict[str, str] = {}
    for name, root in parts:
        text = clean_text(_part_text(root))
        if text and text not in sections.values():  # first-page, even and odd headers often repeat
            sections[name] = text
    if not sections:
        raise EmptyDocumentError(EMPTY_MESSAGE)
    return "\n\n".join(sections.values()), {"parts": list(sections)}


def _text_part_names(names: list[str]) -> list[str]:
    def numbered(pattern: re.Pattern[str]) -> list[str]:
        found = [(match.group(1), name) for name in names if (match := pattern.fullmatch(name))]
        return [name for _, name in sorted(found, key=lambda item: int(item[0] or 0))]

    if MAIN_PART not in names:
        raise DamagedFileError(DAMAGED_MESSAGE)
    return numbered(_HEADER) + [MAIN_PART] + [name for name in _NOTES if name in names] + numbered(_FOOTER)


def _read_part(package: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if package.getinfo(name).file_size > MAX_PART_BYTES:
        raise DamagedFileError(DAMAGED_MESSAGE)
    try:
        # fromstring honours the encoding declaration and skips a UTF-8 byte order mark; expat
        # (2.4+) caps entity expansion and ElementTree never fetches external entities.
        return ElementTree.fromstring(package.read(name))
    except ElementTree.ParseError as error:
        raise DamagedFileError(DAMAGED_MESSAGE) from error


def _part_text(root: ElementTree.Element) -> str:
    blocks: list[str] = []
    try:
        _collect_blocks(root, blocks)
    except RecursionError as error:  # absurdly deep nesting: only a hostile file does that
        raise DamagedFileError(DAMAGED_MESSAGE) from error
    return "\n\n".join(blocks)


def _name(element: ElementTree.Element) -> str:
    """'w:p' for a WordprocessingML element in either namespace, 'mc:...' for markup compatibility,
    the bare local name for anything else."""
    tag = element.tag
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if namespace in _WORD_NAMESPACES:
        return "w:" + local
    if namespace == _COMPATIBILITY_NAMESPACE:
        return "mc:" + local
    return local


def _collect_blocks(element: ElementTree.Element, blocks: list[str]) -> None:
    """Append the text of each paragraph and table inside ``element`` to ``blocks``, in order."""
    for child in element:
        name = _name(child)
        if name == "w:p":
            _collect_paragraph(child, blocks)
        elif name == "w:tbl":
            blocks.append(_table_text(child))
        elif name != "mc:Fallback":  # the older copy of an mc:Choice: reading it doubles the text
            _collect_blocks(child, blocks)


def _collect_paragraph(paragraph: ElementTree.Element, blocks: list[str]) -> None:
    pieces: list[str] = []
    anchored: list[str] = []
    _collect_runs(paragraph, pieces, anchored)
    blocks.append("".join(pieces))
    blocks.extend(anchored)


def _collect_runs(element: ElementTree.Element, pieces: list[str], anchored: list[str]) -> None:
    """Text of the runs in a paragraph into ``pieces``; text boxes anchored in it into ``anchored``.

    Deleted text (w:delText), field codes (w:instrText) and math are not w:t, so they are skipped.
    """
    for child in element:
        name = _name(child)
        if name == "w:t":
            pieces.append(child.text or "")
        elif name in ("w:tab", "w:ptab"):
            pieces.append("\t")
        elif name in ("w:br", "w:cr"):
            pieces.append("\n")
        elif name == "w:noBreakHyphen":
            pieces.append("-")
        elif name == "w:txbxContent":
            _collect_blocks(child, anchored)
        elif name != "mc:Fallback":
            _collect_runs(child, pieces, anchored)


def _table_text(table: ElementTree.Element) -> str:
    rows = []
    for row in _outermost(table, "w:tr"):
        cells = [" ".join(_cell_text(cell).split()) for cell in _outermost(row, "w:tc")]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _cell_text(cell: ElementTree.Element) -> str:
    blocks: list[str] = []
    _collect_blocks(cell, blocks)
    return " ".join(blocks)


def _outermost(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """Descendants called ``name``, looking through wrappers (content controls, custom XML) but not
    inside a match or a nested table."""
    found = []
    for child in element:
        child_name = _name(child)
        if child_name == name:
            found.append(child)
        elif child_name not in ("w:tbl", "mc:Fallback"):
            found.extend(_outermost(child, name))
    return found
