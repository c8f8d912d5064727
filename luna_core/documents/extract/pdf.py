"""PDF: the text of each page with pypdf, or the error that says why a PDF cannot be used.

A page without a usable text layer that shows a picture (a scanned page) is read by OCR
(``ocr``), page by page, so a PDF mixing text and scanned pages keeps its real text; a text layer
that is gibberish has every page read by OCR. A scanned page that OCR cannot read reliably is left
out and reported, never indexed as noise.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from luna_core.documents.extract import ocr
from luna_core.documents.extract.dekern import rejoin_split_words
from luna_core.documents.extract.quality import looks_garbled, strip_repeated_lines
from luna_core.documents.extract.text import clean_text
from luna_core.errors import (
    DamagedFileError,
    EmptyDocumentError,
    NeedsOcrError,
    OcrUnavailableError,
    PasswordProtectedError,
)

Progress = Callable[[int, int], None]  # (pages read by OCR so far, pages to read)

# A page with fewer visible characters than this has no usable text layer. Scans carry stray
# words ("Background", a page number, "Scanned with CamScanner": 10-25 characters); the sparsest
# real page in the corpus is a booklet cover with 15, and text pages have several hundred.
# Such a page that shows a picture is a scanned page and is read by OCR; a sparse page without a
# picture (a one-line PDF, a form with three labels) keeps its text.
MIN_CHARS_PER_PAGE = 50
_MAX_FORM_DEPTH = 8  # XObjects nest forms in forms; hostile files nest them in themselves
_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s")
_VISIBLE = re.compile(r"\S")
# Vector artwork (paths: move, line, curve, rectangle, then stroke / fill / clip) carries no text, yet
# pypdf parses every operand of it: a booklet page drawn in vectors holds ~70,000 of them and takes
# 0.5 s. Outside text objects (BT ... ET) these operators and their number operands are dropped
# before pypdf reads the page; the text pypdf finds is identical (checked on every corpus PDF).
_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)\s+"
_PATH_OPERATORS = re.compile(
    rb"(?<![^\s\]\)>}])(?:(?:" + _NUMBER + rb"){2}[ml]|(?:" + _NUMBER + rb"){6}c|(?:" + _NUMBER
    + rb"){4}(?:[vy]|re)|[hSsFnW]|f\*?|B\*?|b\*?|W\*)(?=\s)\s*")
_TEXT_OBJECT = re.compile(rb"(?<![^\s\]\)>}])BT(?=\s).*?(?<=\s)ET(?![^\s\[\(<%/])", re.S)

PASSWORD_MESSAGE = (
    "This PDF is password-protected. Remove the password (e.g. open it with the password and print "
    "it to a new PDF) and upload it again."
)
PROTECTED_MESSAGE = (
    "This PDF is locked with a kind of protection Luna cannot open. Open it in the program it "
    "came with, print it to a new PDF and upload that."
)
DAMAGED_MESSAGE = (
    "This PDF is damaged and Luna cannot read it. If it opens on your computer, print or export it "
    "to a new PDF and upload that; otherwise get a fresh copy of the file."
)
_OCR_ADVICE = (
    "If you have the original document (e.g. Word), upload that instead, or scan the pages again more "
    "sharply (at least 300 dpi, straight, in good light)."
)
GARBLED_REASON = ("The text inside this PDF cannot be read correctly: its fonts do not say which letters they "
                  "show, so the text comes out as gibberish. ")
GARBLED_MESSAGE = GARBLED_REASON + _OCR_ADVICE
NO_TEXT_MESSAGE = (
    "This PDF has no text. If you can see text when you open it, the letters are drawn as "
    "pictures or shapes. " + _OCR_ADVICE
)


def read_pdf(data: bytes, progress: Progress | None = None) -> tuple[list[tuple[int, str, float | None]], dict]:
    """The cleaned text of each PDF page that has any, as (1-based page number, text, OCR
    confidence or None for a text layer), and metadata.

    Metadata: ``page_count``, ``encrypted``, ``removed_repeated_lines`` (running headers and
    footers taken out of every page), ``pages_without_text``, ``unreadable_pages`` (pages pypdf
    failed on; the rest of the document is still used), ``ocr_pages`` (read by OCR),
    ``ocr_unreliable_pages`` (scanned pages OCR could not read reliably, left out) and
    ``pages_needing_ocr`` (scanned pages left out because no OCR engine is installed).
    Raises ``PasswordProtectedError``, ``DamagedFileError``, ``NeedsOcrError`` (scans that cannot
    be read, ``OcrUnavailableError`` without an engine) or ``EmptyDocumentError``.
    """
    reader = _open(data)
    raw_texts = _page_texts(reader)
    garbled = looks_garbled("\n".join(text or "" for text in raw_texts))
    scanned = list(range(len(raw_texts))) if garbled else _scanned_pages(reader, raw_texts)
    read, unreliable, skipped = _ocr(data, raw_texts, scanned, garbled, progress)
    # A scanned page OCR could not read keeps only its own few words of text layer (a booklet cover's
    # title), and only beside pages that were read: stray words alone are not a document.
    texts = [read[i].text if i in read else "" if garbled else raw for i, raw in enumerate(raw_texts)]
    # pypdf splits words where a font kerns inside them ("Ad\nditional"); only PDFs do this, and
    # the split is healed after cleaning, when no trailing space can widen the gap.
    texts, removed = strip_repeated_lines([rejoin_split_words(clean_text(text or "")) for text in texts])
    pages = [(number, text, round(read[number - 1].confidence, 3) if number - 1 in read else None)
             for number, text in enumerate(texts, start=1) if text]
    if unreliable and all(number in unreliable for number, _, _ in pages):
        pages = []
    if not pages:
        if unreliable and garbled:
            raise NeedsOcrError(GARBLED_REASON + f"Text recognition could not read "
                                f"{page_list(unreliable)} reliably either (Luna recognises English). " + _OCR_ADVICE)
        if unreliable:
            raise NeedsOcrError(f"Luna could not read {page_list(unreliable)} of this PDF reliably: the scan is too "
                                "faint, blurred or small for text recognition. " + _OCR_ADVICE)
        raise EmptyDocumentError(NO_TEXT_MESSAGE)
    return pages, {
        "page_count": len(raw_texts),
        "encrypted": reader.is_encrypted,
        "removed_repeated_lines": removed,
        "pages_without_text": [number for number, text in enumerate(texts, start=1) if not text],
        "unreadable_pages": [number for number, text in enumerate(raw_texts, start=1) if text is None],
        "ocr_pages": sorted(i + 1 for i in read),
        "ocr_unreliable_pages": unreliable,
        "pages_needing_ocr": skipped,
    }


def page_list(numbers: list[int]) -> str:
    """'page 3' or 'pages 2, 5, 7', as a message names them."""
    return f"page {numbers[0]}" if len(numbers) == 1 else "pages " + ", ".join(map(str, numbers))


def _ocr(data: bytes, raw_texts: list[str | None], scanned: list[int], garbled: bool,
         progress: Progress | None) -> tuple[dict[int, ocr.OcrPage], list[int], list[int]]:
    """OCR of the ``scanned`` pages (0-based): (reliable readings by index, unreliable page numbers,
    page numbers left out for want of an engine). Without an engine a document that is mostly
    scans (or gibberish) is refused with how to install one; a few scanned pages are left out."""
    if not scanned:
        return {}, [], []
    if len(scanned) > ocr.MAX_PAGES:
        raise NeedsOcrError(f"This PDF has {len(scanned)} scanned pages; Luna reads up to {ocr.MAX_PAGES} scanned pages "
                            "of one file by text recognition (a few seconds each). Split it into smaller PDFs, or "
                            "upload the chapters you need.")
    if ocr.engine() is None:
        counts = [len(_VISIBLE.findall(text or "")) for text in raw_texts]
        if garbled:
            raise OcrUnavailableError(GARBLED_MESSAGE + " " + ocr.INSTALL)
        if len(scanned) * 2 > len(raw_texts):
            raise OcrUnavailableError(
                f"Luna found almost no text in this PDF ({sum(counts)} characters on {len(raw_texts)} "
                f"page{'s' if len(raw_texts) != 1 else ''}): it looks like a scanned or image-only PDF. "
                + ocr.INSTALL)
        return {}, [], [i + 1 for i in scanned]
    read, unreliable = {}, []
    with closing(ocr.render_pdf_pages(data, scanned)) as pictures:  # the PDF is parsed once for all pages
        for done, index in enumerate(scanned):
            if progress:
                progress(done, len(scanned))
            page = ocr.read_picture(next(pictures))
            if page.reliable:
                read[index] = page
            else:
                unreliable.append(index + 1)
    if progress:
        progress(len(scanned), len(scanned))
    return read, unreliable, []


@contextmanager
def _damaged_if_pypdf_fails() -> Iterator[None]:
    """Turn pypdf's failures on a broken file into ``DamagedFileError``.

    pypdf signals malformed input with many exception types (PdfReadError, KeyError, TypeError,
    RecursionError on self-nesting objects ...), so anything it raises counts, except a missing
    optional package, which is a fault of the installation and must stay visible.
    """
    try:
        yield
    except DependencyError:
        raise
    except FileNotDecryptedError as error:
        raise PasswordProtectedError(PASSWORD_MESSAGE) from error
    except Exception as error:
        raise DamagedFileError(DAMAGED_MESSAGE) from error


def _open(data: bytes) -> PdfReader:
    """A reader over ``data``, decrypted when the user password is empty (owner-only restrictions
    such as copy protection do not stop reading)."""
    with _damaged_if_pypdf_fails():
        # strict=False lets pypdf repair what it can (broken xref tables, wrong offsets).
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    if not encrypted:
        return reader
    try:
        opened = reader.decrypt("")
    except DependencyError:
        raise
    except Exception as error:  # certificate or plug-in security handlers pypdf does not support
        raise PasswordProtectedError(PROTECTED_MESSAGE) from error
    if opened == PasswordType.NOT_DECRYPTED:
        raise PasswordProtectedError(PASSWORD_MESSAGE)
    return reader


def _page_texts(reader: PdfReader) -> list[str | None]:
    """pypdf's text for each page, None for a page it fails on. ``DamagedFileError`` if every page
    fails or the page list itself cannot be read."""
    with _damaged_if_pypdf_fails():
        pages = list(reader.pages)
    texts = [_page_text(page) for page in pages]
    if not pages or all(text is None for text in texts):
        raise DamagedFileError(DAMAGED_MESSAGE)
    return texts


def _page_text(page: PageObject) -> str | None:
    try:
        with _damaged_if_pypdf_fails():
            _drop_vector_paths(page)
            return page.extract_text()
    except DamagedFileError:
        return None  # one bad page should not cost the user the rest of the document


def without_vector_paths(content: bytes) -> bytes:
    """A content stream without its path construction and painting operators (outside text objects)."""
    kept, last = [], 0
    for text_object in _TEXT_OBJECT.finditer(content):
        kept += [_PATH_OPERATORS.sub(b"", content[last:text_object.start()]), text_object.group()]
        last = text_object.end()
    kept.append(_PATH_OPERATORS.sub(b"", content[last:]))
    return b"".join(kept)


def _drop_vector_paths(page: PageObject) -> None:
    """Give the (in-memory) page a content stream without vector paths, when that saves anything."""
    contents = page.get_contents()
    if contents is None:
        return
    data = contents.get_data()
    lighter = without_vector_paths(data)
    if len(lighter) < len(data):
        stream = DecodedStreamObject()
        stream.set_data(lighter)
        page[NameObject("/Contents")] = stream


def _scanned_pages(reader: PdfReader, texts: list[str | None]) -> list[int]:
    """The pages (0-based) with almost no text that show a picture: scanned pages, even when a
    few stray words have a text layer."""
    counts = [len(_VISIBLE.findall(text or "")) for text in texts]
    return [index for index, count in enumerate(counts)
            if count < MIN_CHARS_PER_PAGE and _page_has_images(reader.pages[index])]


def _page_has_images(page: PageObject) -> bool:
    """True when the page draws a picture, directly, inside a form XObject or inline."""
    try:
        with _damaged_if_pypdf_fails():
            if _has_image_xobject(page.get("/Resources"), depth=0, seen=set()):
                return True
            contents = page.get_contents()
            return contents is not None and bool(_INLINE_IMAGE.search(contents.get_data()))
    except DamagedFileError:
        # Only called for pages with almost no text: if their resources cannot be read either,
        # there is no evidence of a scan and the caller's other checks decide.
        return False


def _has_image_xobject(resources: object, depth: int, seen: set[int]) -> bool:
    resources = _resolved(resources)
    if not isinstance(resources, DictionaryObject) or depth > _MAX_FORM_DEPTH or id(resources) in seen:
        return False
    seen.add(id(resources))
    xobjects = _resolved(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return False
    for reference in xobjects.values():
        xobject = _resolved(reference)
        if not isinstance(xobject, DictionaryObject):
            continue
        if xobject.get("/Subtype") == "/Image":
            return True
        is_form = xobject.get("/Subtype") == "/Form"
        if is_form and _has_image_xobject(xobject.get("/Resources"), depth + 1, seen):
            return True
    return False


def _resolved(value: object) -> object:
    get_object = getattr(value, "get_object", None)
    return get_object() if get_object is not None else value
