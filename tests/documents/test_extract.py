"""Extraction: every upload ends as readable text or as an error a person can act on.

The real corpus (../shared/corpus) is checked file by file against an explicit table; the other
tests build their bytes here, so they run without it.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from luna_core.documents.extract import (
    SUPPORTED_SENTENCE,
    ExtractedDocument,
    detect_file_type,
    extract,
    extract_with_timeout,
    ocr,
)
from luna_core.documents.extract.quality import looks_garbled, strip_repeated_lines
from luna_core.errors import (
    DamagedFileError,
    DocumentError,
    EmptyDocumentError,
    ExtractionTimeoutError,
    NeedsOcrError,
    OcrUnavailableError,
    PasswordProtectedError,
    UnsupportedFileError,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_bytes(folder: str, name: str) -> bytes:
    path = CORPUS / folder / name
    if not path.is_file():
        pytest.skip(f"{folder}/{name} missing: ../shared/corpus is not checked out beside this repo")
    return path.read_bytes()


def outcome(run, data: bytes, filename: str) -> ExtractedDocument | tuple[type, str]:
    """The document, or (error class, message): comparable across processes."""
    try:
        return run(data, filename)
    except DocumentError as error:
        return type(error), str(error)


def assert_in_order(text: str, phrases: tuple[str, ...]) -> None:
    position = 0
    for phrase in phrases:
        found = text.find(phrase, position)
        assert found >= 0, f"{phrase!r} missing (or out of order) in {text[:300]!r}"
        position = found + len(phrase)


# --- the corpus, file by file ----------------------------------------------------------------


@dataclass(frozen=True)
class Reads:
    """The file opens; ``phrases`` appear in this order, ``absent`` ones nowhere."""

    phrases: tuple[str, ...]
    absent: tuple[str, ...] = ()
    pages: tuple[int | None, ...] = (None,)
    encoding: str | None = None


@dataclass(frozen=True)
class Refused:
    error: type[DocumentError]
    phrase: str


SAMPLE = ("This is a test document to use for unit tests.", "Doylestown, PA 18901")
# Scans are read by OCR where Tesseract is installed (make installs it); elsewhere they are refused
# with how to install it.
OCR = ocr.engine() is not None
NEEDS_ENGINE = Refused(OcrUnavailableError, "apt-get install tesseract-ocr")
NO_TEXT = Refused(EmptyDocumentError, "has no text")
LOCKED_PDF = Refused(PasswordProtectedError, "This PDF is password-protected. Remove the password")
ONE_PAGE = (1,)

DOCS = {
    "docx_comments.docx": Reads(("Ouch.",), absent=("tachyon",)),  # remarks about the text, not text
    "docx_empty.docx": NO_TEXT,
    "docx_footnotes.docx": Reads(("Ouch.", "A tachyon walks into a bar.", "Fin.")),
    "docx_header_footer.docx": Reads(("Header for section-1", "section with header", "Footer for section 1")),
    "docx_iso_strict.docx": Reads(("Test",)),
    "docx_no_styles_part.docx": NO_TEXT,
    "docx_paras_and_tables_interleaved.docx": Reads(
        ("Lorem ipsum dolor", "Text before", "Table", "Between", "Text after", "Donec semper")
    ),
    "docx_password_protected_tika.docx": Refused(PasswordProtectedError, "Word document is password-protected"),
    "docx_tables.docx": Reads(
        ("Simple uniform table", "Header Col 1 | Header Col 2", "Lorem ipsum | A link example", "g&t", "merged")
    ),
    "docx_tables_incomplete_rows.docx": Reads(("missing cells from the end", "a | b", "Dato", "Format")),
    "docx_text_box.docx": Reads(("Datum plane",)),
    "docx_truncated_zip.docx": Refused(DamagedFileError, "damaged or incomplete"),
    "docx_xml_utf8_bom.docx": Reads(("This XML has a byte order mark.",)),
    "legacy_word97.doc": Refused(UnsupportedFileError, "open in Word or LibreOffice and save as .docx"),
    "md_latin1_umlauts.md": Reads(("## können", "äöüß"), encoding="cp1252"),
    "md_table.md": Reads(("Item | Price | # In stock", "---|---|---", "Juicy Apples | 1.99 | 739")),
    "pdf_4pages_pdflatex.pdf": Reads(("Hello, here is some text without a meaning",), pages=(1, 2, 3, 4)),
    # Three field labels and no picture: a sparse form, not a scan.
    "pdf_acroform_fields.pdf": Reads(("Name", "Check", "Submit"), pages=ONE_PAGE),
    "pdf_adversarial_xobject_recursion.pdf": Refused(DamagedFileError, "This PDF is damaged"),
    "pdf_arabic_rtl.pdf": Reads(("حَبيبي", "habibi"), pages=ONE_PAGE),
    "pdf_baseline_pdflatex.pdf": Reads(("Lorem ipsum dolor sit amet",), pages=ONE_PAGE),
    "pdf_broken_xref.pdf": Reads(("test example",), pages=ONE_PAGE),
    "pdf_copy_protected_permissions.pdf": Reads(("LayoutParser", "Document Image Analysis"), pages=(1, 2)),
    "pdf_corrupted_zen.pdf": Reads(("Beautiful is better than ugly.", "Namespaces are one"), pages=ONE_PAGE),
    "pdf_crazyones_with_groundtruth.groundtruth.txt": Reads(("The Crazy Ones", "October 14"), encoding="utf-8"),
    "pdf_crazyones_with_groundtruth.pdf": Reads(("The Crazy Ones", "Heres to the crazy ones."), pages=ONE_PAGE),
    "pdf_encrypted_aes128_userpw_foo.pdf": LOCKED_PDF,
    # A user password is set but the owner password is empty, and that opens the file for anyone.
    "pdf_encrypted_aes256_r6_userpw.pdf": Reads(("pdf encryption test",), pages=ONE_PAGE),
    "pdf_encrypted_rc4_empty_userpw.pdf": Reads(("pdf encryption test",), pages=ONE_PAGE),
    "pdf_encrypted_userpw_openpassword.pdf": LOCKED_PDF,
    "pdf_flattened_no_text.pdf": Reads(("Lorem ipsum dolor sit amet",), pages=ONE_PAGE) if OCR else NEEDS_ENGINE,
    "pdf_google_docs_export.pdf": Reads(("Example document", "Beautiful is better than ugly."), pages=ONE_PAGE),
    # One page: a header cannot be told from a title without other pages to compare with.
    "pdf_headers_footers.pdf": Reads(("Header", "lovely", "Footer"), pages=ONE_PAGE),
    # six 11-pixel pictures: nothing OCR can read reliably, so no noise is indexed
    "pdf_image_only_no_text_layer.pdf": Refused(NeedsOcrError, "could not read pages 1, 2, 3, 4, 5, 6 of this PDF "
                                                               "reliably") if OCR else NEEDS_ENGINE,
    "pdf_invalid_structure.pdf": Reads(("Importance of Establishing", "Cybersecurity"), pages=(1, 2)),
    "pdf_japanese.pdf": Refused(NeedsOcrError if OCR else OcrUnavailableError, "cannot be read correctly"),
    "pdf_korean_tables.pdf": Reads(("적립 제외 대상", "무이자할부"), pages=ONE_PAGE),
    "pdf_rotated_90.pdf": Reads(("Hello World Test Text", "Rotated page fixture"), pages=ONE_PAGE),
    # A noisy OCR layer is still a text layer; the book's running title comes out of the pages.
    "pdf_scanned_with_ocr_layer.pdf": Reads(
        ("did not last long", "Cannister shot is a tin cylinder"),
        absent=("THE   SIEGE   OF  VICKSBURG",),
        pages=(1, 2, 3, 4, 5, 6),
    ),
    "pdf_two_column.pdf": Reads(("Two-Column Document", "EU Countries Information"), pages=(1, 2, 3)),
    "txt_empty.txt": NO_TEXT,
    "txt_nonascii_utf8.txt": Reads(("Le renard brun", "springt über den", "الكلب"), encoding="utf-8"),
    "txt_udhr_article1_many_languages.txt": Reads(
        ("Universal Declaration", "人人生而自由", "Bonke abantu bazalwa"), encoding="utf-8"
    ),
    "txt_utf16_be.txt": Reads(SAMPLE, encoding="utf-16-be"),
    "txt_utf16_bom.txt": Reads(SAMPLE, encoding="utf-16-le"),
    "txt_utf32.txt": Reads(SAMPLE, encoding="utf-32-le"),
    "txt_whitespace_only.txt": NO_TEXT,
}


def test_the_table_decides_every_corpus_file() -> None:
    manifest = corpus_bytes("docs", "MANIFEST.csv").decode("utf-8")
    assert sorted(row["file"] for row in csv.DictReader(io.StringIO(manifest))) == sorted(DOCS)


@pytest.mark.parametrize("name", sorted(DOCS))
def test_corpus_file(name: str) -> None:
    expected = DOCS[name]
    result = outcome(extract, corpus_bytes("docs", name), name)
    if isinstance(expected, Refused):
        assert result[0] is expected.error and expected.phrase in result[1], result
        return
    assert isinstance(result, ExtractedDocument), result
    assert_in_order(result.text, expected.phrases)
    assert not any(phrase in result.text for phrase in expected.absent)
    assert tuple(page.number for page in result.pages) == expected.pages
    assert all(page.text.strip() and "\x00" not in page.text for page in result.pages)
    if expected.encoding:
        assert result.metadata["encoding"] == expected.encoding


def test_pdf_text_matches_the_ground_truth() -> None:
    truth = corpus_bytes("docs", "pdf_crazyones_with_groundtruth.groundtruth.txt").decode("utf-8")
    text = extract(corpus_bytes("docs", "pdf_crazyones_with_groundtruth.pdf"), "crazyones.pdf").text
    assert SequenceMatcher(None, " ".join(text.split()), " ".join(truth.split())).ratio() > 0.98


def test_a_text_box_is_read_once_not_again_from_its_fallback_copy() -> None:
    assert extract(corpus_bytes("docs", "docx_text_box.docx"), "box.docx").text == "Datum plane"


def test_the_running_title_of_a_scanned_book_is_listed_as_removed() -> None:
    document = extract(corpus_bytes("docs", "pdf_scanned_with_ocr_layer.pdf"), "vicksburg.pdf")
    assert document.metadata["removed_repeated_lines"] == ["THE SIEGE OF VICKSBURG. 49"]


def test_the_worker_gives_the_in_process_outcome_for_every_corpus_file() -> None:
    for name in sorted(DOCS):
        data = corpus_bytes("docs", name)
        assert outcome(extract_with_timeout, data, name) == outcome(extract, data, name), name


def test_the_adversarial_pdf_fails_fast_in_the_worker() -> None:
    started = time.monotonic()
    with pytest.raises(DamagedFileError):
        extract_with_timeout(corpus_bytes("docs", "pdf_adversarial_xobject_recursion.pdf"), "x.pdf", timeout=10)
    assert time.monotonic() - started < 5


BOOKLETS = {
    "23-MH-8110-Understanding-Psychosis.pdf": (4, ("psychosis", "hallucinations")),
    "Borderline-Personality-Disorder.pdf": (4, ("borderline personality disorder", "dialectical behavior")),
    "Generalized-Anxiety-Disorder_-What-You-Need-to-Know.pdf": (4, ("anxiety", "cognitive behavioral therapy")),
    "Im-So-Stressed-Out.pdf": (2, ("stress", "anxiety", "988")),
    "Panic-Disorder_-What-You-Need-to-Know.pdf": (4, ("panic attacks", "exposure therapy")),
    "Social-Anxiety-Disorder_-What-You-Need-to-Know.pdf": (4, ("social anxiety disorder", "fear")),
    "bipolar-disorder.pdf": (8, ("bipolar disorder", "manic episode")),
    "depression.pdf": (8, ("depression", "psychotherapy")),
    "eating-disorders-what-you-need-to-know.pdf": (8, ("anorexia nervosa", "binge-eating disorder")),
    "obsessive-compulsive-disorder-508.pdf": (8, ("obsessions", "compulsions")),
    "post-traumatic-stress-disorder_1.pdf": (8, ("post-traumatic stress disorder", "trauma")),
}
COMMON_ENGLISH = frozenset("the and of to a or you is in for with your can are that it be as on may".split())


@pytest.fixture(scope="module")
def booklets() -> dict[str, ExtractedDocument]:
    """Every booklet, extracted by three threads at once through the worker pool."""
    data = {name: corpus_bytes("therapy", name) for name in BOOKLETS}
    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(data, pool.map(lambda name: extract_with_timeout(data[name], name), data)))


@pytest.mark.parametrize("name", sorted(BOOKLETS))
def test_a_therapy_booklet_reads_as_english(name: str, booklets: dict[str, ExtractedDocument]) -> None:
    page_count, phrases = BOOKLETS[name]
    document = booklets[name]
    assert [page.number for page in document.pages] == list(range(1, page_count + 1))
    text = document.text.lower()
    assert all(phrase in text for phrase in phrases)
    words = re.findall(r"[a-z]+", text)
    assert sum(word in COMMON_ENGLISH for word in words) / len(words) > 0.2  # 0.26 to 0.33 here
    assert not looks_garbled(document.text)


# --- what kind of file is it -------------------------------------------------------------------


def test_a_text_file_named_pdf_is_refused_as_not_a_pdf() -> None:
    with pytest.raises(UnsupportedFileError, match="named .pdf but is not a PDF"):
        extract(b"My coping plan: breathe, walk, call a friend.\n", "plan.pdf")


def test_a_web_page_saved_as_pdf_says_so() -> None:
    with pytest.raises(UnsupportedFileError, match="looks like a web page"):
        extract(b"<!DOCTYPE html><html><body>Sign in</body></html>", "handout.pdf")


@pytest.mark.parametrize("filename", ["notes.rtf", "notes.xyz", "notes"])
def test_unknown_types_say_what_is_supported(filename: str) -> None:
    with pytest.raises(UnsupportedFileError) as caught:
        extract(b"Some words.", filename)
    assert SUPPORTED_SENTENCE in str(caught.value) and "save as .docx" in str(caught.value)


def test_content_wins_over_the_name_for_pdf_and_docx() -> None:
    pdf = text_pdf([["Hello"]])
    assert detect_file_type(pdf, "download") == "pdf"
    assert detect_file_type(b"HTTP/1.1 200 OK\r\n\r\n" + pdf, "x.bin") == "pdf"  # junk before %PDF-
    assert detect_file_type(docx({"word/document.xml": body(paragraph("Hi"))}), "x.zip") == "docx"


def test_binary_junk_named_txt_is_refused() -> None:
    with pytest.raises(UnsupportedFileError, match="does not contain plain text"):
        extract(bytes(range(256)) * 16, "notes.txt")


def test_an_old_office_file_is_refused_and_an_encrypted_one_asks_for_the_password() -> None:
    ole2 = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    with pytest.raises(UnsupportedFileError, match="save as .docx"):
        extract(ole2, "old.doc")
    with pytest.raises(PasswordProtectedError, match="remove the password"):
        extract(ole2 + "EncryptedPackage".encode("utf-16-le"), "locked.docx")


def test_a_zip_that_is_not_a_word_document_is_named() -> None:
    with pytest.raises(UnsupportedFileError, match="Excel workbook"):
        extract(docx({"xl/workbook.xml": "<workbook/>"}), "sheet.docx")


# --- text and markdown -------------------------------------------------------------------------

PLAN = "Breathe in for 4, hold for 7, out for 8.\nÜbung für Ängste: Всё хорошо.\n"


ENCODINGS = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8-sig", "cp1252"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_decodes_in_any_common_encoding(encoding: str) -> None:
    # Python's -le/-be codecs write no byte order mark: only the NUL pattern tells the encoding.
    text = PLAN if encoding != "cp1252" else "Don’t worry – it’s “fine”… café\n"
    document = extract(text.encode(encoding), "note.txt")
    assert document.text == text.strip() and document.metadata["encoding"] == encoding


def test_control_characters_and_line_endings_are_normalised() -> None:
    data = b"Step one: sit.\r\nStep two: relax.\rStep three:\x00\x07\tbreathe.\x0cStep four: smile."
    expected = "Step one: sit.\nStep two: relax.\nStep three:\tbreathe.\nStep four: smile."
    assert extract(data, "x.txt").text == expected


def test_markdown_keeps_its_structure_and_drops_front_matter_html_and_scripts() -> None:
    source = (
        "---\ntitle: Grounding\nlayout: page\n---\n# Grounding\n\n"
        '<div class="callout">Call <b>988</b> any time.</div>\n'
        "<script>track('visit')</script>\n<style>.x{color:red}</style>\n<!-- reviewer note -->\n"
        "- Name 5 things you see\n\n| Sense | Count |\n|---|---|\n| see | 5 |\n&amp; breathe\n"
    )
    text = extract(source.encode("utf-8"), "grounding.md").text
    assert_in_order(text, ("# Grounding", "Call 988 any time.", "- Name 5 things", "| see | 5 |", "& breathe"))
    assert not any(gone in text for gone in ("title:", "track", "color", "reviewer", "<"))


def test_markdown_toml_front_matter_is_removed() -> None:
    assert extract(b"+++\ntitle = 'x'\n+++\nBody", "x.md").text == "Body"


# --- docx --------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def body(inner: str, root: str = "document", namespace: str = W) -> str:
    content = f"<w:body>{inner}</w:body>" if root == "document" else inner
    return f'<?xml version="1.0"?><w:{root} xmlns:w="{namespace}" xmlns:mc="{MC}">{content}</w:{root}>'


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in parts.items():
            package.writestr(name, xml)
    return buffer.getvalue()


def test_docx_reads_every_part_in_order_and_skips_comments_and_deleted_text() -> None:
    box = f"<w:txbxContent>{paragraph('In the box')}</w:txbxContent>"
    anchor = (
        f"<w:p><w:r><mc:AlternateContent><mc:Choice>{box}</mc:Choice><mc:Fallback>{box}</mc:Fallback>"
        "</mc:AlternateContent><w:t>Anchor</w:t></w:r></w:p>"
    )
    table = f"<w:tbl><w:tr><w:tc>{paragraph('Feeling')}</w:tc><w:tc>{paragraph('Sad')}</w:tc></w:tr></w:tbl>"
    deleted = "<w:p><w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>"
    data = docx({
        "word/document.xml": body(paragraph("Before") + table + anchor + deleted),
        "word/header1.xml": body(paragraph("Worksheet 3"), root="hdr"),
        "word/footnotes.xml": body(f"<w:footnote>{paragraph('A footnote')}</w:footnote>", root="footnotes"),
        "word/comments.xml": body(f"<w:comment>{paragraph('Private remark')}</w:comment>", root="comments"),
    })
    text = extract(data, "sheet.docx").text
    assert text == "Worksheet 3\n\nBefore\n\nFeeling | Sad\n\nAnchor\n\nIn the box\n\nA footnote"


def test_a_docx_in_the_strict_namespace_with_a_bom_is_read() -> None:
    strict = body(paragraph("Strict text"), namespace="http://purl.oclc.org/ooxml/wordprocessingml/main")
    data = docx({"word/document.xml": "\ufeff" + strict})
    assert extract(data, "strict.docx").text == "Strict text"


def test_a_truncated_docx_is_damaged() -> None:
    data = docx({"word/document.xml": body(paragraph("Some words. " * 300))})
    with pytest.raises(DamagedFileError, match="damaged or incomplete"):
        extract(data[: len(data) // 2], "cut.docx")


# --- pdf ---------------------------------------------------------------------------------------

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
IMAGE = b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"


def text_pdf(pages: list[list[str]], with_image: bool = False) -> bytes:
    """A minimal PDF, written by hand: one page per list of lines in Helvetica, optionally with a
    one-pixel picture on each page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", FONT, stream(b"\x80", IMAGE)]
    xobjects = b"/XObject << /Im0 4 0 R >>" if with_image else b""
    kids = []
    for lines in pages:
        escaped = (line.encode("latin-1").replace(b"(", rb"\(").replace(b")", rb"\)") for line in lines)
        shown = b"".join(b"(%s) '\n" % line for line in escaped)
        picture = b"q 200 0 0 200 72 300 cm /Im0 Do Q\n" if with_image else b""
        objects.append(stream(b"BT /F1 11 Tf 72 740 Td 14 TL\n" + shown + b"ET\n" + picture))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> %s >> >>" % (len(objects), xobjects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def test_repeated_headers_and_footers_are_removed_from_every_page() -> None:
    titles = ["Notice five things", "Box breathing", "Name the feeling", "Plan one kind act"]
    header = "Coping Skills Workbook"
    pages = [
        [header, title, header, f"Write down {title.lower()}.", f"Page {n} of 4"]
        for n, title in enumerate(titles, start=1)
    ]
    document = extract(text_pdf(pages), "workbook.pdf")
    assert document.metadata["removed_repeated_lines"] == ["Coping Skills Workbook", "Page 1 of 4"]
    # The copy in the middle of each page is content, not a header.
    expected = [f"{title}\nCoping Skills Workbook\nWrite down {title.lower()}." for title in titles]
    assert [page.text for page in document.pages] == expected


