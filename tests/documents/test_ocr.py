"""Scans and photos read by OCR (Tesseract), on fixtures made from a worksheet written for Luna:
a clean scan, a rotated, noisy, sideways-stored phone photo, an image-only PDF and a PDF mixing a
text page with a scanned one; the quality guard, the time limits, a missing engine, progress, and
the whole upload through the real services."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from luna_core.documents.extract import extract, extract_with_timeout, ocr
from luna_core.documents.extract.worker import budget
from luna_core.errors import DamagedFileError, ExtractionTimeoutError, NeedsOcrError, OcrUnavailableError
from tests import ocr_fixtures as fx
from tests.apptest import no_errors, start, texts
from tests.conftest import open_luna

needs_tesseract = pytest.mark.skipif(ocr.engine() is None,
                                     reason="Tesseract is not installed (make installs tesseract-ocr as root)")


@needs_tesseract
def test_a_clean_scan_is_read_word_for_word():
    document = extract(fx.png(), "worksheet.png")
    [page] = document.pages
    assert document.file_type == "png" and page.number is None and page.ocr_confidence > 0.9
    assert fx.recovered(document.text) == 1.0
    assert "Situation: I was waiting" in document.text  # Tesseract's "|" for "I" is mended


@needs_tesseract
def test_a_phone_photo_is_turned_upright_straightened_and_read():
    raw = Image.open(io.BytesIO(fx.photo()))
    assert raw.width > raw.height  # stored sideways: only the EXIF orientation says how to show it
    assert fx.recovered(extract(fx.photo(), "IMG_2041.JPG").text) >= 0.95
    upright = ocr.open_picture(fx.photo())
    assert upright.height > upright.width
    assert abs(ocr.skew_angle(upright.convert("L")) + 4.0) <= 0.75  # the page was turned 4 degrees


@needs_tesseract
def test_an_image_only_pdf_and_a_mixed_pdf_keep_their_real_text():
    scan = extract(fx.image_pdf(), "scan.pdf")
    assert scan.metadata["ocr_pages"] == [1] and fx.recovered(scan.text) == 1.0
    mixed = extract(fx.mixed_pdf(), "mixed.pdf")
    first, second = mixed.pages
    assert (first.number, first.text, first.ocr_confidence) == (1, fx.TEXT_PAGE, None)  # the text layer, as is
    assert second.number == 2 and second.ocr_confidence > 0.9 and fx.recovered(second.text) == 1.0
    assert mixed.metadata["ocr_pages"] == [2] and mixed.metadata["ocr_unreliable_pages"] == []


@needs_tesseract
def test_pages_that_cannot_be_read_reliably_are_reported_not_indexed():
    noise = Image.effect_noise((900, 1200), 90).convert("L")
    with pytest.raises(NeedsOcrError, match="could not read the text in this picture reliably"):
        extract(fx.png(noise), "blurry.png")
    faint = fx.page_image(size=7).resize((300, 420))  # tiny print, far too small to read
    readable = fx.page_image()
    document = extract(fx.image_pdf([readable, faint]), "two.pdf")
    assert [p.number for p in document.pages] == [1] and document.metadata["ocr_unreliable_pages"] == [2]
    with pytest.raises(NeedsOcrError, match="could not read page 1 of this PDF reliably"):
        extract(fx.image_pdf([faint]), "faint.pdf")


@needs_tesseract
def test_each_page_has_a_time_limit_and_the_workers_limit_covers_ocr():
    with pytest.raises(ExtractionTimeoutError, match="longer than 0.01 seconds"):
        ocr.read_picture(fx.page_image(), timeout=0.01)
    assert budget(60, 3) == 60 + 3 * ocr.PAGE_TIMEOUT
    seen = []
    document = extract_with_timeout(fx.mixed_pdf(), "mixed.pdf", timeout=0.5,
                                    progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 1), (1, 1)] and len(document.pages) == 2  # half a second, then room for one page


def test_without_an_engine_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(ocr, "engine", lambda: None)
    for data, name in ((fx.png(), "worksheet.png"), (fx.image_pdf(), "scan.pdf")):
        with pytest.raises(OcrUnavailableError, match="apt-get install tesseract-ocr tesseract-ocr-eng"):
            extract(data, name)
    mixed = extract(fx.mixed_pdf(), "mixed.pdf")  # most pages have text: those are kept, the scan is named
    assert [p.number for p in mixed.pages] == [1] and mixed.metadata["pages_needing_ocr"] == [2]


def test_damaged_and_huge_pictures_are_refused_clearly():
    with pytest.raises(DamagedFileError, match="damaged or incomplete"):
        extract(fx.png()[:400], "cut.png")
    huge = io.BytesIO()
    Image.new("1", (9000, 7000), 1).save(huge, "PNG")  # 63 megapixels, a few kilobytes
    with pytest.raises(DamagedFileError, match="more than 60 megapixels"):
        extract(huge.getvalue(), "huge.png")


@needs_tesseract
def test_a_photo_upload_through_the_services_the_page_and_the_cli(tmp_path, embedder, capsys):
    luna = open_luna(tmp_path, embedder=embedder)
    user = luna.user("tess")
    stages = []
    result = luna.documents.add_file(user, "IMG_2041.jpg", fx.photo(), persona_id="default-local",
                                     progress=lambda stage, fraction: stages.append(stage))
    assert result.status == "completed", result.error
    assert "reading page 1 of 1 by OCR" in stages and "read 1 page by OCR" in stages
    chunks = luna.library.chunks(user, result.dataset_id)
    assert chunks and all(c["ocr_confidence"] > 0.9 for c in chunks)
    persona = luna.personas.get(user, "default-local")
    [best, *_] = luna.retriever.retrieve(user, persona, "what is the evidence against my automatic thought?")
    assert "Evidence against" in best.content
    at = no_errors(start(luna, user).switch_page("pages/documents.py").run())
    page = texts(at)
    assert "read by text recognition, 9" in page and "Read from a picture by text recognition" in page

    from luna_core.cli.main import main

    path = tmp_path / "scan.pdf"
    path.write_bytes(fx.mixed_pdf())
    assert main(["--data-dir", str(luna.settings.data_dir), "--user", "tess", "docs", "add", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    [added] = json.loads(captured.out)
    assert added["status"] == "completed" and added["pages"] == 2
    assert "scan.pdf: reading page 1 of 1 by OCR" in captured.err  # progress on stderr, JSON alone on stdout


@needs_tesseract
def test_a_transparent_png_is_read_as_ink_on_paper():
    page = fx.page_image().convert("RGBA")
    ink = Image.new("RGBA", page.size, (0, 0, 0, 0))
    ink.putalpha(Image.eval(page.convert("L"), lambda v: 255 - v))  # black text, transparent everywhere else
    assert fx.recovered(extract(fx.png(ink), "transparent.png").text) >= 0.95


def test_the_ocr_pages_of_one_file_are_bounded():
    assert budget(60, 10_000) == 60 + ocr.MAX_PAGES * ocr.PAGE_TIMEOUT
    many = fx.image_pdf([Image.new("L", (60, 80), 200)] * (ocr.MAX_PAGES + 1))
    with pytest.raises(NeedsOcrError, match=f"{ocr.MAX_PAGES + 1} scanned pages"):
        extract(many, "archive.pdf")


@pytest.mark.parametrize("message, error, says", [
    ("Failed loading language 'eng'", OcrUnavailableError, "without its English data"),
    ("Error in pixReadStream: Unknown format", DamagedFileError, "could not open this picture"),
])
def test_a_tesseract_failure_is_a_message_not_a_traceback(monkeypatch, message, error, says):
    import pytesseract

    def failing(*args, **kwargs):
        raise pytesseract.TesseractError(1, message)

    monkeypatch.setattr(ocr, "require_engine", lambda: None)
    monkeypatch.setattr(pytesseract, "image_to_data", failing)
    with pytest.raises(error, match=says):
        ocr.read_picture(fx.page_image())


def test_a_pdf_whose_pages_cannot_be_drawn_is_called_damaged():
    with pytest.raises(DamagedFileError, match="could not draw the scanned pages"):
        list(ocr.render_pdf_pages(b"%PDF-1.4 not really a pdf", [0]))
    pictures = list(ocr.render_pdf_pages(fx.image_pdf([fx.page_image(), fx.page_image()]), [0, 1]))
    assert len(pictures) == 2 and all(p.width > 100 for p in pictures)