def test_strip_repeated_lines_matches_numbers_on_either_side_and_spares_short_documents() -> None:
    bodies = ["Calm.\nI slept well.", "Tired.\nWork was hard.", "Hopeful.\nCalled my sister."]
    pages = ["MY WORKBOOK 12\n" + bodies[0], "13 MY WORKBOOK\n" + bodies[1], "MY WORKBOOK 14\n" + bodies[2]]
    assert strip_repeated_lines(pages) == (bodies, ["MY WORKBOOK 12"])
    assert strip_repeated_lines(pages[:2]) == (pages[:2], [])
    one_liners = ["Background"] * 3  # a page that is nothing but the line keeps it
    assert strip_repeated_lines(one_liners) == (one_liners, [])


def test_sparse_pages_with_pictures_need_ocr_but_a_short_pdf_without_them_opens(monkeypatch) -> None:
    stray_words = [["Background"]] * 3
    with pytest.raises(NeedsOcrError, match="could not read pages 1, 2, 3 of this PDF reliably" if OCR else
                       "30 characters on 3 pages"):  # a one-pixel picture: nothing to read, no noise kept
        extract(text_pdf(stray_words, with_image=True), "scan.pdf")
    monkeypatch.setattr(ocr, "engine", lambda: None)
    with pytest.raises(OcrUnavailableError, match="30 characters on 3 pages.*apt-get install tesseract-ocr"):
        extract(text_pdf(stray_words, with_image=True), "scan.pdf")
    assert extract(text_pdf(stray_words), "short.pdf").text == "Background\n\nBackground\n\nBackground"


def test_the_gibberish_detector_spares_real_text_in_many_languages() -> None:
    real = [
        "Wenn Ängste überhandnehmen, hilft es, langsam zu atmen und die Füße bewusst auf den Boden zu stellen.",
        "التنفس العميق يساعد على تهدئة الجسم والعقل عندما نشعر بالقلق أو الخوف الشديد في حياتنا اليومية.",
        "깊게 숨을 쉬면 불안할 때 몸과 마음을 진정시키는 데 도움이 됩니다. 천천히 다섯까지 세어 보세요.",
        "Когда тревога усиливается, помогает медленно дышать и замечать пять вещей вокруг себя прямо сейчас.",
    ]
    assert not any(looks_garbled(text) for text in real)


def test_the_gibberish_detector_spares_every_language_of_the_udhr() -> None:
    # Each language of Article 1 on its own, so that no script hides behind the others.
    udhr = corpus_bytes("docs", "txt_udhr_article1_many_languages.txt").decode("utf-8").split("\n\n")
    assert [paragraph[:40] for paragraph in udhr if looks_garbled(paragraph)] == []


def test_the_gibberish_detector_catches_each_kind_of_gibberish() -> None:
    samples = {
        # words from pdf_japanese.pdf's text layer that hold no unassigned code point
        "mojibake": "ମỜ ΔҼՌ ͷաڈͱ Βࢴͱᮅ ΠϯΫΛ ʹײ मཏ ւᢇ ਖΛ ԘਫΛٵݺ ͳຊମ ඟᰈ ʹه ڏແͳΒ ڏແ " * 2,
        "private use": "\ue000\ue001\ue002 \ue003\ue004 " * 12,
        "latin-1 soup": "¤¦¨ª¬®°²´¶¸º¼¾ ¿×÷ " * 5,
        "controls": "ab\x01\x02\x03cd\x04\x05ef " * 10,
    }
    assert {name for name, text in samples.items() if looks_garbled(text)} == set(samples)


# --- the worker process ------------------------------------------------------------------------


def test_a_hanging_extraction_is_killed_at_the_timeout_and_the_next_call_works() -> None:
    slow = text_pdf([["x" * 50] * 20000])  # pypdf needs a few seconds for this page
    extract_with_timeout(b"warm up", "warm.txt")  # so the clock below does not time a worker's start
    started = time.monotonic()
    with pytest.raises(ExtractionTimeoutError, match="longer than 0.3 seconds"):
        extract_with_timeout(slow, "slow.pdf", timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert extract_with_timeout(b"still here", "ok.txt").text == "still here"


def test_an_error_comes_back_from_the_worker_with_its_class_and_message() -> None:
    with pytest.raises(EmptyDocumentError) as in_worker:
        extract_with_timeout(b"  \n", "blank.txt")
    with pytest.raises(EmptyDocumentError) as in_process:
        extract(b"  \n", "blank.txt")
    assert type(in_worker.value) is EmptyDocumentError and str(in_worker.value) == str(in_process.value)


def test_threads_calling_at_once_each_get_their_own_answer() -> None:
    answers: dict[int, str] = {}

    def call(n: int) -> None:
        answers[n] = extract_with_timeout(f"note {n}".encode(), f"{n}.txt").text

    threads = [threading.Thread(target=call, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {n: f"note {n}" for n in range(6)}


def test_the_worker_imports_neither_streamlit_torch_nor_the_stores() -> None:
    probe = (
        "import sys, luna_core.documents.extract.reader, luna_core.documents.extract.worker; "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'streamlit', 'torch', 'duckdb', 'hnswlib'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_vector_paths_are_dropped_before_pypdf_reads_a_page_and_text_objects_are_untouched():
    from luna_core.documents.extract.pdf import without_vector_paths

    content = (b"q 0.5 0 0 RG 1 w 10 20 m 30.5 40 l 1 2 3 4 5 6 c 0 0 100 50 re S f* h W n Q\n"
               b"BT /F1 12 Tf 72 700 Td (10 20 m is text, keep it) Tj ET\n"
               b"0 0 m 5 5 l B* /Im1 Do")
    assert without_vector_paths(content) == (b"q 0.5 0 0 RG 1 w Q\n"
                                             b"BT /F1 12 Tf 72 700 Td (10 20 m is text, keep it) Tj ET\n"
                                             b"/Im1 Do")
